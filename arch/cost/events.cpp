#include "arch/cost/events.hpp"

namespace tessera {

const char* to_string(Component c) {
  static const char* names[] = {"crossbar", "dac", "sample_hold", "adc", "shift_add",
                                "input_register", "ima_output_register", "buffer", "bus", "reduce",
                                "activation", "pooling", "output_register", "router", "link",
                                "global_buffer", "offchip", "weight_reload", "ap_compare", "ap_write",
                                "rtm_shift", "rtm_access", "ap_array", "leakage"};
  static_assert(sizeof(names) / sizeof(names[0]) == kComponents, "component names");
  return names[static_cast<int>(c)];
}

const char* to_string(Event e) {
  static const char* names[] = {"crossbar_read", "cell_read", "dac_conversion", "sample", "adc_conversion",
                                "shift_add_op", "input_register_read_bit", "input_register_write_bit",
                                "ima_output_write_bit", "ima_output_read_bit", "buffer_read_bit",
                                "buffer_write_bit", "bus_bit", "reduce_op", "activation_op", "pool_op",
                                "output_register_write_bit", "output_register_read_bit", "router_flit",
                                "link_flit", "global_buffer_read_bit", "global_buffer_write_bit",
                                "offchip_byte", "cell_write", "ap_compare", "ap_write", "rtm_shift",
                                "rtm_read", "rtm_write"};
  static_assert(sizeof(names) / sizeof(names[0]) == kEvents, "event names");
  return names[static_cast<int>(e)];
}

Component component_of(Event e) {
  switch (e) {
    case Event::CrossbarRead:
    case Event::CellRead: return Component::Crossbar;
    case Event::DacConversion: return Component::Dac;
    case Event::Sample: return Component::SampleHold;
    case Event::AdcConversion: return Component::Adc;
    case Event::ShiftAddOp: return Component::ShiftAdd;
    case Event::InputRegisterRead:
    case Event::InputRegisterWrite: return Component::InputRegister;
    case Event::ImaOutputWrite:
    case Event::ImaOutputRead: return Component::ImaOutputRegister;
    case Event::BufferRead:
    case Event::BufferWrite: return Component::Buffer;
    case Event::BusBit: return Component::Bus;
    case Event::ReduceOp: return Component::Reduce;
    case Event::ActivationOp: return Component::Activation;
    case Event::PoolOp: return Component::Pooling;
    case Event::OutputRegisterWrite:
    case Event::OutputRegisterRead: return Component::OutputRegister;
    case Event::RouterFlit: return Component::Router;
    case Event::LinkFlit: return Component::Link;
    case Event::GlobalBufferRead:
    case Event::GlobalBufferWrite: return Component::GlobalBuffer;
    case Event::OffchipByte: return Component::Offchip;
    case Event::CellWrite: return Component::WeightReload;
    case Event::ApCompare: return Component::ApCompare;
    case Event::ApWrite: return Component::ApWrite;
    case Event::RtmShift: return Component::RtmShift;
    case Event::RtmRead:
    case Event::RtmWrite: return Component::RtmAccess;
    case Event::kCount: break;
  }
  return Component::Leakage;
}

}  // namespace tessera
