// Tells when any process opens or closes a device node, so a port wakes the moment a client comes
// back instead of polling for it. Linux only (inotify); elsewhere Start() reports it is unavailable and
// the port falls back to a probe timer.
#pragma once

#include <string>
#include <vector>

namespace catbridge {

class OpenWatch {
 public:
  enum class Event { kOpen, kClose };

  OpenWatch() = default;
  OpenWatch(const OpenWatch&) = delete;
  OpenWatch& operator=(const OpenWatch&) = delete;
  ~OpenWatch() { Stop(); }

  // Watches `path`; false with a message where the platform or the user's inotify limits forbid it.
  bool Start(const std::string& path, std::string* error);
  void Stop();
  // The descriptor to poll for readability, -1 when not started.
  int fd() const { return fd_; }
  // Appends every queued event in order. The kernel merges identical consecutive unread events, so
  // counts are not exact: callers use events as hints and ask the pty itself for the truth.
  // `overflowed` is set when the kernel queue overflowed and events were lost.
  void Drain(std::vector<Event>* out, bool* overflowed);

 private:
  int fd_ = -1;
};

}  // namespace catbridge
