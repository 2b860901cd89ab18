// SerialRing<Spi>: the driver's side of the two rings an IOUserSerial port shares with the serial family
// (research/dext.md §2.3, §5.2, §5.3).
//
// * Indices are free-running u32 counters. A byte position is (index & mask) + qoffset; the fill level is
//   PI - CI in wrapping 32-bit arithmetic and is never masked; one slot stays empty, so the usable
//   capacity is size - 1.
// * The driver writes only rxPI (it produces received bytes) and txCI (it consumes bytes to transmit),
//   always with a release store after the bytes are copied; it reads the kernel's txPI / rxCI with an
//   acquire load before touching the bytes they cover.
// * The geometry (qoffset, qlogsz) is read from the arena once, at attach, validated against the mapped
//   lengths and kept: a later scribble on the arena cannot move a copy out of bounds. Every copy is split
//   at the end of the ring and bounded by the validated size, whatever the indices say.
// * An impossible fill level (PI - CI > size - 1) is corruption: the driver resynchronises through the
//   index it owns and reports it; it never copies under a corrupt index.
//
// Not thread-safe against other driver-side callers (the glue serialises them with a lock); safe against
// the kernel, which owns the other index of each pair.
//
// Portable: <stddef.h> and <stdint.h> only, compiler builtins for atomics and copies, no exceptions.
//
// CATBRIDGE_RING_WRONG selects a deliberately broken variant for the host tests, to prove they catch the
// bugs found in public examples (research/dext.md §0.10): 1 stores masked indices (SwifterKit; the same
// arithmetic as treating indices as offsets that wrap at the ring size), 2 uses the whole ring (size, not
// size - 1), so a full ring looks empty. Never define it in a real build.
#ifndef CATBRIDGE_DEXT_SERIAL_RING_HPP
#define CATBRIDGE_DEXT_SERIAL_RING_HPP

#include <stddef.h>
#include <stdint.h>

#include "spi_layout.hpp"

#ifndef CATBRIDGE_RING_WRONG
#define CATBRIDGE_RING_WRONG 0
#endif

namespace catbridge {
namespace dext {

inline uint32_t LoadAcquire(const uint32_t* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
inline uint32_t LoadRelaxed(const uint32_t* p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
inline void StoreRelease(uint32_t* p, uint32_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

/** Why attach refused a connection; the glue refuses the tty open with it. */
enum class AttachStatus : uint8_t {
  kOk = 0,
  kNoArena,
  kArenaTooSmall,
  kArenaMisaligned,
  kNoRxQueue,
  kNoTxQueue,
  kRxLogSize,
  kTxLogSize,
  kRxBounds,
  kTxBounds,
};

inline const char* AttachStatusName(AttachStatus s) {
  switch (s) {
    case AttachStatus::kOk: return "ok";
    case AttachStatus::kNoArena: return "no interface arena";
    case AttachStatus::kArenaTooSmall: return "interface arena shorter than 384 bytes";
    case AttachStatus::kArenaMisaligned: return "interface arena not 4-byte aligned";
    case AttachStatus::kNoRxQueue: return "no RX queue mapping";
    case AttachStatus::kNoTxQueue: return "no TX queue mapping";
    case AttachStatus::kRxLogSize: return "rxqlogsz out of range";
    case AttachStatus::kTxLogSize: return "txqlogsz out of range";
    case AttachStatus::kRxBounds: return "rxqoffset + RX size beyond the RX mapping";
    case AttachStatus::kTxBounds: return "txqoffset + TX size beyond the TX mapping";
  }
  return "unknown";
}

/** One validated queue: where its bytes are and how big it is. */
struct QueueView {
  uint8_t* data = nullptr;
  uint32_t size = 0;
  uint32_t mask = 0;
};

/** What one ring operation observed, for notifications and counters. */
struct RingOutcome {
  /** The fill level was impossible; the driver's index was resynchronised. */
  bool corrupt = false;
  /** The ring held size - 1 bytes before the operation (TX: the kernel's writer may be blocked). */
  bool wasFull = false;
};

template <class Spi>
class SerialRing {
  static_assert(SpiLayoutCheck<Spi>::kOk, "layout");

 public:
  /** 2 bytes (one usable) up to 16 MiB; the family's own queues are 16 KiB (logsz 14). */
  static constexpr uint8_t kLogSizeMin = 1;
  static constexpr uint8_t kLogSizeMax = 24;

  /**
   * Validates the geometry the kernel put in the arena against the mapped lengths and keeps it. Writes
   * nothing: the kernel initialised the indices (to any value, not necessarily 0) before calling.
   */
  AttachStatus Attach(void* arena, size_t arenaLen, uint8_t* rxBase, size_t rxLen, uint8_t* txBase,
                      size_t txLen) {
    Detach();
    if (arena == nullptr) return AttachStatus::kNoArena;
    if (arenaLen < sizeof(Spi)) return AttachStatus::kArenaTooSmall;
    if (reinterpret_cast<uintptr_t>(arena) % alignof(uint32_t) != 0) return AttachStatus::kArenaMisaligned;
    if (rxBase == nullptr || rxLen == 0) return AttachStatus::kNoRxQueue;
    if (txBase == nullptr || txLen == 0) return AttachStatus::kNoTxQueue;
    Spi* spi = static_cast<Spi*>(arena);
    QueueView rx;
    QueueView tx;
    AttachStatus s = View(spi->rxqlogsz, spi->rxqoffset, rxBase, rxLen, AttachStatus::kRxLogSize,
                          AttachStatus::kRxBounds, &rx);
    if (s != AttachStatus::kOk) return s;
    s = View(spi->txqlogsz, spi->txqoffset, txBase, txLen, AttachStatus::kTxLogSize, AttachStatus::kTxBounds,
             &tx);
    if (s != AttachStatus::kOk) return s;
    spi_ = spi;
    rx_ = rx;
    tx_ = tx;
    return AttachStatus::kOk;
  }

  void Detach() {
    spi_ = nullptr;
    rx_ = QueueView();
    tx_ = QueueView();
  }

  bool attached() const { return spi_ != nullptr; }
  const QueueView& rx() const { return rx_; }
  const QueueView& tx() const { return tx_; }

  /** The usable capacity of a queue of this size. */
  static uint32_t Capacity(const QueueView& q) {
#if CATBRIDGE_RING_WRONG == 2
    return q.size;
#else
    return q.size - 1;
#endif
  }

  /** Bytes the kernel has queued for transmission (0 when detached or corrupt). */
  uint32_t TxUsed() const {
    if (!attached()) return 0;
    const uint32_t used = LoadAcquire(&spi_->txPI) - LoadRelaxed(&spi_->txCI);
    return used > Capacity(tx_) ? 0 : used;
  }

  /** Bytes the driver may still produce into the RX ring (0 when detached or corrupt). */
  uint32_t RxFree() const {
    if (!attached()) return 0;
    const uint32_t used = LoadRelaxed(&spi_->rxPI) - LoadAcquire(&spi_->rxCI);
    return used > Capacity(rx_) ? 0 : Capacity(rx_) - used;
  }

  /**
   * TX consume: copies up to `max` queued bytes to `dst` and publishes txCI past them. A corrupt fill
   * level is resynchronised by consuming everything up to txPI (those bytes cannot be trusted).
   */
  uint32_t TxRead(uint8_t* dst, uint32_t max, RingOutcome* out) {
    if (!attached()) return 0;
    const uint32_t pi = LoadAcquire(&spi_->txPI);  // the kernel's bytes up to pi are now visible
    const uint32_t ci = LoadRelaxed(&spi_->txCI);
    const uint32_t used = pi - ci;
    if (used > Capacity(tx_)) {
      out->corrupt = true;
      StoreRelease(&spi_->txCI, pi);
      return 0;
    }
    out->wasFull = used == Capacity(tx_);
    const uint32_t n = used < max ? used : max;
    if (n == 0) return 0;
    CopyOut(tx_, ci & tx_.mask, dst, n);
    StoreRelease(&spi_->txCI, Advance(ci, n, tx_));  // our reads happen-before the kernel reuses the slots
    return n;
  }

  /** TX discard (HwResetFIFO(tx)): consumes everything queued; returns the bytes dropped. */
  uint32_t TxDiscard(RingOutcome* out) {
    if (!attached()) return 0;
    const uint32_t pi = LoadAcquire(&spi_->txPI);
    const uint32_t ci = LoadRelaxed(&spi_->txCI);
    const uint32_t used = pi - ci;
    if (used > Capacity(tx_)) {
      out->corrupt = true;
      StoreRelease(&spi_->txCI, pi);
      return 0;
    }
    out->wasFull = used == Capacity(tx_);
    if (used != 0) StoreRelease(&spi_->txCI, Advance(ci, used, tx_));
    return used;
  }

  /**
   * RX produce: copies as many of `len` bytes as fit and publishes rxPI past them; returns the count
   * accepted (less than len is back-pressure). A corrupt fill level is resynchronised by withdrawing the
   * unread bytes (rxPI := rxCI, the only index the driver may move), then the write proceeds.
   */
  uint32_t RxWrite(const uint8_t* src, uint32_t len, RingOutcome* out) {
    if (!attached()) return 0;
    const uint32_t ci = LoadAcquire(&spi_->rxCI);  // the kernel has finished reading below ci
    uint32_t pi = LoadRelaxed(&spi_->rxPI);
    uint32_t used = pi - ci;
    if (used > Capacity(rx_)) {
      out->corrupt = true;
      pi = ci;
      used = 0;
      StoreRelease(&spi_->rxPI, pi);
    }
    out->wasFull = used == Capacity(rx_);
    const uint32_t room = Capacity(rx_) - used;
    const uint32_t n = len < room ? len : room;
    if (n == 0) return 0;
    CopyIn(rx_, pi & rx_.mask, src, n);
    StoreRelease(&spi_->rxPI, Advance(pi, n, rx_));  // publish after the bytes
    return n;
  }

 private:
  static AttachStatus View(uint8_t logsz, uint32_t offset, uint8_t* base, size_t len, AttachStatus badLog,
                           AttachStatus badBounds, QueueView* out) {
    if (logsz < kLogSizeMin || logsz > kLogSizeMax) return badLog;
    const uint32_t size = uint32_t{1} << logsz;
    // offset + size could overflow; compare without adding.
    if (offset > len || size > len - offset) return badBounds;
    out->data = base + offset;
    out->size = size;
    out->mask = size - 1;
    return AttachStatus::kOk;
  }

  static uint32_t Advance(uint32_t index, uint32_t n, const QueueView& q) {
#if CATBRIDGE_RING_WRONG == 1
    return (index + n) & q.mask;
#else
    (void)q;
    return index + n;
#endif
  }

  // pos < size and n <= size - 1 (or size): both segments stay inside the validated queue.
  static void CopyOut(const QueueView& q, uint32_t pos, uint8_t* dst, uint32_t n) {
    const uint32_t first = n < q.size - pos ? n : q.size - pos;
    __builtin_memcpy(dst, q.data + pos, first);
    if (n > first) __builtin_memcpy(dst + first, q.data, n - first);
  }

  static void CopyIn(const QueueView& q, uint32_t pos, const uint8_t* src, uint32_t n) {
    const uint32_t first = n < q.size - pos ? n : q.size - pos;
    __builtin_memcpy(q.data + pos, src, first);
    if (n > first) __builtin_memcpy(q.data, src + first, n - first);
  }

  Spi* spi_ = nullptr;
  QueueView rx_;
  QueueView tx_;
};

}  // namespace dext
}  // namespace catbridge

#endif  // CATBRIDGE_DEXT_SERIAL_RING_HPP
