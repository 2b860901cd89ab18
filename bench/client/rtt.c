/*
 * Raw CAT round-trip client for the benchmarks (no Hamlib): opens a serial device, sends one command
 * N times, each time waiting for a reply that ends in the command's own last byte (';' for Kenwood,
 * FD for CI-V), and prints the round-trip percentiles in microseconds as one JSON line.
 *
 *   rtt DEVICE COMMAND COUNT [REPLY_BYTES]
 *     e.g. rtt ~/.catbridge/ts2000 'FA;' 2000
 *          rtt ~/.catbridge/ic7300 hex:FEFE94E02500FD 2000
 *          rtt ~/.catbridge/ft817 hex:0000000003 2000 5      (fixed-length replies: Yaesu 5-byte CAT)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Reads until the reply's terminator (or `fixed` bytes, when fixed > 0) or a 1 s silence; returns
   the bytes read or -1. */
static int read_reply(int fd, char *buf, int cap, char end, int fixed) {
  int len = 0;
  while (len < cap) {
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, 1000);
    if (r <= 0) return -1;
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return -1;
    }
    len += (int)n;
    if (fixed > 0 ? len >= fixed : (len > 0 && buf[len - 1] == end)) return len;
  }
  return -1;
}

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    fprintf(stderr, "usage: rtt DEVICE COMMAND COUNT [REPLY_BYTES]\n");
    return 2;
  }
  char cmd[128];
  size_t cmd_len = 0;
  if (strncmp(argv[2], "hex:", 4) == 0) {
    for (const char *h = argv[2] + 4; h[0] && h[1] && cmd_len < sizeof cmd; h += 2) {
      unsigned int byte;
      if (sscanf(h, "%2x", &byte) != 1) return 2;
      cmd[cmd_len++] = (char)byte;
    }
  } else {
    cmd_len = strlen(argv[2]) < sizeof cmd ? strlen(argv[2]) : sizeof cmd;
    memcpy(cmd, argv[2], cmd_len);
  }
  if (cmd_len == 0) return 2;
  char end = cmd[cmd_len - 1];
  int count = atoi(argv[3]);
  int fixed = argc == 5 ? atoi(argv[4]) : 0;
  int fd = open(argv[1], O_RDWR | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    perror(argv[1]);
    return 1;
  }
  struct termios t;
  if (tcgetattr(fd, &t) == 0) {
    cfmakeraw(&t);
    cfsetspeed(&t, B57600);
    tcsetattr(fd, TCSANOW, &t);
  }
  double *samples = calloc(count, sizeof(double));
  char buf[256];
  int failures = 0;
  /* Warm-up: the first replies may wait for the gateway's cache refresh on open. */
  for (int i = 0; i < 20; i++) {
    if (write(fd, cmd, cmd_len) < 0) return 1;
    read_reply(fd, buf, sizeof buf, end, fixed);
  }
  for (int i = 0; i < count; i++) {
    double t0 = now_us();
    if (write(fd, cmd, cmd_len) < 0) return 1;
    if (read_reply(fd, buf, sizeof buf, end, fixed) < 0) failures++;
    samples[i] = now_us() - t0;
  }
  qsort(samples, count, sizeof(double), cmp_double);
  double sum = 0;
  for (int i = 0; i < count; i++) sum += samples[i];
  printf("{\"count\":%d,\"failures\":%d,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,\"mean_us\":%.1f}\n",
         count, failures, samples[count / 2], samples[(int)(count * 0.9)], samples[(int)(count * 0.99)],
         samples[count - 1], sum / count);
  close(fd);
  return failures ? 1 : 0;
}
