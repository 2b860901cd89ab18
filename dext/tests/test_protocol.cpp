// The small portable pieces the glue leans on: the layout checks, the user-client structs, the port
// table (names, ids, adoption), and the coalescing doorbell (research/dext.md §9 tests 12, 13).
#include <cstddef>
#include <cstring>

#include "../core/event_doorbell.hpp"
#include "../core/port_table.hpp"
#include "check.hpp"
#include "kernel_sim.hpp"

using catbridge::dext::CreateResult;
using catbridge::dext::EventDoorbell;
using catbridge::dext::PortTable;
using catbridge::dext::SpiMirror;
using catbridge::dext::ValidPortSuffix;

TEST(layout_of_the_interface_and_the_protocol_structs) {
  CHECK_EQ(offsetof(SpiMirror, rxPI), 0u);
  CHECK_EQ(offsetof(SpiMirror, rxCI), 4u);
  CHECK_EQ(offsetof(SpiMirror, txPI), 128u);
  CHECK_EQ(offsetof(SpiMirror, txCI), 132u);
  CHECK_EQ(offsetof(SpiMirror, rxqoffset), 256u);
  CHECK_EQ(offsetof(SpiMirror, txqoffset), 260u);
  CHECK_EQ(offsetof(SpiMirror, rxqlogsz), 264u);
  CHECK_EQ(offsetof(SpiMirror, txqlogsz), 265u);
  CHECK_EQ(sizeof(SpiMirror), 384u);
  CHECK_EQ(sizeof(catbridge_uc_port_state), 72u);
  CHECK_EQ(offsetof(catbridge_uc_port_state, flowArg), 16u);
  CHECK_EQ(offsetof(catbridge_uc_port_state, txBytes), 56u);
  CHECK_EQ(sizeof(catbridge_uc_create_port), 36u);
  CHECK_EQ(sizeof(catbridge_uc_port_events) * CATBRIDGE_UC_MAX_PORTS, 128u);
  // Every event bit is distinct and inside CATBRIDGE_EV_ALL.
  const uint32_t bits[] = {CATBRIDGE_EV_TX_DATA, CATBRIDGE_EV_RX_SPACE, CATBRIDGE_EV_MCR, CATBRIDGE_EV_LINE,
                           CATBRIDGE_EV_FLOW, CATBRIDGE_EV_OPEN, CATBRIDGE_EV_CLOSE, CATBRIDGE_EV_BREAK,
                           CATBRIDGE_EV_FIFO_RESET_TX, CATBRIDGE_EV_FIFO_RESET_RX, CATBRIDGE_EV_CORRUPT};
  uint32_t all = 0;
  for (uint32_t b : bits) {
    CHECK_EQ(all & b, 0u);
    all |= b;
  }
  CHECK_EQ(all, CATBRIDGE_EV_ALL);
}

TEST(port_names_ids_and_adoption) {
  CHECK(ValidPortSuffix("ft8", 32));
  CHECK(ValidPortSuffix("IC-7300_main.2", 32));
  CHECK(!ValidPortSuffix("", 32));
  CHECK(!ValidPortSuffix("a/b", 32));
  CHECK(!ValidPortSuffix("a b", 32));
  CHECK(!ValidPortSuffix("ft8", 3));  // no NUL within the bytes given
  char longName[40];
  std::memset(longName, 'a', sizeof longName);
  longName[31] = '\0';
  CHECK(ValidPortSuffix(longName, 40));
  longName[31] = 'a';
  longName[32] = '\0';
  CHECK(!ValidPortSuffix(longName, 40));

  PortTable table;
  uint32_t ft8 = 0;
  uint32_t again = 0;
  CHECK(table.Create("ft8", 32, &ft8) == CreateResult::kCreated);
  CHECK(table.Create("ft8", 32, &again) == CreateResult::kAdopted);
  CHECK_EQ(again, ft8);
  CHECK(table.Find(ft8) != PortTable::kNone);
  CHECK(std::strcmp(table.Name(table.Find(ft8)), "ft8") == 0);
  CHECK(table.Destroy(ft8));
  CHECK(!table.Destroy(ft8));
  CHECK_EQ(table.Find(ft8), PortTable::kNone);
  uint32_t reused = 0;
  CHECK(table.Create("logger", 32, &reused) == CreateResult::kCreated);
  CHECK((reused & 0xffu) == (ft8 & 0xffu));  // same slot...
  CHECK(reused != ft8);                      // ...but a stale id never reaches it
  CHECK_EQ(table.Find(ft8), PortTable::kNone);
  CHECK(table.Create("bad name", 32, &again) == CreateResult::kBadName);
  for (uint32_t i = 1; i < PortTable::kSlots; i++) {
    char name[8];
    std::snprintf(name, sizeof name, "p%u", i);
    CHECK(table.Create(name, sizeof name, &again) == CreateResult::kCreated);
  }
  CHECK(table.Create("one-too-many", 32, &again) == CreateResult::kFull);
  CHECK(table.Create("logger", 32, &again) == CreateResult::kAdopted);
  CHECK_EQ(table.Find(0xffffffffu), PortTable::kNone);
  CHECK_EQ(table.Find(0x100u | 200u), PortTable::kNone);
}

TEST(doorbell_rings_once_until_fetched) {
  EventDoorbell bell;
  CHECK(!bell.Raised());  // nobody armed: nothing to send
  CHECK(!bell.Arm(false));
  int completions = 0;
  for (int i = 0; i < 100; i++) completions += bell.Raised() ? 1 : 0;
  CHECK_EQ(completions, 1);
  // FetchEvents clears "outstanding" first: an event raised during the fetch rings again, once.
  bell.Fetching();
  completions = 0;
  for (int i = 0; i < 10; i++) completions += bell.Raised() ? 1 : 0;
  CHECK_EQ(completions, 1);
  bell.Fetching();
  CHECK(!bell.outstanding());
  // Re-arming with events already pending rings at once.
  CHECK(bell.Arm(true));
  CHECK(!bell.Raised());
  bell.Disarm();
  CHECK(!bell.Raised());
  CHECK(!bell.armed());
}
