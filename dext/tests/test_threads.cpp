// The lock-free half of the contract (research/dext.md §9 test 10): the kernel and the driver on two
// threads with nothing between them but the shared indices and acquire/release ordering. The kernel
// thread writes a stream into TX and checks what comes back on RX; the driver thread echoes TX into RX
// through SerialRing, keeping what does not fit. Counters start just below 2^32. Built plain, with
// ASan/UBSan, and with TSan (host_tests_tsan runs only this case).
#include <atomic>
#include <thread>
#include <vector>

#include "check.hpp"
#include "kernel_sim.hpp"

using namespace sim;
using catbridge::dext::LoadAcquire;
using catbridge::dext::LoadRelaxed;
using catbridge::dext::RingOutcome;
using catbridge::dext::SerialRing;
using catbridge::dext::StoreRelease;

TEST(kernel_and_driver_threads_share_only_the_indices) {
  const uint32_t total = check::Opts().threadBytes;
  constexpr uint8_t kLog = 6;
  constexpr uint32_t kSize = 1u << kLog;
  constexpr uint32_t kMask = kSize - 1;
  GuardedBuffer arena;
  GuardedBuffer rxq;
  GuardedBuffer txq;
  arena.Reset(sizeof(Spi), 0);
  rxq.Reset(kSize + 8, 0);
  txq.Reset(kSize + 8, 0);
  Spi* spi = reinterpret_cast<Spi*>(arena.data());
  spi->rxPI = spi->rxCI = 0xFFFFFF00u + 7;
  spi->txPI = spi->txCI = 0xFFFFFFF0u;
  spi->rxqoffset = 8;
  spi->txqoffset = 0;
  spi->rxqlogsz = kLog;
  spi->txqlogsz = kLog;
  SerialRing<Spi> ring;
  REQUIRE(ring.Attach(spi, sizeof(Spi), rxq.data(), rxq.size(), txq.data(), txq.size()) ==
          catbridge::dext::AttachStatus::kOk);

  std::atomic<bool> kernelOk{true};
  std::atomic<uint64_t> corrupt{0};
  std::thread kernel([&] {
    uint8_t* tx = txq.data();
    const uint8_t* rx = rxq.data() + 8;
    uint32_t sent = 0;
    uint32_t got = 0;
    while (got < total) {
      // write(): what fits at txPI, then publish.
      const uint32_t pi = LoadRelaxed(&spi->txPI);
      const uint32_t room = kMask - (pi - LoadAcquire(&spi->txCI));
      uint32_t n = total - sent < room ? total - sent : room;
      if (n > 23) n = 23;
      for (uint32_t i = 0; i < n; i++) tx[(pi + i) & kMask] = StreamByte(sent + i, 9);
      if (n > 0) StoreRelease(&spi->txPI, pi + n);
      sent += n;
      // read(): what the driver published, then release the slots.
      const uint32_t ci = LoadRelaxed(&spi->rxCI);
      const uint32_t used = LoadAcquire(&spi->rxPI) - ci;
      if (used > kMask) {
        kernelOk = false;
        return;
      }
      for (uint32_t i = 0; i < used; i++) {
        if (rx[(ci + i) & kMask] != StreamByte(got + i, 9)) {
          kernelOk = false;
          return;
        }
      }
      if (used > 0) StoreRelease(&spi->rxCI, ci + used);
      got += used;
      if (n == 0 && used == 0) std::this_thread::yield();
    }
  });
  std::thread driver([&] {
    std::vector<uint8_t> pending;
    uint8_t buf[37];
    uint32_t echoed = 0;
    while (echoed < total && kernelOk) {
      RingOutcome o;
      if (pending.size() < 4 * kSize) {
        const uint32_t n = ring.TxRead(buf, sizeof buf, &o);
        pending.insert(pending.end(), buf, buf + n);
      }
      if (!pending.empty()) {
        const uint32_t n = ring.RxWrite(pending.data(), static_cast<uint32_t>(pending.size()), &o);
        pending.erase(pending.begin(), pending.begin() + n);
        echoed += n;
      }
      if (o.corrupt) corrupt++;
      std::this_thread::yield();
    }
  });
  kernel.join();
  driver.join();
  CHECK(kernelOk.load());
  CHECK_EQ(corrupt.load(), 0u);
  CHECK(arena.Intact() && rxq.Intact() && txq.Intact());
  CHECK_EQ(LoadAcquire(&spi->txCI), LoadAcquire(&spi->txPI));
}
