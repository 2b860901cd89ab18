#include "pty_core.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>

namespace catbridge {
namespace {

// Bounds one wake-up, so a client flooding the port cannot starve the rest of the event loop.
constexpr int kMaxReadsPerWake = 16;

double NowMs() { return static_cast<double>(uv_hrtime()) / 1e6; }

bool SysFail(std::string* error, const std::string& what) {
  *error = what + ": " + strerror(errno);
  return false;
}

bool WouldBlock() { return errno == EAGAIN || errno == EWOULDBLOCK; }

// Counts the handles libuv has yet to release after Close(), then tells whoever asked.
struct Release {
  int pending;
  void (*done)(void*);
  void* arg;
};

void Finish(Release* release) {
  if (release->done != nullptr) release->done(release->arg);
  delete release;
}

// The handle structs outlive this object until libuv's close callback, so they are heap-allocated and
// handed over to a Release; libuv runs no poll or timer callback after uv_close.
template <typename Handle>
void CloseHandle(Handle*& handle, Release* release) {
  if (handle == nullptr) return;
  ++release->pending;
  handle->data = release;
  uv_close(reinterpret_cast<uv_handle_t*>(handle), [](uv_handle_t* h) {
    auto* owner = static_cast<Release*>(h->data);
    delete reinterpret_cast<Handle*>(h);
    if (--owner->pending == 0) Finish(owner);
  });
  handle = nullptr;
}

}  // namespace

bool PtyCore::Open(bool use_inotify, std::string* error) {
  // posix_openpt rejects O_CLOEXEC on some systems, so descriptor flags are set afterwards. Child
  // processes (backends) must not inherit the master: they would keep the pty alive after close.
  master_ = posix_openpt(O_RDWR | O_NOCTTY);
  if (master_ < 0) return SysFail(error, "posix_openpt");
  if (fcntl(master_, F_SETFD, FD_CLOEXEC) != 0) return SysFail(error, "fcntl(FD_CLOEXEC)");
  const int flags = fcntl(master_, F_GETFL);
  if (flags < 0 || fcntl(master_, F_SETFL, flags | O_NONBLOCK) != 0) return SysFail(error, "fcntl(O_NONBLOCK)");
  if (grantpt(master_) != 0) return SysFail(error, "grantpt");
  if (unlockpt(master_) != 0) return SysFail(error, "unlockpt");
  char name[256];
#ifdef __linux__
  if (ptsname_r(master_, name, sizeof name) != 0) return SysFail(error, "ptsname_r");
#else
  const char* slave_name = ptsname(master_);
  if (slave_name == nullptr) return SysFail(error, "ptsname");
  snprintf(name, sizeof name, "%s", slave_name);
#endif
  path_ = name;

  // Open the slave once, to set raw mode through it. Its close also leaves the master in the hung-up
  // state that means "no client": on Linux a master whose slave was never opened reads EAGAIN, as if a
  // client were there.
  const int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) return SysFail(error, std::string("open ") + name);
  const bool raw = MakeRaw(slave, &baseline_);
  const int raw_errno = errno;
  close(slave);
  if (!raw) {
    errno = raw_errno;
    return SysFail(error, std::string("raw mode on ") + name);
  }

  // The watch starts after our own open and close, so they are not taken for a client's. Without it
  // (another OS, or the user's inotify instances exhausted) the probe timer does the same job.
  watch_kind_ = ClientWatch::kProbe;
  std::string unused;
  if (use_inotify && watch_.Start(path_, &unused)) watch_kind_ = ClientWatch::kInotify;
  return true;
}

bool PtyCore::Start(Sink* sink, std::string* error) {
  if (closed_ || master_ < 0) {
    *error = "the pty is closed";
    return false;
  }
  sink_ = sink;
  master_poll_ = new uv_poll_t;
  int rc = uv_poll_init(loop_, master_poll_, master_);
  if (rc != 0) {
    delete master_poll_;
    master_poll_ = nullptr;
    *error = std::string("uv_poll_init: ") + uv_strerror(rc);
    return false;
  }
  master_poll_->data = this;
  probe_timer_ = new uv_timer_t;
  uv_timer_init(loop_, probe_timer_);
  probe_timer_->data = this;
  if (watch_kind_ == ClientWatch::kInotify) {
    watch_poll_ = new uv_poll_t;
    rc = uv_poll_init(loop_, watch_poll_, watch_.fd());
    if (rc != 0) {
      delete watch_poll_;
      watch_poll_ = nullptr;
      *error = std::string("uv_poll_init: ") + uv_strerror(rc);
      return false;
    }
    watch_poll_->data = this;
    uv_poll_start(watch_poll_, UV_READABLE, OnWatchPoll);
  }
  // A first probe on the next loop turn catches a client that opened /dev/pts/N before the watch
  // existed; it repeats only when it is the only way to see a client arrive.
  const uint64_t repeat = watch_kind_ == ClientWatch::kProbe ? kProbeMs : 0;
  uv_timer_start(probe_timer_, OnProbeTimer, 0, repeat);
  return true;
}

size_t PtyCore::Write(const uint8_t* bytes, size_t len) {
  if (closed_ || len == 0) return 0;
  if (!attached_) {
    stats_.dropped_no_client += len;
    return 0;
  }
  size_t done = 0;
  if (queued() == 0) {  // nothing queued ahead of these bytes: straight to the pty, order kept
    while (done < len) {
      const ssize_t n = write(master_, bytes + done, len - done);
      if (n > 0) {
        done += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && WouldBlock()) {
        break;
      } else {  // EIO: the client has just gone; the read side reports the departure
        stats_.bytes_out += done;
        stats_.dropped_no_client += len - done;
        return done;
      }
    }
    stats_.bytes_out += done;
    if (done == len) return len;
  }
  if (queue_head_ > 0) {  // keep the queue's storage bounded by kQueueCap
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(queue_head_));
    queue_head_ = 0;
  }
  const size_t take = std::min(kQueueCap - queue_.size(), len - done);
  queue_.insert(queue_.end(), bytes + done, bytes + done + take);
  stats_.dropped_overflow += len - done - take;
  UpdateMasterPoll();
  return done + take;
}

bool PtyCore::ReadLine(LineSettings* out) const {
  if (master_ < 0) {
    errno = EBADF;
    return false;
  }
  return ReadLineSettings(master_, out);
}

void PtyCore::Close(void (*released)(void*), void* arg) {
  if (closed_) {
    if (released != nullptr) released(arg);
    return;
  }
  closed_ = true;
  sink_ = nullptr;
  auto* release = new Release{1, released, arg};  // the 1 keeps it alive until every handle is queued
  CloseHandle(master_poll_, release);
  CloseHandle(watch_poll_, release);
  CloseHandle(probe_timer_, release);
  if (--release->pending == 0) Finish(release);
  watch_.Stop();
  if (master_ >= 0) close(master_);  // the client now reads EOF/EIO, as from an unplugged adapter
  master_ = -1;
  attached_ = false;
  std::vector<uint8_t>().swap(queue_);
  queue_head_ = 0;
}

void PtyCore::OnMasterPoll(uv_poll_t* handle, int status, int events) {
  auto* self = static_cast<PtyCore*>(handle->data);
  if (status < 0) {
    // libuv has already stopped the handle (POLLERR): treat it as a hangup, so nothing can spin.
    self->polled_events_ = 0;
    if (self->attached_) self->Detach();
    return;
  }
  if ((events & UV_WRITABLE) != 0) self->FlushQueue();
  if (self->closed_ || !self->attached_) return;
  if ((events & UV_READABLE) != 0) {
    // A client that reopened the port quickly wrote after its open, so its open is already queued on
    // the watch: report the change of client before its bytes, or they would count as the last one's.
    if (self->watch_kind_ == ClientWatch::kInotify) self->HandleWatchEvents();
    if (self->closed_ || !self->attached_) return;
    self->ReadMaster(false);
  }
}

void PtyCore::OnWatchPoll(uv_poll_t* handle, int status, int) {
  auto* self = static_cast<PtyCore*>(handle->data);
  if (status < 0) {
    // The watch is broken; the probe timer takes over so a returning client is still seen. libuv has
    // stopped the handle; it and the watch's descriptor are released in Close(), handle first (closing
    // the descriptor under a live handle could unregister a reused descriptor number from epoll).
    self->watch_kind_ = ClientWatch::kProbe;
    if (!self->attached_) uv_timer_start(self->probe_timer_, OnProbeTimer, kProbeMs, kProbeMs);
    return;
  }
  self->HandleWatchEvents();
}

void PtyCore::OnProbeTimer(uv_timer_t* timer) {
  auto* self = static_cast<PtyCore*>(timer->data);
  if (!self->attached_) self->Probe();
}

// Reads what the client wrote. A poll wake-up reads once unless the buffer filled (the poll fires again
// if more arrives: one syscall per chunk on the latency path); `until_empty` drains to EAGAIN.
// Returns false once the pty is detached or closed.
bool PtyCore::ReadMaster(bool until_empty) {
  for (int i = 0; i < kMaxReadsPerWake; ++i) {
    const ssize_t n = read(master_, buf_.data(), buf_.size());
    if (n > 0) {
      Deliver(static_cast<size_t>(n), NowMs());
      if (closed_ || !attached_) return false;
      if (!until_empty && static_cast<size_t>(n) < buf_.size()) return true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && WouldBlock()) {
      // A wake-up with nothing to read must not repeat forever: check for a hangup the read missed.
      if (i > 0 || until_empty || !MasterHungUp()) return true;
    }
    // EIO (Linux) or EOF (macOS/BSD): no process holds the slave open any more.
    Detach();
    return false;
  }
  return true;
}

bool PtyCore::MasterHungUp() const {
  struct pollfd p = {master_, POLLIN, 0};
  return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

void PtyCore::Deliver(size_t len, double read_at_ms) {
  stats_.bytes_in += len;
  if (sink_ != nullptr) sink_->OnData(buf_.data(), len, read_at_ms);
}

void PtyCore::Attach() {
  attached_ = true;
  maybe_left_ = false;
  if (watch_kind_ == ClientWatch::kProbe) uv_timer_stop(probe_timer_);
  UpdateMasterPoll();
  if (sink_ != nullptr) sink_->OnClient(true);
}

void PtyCore::Detach() {
  attached_ = false;
  maybe_left_ = false;
  DropQueue();
  UpdateMasterPoll();
  // The kernel keeps a pty's termios while the master lives: without this the next client would start
  // from whatever the last one set. Through the master, as the slave has no holder now.
  tcsetattr(master_, TCSANOW, &baseline_);
  if (watch_kind_ == ClientWatch::kProbe) uv_timer_start(probe_timer_, OnProbeTimer, kProbeMs, kProbeMs);
  if (sink_ != nullptr) sink_->OnClient(false);
}

// inotify showed a close, then an open, while the slave never stopped being held: a client left and one
// arrived (or the same one came back) faster than the hangup could be seen.
void PtyCore::Reconnect() {
  // Bytes still unread were written after the departing client's last read was served, almost always
  // by the newcomer: they are delivered as its own, after its arrival is reported.
  if (MasterHungUp()) {  // the newcomer left too
    Detach();
    return;
  }
  maybe_left_ = false;
  DropQueue();  // replies meant for the departed client
  UpdateMasterPoll();
  if (sink_ != nullptr) sink_->OnClient(false);
  if (closed_) return;
  if (sink_ != nullptr) sink_->OnClient(true);
}

void PtyCore::HandleWatchEvents() {
  events_.clear();
  bool overflowed = false;
  watch_.Drain(&events_, &overflowed);
  for (const OpenWatch::Event event : events_) {
    if (closed_) return;
    if (!attached_) {
      // Something opened the slave. If it has gone again already, the master poll reads the hangup at
      // once and reports the departure: a quick open-and-close (stty -F) is seen as both.
      if (event == OpenWatch::Event::kOpen) Attach();
    } else if (event == OpenWatch::Event::kClose) {
      // One holder closed; whether it was the last one, only the master's hangup tells.
      maybe_left_ = true;
    } else if (maybe_left_) {
      Reconnect();
    }
  }
  // Lost events may include an arrival: ask the pty directly.
  if (overflowed && !closed_ && !attached_) Probe();
}

// Reads the master of a detached pty: EIO/EOF means still nobody; EAGAIN or data means a client holds
// the slave now.
void PtyCore::Probe() {
  const ssize_t n = read(master_, buf_.data(), buf_.size());
  const double read_at_ms = NowMs();
  if (n == 0 || (n < 0 && !WouldBlock())) return;
  Attach();
  if (n > 0 && !closed_ && attached_) Deliver(static_cast<size_t>(n), read_at_ms);
}

void PtyCore::FlushQueue() {
  while (queued() > 0) {
    const ssize_t n = write(master_, queue_.data() + queue_head_, queued());
    if (n > 0) {
      queue_head_ += static_cast<size_t>(n);
      stats_.bytes_out += static_cast<uint64_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && WouldBlock()) {
      break;
    } else {  // EIO: the client is gone; the read side reports it
      DropQueue();
    }
  }
  if (queued() == 0) {
    queue_.clear();
    queue_head_ = 0;
  }
  UpdateMasterPoll();
}

void PtyCore::DropQueue() {
  stats_.dropped_no_client += queued();
  queue_.clear();
  queue_head_ = 0;
}

void PtyCore::UpdateMasterPoll() {
  if (closed_ || master_poll_ == nullptr) return;
  const int want = !attached_ ? 0 : UV_READABLE | (queued() > 0 ? UV_WRITABLE : 0);
  if (want == polled_events_) return;
  polled_events_ = want;
  if (want == 0) {
    uv_poll_stop(master_poll_);
  } else {
    uv_poll_start(master_poll_, want, OnMasterPoll);
  }
}

}  // namespace catbridge
