// One pseudo-terminal standing in for a serial port: the client opens the slave (/dev/pts/N) as its
// serial device, the gateway owns the master and moves bytes on the Node.js event loop (libuv), with no
// threads: a read is one syscall away from the JS callback, the shortest path a reply can take.
//
// How the client's comings and goings are known:
// - Truth is the kernel's own hangup: when no process holds the slave open, the master reads EIO (EOF on
//   macOS) and polls POLLHUP. That is exact however the client leaves (close, exit, SIGKILL) and however
//   many descriptors it had, so a departure, which releases the transmitter's PTT, is never missed.
//   The gateway never holds the slave open itself: that would hide the client's close.
// - The hangup is level-triggered, so a hung-up master is not polled (it would spin the loop) until a
//   client returns.
// - A return is seen, on Linux, through an inotify watch on the slave node (IN_OPEN, at once); elsewhere,
//   or when inotify is unavailable, by a probe read of the master every kProbeMs.
// - A close and reopen faster than the loop can see the hangup leaves none to see; inotify still shows a
//   close followed by an open, reported as a departure and an arrival.
#pragma once

#include <termios.h>
#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "line_settings.h"
#include "open_watch.h"

namespace catbridge {

enum class ClientWatch { kInotify, kProbe };

struct PtyStats {
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  uint64_t dropped_overflow = 0;   // written while the client was not reading, beyond kQueueCap
  uint64_t dropped_no_client = 0;  // written with no client, or queued for a client that then left
};

class PtyCore {
 public:
  class Sink {
   public:
    virtual ~Sink() = default;
    // `read_at_ms`: uv_hrtime() in ms when read() returned (same clock as process.hrtime()).
    virtual void OnData(const uint8_t* bytes, size_t len, double read_at_ms) = 0;
    virtual void OnClient(bool open) = 0;
  };

  // Bytes held for a client that is not reading; a real serial port would lose them too, and the event
  // loop must neither block nor grow without bound.
  static constexpr size_t kQueueCap = 64 * 1024;
  static constexpr uint64_t kProbeMs = 25;

  explicit PtyCore(uv_loop_t* loop) : loop_(loop), buf_(64 * 1024) {}
  PtyCore(const PtyCore&) = delete;
  PtyCore& operator=(const PtyCore&) = delete;
  ~PtyCore() { Close(); }

  // Opens the pair in raw mode. `use_inotify` false forces the probe (the portable path, kept testable).
  bool Open(bool use_inotify, std::string* error);
  // Begins I/O; callbacks go to `sink` from the event loop only, never from inside a call into this class.
  bool Start(Sink* sink, std::string* error);
  // Never blocks: writes what the pty takes now, queues up to kQueueCap, drops the rest. Returns the
  // number of bytes written or queued.
  size_t Write(const uint8_t* bytes, size_t len);
  bool ReadLine(LineSettings* out) const;
  // Stops everything; no Sink callback runs afterwards. libuv frees the handles on a later loop turn
  // and `released(arg)` runs then (at once if there are none), so an embedder can keep the handles'
  // close callbacks, code in this library, loaded until it has run. Later calls only call `released`.
  void Close(void (*released)(void*) = nullptr, void* arg = nullptr);

  bool client_open() const { return attached_; }
  size_t queued() const { return queue_.size() - queue_head_; }
  const PtyStats& stats() const { return stats_; }
  const std::string& path() const { return path_; }
  ClientWatch client_watch() const { return watch_kind_; }

 private:
  static void OnMasterPoll(uv_poll_t* handle, int status, int events);
  static void OnWatchPoll(uv_poll_t* handle, int status, int events);
  static void OnProbeTimer(uv_timer_t* timer);

  bool ReadMaster(bool until_empty);
  bool MasterHungUp() const;
  void Deliver(size_t len, double read_at_ms);
  void Attach();
  void Detach();
  void Reconnect();
  void HandleWatchEvents();
  void Probe();
  void FlushQueue();
  void DropQueue();
  void UpdateMasterPoll();

  uv_loop_t* loop_;
  Sink* sink_ = nullptr;
  int master_ = -1;
  std::string path_;
  struct termios baseline_ {};
  OpenWatch watch_;
  ClientWatch watch_kind_ = ClientWatch::kProbe;
  uv_poll_t* master_poll_ = nullptr;
  uv_poll_t* watch_poll_ = nullptr;
  uv_timer_t* probe_timer_ = nullptr;
  int polled_events_ = 0;
  bool closed_ = false;
  bool attached_ = false;
  bool maybe_left_ = false;  // inotify saw a close while attached, but the slave is still held
  std::vector<uint8_t> buf_;
  std::vector<uint8_t> queue_;
  size_t queue_head_ = 0;
  std::vector<OpenWatch::Event> events_;
  PtyStats stats_;
};

}  // namespace catbridge
