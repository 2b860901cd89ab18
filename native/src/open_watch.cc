#include "open_watch.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/inotify.h>
#endif

namespace catbridge {

#ifdef __linux__

bool OpenWatch::Start(const std::string& path, std::string* error) {
  Stop();
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) {
    *error = std::string("inotify_init1: ") + strerror(errno);
    return false;
  }
  // Open and close only: reads and writes on the slave are the data path, seen on the master.
  if (inotify_add_watch(fd_, path.c_str(), IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE) < 0) {
    *error = "inotify_add_watch " + path + ": " + strerror(errno);
    Stop();
    return false;
  }
  return true;
}

void OpenWatch::Drain(std::vector<Event>* out, bool* overflowed) {
  alignas(struct inotify_event) char buf[4096];
  for (;;) {
    const ssize_t n = read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // EAGAIN: drained
    for (ssize_t at = 0; at < n;) {
      const auto* ev = reinterpret_cast<const struct inotify_event*>(buf + at);
      if ((ev->mask & IN_Q_OVERFLOW) != 0) *overflowed = true;
      if ((ev->mask & IN_OPEN) != 0) out->push_back(Event::kOpen);
      if ((ev->mask & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE)) != 0) out->push_back(Event::kClose);
      at += static_cast<ssize_t>(sizeof(struct inotify_event) + ev->len);
    }
  }
}

#else

bool OpenWatch::Start(const std::string&, std::string* error) {
  *error = "open/close notification is only implemented with Linux inotify";
  return false;
}

void OpenWatch::Drain(std::vector<Event>*, bool*) {}

#endif

void OpenWatch::Stop() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

}  // namespace catbridge
