// Progress of a long command (train, evaluate) on stderr, stdout staying
// plain: on a terminal a bar redrawn at most ten times a second; otherwise
// (a log file, CI) one line every few seconds. Both give the fraction done and
// the estimated time to the end from the rate so far.
#pragma once

#include <chrono>
#include <string>

namespace tessera::cli {

class Progress {
 public:
  explicit Progress(std::string what);
  // fraction: of the whole command, in [0, 1]; detail: e.g. "epoch 3/10 loss 0.41".
  void update(double fraction, const std::string& detail = "");
  // Clears the terminal bar before a line on stdout.
  void clear();
  // "1h02m", "4m05s", "12s".
  static std::string duration(double seconds);

 private:
  std::string what_;
  bool tty_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace tessera::cli
