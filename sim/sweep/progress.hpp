// Progress of a long run on stderr: on a terminal a bar redrawn in place
// (points done and failed, rate, ETA); otherwise one line every few seconds,
// for logs of batch jobs.
#pragma once

#include <cstdint>
#include <string>

namespace tessera::sweep {

class Progress {
 public:
  Progress(std::string what, int64_t total, bool enabled = true);
  // done = points finished in this run (any status); failed among them.
  void update(int64_t done, int64_t failed, const std::string& extra = "");
  void finish();

 private:
  void draw(bool final);
  std::string what_;
  int64_t total_;
  bool enabled_, tty_;
  double start_, last_draw_ = -1;
  int64_t done_ = 0, failed_ = 0;
  std::string extra_;
};

std::string format_duration(double seconds);  // "1:02:03", "4:05"

}  // namespace tessera::sweep
