#include "sim/cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace tessera::cli {

namespace {
// How often each form is written (a log gets a line every few seconds).
constexpr std::chrono::milliseconds kTerminalInterval{100};
constexpr std::chrono::seconds kLogInterval{5};
}  // namespace

Progress::Progress(std::string what)
    : what_(std::move(what)),
      tty_(isatty(fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

std::string Progress::duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const long t = std::lround(s);
  if (t >= 3600) return fmt::format("{}h{:02d}m", t / 3600, (t % 3600) / 60);
  if (t >= 60) return fmt::format("{}m{:02d}s", t / 60, t % 60);
  return fmt::format("{}s", t);
}

void Progress::update(double fraction, const std::string& detail) {
  const auto now = std::chrono::steady_clock::now();
  fraction = std::clamp(fraction, 0.0, 1.0);
  if (now - last_ < (tty_ ? std::chrono::duration_cast<std::chrono::milliseconds>(kTerminalInterval)
                          : std::chrono::duration_cast<std::chrono::milliseconds>(kLogInterval)) &&
      fraction < 1.0)
    return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const std::string eta = fraction > 0 ? duration(elapsed * (1 - fraction) / fraction) : "?";
  const std::string text = fmt::format("{} {:3d}%{}{}  elapsed {}  ETA {}", what_, int(100 * fraction),
                                       detail.empty() ? "" : "  ", detail, duration(elapsed), eta);
  if (tty_) {
    const int width = 20, done = int(width * fraction);
    std::cerr << fmt::format("\r[{}{}] {}\033[K", std::string(size_t(done), '='), std::string(size_t(width - done), ' '),
                             text)
              << std::flush;
    drawn_ = true;
  } else {
    std::cerr << text << "\n" << std::flush;
  }
}

void Progress::clear() {
  if (tty_ && drawn_) std::cerr << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace tessera::cli
