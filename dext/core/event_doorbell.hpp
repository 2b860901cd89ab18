// EventDoorbell: the coalescing "something happened" notification from the dext to Node
// (dext/PROTOCOL.md "Doorbell"). Level-triggered: while a completion is outstanding, further events
// only accumulate in the ports' pending bits, so the Mach notification queue can never overflow and
// Node never misses an event:
//
//   ArmEvents      → Arm(anyPending)  : stores the client's action; rings at once if events wait
//   an event       → Raised()         : rings iff armed and no completion is outstanding
//   FetchEvents    → Fetching()       : clears "outstanding" *before* the bits are snapshotted, so an
//                                       event raised during or after the fetch rings again
//   client stops   → Disarm()
//
// A true return means: send exactly one AsyncCompletion now (after unlocking).
//
// Portable: no includes, no exceptions.
#ifndef CATBRIDGE_DEXT_EVENT_DOORBELL_HPP
#define CATBRIDGE_DEXT_EVENT_DOORBELL_HPP

namespace catbridge {
namespace dext {

class EventDoorbell {
 public:
  bool Arm(bool anyPending) {
    armed_ = true;
    outstanding_ = false;
    return Consider(anyPending);
  }

  void Disarm() {
    armed_ = false;
    outstanding_ = false;
  }

  bool Raised() { return Consider(true); }

  void Fetching() { outstanding_ = false; }

  bool armed() const { return armed_; }
  bool outstanding() const { return outstanding_; }

 private:
  bool Consider(bool pending) {
    if (!armed_ || outstanding_ || !pending) return false;
    outstanding_ = true;
    return true;
  }

  bool armed_ = false;
  bool outstanding_ = false;
};

}  // namespace dext
}  // namespace catbridge

#endif  // CATBRIDGE_DEXT_EVENT_DOORBELL_HPP
