// Countable hardware events and the components they are charged to. The
// analytical model and the simulator both produce EventCounts; one cost table
// turns counts into energy, so the two can only differ in what they count.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace tessera {

enum class Component : int {
  Crossbar,
  Dac,
  SampleHold,
  Adc,
  ShiftAdd,
  InputRegister,      // IMA input register
  ImaOutputRegister,  // IMA output register
  Buffer,             // tile buffer
  Bus,                // tile buffer -> IMA bus
  Reduce,             // partial-sum adders
  Activation,
  Pooling,
  OutputRegister,     // tile output register
  Router,
  Link,
  GlobalBuffer,
  Offchip,
  WeightReload,       // crossbar programming when weights are reloaded
  ApCompare,          // associative processor: compare passes
  ApWrite,            // associative processor: write passes
  RtmShift,           // racetrack shifts
  RtmAccess,          // racetrack port reads and writes
  ApArray,            // associative processor: CAM and racetracks (area and static power)
  Leakage,
  kCount
};
constexpr int kComponents = static_cast<int>(Component::kCount);
const char* to_string(Component c);

enum class Event : int {
  CrossbarRead,       // one read phase of one array (its rows block's parallel rows)
  CellRead,           // one cell read (row driven, column sensed) in a phase
  DacConversion,      // one row driven once
  Sample,             // one column sampled
  AdcConversion,      // one column converted
  ShiftAddOp,         // one slice/cycle merged
  InputRegisterRead,  // bits applied to DACs
  InputRegisterWrite, // bits loaded from the bus
  ImaOutputWrite,     // bits written by shift-and-add
  ImaOutputRead,      // bits read towards the tile
  BufferRead,         // bits
  BufferWrite,        // bits
  BusBit,             // bits moved over the tile bus
  ReduceOp,           // partial-sum additions
  ActivationOp,       // activations and residual adds
  PoolOp,             // pooling comparisons/additions
  OutputRegisterWrite,  // bits
  OutputRegisterRead,   // bits
  RouterFlit,         // one flit through one router
  LinkFlit,           // one flit over one link
  GlobalBufferRead,   // bits
  GlobalBufferWrite,  // bits
  OffchipByte,        // bytes
  CellWrite,          // cells programmed (weight reload)
  ApCompare,          // one compare pass over a CAM array
  ApWrite,            // one write pass over a CAM array
  RtmShift,           // one-position shift of one domain-block cluster
  RtmRead,            // one word read at a port
  RtmWrite,           // one word written at a port
  kCount
};
constexpr int kEvents = static_cast<int>(Event::kCount);
const char* to_string(Event e);
Component component_of(Event e);

struct EventCounts {
  std::array<double, kEvents> n{};
  double& operator[](Event e) { return n[static_cast<int>(e)]; }
  double operator[](Event e) const { return n[static_cast<int>(e)]; }
  EventCounts& operator+=(const EventCounts& o) {
    for (int i = 0; i < kEvents; ++i) n[i] += o.n[i];
    return *this;
  }
  EventCounts scaled(double f) const {
    EventCounts r = *this;
    for (double& x : r.n) x *= f;
    return r;
  }
};

using ComponentValues = std::array<double, kComponents>;

}  // namespace tessera
