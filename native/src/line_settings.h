// Termios helpers: the raw mode a fresh port starts in, and the client's settings in serial terms.
#pragma once

#include <termios.h>

#include <cstdint>

namespace catbridge {

struct LineSettings {
  uint32_t baud;  // 0 when the speed is not one of the standard rates
  int data_bits;  // 5..8
  char parity;    // 'n', 'o' or 'e'
  int stop_bits;  // 1 or 2
};

// Reads the termios of the pty behind `fd` (master or slave: on Linux the master's termios calls act on
// the slave, so both show what the client set). Returns false with errno set on failure.
bool ReadLineSettings(int fd, LineSettings* out);

// Puts the line in raw mode (no echo, no line editing, no CR/LF translation, 8 data bits, no parity,
// receiver on, modem lines ignored) and returns the resulting termios, so it can be restored later.
bool MakeRaw(int fd, struct termios* applied);

}  // namespace catbridge
