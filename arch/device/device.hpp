// A memory device holding one weight (or part of one) as a conductance, with
// its non-idealities. One implementation serves hardware-aware training,
// Monte-Carlo accuracy evaluation and the simulator's functional mode: all
// work on plain float arrays of conductances in microsiemens.
//
// Life of an array: `program` turns target conductances into programmed ones
// and draws everything fixed at programming time (programming noise, drift
// exponents, stuck-at faults); `read` gives the conductances seen at a time
// after programming and redraws what changes per read (read noise).
//
// Implementations register by name (TESSERA_DEVICE, on the shared registry of
// workloads/base/registry.hpp) and are chosen by the `impl` key of their
// config section; `create` builds one from a section. Options shared by all of them:
//   g_max_us, g_min_us   conductance range
//   levels               finite programmable levels (0: continuous)
//   stuck_at_min/max     fraction of devices stuck at g_min / g_max
//   wire_resistance_ohm  first-order IR drop (ir_drop.hpp); 0 disables it
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "arch/device/rng.hpp"
#include "workloads/base/registry.hpp"

namespace tessera::io {
class Section;
}

namespace tessera::device {

struct DeviceOptions {
  // AIHWKit's default maximum conductance (imc-facts section 3: g_max = 25 uS).
  double g_max_us = 25.0;
  double g_min_us = 0.0;
  int levels = 0;
  double stuck_at_min = 0.0;
  double stuck_at_max = 0.0;
  double wire_resistance_ohm = 0.0;

  void load(const io::Section& s);
};

enum class Stuck : uint8_t { None = 0, AtMin = 1, AtMax = 2 };

// One programmed array, rows x cols in row-major order (row = crossbar input line).
struct ProgrammedCells {
  int rows = 0, cols = 0;
  std::vector<float> g_target;  // requested conductance after level quantisation (uS)
  std::vector<float> g_prog;    // after programming noise and faults (uS)
  std::vector<float> nu;        // drift exponent per device; empty for devices that do not drift
  std::vector<Stuck> stuck;     // empty when the fault fractions are zero

  size_t size() const { return size_t(rows) * size_t(cols); }
};

class Device {
 public:
  virtual ~Device() = default;

  // The implementation named by `s.impl`, with the shared options and its own
  // parameters read from `s`; rejects unknown names (listing the registered
  // ones) and unknown keys. In describe mode every implementation declares its
  // parameters (under `s.variant(name)`) and the first is returned.
  static std::unique_ptr<Device> create(const io::Section& s);

  // The registry's factory for one implementation (see TESSERA_DEVICE).
  template <class Impl>
  static std::unique_ptr<Device> make(const io::Section& s, const char* impl) {
    std::unique_ptr<Device> d = std::make_unique<Impl>();
    d->impl_ = impl;
    d->load(s);
    return d;
  }

  const std::string& impl() const { return impl_; }
  const DeviceOptions& options() const { return opt_; }
  double g_max() const { return opt_.g_max_us; }
  double g_min() const { return opt_.g_min_us; }

  // Targets must lie in [0, g_max] (see conductance_map.hpp).
  ProgrammedCells program(const float* g_target, int rows, int cols, Rng& rng) const;
  ProgrammedCells program(const std::vector<float>& g_target, int rows, int cols, Rng& rng) const {
    return program(g_target.data(), rows, cols, rng);
  }
  // Conductances `t_inference` seconds after programming, into g_out (rows * cols).
  void read(const ProgrammedCells& p, double t_inference, Rng& rng, float* g_out) const;
  std::vector<float> read(const ProgrammedCells& p, double t_inference, Rng& rng) const;

  // A target snapped to the nearest of `levels` equally spaced conductances in [g_min, g_max].
  float quantize(float g) const;

 protected:
  // Declares and reads the implementation's own parameters.
  virtual void load(const io::Section& s) = 0;
  // g_target -> g_prog (and nu) for every device; called before faults are applied.
  virtual void program_cells(ProgrammedCells& p, Rng& rng) const = 0;
  // g_prog -> conductance at time t for every device (faults and IR drop come after).
  virtual void read_cells(const ProgrammedCells& p, double t_inference, Rng& rng, float* g) const = 0;

 private:
  std::string impl_;
  DeviceOptions opt_;
};

}  // namespace tessera::device

#define TESSERA_DEVICE(Impl, name, description) \
  TESSERA_REGISTER_FACTORY(::tessera::device::Device, name, description, ::tessera::device::Device::make<Impl>(s, name))
