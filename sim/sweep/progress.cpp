#include "sim/sweep/progress.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace tessera::sweep {

namespace {
double now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}
// How often a log line is written when stderr is not a terminal, and how
// often the bar is redrawn when it is.
constexpr double kLogInterval = 5.0;
constexpr double kBarInterval = 0.1;
constexpr int kBarWidth = 30;
}  // namespace

std::string format_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  auto t = int64_t(s + 0.5);
  char buf[32];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", (long long)(t / 3600), (long long)(t / 60 % 60), (long long)(t % 60));
  else std::snprintf(buf, sizeof buf, "%lld:%02lld", (long long)(t / 60), (long long)(t % 60));
  return buf;
}

Progress::Progress(std::string what, int64_t total, bool enabled)
    : what_(std::move(what)), total_(total), enabled_(enabled), tty_(isatty(2)), start_(now_s()) {}

void Progress::update(int64_t done, int64_t failed, const std::string& extra) {
  done_ = done;
  failed_ = failed;
  extra_ = extra;
  double t = now_s();
  if (t - last_draw_ >= (tty_ ? kBarInterval : kLogInterval)) draw(false);
}

void Progress::finish() { draw(true); }

void Progress::draw(bool final) {
  if (!enabled_ || total_ <= 0) return;
  double t = now_s();
  last_draw_ = t;
  double elapsed = t - start_;
  double rate = elapsed > 0 ? double(done_) / elapsed : 0;
  double eta = rate > 0 ? double(total_ - done_) / rate : NAN;
  char line[512];
  std::snprintf(line, sizeof line, "%s %lld/%lld done, %lld failed, %.1f points/s, %s %s%s%s", what_.c_str(),
                (long long)done_, (long long)total_, (long long)failed_, rate, final ? "took" : "ETA",
                format_duration(final ? elapsed : eta).c_str(), extra_.empty() ? "" : ", ", extra_.c_str());
  if (tty_) {
    int fill = int(double(kBarWidth) * double(done_) / double(total_));
    std::string bar(size_t(fill), '#');
    bar += std::string(size_t(kBarWidth - fill), '.');
    std::fprintf(stderr, "\r\033[K[%s] %s%s", bar.c_str(), line, final ? "\n" : "");
  } else {
    std::fprintf(stderr, "%s\n", line);
  }
  std::fflush(stderr);
}

}  // namespace tessera::sweep
