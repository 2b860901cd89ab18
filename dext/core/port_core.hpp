// PortCore<Spi>: everything one catbridge serial port decides, with no DriverKit in it. The glue
// (dext/driverkit/CatbridgeSerialPort.cpp) forwards each IOUserSerial callback and each user-client call
// here under the port's lock, then performs the notifications the core asks for after unlocking
// (research/dext.md §4.1: never call the kernel while holding the lock).
//
//   kernel → driver: ConnectQueues / DisconnectQueues / TxDataAvailable / RxFreeSpaceAvailable /
//                    HwActivate / HwDeactivate / HwProgram* / HwResetFIFO / HwSendBreak / HwGetModemStatus
//   Node → driver:   Read (TX ring → Node), Write (Node → RX ring), SetModemLines, host presence
//   driver → kernel: TxFreeSpaceAvailable, RxDataAvailable, SetModemStatus — requested through Take*()
//   driver → Node:   event bits (CATBRIDGE_EV_*), taken by FetchEvents
//
// Portable: <stddef.h>/<stdint.h> only; no exceptions, no RTTI, no heap.
#ifndef CATBRIDGE_DEXT_PORT_CORE_HPP
#define CATBRIDGE_DEXT_PORT_CORE_HPP

#include <stddef.h>
#include <stdint.h>

#include "serial_ring.hpp"
#include "uc_protocol.h"

namespace catbridge {
namespace dext {

/** The modem input lines as SetModemStatus / HwGetModemStatus carry them. */
struct ModemStatus {
  bool cts = false;
  bool dsr = false;
  bool ri = false;
  bool dcd = false;
};

/** What the glue must do after unlocking, taken in one go (research/dext.md §4.1). */
struct Obligations {
  bool txFreeSpace = false;  // call TxFreeSpaceAvailable()
  bool rxData = false;       // call RxDataAvailable()
  bool modemStatus = false;  // call SetModemStatus(lines)
  bool events = false;       // events are pending: let the doorbell consider ringing
  ModemStatus lines;
};

template <class Spi>
class PortCore {
 public:
  // ---- kernel → driver ----------------------------------------------------------------------------

  /**
   * After super::ConnectQueues has returned the arena and the queues, mapped by the glue. On failure the
   * glue refuses the open; nothing in the arena or the queues has been written.
   */
  AttachStatus ConnectQueues(void* arena, size_t arenaLen, uint8_t* rxBase, size_t rxLen, uint8_t* txBase,
                             size_t txLen) {
    rxBlocked_ = false;
    const AttachStatus s = ring_.Attach(arena, arenaLen, rxBase, rxLen, txBase, txLen);
    return s;
  }

  /** Last close: the mappings are about to go. Node's pending writes wait for the next connection. */
  void DisconnectQueues() {
    ring_.Detach();
    rxBlocked_ = false;
  }

  /** The app wrote into the TX ring: Node should Read. */
  void TxDataAvailable() { Raise(CATBRIDGE_EV_TX_DATA); }

  /** The app drained RX. Node hears of it only if a Write was short (research/dext.md §5.3). */
  void RxFreeSpaceAvailable() {
    if (!rxBlocked_) return;
    rxBlocked_ = false;
    Raise(CATBRIDGE_EV_RX_SPACE);
  }

  /** HwActivate, after super: the tty is open. The app must learn the current modem lines. */
  void Activate() {
    active_ = true;
    openCount_++;
    needModemStatus_ = true;
    Raise(CATBRIDGE_EV_OPEN);
  }

  /** HwDeactivate: the tty is closing. */
  void Deactivate() {
    active_ = false;
    Raise(CATBRIDGE_EV_CLOSE);
  }

  /** HwProgramMCR: DTR/RTS, set at open, by TIOCMSET/TIOCMBIS, and dropped by HUPCL at close. */
  void ProgramMcr(bool dtr, bool rts) {
    const uint8_t mcr = static_cast<uint8_t>((dtr ? CATBRIDGE_MCR_DTR : 0u) | (rts ? CATBRIDGE_MCR_RTS : 0u));
    if (mcr == mcr_) return;
    mcr_ = mcr;
    Raise(CATBRIDGE_EV_MCR);
  }

  void ProgramUart(uint32_t baud, uint8_t dataBits, uint8_t halfStopBits, uint8_t parity) {
    baud_ = baud;
    dataBits_ = dataBits;
    halfStopBits_ = halfStopBits;
    parity_ = parity;
    Raise(CATBRIDGE_EV_LINE);
  }

  void ProgramBaudRate(uint32_t baud) {
    baud_ = baud;
    Raise(CATBRIDGE_EV_LINE);
  }

  void ProgramFlowControl(uint32_t arg, uint8_t xon, uint8_t xoff) {
    flowArg_ = arg;
    xon_ = xon;
    xoff_ = xoff;
    Raise(CATBRIDGE_EV_FLOW);
  }

  void ProgramLatencyTimer(uint32_t latencyUs) { latencyUs_ = latencyUs; }

  /**
   * HwResetFIFO. TX: discard = consume everything up to txPI (never touch txPI) and let a blocked
   * writer go on. RX: the driver cannot withdraw published bytes (rxCI is the kernel's), so Node is told
   * to drop its own backlog.
   *
   * TxFreeSpaceAvailable only if bytes were discarded (or an index resynchronised): the kernel calls
   * HwResetFIFO(1,0) on every open while it holds its serial lock, and a notification back into the
   * family from there may wait for that lock (issue 16, defect 4). With nothing discarded no writer can
   * be waiting for room, so nothing is lost by not calling.
   */
  void ResetFifo(bool tx, bool rx) {
    if (tx) {
      RingOutcome o;
      const uint32_t discarded = ring_.TxDiscard(&o);
      NoteCorrupt(o);
      if (discarded > 0 || o.corrupt) needTxFreeSpace_ = true;
      Raise(CATBRIDGE_EV_FIFO_RESET_TX);
    }
    if (rx) Raise(CATBRIDGE_EV_FIFO_RESET_RX);
  }

  void SendBreak(bool on) {
    breakOn_ = on;
    Raise(CATBRIDGE_EV_BREAK);
  }

  /** HwGetModemStatus: each pointer may be null. */
  void GetModemStatus(bool* cts, bool* dsr, bool* ri, bool* dcd) const {
    const ModemStatus m = Modem();
    if (cts != nullptr) *cts = m.cts;
    if (dsr != nullptr) *dsr = m.dsr;
    if (ri != nullptr) *ri = m.ri;
    if (dcd != nullptr) *dcd = m.dcd;
  }

  // ---- Node → driver ------------------------------------------------------------------------------

  /** Node reads what the app wrote (TX ring). Asks for TxFreeSpaceAvailable whenever bytes were consumed. */
  uint32_t Read(uint8_t* dst, uint32_t max) {
    RingOutcome o;
    const uint32_t n = ring_.TxRead(dst, max, &o);
    NoteCorrupt(o);
    // Apple's 16X50 driver notifies only after a full ring; notifying after every consuming read is
    // also correct and cannot leave a writer blocked whatever the kernel's wake-up threshold is
    // (research/dext.md §5.2 note). At CAT rates it costs nothing.
    if (n > 0 || o.corrupt) needTxFreeSpace_ = true;
    txBytes_ += n;
    return n;
  }

  /**
   * Node writes what the app should read (RX ring). Returns the bytes accepted; fewer than `len` is
   * back-pressure: Node keeps the rest and writes it after CATBRIDGE_EV_RX_SPACE (or its retry timer).
   */
  uint32_t Write(const uint8_t* src, uint32_t len) {
    if (!ring_.attached()) return 0;
    RingOutcome o;
    const uint32_t n = ring_.RxWrite(src, len, &o);
    NoteCorrupt(o);
    if (n > 0) needRxData_ = true;
    if (n < len) {
      rxBlocked_ = true;
      rxBlockedCount_++;
    }
    rxBytes_ += n;
    return n;
  }

  /** Node sets the lines the app sees (CATBRIDGE_MODEM_* in `value`, only the bits in `mask` change). */
  void SetModemLines(uint32_t value, uint32_t mask) {
    const uint8_t next = static_cast<uint8_t>((modemLines_ & ~mask) | (value & mask)) & CATBRIDGE_MODEM_ALL;
    if (next == modemLines_) return;
    modemLines_ = next;
    if (hostPresent_) needModemStatus_ = true;
  }

  /**
   * A Node client owns the port (CreatePort) or has gone (its user client stopped). Without a host the
   * app sees every input line low, like a radio that is switched off (research/dext.md §7.2).
   */
  void SetHostPresent(bool present) {
    if (present == hostPresent_) return;
    hostPresent_ = present;
    needModemStatus_ = true;
  }

  // ---- notifications and events -------------------------------------------------------------------

  /** True once per request: call TxFreeSpaceAvailable() now (after unlocking). */
  bool TakeTxFreeSpaceNeeded() { return Take(&needTxFreeSpace_); }
  /** True once per request: call RxDataAvailable() now (after unlocking). */
  bool TakeRxDataNeeded() { return Take(&needRxData_); }
  /** True once per request: call SetModemStatus(Modem()) now (after unlocking). */
  bool TakeModemStatusNeeded() { return Take(&needModemStatus_); }

  Obligations TakeObligations() {
    Obligations o;
    o.txFreeSpace = TakeTxFreeSpaceNeeded();
    o.rxData = TakeRxDataNeeded();
    o.modemStatus = TakeModemStatusNeeded();
    o.events = events_ != 0;
    o.lines = Modem();
    return o;
  }

  uint32_t pendingEvents() const { return events_; }

  /** FetchEvents: the bits raised since the last fetch, cleared. */
  uint32_t TakeEvents() {
    const uint32_t bits = events_;
    events_ = 0;
    return bits;
  }

  /** The lines as the app sees them: Node's choice while a host owns the port, all low otherwise. */
  ModemStatus Modem() const {
    ModemStatus m;
    const uint8_t lines = hostPresent_ ? modemLines_ : 0;
    m.cts = (lines & CATBRIDGE_MODEM_CTS) != 0;
    m.dsr = (lines & CATBRIDGE_MODEM_DSR) != 0;
    m.ri = (lines & CATBRIDGE_MODEM_RI) != 0;
    m.dcd = (lines & CATBRIDGE_MODEM_DCD) != 0;
    return m;
  }

  bool dtr() const { return (mcr_ & CATBRIDGE_MCR_DTR) != 0; }
  bool rts() const { return (mcr_ & CATBRIDGE_MCR_RTS) != 0; }
  bool active() const { return active_; }
  bool connected() const { return ring_.attached(); }
  uint32_t corruptCount() const { return corruptCount_; }

  void Snapshot(catbridge_uc_port_state* s) const {
    __builtin_memset(s, 0, sizeof(*s));
    s->flags = (ring_.attached() ? CATBRIDGE_STATE_CONNECTED : 0u) | (active_ ? CATBRIDGE_STATE_ACTIVE : 0u) |
               (hostPresent_ ? CATBRIDGE_STATE_HOST : 0u);
    s->baud = baud_;
    s->dataBits = dataBits_;
    s->halfStopBits = halfStopBits_;
    s->parity = parity_;
    s->mcr = mcr_;
    const ModemStatus m = Modem();
    s->modem = static_cast<uint8_t>((m.cts ? CATBRIDGE_MODEM_CTS : 0u) | (m.dsr ? CATBRIDGE_MODEM_DSR : 0u) |
                                    (m.ri ? CATBRIDGE_MODEM_RI : 0u) | (m.dcd ? CATBRIDGE_MODEM_DCD : 0u));
    s->breakOn = breakOn_ ? 1 : 0;
    s->xon = xon_;
    s->xoff = xoff_;
    s->flowArg = flowArg_;
    s->latencyUs = latencyUs_;
    s->txUsed = ring_.TxUsed();
    s->rxFree = ring_.RxFree();
    s->txSize = ring_.tx().size;
    s->rxSize = ring_.rx().size;
    s->openCount = openCount_;
    s->corruptCount = corruptCount_;
    s->rxBlockedCount = rxBlockedCount_;
    s->txBytes = txBytes_;
    s->rxBytes = rxBytes_;
  }

  const SerialRing<Spi>& ring() const { return ring_; }

 private:
  void Raise(uint32_t bits) { events_ |= bits; }

  void NoteCorrupt(const RingOutcome& o) {
    if (!o.corrupt) return;
    corruptCount_++;
    Raise(CATBRIDGE_EV_CORRUPT);
  }

  static bool Take(bool* flag) {
    const bool was = *flag;
    *flag = false;
    return was;
  }

  SerialRing<Spi> ring_;
  uint32_t events_ = 0;
  bool needTxFreeSpace_ = false;
  bool needRxData_ = false;
  bool needModemStatus_ = false;
  bool rxBlocked_ = false;
  bool active_ = false;
  bool hostPresent_ = false;
  bool breakOn_ = false;
  uint8_t mcr_ = 0;
  uint8_t modemLines_ = CATBRIDGE_MODEM_CTS | CATBRIDGE_MODEM_DSR | CATBRIDGE_MODEM_DCD;
  uint8_t dataBits_ = 8;
  uint8_t halfStopBits_ = 2;
  uint8_t parity_ = CATBRIDGE_PARITY_NONE;
  uint8_t xon_ = 0x11;
  uint8_t xoff_ = 0x13;
  uint32_t baud_ = 9600;
  uint32_t flowArg_ = 0;
  uint32_t latencyUs_ = 0;
  uint32_t openCount_ = 0;
  uint32_t corruptCount_ = 0;
  uint32_t rxBlockedCount_ = 0;
  uint64_t txBytes_ = 0;
  uint64_t rxBytes_ = 0;
};

}  // namespace dext
}  // namespace catbridge

#endif  // CATBRIDGE_DEXT_PORT_CORE_HPP
