// Runs the tessera binary in a child process (tests that simulate need their
// own processes: SystemC elaborates once per process).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace tessera::testing {

struct Result {
  int code;
  std::string out;
};

// Runs a shell command line, stdout and stderr together.
inline Result run_shell(const std::string& command) {
  std::string cmd = command + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline Result run_tessera(const std::string& args) { return run_shell(std::string(TESSERA_BINARY_DIR) + "/tessera " + args); }

// A file path in a per-process temporary directory.
inline std::string temp_path(const std::string& name) {
  namespace fs = std::filesystem;
  fs::path d = fs::path(::testing::TempDir()) / ("tessera_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return (d / name).string();
}

inline std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace tessera::testing
