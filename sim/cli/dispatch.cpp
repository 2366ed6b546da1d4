#include "sim/cli/dispatch.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "workloads/base/error.hpp"

namespace tessera::cli {

namespace {
void usage(const std::vector<Command>& table, std::ostream& os) {
  os << "usage: tessera <command> [options]\n\ncommands:\n";
  for (const auto& c : table) {
    std::string name = c.name;
    os << "  " << name << std::string(name.size() < 18 ? 18 - name.size() : 1, ' ') << c.summary << "\n";
  }
  os << "\n'tessera <command> --help' describes a command's options.\n";
}
}  // namespace

int dispatch(const std::vector<Command>& table, int argc, char** argv) {
  // Keep SystemC's banner out of machine-readable output.
  setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    usage(table, argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? kExitInputError : 0;
  }
  std::string name = argv[1];
  if (name == "--version") {
    std::cout << "tessera " << TESSERA_VERSION << "\n";
    return 0;
  }
  Args args(argv + 2, argv + argc);
  for (const auto& c : table) {
    if (name != c.name) continue;
    try {
      return c.run(args);
    } catch (const InputError& e) {
      std::cerr << "tessera " << name << ": error: " << e.what() << "\n";
      return kExitInputError;
    } catch (const std::exception& e) {
      std::cerr << "tessera " << name << ": internal error: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "tessera: unknown command '" << name << "'\n";
  usage(table, std::cerr);
  return kExitInputError;
}

std::string sibling_path(const char* name) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ((ec ? fs::path(".") : self.parent_path()) / name).string();
}

void exec_command(const char* executable, const char* command, const Args& args) {
  std::vector<std::string> argv{command};
  argv.insert(argv.end(), args.begin(), args.end());
  exec_sibling(executable, argv);
}

void exec_sibling(const char* name, const std::vector<std::string>& args) {
  const std::string exe = sibling_path(name);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(name));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(exe.c_str(), argv.data());
  const std::string n = name;
  const std::string how = n == "tessera-nas"   ? "it is built with the libtorch plugin (TESSERA_WITH_TORCH=ON)"
                          : n == "tessera-mpi" ? "it is built with MPI (TESSERA_WITH_MPI=ON)"
                                               : "it is built with tessera, next to it";
  throw InputError({exe, 0, 0}, "", "cannot run " + n + " (" + std::strerror(errno) + "): " + how);
}

}  // namespace tessera::cli
