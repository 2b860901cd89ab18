// KernelSim: the serial family's (kernel/tty) side of an IOUserSerial port, played on the same
// SerialPortInterface layout as the real one (research/dext.md §3, §9), driving PortCore exactly as the
// glue does. HostSim plays Node on the other side of the user client.
//
// The kernel side is the mirror image of the driver-side ring code Apple's own driver shows: it writes
// TX at txPI (free = (txCI - txPI - 1) & mask), release-stores txPI and calls TxDataAvailable; it reads RX
// from rxCI up to an acquire-loaded rxPI, release-stores rxCI and calls RxFreeSpaceAvailable (by policy).
//
// Every driver-side step is audited as the kernel would need it to be:
//   * guard bytes before and after the arena and both queue mappings are intact;
//   * the driver wrote no arena byte except rxPI and txCI, no TX queue byte, and RX queue bytes only
//     inside the span it then published (rxCI .. new rxPI);
//   * txCI never passes txPI; rxPI - rxCI never exceeds size - 1.
// A broken audit is a protocol violation: tests require there are none.
#ifndef CATBRIDGE_DEXT_TESTS_KERNEL_SIM_HPP
#define CATBRIDGE_DEXT_TESTS_KERNEL_SIM_HPP

#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "../core/port_core.hpp"

namespace sim {

using Spi = catbridge::dext::SpiMirror;
using Core = catbridge::dext::PortCore<Spi>;
using catbridge::dext::AttachStatus;
using catbridge::dext::LoadAcquire;
using catbridge::dext::StoreRelease;

constexpr size_t kGuardBytes = 64;

/** A heap buffer with known guard patterns on both sides; ASan sees the whole allocation as valid. */
class GuardedBuffer {
 public:
  void Reset(size_t len, uint8_t fill) {
    len_ = len;
    storage_.assign(len + 2 * kGuardBytes, fill);
    for (size_t i = 0; i < kGuardBytes; i++) {
      storage_[i] = Pattern(i);
      storage_[kGuardBytes + len + i] = Pattern(i + kGuardBytes);
    }
  }
  uint8_t* data() { return storage_.data() + kGuardBytes; }
  const uint8_t* data() const { return storage_.data() + kGuardBytes; }
  size_t size() const { return len_; }
  bool Intact() const {
    for (size_t i = 0; i < kGuardBytes; i++) {
      if (storage_[i] != Pattern(i) || storage_[kGuardBytes + len_ + i] != Pattern(i + kGuardBytes)) return false;
    }
    return true;
  }

 private:
  static uint8_t Pattern(size_t i) { return static_cast<uint8_t>(0xA5u ^ (i * 29u)); }
  std::vector<uint8_t> storage_;
  size_t len_ = 0;
};

/** What the tty puts in the arena at open, and how much memory backs each queue. */
struct Geometry {
  uint8_t rxLog = 4;
  uint8_t txLog = 4;
  uint32_t rxOff = 0;
  uint32_t txOff = 0;
  /** Initial index values (PI == CI); the family need not start at 0. */
  uint32_t rxStart = 0;
  uint32_t txStart = 0;
  /** Mapped bytes after each queue. */
  size_t slack = 0;
  /** Explicit mapping lengths (0: offset + size + slack), for the validation tests. */
  size_t rxMapLen = 0;
  size_t txMapLen = 0;
  size_t arenaLen = sizeof(Spi);
};

/** When the simulated tty tells the driver it drained RX. Node must cope with all three. */
enum class RxFreePolicy { kAlways, kWhenWasFull, kNever };

class KernelSim {
 public:
  explicit KernelSim(Core* core) : core_(core) {}

  RxFreePolicy rxFreePolicy = RxFreePolicy::kAlways;
  /** Compare whole queues after every driver step (off for the large-ring throughput cases). */
  bool deepAudit = true;

  // ---- the tty's life ----------------------------------------------------------------------------

  /** Tty open: allocResources, ConnectQueues, HwProgramMCR(1,1), HwActivate, HwResetFIFO(1,0). */
  AttachStatus Open(const Geometry& g) {
    geometry_ = g;
    arena_.Reset(g.arenaLen, 0x5c);
    const size_t rxSize = g.rxLog < 31 ? (size_t{1} << g.rxLog) : 0;
    const size_t txSize = g.txLog < 31 ? (size_t{1} << g.txLog) : 0;
    rxq_.Reset(g.rxMapLen != 0 ? g.rxMapLen : g.rxOff + rxSize + g.slack, 0xee);
    txq_.Reset(g.txMapLen != 0 ? g.txMapLen : g.txOff + txSize + g.slack, 0xdd);
    rxMask_ = static_cast<uint32_t>(rxSize - 1);
    txMask_ = static_cast<uint32_t>(txSize - 1);
    if (g.arenaLen >= sizeof(Spi)) {
      Spi* s = spi();
      s->rxPI = s->rxCI = g.rxStart;
      s->txPI = s->txCI = g.txStart;
      s->rxqoffset = g.rxOff;
      s->txqoffset = g.txOff;
      s->rxqlogsz = g.rxLog;
      s->txqlogsz = g.txLog;
    }
    TakeShadows();
    const AttachStatus status =
        core_->ConnectQueues(arena_.data(), arena_.size(), rxq_.data(), rxq_.size(), txq_.data(), txq_.size());
    AuditDriverStep("ConnectQueues");
    if (status != AttachStatus::kOk) return status;
    open_ = true;
    core_->ProgramMcr(true, true);
    core_->Activate();
    core_->ResetFifo(true, false);
    Deliver();
    AuditDriverStep("open sequence");
    return status;
  }

  /** Last close: HUPCL drops DTR/RTS, then HwDeactivate and DisconnectQueues. */
  void Close(bool hupcl = true) {
    if (hupcl) core_->ProgramMcr(false, false);
    core_->Deactivate();
    core_->DisconnectQueues();
    Deliver();
    AuditDriverStep("close sequence");
    open_ = false;
  }

  /** The app's write(): copies what fits at txPI, publishes it, tells the driver. */
  uint32_t AppWrite(const uint8_t* src, uint32_t len) {
    if (!open_) return 0;
    Spi* s = spi();
    const uint32_t pi = s->txPI;
    const uint32_t ci = LoadAcquire(&s->txCI);
    const uint32_t used = pi - ci;
    if (used > txMask_) {
      Violation("kernel sees TX fill " + std::to_string(used) + " in a ring of " + std::to_string(txMask_ + 1));
      return 0;
    }
    const uint32_t room = txMask_ - used;  // == (ci - pi - 1) & mask
    const uint32_t n = len < room ? len : room;
    if (n == 0) {
      writerBlocked_ = true;
      return 0;
    }
    uint8_t* q = txq_.data() + geometry_.txOff;
    for (uint32_t i = 0; i < n; i++) q[(pi + i) & txMask_] = src[i];
    StoreRelease(&s->txPI, pi + n);
    TakeShadows();
    if (n < len) writerBlocked_ = true;
    core_->TxDataAvailable();
    Deliver();
    AuditDriverStep("TxDataAvailable");
    return n;
  }

  /** The app's read(): copies from rxCI up to rxPI, releases the slots, maybe tells the driver. */
  uint32_t AppRead(uint8_t* dst, uint32_t max) {
    if (!open_) return 0;
    Spi* s = spi();
    const uint32_t ci = s->rxCI;
    const uint32_t pi = LoadAcquire(&s->rxPI);
    const uint32_t used = pi - ci;
    if (used > rxMask_) {
      Violation("kernel sees RX fill " + std::to_string(used) + " in a ring of " + std::to_string(rxMask_ + 1));
      return 0;
    }
    const uint32_t n = used < max ? used : max;
    const uint8_t* q = rxq_.data() + geometry_.rxOff;
    for (uint32_t i = 0; i < n; i++) dst[i] = q[(ci + i) & rxMask_];
    StoreRelease(&s->rxCI, ci + n);
    TakeShadows();
    const bool wasFull = used == rxMask_;
    if (n > 0 && (rxFreePolicy == RxFreePolicy::kAlways ||
                  (rxFreePolicy == RxFreePolicy::kWhenWasFull && wasFull))) {
      rxFreeCalls++;
      core_->RxFreeSpaceAvailable();
      Deliver();
      AuditDriverStep("RxFreeSpaceAvailable");
    }
    return n;
  }

  /** tcflush(TCIOFLUSH) and friends. */
  void ResetFifo(bool tx, bool rx) {
    core_->ResetFifo(tx, rx);
    Deliver();
    AuditDriverStep("HwResetFIFO");
  }

  // ---- the kernel scribbling on its own fields (corruption tests) -------------------------------

  void SetTxPI(uint32_t v) {
    spi()->txPI = v;
    TakeShadows();
  }
  void SetRxCI(uint32_t v) {
    spi()->rxCI = v;
    TakeShadows();
  }
  void SetLogSizes(uint8_t rx, uint8_t tx) {
    spi()->rxqlogsz = rx;
    spi()->txqlogsz = tx;
    TakeShadows();
  }

  // ---- the driver side, as the glue calls it (Node's user-client calls) --------------------------

  uint32_t NodeRead(uint8_t* dst, uint32_t max) {
    const uint32_t n = core_->Read(dst, max);
    Deliver();
    AuditDriverStep("Read");
    return n;
  }

  uint32_t NodeWrite(const uint8_t* src, uint32_t len) {
    const uint32_t n = core_->Write(src, len);
    Deliver();
    AuditDriverStep("Write");
    return n;
  }

  void NodeSetModemLines(uint32_t value, uint32_t mask) {
    core_->SetModemLines(value, mask);
    Deliver();
  }

  // ---- observations ------------------------------------------------------------------------------

  Spi* spi() { return reinterpret_cast<Spi*>(arena_.data()); }
  bool open() const { return open_; }
  uint32_t txUsedKernelView() { return spi()->txPI - LoadAcquire(&spi()->txCI); }
  uint32_t rxUsedKernelView() { return LoadAcquire(&spi()->rxPI) - spi()->rxCI; }
  const std::vector<std::string>& violations() const { return violations_; }
  /** The app's writer was blocked and TxFreeSpaceAvailable has not been called since. */
  bool writerBlocked() const { return writerBlocked_; }

  // Calls from the driver into the kernel, counted.
  uint64_t txFreeCalls = 0;
  uint64_t rxDataCalls = 0;
  uint64_t modemStatusCalls = 0;
  uint64_t rxFreeCalls = 0;
  catbridge::dext::ModemStatus lastModem;

 private:
  /** What the glue does after unlocking: the notifications the core asked for. */
  void Deliver() {
    const catbridge::dext::Obligations o = core_->TakeObligations();
    if (o.txFreeSpace) {
      txFreeCalls++;
      writerBlocked_ = false;
    }
    if (o.rxData) rxDataCalls++;
    if (o.modemStatus) {
      modemStatusCalls++;
      lastModem = o.lines;
    }
  }

  void TakeShadows() {
    arenaShadow_.assign(arena_.data(), arena_.data() + arena_.size());
    if (deepAudit) {
      rxShadow_.assign(rxq_.data(), rxq_.data() + rxq_.size());
      txShadow_.assign(txq_.data(), txq_.data() + txq_.size());
    }
  }

  void AuditDriverStep(const char* step) {
    const std::string at = std::string(" (after ") + step + ")";
    if (!arena_.Intact()) Violation("arena guard bytes overwritten" + at);
    if (!rxq_.Intact()) Violation("RX queue guard bytes overwritten" + at);
    if (!txq_.Intact()) Violation("TX queue guard bytes overwritten" + at);
    const uint8_t* a = arena_.data();
    for (size_t i = 0; i < arena_.size(); i++) {
      const bool driverOwned = i < 4 || (i >= 132 && i < 136);  // rxPI, txCI
      if (!driverOwned && a[i] != arenaShadow_[i]) {
        Violation("driver wrote arena byte " + std::to_string(i) + at);
        break;
      }
    }
    if (arena_.size() < sizeof(Spi)) return;
    const Spi* old = reinterpret_cast<const Spi*>(arenaShadow_.data());
    const Spi* now = spi();
    const uint32_t txDelta = now->txCI - old->txCI;
    if (txDelta > now->txPI - old->txCI) Violation("driver moved txCI past txPI" + at);
    // Only a step that moved rxPI answers for the RX fill (the kernel may have scribbled on rxCI).
    const bool rxMoved = now->rxPI != old->rxPI;
    const uint32_t rxUsed = now->rxPI - now->rxCI;
    if (rxMoved && rxUsed > rxMask_) Violation("driver published RX fill " + std::to_string(rxUsed) + at);
    if (deepAudit) {
      if (std::memcmp(txq_.data(), txShadow_.data(), txq_.size()) != 0) Violation("driver wrote the TX queue" + at);
      // RX bytes may change only inside the span now published to the kernel: rxCI .. rxPI.
      const uint8_t* q = rxq_.data();
      for (size_t i = 0; i < rxq_.size(); i++) {
        if (q[i] == rxShadow_[i]) continue;
        const size_t off = geometry_.rxOff;
        const bool inRing = i >= off && i - off <= rxMask_;
        const uint32_t rel = static_cast<uint32_t>(i - off - (now->rxCI & rxMask_)) & rxMask_;
        if (!rxMoved || !inRing || rxUsed > rxMask_ || rel >= rxUsed) {
          Violation("driver wrote RX queue byte " + std::to_string(i) + " outside the published span" + at);
          break;
        }
      }
    }
    TakeShadows();
  }

  void Violation(const std::string& what) {
    if (violations_.size() < 16) violations_.push_back(what);
  }

  Core* core_;
  Geometry geometry_;
  GuardedBuffer arena_;
  GuardedBuffer rxq_;
  GuardedBuffer txq_;
  std::vector<uint8_t> arenaShadow_;
  std::vector<uint8_t> rxShadow_;
  std::vector<uint8_t> txShadow_;
  uint32_t rxMask_ = 0;
  uint32_t txMask_ = 0;
  bool open_ = false;
  bool writerBlocked_ = false;
  std::vector<std::string> violations_;
};

/**
 * Node's side of the user client, as DextPort and the addon implement it: bytes it could not place wait
 * in a backlog until RX_SPACE (or the retry tick); TX_DATA is drained with Read until it returns 0.
 */
class HostSim {
 public:
  HostSim(KernelSim* sim, Core* core) : sim_(sim), core_(core) {}

  uint32_t readChunk = CATBRIDGE_UC_MAX_IO;
  uint32_t writeChunk = CATBRIDGE_UC_MAX_IO;
  std::vector<uint8_t> received;  // what the app wrote, in order
  std::deque<uint8_t> backlog;    // what Node still has to deliver
  uint64_t accepted = 0;
  uint32_t maxAccepted = 0;  // largest single Write acceptance

  void Send(const uint8_t* bytes, size_t len) {
    backlog.insert(backlog.end(), bytes, bytes + len);
    Flush();
  }

  /** The doorbell rang: fetch and act. */
  uint32_t OnDoorbell() {
    const uint32_t bits = core_->TakeEvents();
    if ((bits & CATBRIDGE_EV_FIFO_RESET_RX) != 0) backlog.clear();
    if ((bits & CATBRIDGE_EV_TX_DATA) != 0) Drain();
    if ((bits & CATBRIDGE_EV_RX_SPACE) != 0) Flush();
    return bits;
  }

  /** The retry timer: the kernel's RxFreeSpaceAvailable is a hint, not a promise. */
  void Tick() {
    OnDoorbell();
    Flush();
  }

  void Drain() {
    std::vector<uint8_t> buf(readChunk);
    for (;;) {
      const uint32_t n = sim_->NodeRead(buf.data(), readChunk);
      if (n == 0) break;
      received.insert(received.end(), buf.begin(), buf.begin() + n);
    }
  }

  void Flush() {
    std::vector<uint8_t> buf;
    while (!backlog.empty()) {
      const size_t len = backlog.size() < writeChunk ? backlog.size() : writeChunk;
      buf.assign(backlog.begin(), backlog.begin() + static_cast<std::ptrdiff_t>(len));
      const uint32_t n = sim_->NodeWrite(buf.data(), static_cast<uint32_t>(len));
      backlog.erase(backlog.begin(), backlog.begin() + n);
      accepted += n;
      if (n > maxAccepted) maxAccepted = n;
      if (n < len) break;
    }
  }

 private:
  KernelSim* sim_;
  Core* core_;
};

/** splitmix64: a small seeded generator whose sequence is the same on every platform. */
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /** Uniform in [0, n). */
  uint32_t Below(uint32_t n) { return n == 0 ? 0 : static_cast<uint32_t>(Next() % n); }
  bool Chance(uint32_t percent) { return Below(100) < percent; }

 private:
  uint64_t state_;
};

/** A byte stream whose every byte depends on its position: loss, duplication and reordering show. */
inline uint8_t StreamByte(uint64_t i, uint8_t salt) {
  return static_cast<uint8_t>((i * 131u + (i >> 8) * 7u + salt) & 0xffu);
}

}  // namespace sim

#endif  // CATBRIDGE_DEXT_TESTS_KERNEL_SIM_HPP
