/*
 * The floor for latency benchmarks: the least any emulator can cost. Opens a pty, prints its slave path
 * on stdout, and answers Kenwood-style queries and IC-7300 CI-V frames (echo off) from fixed tables
 * with a blocking poll()/read()/write() loop: no event loop, no parsing beyond finding the terminator
 * (';', or FD for a frame that starts with FE), no allocation. With the argument `legacy` it is a
 * Yaesu 5-byte radio instead: every 5 bytes get the reply length the opcode has (03: 5 bytes, E7/F7:
 * 1, BB/BD: 2, a set: the 00 ACK).
 *
 *   cc -O2 -o floor floor.c && ./floor      prints e.g. /dev/pts/7, then serves until killed
 */
#ifdef __linux__
#define _GNU_SOURCE /* posix_openpt and cfmakeraw, whatever -std the compiler defaults to */
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const struct {
  const char *query;
  const char *reply;
} TABLE[] = {
    {"FA;", "FA00014074000;"},
    {"IF;", "IF00014074000     +000000000020000000;"},
    {"ID;", "ID019;"},
    /* What Hamlib's TS-2000 open and rigctl's power check read, so rigctl can run against the floor. */
    {"PS;", "PS1;"},
    {"AI;", "AI0;"},
    {"FB;", "FB00014076000;"},
    {"MD;", "MD2;"},
    /* The other ;-dialects' cached reads: Elecraft K4 sub receiver, Flex/PowerSDR ZZ. */
    {"MD$;", "MD$2;"},
    {"ZZFA;", "ZZFA00014074000;"},
    {"ZZMD;", "ZZMD01;"},
};

/* CI-V: the body after the addresses (command, sub-command) and the IC-7300's reply to Hamlib (E0),
   enough for rigctl -m 3073 to open and read the frequency. Anything else gets NG. */
static const struct {
  const char *body;
  size_t body_len;
  const char *reply;
  size_t reply_len;
} CIV[] = {
#define CIV_ENTRY(body, reply) {body, sizeof body - 1, reply, sizeof reply - 1}
    CIV_ENTRY("\x03", "\xFE\xFE\xE0\x94\x03\x00\x40\x07\x14\x00\xFD"),
    CIV_ENTRY("\x25\x00", "\xFE\xFE\xE0\x94\x25\x00\x00\x40\x07\x14\x00\xFD"),
    CIV_ENTRY("\x25\x01", "\xFE\xFE\xE0\x94\x25\x01\x00\x60\x07\x14\x00\xFD"),
    CIV_ENTRY("\x07\x00", "\xFE\xFE\xE0\x94\xFB\xFD"),
    CIV_ENTRY("\x0F", "\xFE\xFE\xE0\x94\x0F\x00\xFD"),
    CIV_ENTRY("\x26\x00", "\xFE\xFE\xE0\x94\x26\x00\x01\x00\x01\xFD"),
    CIV_ENTRY("\x1A\x03", "\xFE\xFE\xE0\x94\x1A\x03\x28\xFD"),
    CIV_ENTRY("\x18", "\xFE\xFE\xE0\x94\x18\x01\xFD"),
#undef CIV_ENTRY
};

static int die(const char *what) {
  perror(what);
  return 1;
}

static void write_all(int fd, const char *p, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; /* the client has gone: its reply goes with it */
    p += n;
    len -= (size_t)n;
  }
}

static void answer(int fd, const char *cmd, size_t len) {
  for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++) {
    if (strlen(TABLE[i].query) == len && memcmp(TABLE[i].query, cmd, len) == 0) {
      write_all(fd, TABLE[i].reply, strlen(TABLE[i].reply));
      return;
    }
  }
  write_all(fd, "?;", 2);
}

/* frame: FE FE <to> <from> <body…> FD */
static void answer_civ(int fd, const char *frame, size_t len) {
  if (len >= 6) {
    const char *body = frame + 4;
    size_t body_len = len - 5;
    for (size_t i = 0; i < sizeof CIV / sizeof CIV[0]; i++) {
      if (CIV[i].body_len == body_len && memcmp(CIV[i].body, body, body_len) == 0) {
        write_all(fd, CIV[i].reply, CIV[i].reply_len);
        return;
      }
    }
  }
  write_all(fd, "\xFE\xFE\xE0\x94\xFA\xFD", 6);
}

static void answer_legacy(int fd, unsigned char op) {
  static const char FREQ_MODE[5] = {0x01, 0x40, 0x74, 0x00, 0x01}; /* 14.074 MHz USB */
  switch (op) {
  case 0x03: write_all(fd, FREQ_MODE, 5); break;
  case 0xE7:
  case 0xF7: write_all(fd, "\xFF", 1); break;
  case 0xBB:
  case 0xBD: write_all(fd, "\x00\x00", 2); break;
  default: write_all(fd, "\x00", 1); break;
  }
}

int main(int argc, char **argv) {
  int legacy = argc > 1 && strcmp(argv[1], "legacy") == 0;
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) return die("posix_openpt");
  if (grantpt(master) != 0 || unlockpt(master) != 0) return die("grantpt/unlockpt");
  const char *name = ptsname(master);
  if (name == NULL) return die("ptsname");
  /* Held for the responder's life: a master whose slave nobody holds reads EIO and polls POLLHUP, which
     would spin this loop between clients. A client closing and reopening the slave then changes nothing. */
  int slave = open(name, O_RDWR | O_NOCTTY);
  if (slave < 0) return die(name);
  struct termios t;
  if (tcgetattr(slave, &t) != 0) return die("tcgetattr");
  cfmakeraw(&t);
  if (tcsetattr(slave, TCSANOW, &t) != 0) return die("tcsetattr");
  printf("%s\n", name);
  fflush(stdout);

  char cmd[64]; /* longer than any query in the table: an overlong command can only get "?;" */
  size_t len = 0;
  int overlong = 0;
  char buf[4096];
  struct pollfd p = {master, POLLIN, 0};
  for (;;) {
    if (poll(&p, 1, -1) < 0) {
      if (errno == EINTR) continue;
      return die("poll");
    }
    ssize_t n = read(master, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return die("read");
    }
    for (ssize_t i = 0; i < n; i++) {
      if (legacy) {
        cmd[len++] = buf[i];
        if (len == 5) {
          answer_legacy(master, (unsigned char)cmd[4]);
          len = 0;
        }
        continue;
      }
      if (len < sizeof cmd) cmd[len++] = buf[i];
      else overlong = 1;
      int civ = cmd[0] == (char)0xFE;
      if (buf[i] != (civ ? (char)0xFD : ';')) continue;
      if (civ) answer_civ(master, cmd, overlong ? 0 : len);
      else if (overlong) write_all(master, "?;", 2);
      else answer(master, cmd, len);
      len = 0;
      overlong = 0;
    }
  }
}
