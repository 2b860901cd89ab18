// The binary layout of SerialDriverKit's SerialPortInterface, the 384-byte arena the serial family
// shares with an IOUserSerial driver (research/dext.md §2.2): three 128-byte cache lines holding the
// RX index pair, the TX index pair and the queue geometry.
//
// The ring core is a template over the struct type. On macOS it is instantiated with Apple's
// driverkit::serial::SerialPortInterface; host builds use SpiMirror below. SpiLayoutCheck<Spi> is
// instantiated by the core for whichever type it is given, so an Apple layout change (or a mirror that
// drifts) fails the build instead of corrupting a ring.
//
// Portable: only <stddef.h> and <stdint.h>; no C++ library, no exceptions, no RTTI (DriverKit).
#ifndef CATBRIDGE_DEXT_SPI_LAYOUT_HPP
#define CATBRIDGE_DEXT_SPI_LAYOUT_HPP

#include <stddef.h>
#include <stdint.h>

namespace catbridge {
namespace dext {

/** Byte offsets of every field (research/dext.md §2.2, confirmed from two Apple binaries). */
struct SpiOffsets {
  static constexpr size_t kRxPI = 0;
  static constexpr size_t kRxCI = 4;
  static constexpr size_t kTxPI = 128;
  static constexpr size_t kTxCI = 132;
  static constexpr size_t kRxQOffset = 256;
  static constexpr size_t kTxQOffset = 260;
  static constexpr size_t kRxQLogSz = 264;
  static constexpr size_t kTxQLogSz = 265;
  static constexpr size_t kSize = 384;
};

/**
 * A host-side mirror of driverkit::serial::SerialPortInterface with the same field names, types and
 * offsets. Ownership: the driver writes only rxPI and txCI; the kernel/tty writes rxCI and txPI and the
 * geometry. Indices are free-running u32 counters, never offsets (research/dext.md §2.3).
 */
struct SpiMirror {
  mutable uint32_t rxPI;
  mutable uint32_t rxCI;
  uint32_t padRx[30];
  mutable uint32_t txPI;
  mutable uint32_t txCI;
  uint32_t padTx[30];
  uint32_t rxqoffset;
  uint32_t txqoffset;
  uint8_t rxqlogsz;
  uint8_t txqlogsz;
  uint8_t padConfig[118];
};

/** Instantiated by the core for its Spi type: every field offset and the size, checked at compile time. */
template <class Spi>
struct SpiLayoutCheck {
  static_assert(offsetof(Spi, rxPI) == SpiOffsets::kRxPI, "SerialPortInterface.rxPI moved");
  static_assert(offsetof(Spi, rxCI) == SpiOffsets::kRxCI, "SerialPortInterface.rxCI moved");
  static_assert(offsetof(Spi, txPI) == SpiOffsets::kTxPI, "SerialPortInterface.txPI moved");
  static_assert(offsetof(Spi, txCI) == SpiOffsets::kTxCI, "SerialPortInterface.txCI moved");
  static_assert(offsetof(Spi, rxqoffset) == SpiOffsets::kRxQOffset, "SerialPortInterface.rxqoffset moved");
  static_assert(offsetof(Spi, txqoffset) == SpiOffsets::kTxQOffset, "SerialPortInterface.txqoffset moved");
  static_assert(offsetof(Spi, rxqlogsz) == SpiOffsets::kRxQLogSz, "SerialPortInterface.rxqlogsz moved");
  static_assert(offsetof(Spi, txqlogsz) == SpiOffsets::kTxQLogSz, "SerialPortInterface.txqlogsz moved");
  static_assert(sizeof(Spi) == SpiOffsets::kSize, "SerialPortInterface is no longer 384 bytes");
  static_assert(sizeof(Spi::rxPI) == 4 && sizeof(Spi::rxCI) == 4, "RX indices are not 32-bit");
  static_assert(sizeof(Spi::txPI) == 4 && sizeof(Spi::txCI) == 4, "TX indices are not 32-bit");
  static_assert(sizeof(Spi::rxqoffset) == 4 && sizeof(Spi::txqoffset) == 4, "queue offsets are not 32-bit");
  static_assert(sizeof(Spi::rxqlogsz) == 1 && sizeof(Spi::txqlogsz) == 1, "queue log sizes are not 8-bit");
  static constexpr bool kOk = true;
};

template struct SpiLayoutCheck<SpiMirror>;

}  // namespace dext
}  // namespace catbridge

#endif  // CATBRIDGE_DEXT_SPI_LAYOUT_HPP
