// Stub SDK: SerialDriverKit's driverkit::serial::SerialPortInterface, written from Apple's documentation
// of its fields and the offsets research/dext.md §2.2 confirmed from two Apple binaries: 384 bytes on three
// 128-byte lines (RX indices, TX indices, queue geometry). dext/core/spi_layout.hpp asserts the same.
#pragma once
#include <stdint.h>

namespace driverkit {
namespace serial {

struct SerialPortInterface {
  uint32_t rxPI;
  uint32_t rxCI;
  uint8_t rxLinePad[120];
  uint32_t txPI;
  uint32_t txCI;
  uint8_t txLinePad[120];
  uint32_t rxqoffset;
  uint32_t txqoffset;
  uint8_t rxqlogsz;
  uint8_t txqlogsz;
  uint8_t configLinePad[118];
};

}  // namespace serial
}  // namespace driverkit
