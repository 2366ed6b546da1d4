// tessera plot: matplotlib plots (tools/plot.py, run with Debian's python3)
// from a results store or a report. The arguments are checked here, so a bad
// call fails before Python starts.
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "sim/cli/common.hpp"
#include "sim/cli/options.hpp"
#include "sim/report/report.hpp"
#include "workloads/base/results_store.hpp"

#ifndef TESSERA_TOOLS_DIR
#define TESSERA_TOOLS_DIR "tools"
#endif

namespace tessera::cli {

namespace {
namespace fs = std::filesystem;

// Debian's matplotlib is visible to Debian's interpreter, which another
// python3 earlier on PATH may hide.
const char* kPython = "/usr/bin/python3";

std::string tools_dir() {
  if (const char* env = std::getenv("TESSERA_TOOLS_DIR")) return env;
  return TESSERA_TOOLS_DIR;
}

int run_python(const std::vector<std::string>& args) {
  std::vector<std::string> a{kPython, tools_dir() + "/plot.py"};
  a.insert(a.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : a) argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    execv(kPython, argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status)) return 1;
  int code = WEXITSTATUS(status);
  if (code == 127) throw std::runtime_error(std::string("cannot run ") + kPython + " (tools/setup.sh installs python3-matplotlib)");
  return code;
}

void check_image_path(const std::string& out) {
  auto ext = fs::path(out).extension().string();
  if (ext != ".png" && ext != ".svg" && ext != ".pdf")
    throw InputError({"command line", 0, 0}, "--output", "the plot file must end in .png, .svg or .pdf, got '" + out + "'");
  check_output_paths({out});
}

void check_store(const std::string& dir) {
  if (!fs::exists(base::ResultsStore::path_in(dir)))
    throw InputError({dir, 0, 0}, "", "no results store here (" + base::ResultsStore::path_in(dir) + " does not exist)");
}
}  // namespace

int cmd_plot(const Args& args) {
  po::options_description desc("plot options");
  std::string kind, input, out, x, y, metric, color;
  std::vector<std::string> where;
  desc.add_options()("help,h", "this help")
      ("kind", po::value(&kind)->required(), "heatmap | pareto | breakdown")
      ("input", po::value(&input)->required(), "a run directory (heatmap, pareto) or a JSON report (breakdown)")
      ("output,o", po::value(&out)->required(), "the plot: .png, .svg or .pdf")
      ("x", po::value(&x), "heatmap: parameter on the x axis; pareto: first metric (minimised)")
      ("y", po::value(&y), "heatmap: parameter on the y axis; pareto: second metric (minimised)")
      ("metric", po::value(&metric), "heatmap: the metric coloured (e.g. edap_j_s_mm2)")
      ("color", po::value(&color), "pareto: colour the front by this column")
      ("where", po::value(&where)->composing(), "keep only rows with COLUMN=VALUE (repeatable)");
  po::positional_options_description pos;
  pos.add("kind", 1).add("input", 1);
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera plot heatmap|pareto|breakdown INPUT -o FILE [--x K --y K --metric M]", &pos)) return 0;
  check_image_path(out);
  auto need = [&](const std::string& v, const char* opt) {
    if (v.empty()) throw InputError({"command line", 0, 0}, opt, kind + " needs " + opt);
  };
  if (kind == "heatmap") {
    need(x, "--x");
    need(y, "--y");
    need(metric, "--metric");
    check_store(input);
    std::vector<std::string> a{"heatmap", input, x, y, metric, out};
    a.insert(a.end(), where.begin(), where.end());
    return run_python(a);
  }
  if (kind == "pareto") {
    need(x, "--x");
    need(y, "--y");
    check_store(input);
    std::vector<std::string> a{"pareto", input, x, y, out, color};
    a.insert(a.end(), where.begin(), where.end());
    return run_python(a);
  }
  if (kind == "breakdown") {
    if (!fs::is_regular_file(input)) throw InputError({input, 0, 0}, "", "no such report file");
    return run_python({"breakdown", input, out});
  }
  throw InputError({"command line", 0, 0}, "kind", "unknown plot '" + kind + "'; allowed: heatmap, pareto, breakdown");
}

}  // namespace tessera::cli
