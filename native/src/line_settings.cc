#include "line_settings.h"

namespace catbridge {
namespace {

struct Rate {
  speed_t code;
  uint32_t baud;
};

// On Linux speed_t holds B-codes, not numbers; on macOS/BSD the codes equal the rates and the table is
// an identity for them. Only the rates every platform defines are listed unconditionally.
constexpr Rate kRates[] = {
    {B50, 50},         {B75, 75},         {B110, 110},       {B134, 134},       {B150, 150},
    {B200, 200},       {B300, 300},       {B600, 600},       {B1200, 1200},     {B1800, 1800},
    {B2400, 2400},     {B4800, 4800},     {B9600, 9600},     {B19200, 19200},   {B38400, 38400},
#ifdef B57600
    {B57600, 57600},
#endif
#ifdef B115200
    {B115200, 115200},
#endif
#ifdef B230400
    {B230400, 230400},
#endif
#ifdef B460800
    {B460800, 460800},
#endif
#ifdef B500000
    {B500000, 500000},
#endif
#ifdef B576000
    {B576000, 576000},
#endif
#ifdef B921600
    {B921600, 921600},
#endif
#ifdef B1000000
    {B1000000, 1000000},
#endif
#ifdef B1152000
    {B1152000, 1152000},
#endif
#ifdef B1500000
    {B1500000, 1500000},
#endif
#ifdef B2000000
    {B2000000, 2000000},
#endif
#ifdef B2500000
    {B2500000, 2500000},
#endif
#ifdef B3000000
    {B3000000, 3000000},
#endif
#ifdef B3500000
    {B3500000, 3500000},
#endif
#ifdef B4000000
    {B4000000, 4000000},
#endif
};

uint32_t BaudOf(speed_t code) {
  for (const Rate& rate : kRates) {
    if (rate.code == code) return rate.baud;
  }
  return 0;
}

int DataBitsOf(tcflag_t cflag) {
  switch (cflag & CSIZE) {
    case CS5:
      return 5;
    case CS6:
      return 6;
    case CS7:
      return 7;
    default:
      return 8;
  }
}

}  // namespace

bool ReadLineSettings(int fd, LineSettings* out) {
  struct termios t;
  if (tcgetattr(fd, &t) != 0) return false;
  out->baud = BaudOf(cfgetospeed(&t));
  out->data_bits = DataBitsOf(t.c_cflag);
  out->parity = (t.c_cflag & PARENB) == 0 ? 'n' : (t.c_cflag & PARODD) != 0 ? 'o' : 'e';
  out->stop_bits = (t.c_cflag & CSTOPB) != 0 ? 2 : 1;
  return true;
}

bool MakeRaw(int fd, struct termios* applied) {
  struct termios t;
  if (tcgetattr(fd, &t) != 0) return false;
  cfmakeraw(&t);
  // cfmakeraw leaves these alone; a client expects a plain 8N1 line that receives and ignores DCD.
  t.c_cflag &= ~(CSTOPB | PARODD);
  t.c_cflag |= CREAD | CLOCAL;
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  if (tcsetattr(fd, TCSANOW, &t) != 0) return false;
  *applied = t;
  return true;
}

}  // namespace catbridge
