// Whole-process measurements for the benches: a command's wall time, peak
// resident memory and output, as a user running it would see them.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

namespace tessera::bench {

struct Child {
  double wall = 0;
  long maxrss_kb = 0;
  std::string out;
  int code = 0;
};

// Runs a shell command, capturing stdout; wall time and peak resident memory
// of the child ("exec" in front of a command measures it, not the shell).
inline Child run(const std::string& cmd) {
  Child c;
  int fd[2];
  if (pipe(fd) != 0) std::abort();
  auto t0 = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fd[1], 1);
    close(fd[0]);
    execl("/bin/sh", "sh", "-c", cmd.c_str(), (char*)nullptr);
    _exit(127);
  }
  close(fd[1]);
  char buf[4096];
  ssize_t n;
  while ((n = read(fd[0], buf, sizeof buf)) > 0) c.out.append(buf, size_t(n));
  close(fd[0]);
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  c.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  c.maxrss_kb = ru.ru_maxrss;
  c.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return c;
}

}  // namespace tessera::bench
