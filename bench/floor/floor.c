/*
 * The floor for latency benchmarks: the least any emulator can cost. Opens a pty, prints its slave path
 * on stdout, and answers Kenwood-style queries from a fixed table with a blocking poll()/read()/write()
 * loop: no event loop, no parsing beyond finding ';', no allocation.
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

int main(void) {
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
      if (len < sizeof cmd) cmd[len++] = buf[i];
      else overlong = 1;
      if (buf[i] != ';') continue;
      if (overlong) write_all(master, "?;", 2);
      else answer(master, cmd, len);
      len = 0;
      overlong = 0;
    }
  }
}
