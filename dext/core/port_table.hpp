// PortTable: which catbridge ports exist, by name and by id, for the root driver
// (dext/driverkit/CatbridgeDriver.cpp). Fixed size, no heap.
//
// Ids carry a generation in their upper bits, so an id kept by a client after its port was destroyed
// never reaches a port created later in the same slot. CreatePort with a name that exists adopts the
// port (Node restarting finds its ports again, research/dext.md §7.2).
//
// Portable: <stddef.h>/<stdint.h> only; no exceptions.
#ifndef CATBRIDGE_DEXT_PORT_TABLE_HPP
#define CATBRIDGE_DEXT_PORT_TABLE_HPP

#include <stddef.h>
#include <stdint.h>

#include "uc_protocol.h"

namespace catbridge {
namespace dext {

/** A tty suffix: 1..31 of [A-Za-z0-9._-], NUL-terminated within `bytes`. */
inline bool ValidPortSuffix(const char* s, size_t bytes) {
  if (s == nullptr || bytes == 0) return false;
  size_t n = 0;
  while (n < bytes && s[n] != '\0') {
    const char c = s[n];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
    n++;
  }
  return n > 0 && n < bytes && n < CATBRIDGE_UC_SUFFIX_BYTES;
}

enum class CreateResult : uint8_t { kCreated, kAdopted, kBadName, kFull };

class PortTable {
 public:
  static constexpr uint32_t kSlots = CATBRIDGE_UC_MAX_PORTS;
  static constexpr uint32_t kNone = 0xffffffffu;

  /** Finds or reserves a slot for `suffix` (validated); *id is set for kCreated and kAdopted. */
  CreateResult Create(const char* suffix, size_t bytes, uint32_t* id) {
    if (!ValidPortSuffix(suffix, bytes)) return CreateResult::kBadName;
    uint32_t free = kNone;
    for (uint32_t i = 0; i < kSlots; i++) {
      if (!slots_[i].used) {
        if (free == kNone) free = i;
        continue;
      }
      if (SameName(slots_[i].name, suffix)) {
        *id = IdOf(i);
        return CreateResult::kAdopted;
      }
    }
    if (free == kNone) return CreateResult::kFull;
    Slot& slot = slots_[free];
    slot.used = true;
    slot.generation = (slot.generation + 1) & 0xffffffu;
    size_t n = 0;
    while (suffix[n] != '\0') {
      slot.name[n] = suffix[n];
      n++;
    }
    slot.name[n] = '\0';
    *id = IdOf(free);
    return CreateResult::kCreated;
  }

  /** The slot of a live id, or kNone. */
  uint32_t Find(uint32_t id) const {
    const uint32_t index = id & 0xffu;
    if (index >= kSlots || !slots_[index].used) return kNone;
    return IdOf(index) == id ? index : kNone;
  }

  bool Destroy(uint32_t id) {
    const uint32_t index = Find(id);
    if (index == kNone) return false;
    slots_[index].used = false;
    slots_[index].name[0] = '\0';
    return true;
  }

  const char* Name(uint32_t index) const { return index < kSlots ? slots_[index].name : ""; }
  bool Used(uint32_t index) const { return index < kSlots && slots_[index].used; }
  uint32_t IdOf(uint32_t index) const { return (slots_[index].generation << 8) | index; }

 private:
  struct Slot {
    bool used = false;
    uint32_t generation = 0;
    char name[CATBRIDGE_UC_SUFFIX_BYTES] = {};
  };

  static bool SameName(const char* a, const char* b) {
    size_t i = 0;
    for (; i < CATBRIDGE_UC_SUFFIX_BYTES && a[i] != '\0' && a[i] == b[i]; i++) {
    }
    return i < CATBRIDGE_UC_SUFFIX_BYTES && a[i] == b[i];
  }

  Slot slots_[kSlots];
};

}  // namespace dext
}  // namespace catbridge

#endif  // CATBRIDGE_DEXT_PORT_TABLE_HPP
