#include "arch/ap/compiler/program.hpp"

namespace tessera::ap::compiler {

const char* to_string(Op op) {
  switch (op) {
    case Op::Load: return "load";
    case Op::Clear: return "clear";
    case Op::Copy: return "copy";
    case Op::Add: return "add";
    case Op::Sub: return "sub";
    case Op::Store: return "store";
  }
  return "?";
}

}  // namespace tessera::ap::compiler
