#include "arch/ap/dbc.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace tessera::ap {

int Dbc::choose_port(int domain) const {
  if (domain < 0 || domain >= p_.domains)
    throw std::out_of_range("Dbc: domain " + std::to_string(domain) + " outside 0.." +
                            std::to_string(p_.domains - 1));
  if (p_.choice == PortChoice::Static) return domain / p_.segment();
  int best = 0;
  for (int k = 1; k < p_.ports; ++k)
    if (std::abs(port_position(k) - domain) < std::abs(port_position(best) - domain)) best = k;
  return best;  // ties: the lower port
}

int64_t Dbc::distance(int domain) const {
  int64_t d = std::abs(port_position(choose_port(domain)) - domain);
  return p_.update == PortUpdate::Eager ? 2 * d : d;
}

int64_t Dbc::align(int domain) {
  int64_t s = distance(domain);
  if (p_.update == PortUpdate::Lazy) offset_ = domain - p_.home(choose_port(domain));
  counts_.shifts += s;
  return s;
}

int64_t Dbc::read(int domain) {
  int64_t s = align(domain);
  ++counts_.reads;
  return s;
}

int64_t Dbc::write(int domain) {
  int64_t s = align(domain);
  ++counts_.writes;
  return s;
}

}  // namespace tessera::ap
