// Compiled (not run) with -nostdinc++ -fno-exceptions -fno-rtti -Werror and strict conversions: proof
// that the core needs no C++ library, no exceptions and no RTTI, as DriverKit requires
// (research/dext.md §6 rules, §11.18). Every template is instantiated so that all of it is checked.
#include "../core/event_doorbell.hpp"
#include "../core/port_core.hpp"
#include "../core/port_table.hpp"
#include "../core/serial_ring.hpp"
#include "../core/spi_layout.hpp"
#include "../core/uc_protocol.h"

namespace catbridge {
namespace dext {

template class SerialRing<SpiMirror>;
template class PortCore<SpiMirror>;

uint32_t FreestandingSmoke(PortCore<SpiMirror>* core, PortTable* table, EventDoorbell* bell, uint8_t* buf) {
  uint32_t id = 0;
  table->Create("ft8", 4, &id);
  const uint32_t n = core->Read(buf, 16) + core->Write(buf, 16);
  catbridge_uc_port_state state;
  core->Snapshot(&state);
  return n + (bell->Raised() ? 1u : 0u) + state.txUsed + id;
}

}  // namespace dext
}  // namespace catbridge
