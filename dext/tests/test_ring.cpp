// Ring cases against KernelSim (research/dext.md §9, tests 1-9): wrap-around at every offset with every
// chunk size, the 2^32 counter wrap, full/empty edges, back-pressure end to end, reopen, validation,
// corruption and resynchronisation, notifications. Every driver step is audited by KernelSim (guards,
// ownership, index sanity); a case fails on any violation.
#include <string>
#include <vector>

#include "check.hpp"
#include "kernel_sim.hpp"

using namespace sim;

namespace {

std::vector<uint8_t> Stream(size_t n, uint8_t salt) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; i++) v[i] = StreamByte(i, salt);
  return v;
}

void CheckNoViolations(const KernelSim& k) {
  CHECK(k.violations().empty());
  for (const std::string& v : k.violations()) FAIL_MSG("violation: " + v);
}

/** App → Node: the app writes `chunk` at a time, Node reads on each doorbell `chunk` at a time. */
bool TxStreamOk(KernelSim& k, HostSim& host, const std::vector<uint8_t>& data, uint32_t chunk) {
  size_t sent = 0;
  host.readChunk = chunk;
  host.received.clear();
  for (int guard = 0; sent < data.size() && guard < 1000000 && k.violations().empty(); guard++) {
    const size_t len = data.size() - sent < chunk ? data.size() - sent : chunk;
    sent += k.AppWrite(data.data() + sent, static_cast<uint32_t>(len));
    host.OnDoorbell();
  }
  host.OnDoorbell();
  return host.received == data;
}

/** Node → app: Node sends everything at once (back-pressure holds the rest), the app reads `chunk` at a time. */
bool RxStreamOk(KernelSim& k, HostSim& host, const std::vector<uint8_t>& data, uint32_t chunk) {
  std::vector<uint8_t> got;
  std::vector<uint8_t> buf(chunk);
  host.writeChunk = chunk;
  host.Send(data.data(), data.size());
  for (int guard = 0; got.size() < data.size() && guard < 1000000 && k.violations().empty(); guard++) {
    const uint32_t n = k.AppRead(buf.data(), chunk);
    got.insert(got.end(), buf.begin(), buf.begin() + n);
    host.OnDoorbell();
    if (n == 0) host.Tick();
  }
  return got == data;
}

}  // namespace

TEST(ring_wraps_at_every_offset_with_every_chunk_size) {
  const uint32_t bases[] = {0u, 0xFFFFFF00u, 0x7FFFFFF8u};
  for (uint8_t log : {uint8_t{2}, uint8_t{4}}) {
    const uint32_t size = 1u << log;
    for (uint32_t base : bases) {
      for (uint32_t offset = 0; offset < size; offset++) {
        for (uint32_t chunk = 1; chunk <= size + 4; chunk++) {
          Core core;
          KernelSim k(&core);
          HostSim host(&k, &core);
          Geometry g;
          g.rxLog = g.txLog = log;
          g.rxOff = 5;
          g.txOff = 9;
          g.slack = 3;
          g.rxStart = base + offset;
          g.txStart = base + offset + 1;
          REQUIRE(k.Open(g) == AttachStatus::kOk);
          host.OnDoorbell();
          const size_t total = 3 * size + chunk;
          const bool tx = TxStreamOk(k, host, Stream(total, static_cast<uint8_t>(chunk)), chunk);
          const bool rx = RxStreamOk(k, host, Stream(total, static_cast<uint8_t>(offset)), chunk);
          if (!tx || !rx || !k.violations().empty()) {
            FAIL_MSG("size " + std::to_string(size) + " start " + std::to_string(base + offset) + " chunk " +
                     std::to_string(chunk) + (tx ? "" : ": TX stream differs") + (rx ? "" : ": RX stream differs"));
            CheckNoViolations(k);
            return;
          }
          CHECK(true);
        }
      }
    }
  }
}

TEST(counters_wrap_past_2_pow_32_over_a_megabyte) {
  for (uint32_t start : {0xFFFFFFF0u, 0xFFFFFF00u}) {
    for (uint8_t log : {uint8_t{14}, uint8_t{6}}) {
      Core core;
      KernelSim k(&core);
      HostSim host(&k, &core);
      Geometry g;
      g.rxLog = g.txLog = log;
      g.rxOff = 16;
      g.txOff = 48;
      g.rxStart = g.txStart = start;
      REQUIRE(k.Open(g) == AttachStatus::kOk);
      host.OnDoorbell();
      Rng rng(check::Opts().seed + log);
      const std::vector<uint8_t> data = Stream(1u << 20, 0x3c);
      // App → Node in random chunks.
      size_t sent = 0;
      host.received.clear();
      host.readChunk = 4096;
      for (int steps = 0; sent < data.size() && steps < 100000 && k.violations().empty(); steps++) {
        const uint32_t want = 1 + rng.Below(3000);
        const uint32_t len = static_cast<uint32_t>(data.size() - sent < want ? data.size() - sent : want);
        sent += k.AppWrite(data.data() + sent, len);
        if (rng.Chance(70)) host.OnDoorbell();
      }
      host.OnDoorbell();
      CHECK(host.received == data);
      // Node → app.
      CHECK(RxStreamOk(k, host, data, 1 + rng.Below(4000)));
      CheckNoViolations(k);
      // Both counters really went round: they are now numerically below where they started.
      CHECK(k.spi()->txPI < start);
      CHECK(k.spi()->txCI == k.spi()->txPI);
      CHECK(k.spi()->rxPI < start);
      CHECK(k.spi()->rxPI == k.spi()->rxCI);
    }
  }
}

TEST(full_and_empty_edges) {
  Core core;
  KernelSim k(&core);
  HostSim host(&k, &core);
  Geometry g;
  g.rxLog = g.txLog = 4;
  g.rxStart = 0xFFFFFFFAu;
  g.txStart = 0xFFFFFFF9u;
  REQUIRE(k.Open(g) == AttachStatus::kOk);
  core.TakeEvents();
  const std::vector<uint8_t> data = Stream(64, 1);
  uint8_t buf[64];

  // Empty: nothing to read, nothing to notify.
  const uint64_t txFree0 = k.txFreeCalls;
  CHECK_EQ(k.NodeRead(buf, sizeof buf), 0u);
  CHECK_EQ(k.txFreeCalls, txFree0);

  // The app can queue at most size - 1 bytes; then its writer blocks.
  CHECK_EQ(k.AppWrite(data.data(), 26), 15u);
  CHECK(k.writerBlocked());
  CHECK_EQ(k.AppWrite(data.data(), 1), 0u);
  CHECK_EQ(core.TakeEvents() & CATBRIDGE_EV_TX_DATA, CATBRIDGE_EV_TX_DATA);
  catbridge_uc_port_state st;
  core.Snapshot(&st);
  CHECK_EQ(st.txUsed, 15u);
  // Node consumes part of it; TxFreeSpaceAvailable lets the writer go on.
  CHECK_EQ(k.NodeRead(buf, 4), 4u);
  CHECK_EQ(k.txFreeCalls, txFree0 + 1);
  CHECK(!k.writerBlocked());
  CHECK_EQ(k.AppWrite(data.data() + 15, 10), 4u);
  CHECK_EQ(k.NodeRead(buf + 4, 64), 15u);
  for (int i = 0; i < 19; i++) CHECK_EQ(buf[i], data[i]);
  CHECK_EQ(k.txUsedKernelView(), 0u);

  // RX: Node's write is accepted up to size - 1 - used, the rest is back-pressure.
  const uint64_t rxData0 = k.rxDataCalls;
  CHECK_EQ(k.NodeWrite(data.data(), 0), 0u);
  CHECK_EQ(k.rxDataCalls, rxData0);
  CHECK_EQ(k.NodeWrite(data.data(), 10), 10u);
  CHECK_EQ(k.rxDataCalls, rxData0 + 1);
  CHECK_EQ(k.NodeWrite(data.data() + 10, 10), 5u);
  CHECK_EQ(k.rxDataCalls, rxData0 + 2);
  CHECK_EQ(k.NodeWrite(data.data() + 15, 10), 0u);
  CHECK_EQ(k.rxDataCalls, rxData0 + 2);
  core.Snapshot(&st);
  CHECK_EQ(st.rxFree, 0u);
  CHECK_EQ(st.rxBlockedCount, 2u);
  CHECK_EQ(k.rxUsedKernelView(), 15u);
  CHECK_EQ(core.TakeEvents() & CATBRIDGE_EV_RX_SPACE, 0u);
  CHECK_EQ(k.AppRead(buf, 64), 15u);
  for (int i = 0; i < 15; i++) CHECK_EQ(buf[i], data[i]);
  CHECK_EQ(core.TakeEvents() & CATBRIDGE_EV_RX_SPACE, CATBRIDGE_EV_RX_SPACE);
  CHECK_EQ(k.NodeWrite(data.data() + 15, 15), 15u);
  CheckNoViolations(k);
}

TEST(back_pressure_end_to_end_100k_through_16_byte_rings) {
  for (RxFreePolicy policy : {RxFreePolicy::kAlways, RxFreePolicy::kWhenWasFull, RxFreePolicy::kNever}) {
    Core core;
    KernelSim k(&core);
    HostSim host(&k, &core);
    k.rxFreePolicy = policy;
    Geometry g;
    g.rxLog = g.txLog = 4;
    g.rxOff = 7;
    g.txOff = 1;
    g.rxStart = 0xFFFFFF00u + 3;
    g.txStart = 0xFFFFFF00u + 11;
    REQUIRE(k.Open(g) == AttachStatus::kOk);
    host.OnDoorbell();
    Rng rng(check::Opts().seed ^ static_cast<uint64_t>(policy));
    const std::vector<uint8_t> data = Stream(100 * 1024, 0x77);

    // Node → app: everything handed over at once; the ring takes at most 15 bytes per write.
    host.Send(data.data(), data.size());
    CHECK_EQ(host.maxAccepted, 15u);
    std::vector<uint8_t> got;
    uint8_t buf[32];
    uint64_t steps = 0;
    uint64_t rxSpaceEvents = 0;
    while (got.size() < data.size() && steps < 10000000 && k.violations().empty()) {
      steps++;
      const uint32_t n = k.AppRead(buf, 1 + rng.Below(20));
      got.insert(got.end(), buf, buf + n);
      if ((core.pendingEvents() & CATBRIDGE_EV_RX_SPACE) != 0) rxSpaceEvents++;
      host.OnDoorbell();
      if (n == 0) host.Tick();  // the addon's retry timer, the only wake-up under kNever
    }
    CHECK(got == data);
    CHECK(host.backlog.empty());
    CHECK(host.maxAccepted <= 15u);
    CHECK_EQ(host.accepted, data.size());
    if (policy == RxFreePolicy::kNever) CHECK_EQ(rxSpaceEvents, 0u);
    else CHECK(rxSpaceEvents > 0);

    // App → Node: the app's writer blocks at 15 queued bytes and resumes after each TxFreeSpaceAvailable.
    host.received.clear();
    size_t sent = 0;
    uint64_t blocked = 0;
    steps = 0;
    while (sent < data.size() && steps < 10000000 && k.violations().empty()) {
      steps++;
      sent += k.AppWrite(data.data() + sent, static_cast<uint32_t>(data.size() - sent));
      if (k.writerBlocked()) blocked++;
      CHECK(k.txUsedKernelView() <= 15u);
      host.OnDoorbell();
    }
    host.OnDoorbell();
    CHECK(host.received == data);
    CHECK(blocked > 1000);
    CHECK(!k.writerBlocked());
    CheckNoViolations(k);
  }
}

TEST(reopen_with_non_zero_indices_and_new_geometry) {
  Core core;
  KernelSim k(&core);
  HostSim host(&k, &core);
  Geometry g;
  g.rxLog = 4;
  g.txLog = 5;
  g.rxOff = 3;
  g.txOff = 60;
  g.rxStart = 0x7FFFFFF0u;
  g.txStart = 0x12345678u;
  REQUIRE(k.Open(g) == AttachStatus::kOk);
  host.OnDoorbell();
  CHECK(TxStreamOk(k, host, Stream(100, 1), 7));
  CHECK(RxStreamOk(k, host, Stream(100, 2), 9));
  // Leave bytes behind in both rings, and a blocked Node write, then close.
  uint8_t junk[40] = {};
  k.AppWrite(junk, 10);
  host.Send(junk, 40);
  CHECK(!host.backlog.empty());
  const uint32_t oldRxPI = k.spi()->rxPI;
  const uint32_t oldTxPI = k.spi()->txPI;
  k.Close();
  CHECK(!core.connected());
  CHECK(!core.dtr() && !core.rts());
  uint8_t buf[16];
  CHECK_EQ(core.Read(buf, sizeof buf), 0u);
  CHECK_EQ(core.Write(junk, 4), 0u);
  const uint32_t closeEvents = core.TakeEvents();
  CHECK((closeEvents & CATBRIDGE_EV_CLOSE) != 0);
  CHECK((closeEvents & CATBRIDGE_EV_MCR) != 0);
  host.backlog.clear();  // DextPort drops what a closed port's client can no longer read

  // Reopen 1: the family hands over new buffers with indices carrying on from where they were.
  Geometry g2 = g;
  g2.rxLog = 6;
  g2.txLog = 3;
  g2.rxOff = 0;
  g2.txOff = 17;
  g2.rxStart = oldRxPI;
  g2.txStart = oldTxPI;
  REQUIRE(k.Open(g2) == AttachStatus::kOk);
  host.OnDoorbell();
  host.received.clear();
  CHECK(TxStreamOk(k, host, Stream(300, 3), 5));
  CHECK(RxStreamOk(k, host, Stream(300, 4), 11));
  k.Close();
  host.OnDoorbell();

  // Reopen 2: unrelated non-zero indices, one of them about to wrap.
  Geometry g3 = g;
  g3.rxStart = 0xFFFFFFFEu;
  g3.txStart = 0x00000101u;
  REQUIRE(k.Open(g3) == AttachStatus::kOk);
  host.OnDoorbell();
  CHECK(TxStreamOk(k, host, Stream(200, 5), 13));
  CHECK(RxStreamOk(k, host, Stream(200, 6), 3));
  catbridge_uc_port_state st;
  core.Snapshot(&st);
  CHECK_EQ(st.openCount, 3u);
  CHECK_EQ(st.corruptCount, 0u);
  CheckNoViolations(k);
}

TEST(validation_refuses_bad_geometry_and_writes_nothing) {
  struct Bad {
    const char* what;
    Geometry g;
    AttachStatus expect;
  };
  std::vector<Bad> cases;
  auto add = [&](const char* what, AttachStatus expect, auto edit) {
    Geometry g;
    g.rxLog = g.txLog = 4;
    g.rxOff = 8;
    g.txOff = 8;
    g.rxStart = 0xFFFFFF10u;
    g.txStart = 0x10u;
    edit(g);
    cases.push_back({what, g, expect});
  };
  add("rx logsz 0", AttachStatus::kRxLogSize, [](Geometry& g) { g.rxLog = 0; });
  add("tx logsz 0", AttachStatus::kTxLogSize, [](Geometry& g) { g.txLog = 0; });
  add("rx logsz 25", AttachStatus::kRxLogSize, [](Geometry& g) {
    g.rxLog = 25;
    g.rxMapLen = 64;
  });
  add("tx logsz 200", AttachStatus::kTxLogSize, [](Geometry& g) {
    g.txLog = 200;
    g.txMapLen = 64;
  });
  add("rx one byte short", AttachStatus::kRxBounds, [](Geometry& g) { g.rxMapLen = 8 + 16 - 1; });
  add("tx one byte short", AttachStatus::kTxBounds, [](Geometry& g) { g.txMapLen = 8 + 16 - 1; });
  add("rx offset beyond mapping", AttachStatus::kRxBounds, [](Geometry& g) {
    g.rxOff = 100;
    g.rxMapLen = 64;
  });
  add("tx offset that overflows offset + size", AttachStatus::kTxBounds, [](Geometry& g) {
    g.txOff = 0xFFFFFFF8u;
    g.txMapLen = 64;
  });
  add("arena shorter than 384", AttachStatus::kArenaTooSmall, [](Geometry& g) { g.arenaLen = 383; });
  add("exact fit accepted", AttachStatus::kOk, [](Geometry& g) {
    g.rxMapLen = 8 + 16;
    g.txMapLen = 8 + 16;
  });
  for (const Bad& c : cases) {
    Core core;
    KernelSim k(&core);
    const AttachStatus s = k.Open(c.g);
    if (s != c.expect) {
      FAIL_MSG(std::string(c.what) + ": got " + catbridge::dext::AttachStatusName(s));
      continue;
    }
    CHECK_EQ(core.connected(), c.expect == AttachStatus::kOk);
    uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    if (c.expect != AttachStatus::kOk) {
      CHECK_EQ(k.NodeWrite(buf, 8), 0u);
      CHECK_EQ(k.NodeRead(buf, 8), 0u);
      CHECK_EQ(k.rxDataCalls, 0u);
    }
    CheckNoViolations(k);
  }
  // Missing mappings and a misaligned arena, straight into the core.
  Core core;
  alignas(8) uint8_t arena[sizeof(Spi) + 8] = {};
  uint8_t q[64] = {};
  reinterpret_cast<Spi*>(arena)->rxqlogsz = 4;
  reinterpret_cast<Spi*>(arena)->txqlogsz = 4;
  CHECK(core.ConnectQueues(nullptr, sizeof(Spi), q, 64, q, 64) == AttachStatus::kNoArena);
  CHECK(core.ConnectQueues(arena, sizeof(Spi), nullptr, 64, q, 64) == AttachStatus::kNoRxQueue);
  CHECK(core.ConnectQueues(arena, sizeof(Spi), q, 64, q, 0) == AttachStatus::kNoTxQueue);
  CHECK(core.ConnectQueues(arena + 2, sizeof(Spi), q, 64, q, 64) == AttachStatus::kArenaMisaligned);
  CHECK(core.ConnectQueues(arena, sizeof(Spi), q, 64, q, 64) == AttachStatus::kOk);
  // A failed reconnect leaves the port detached, not attached to stale memory.
  CHECK(core.ConnectQueues(arena, sizeof(Spi) - 1, q, 64, q, 64) == AttachStatus::kArenaTooSmall);
  CHECK(!core.connected());
}

TEST(corrupt_indices_resync_without_out_of_bounds_access) {
  Core core;
  KernelSim k(&core);
  HostSim host(&k, &core);
  Geometry g;
  g.rxLog = g.txLog = 4;
  g.rxOff = 4;
  g.txOff = 4;
  g.rxStart = 0xFFFFFFF8u;
  g.txStart = 0xFFFFFFF4u;
  REQUIRE(k.Open(g) == AttachStatus::kOk);
  host.OnDoorbell();
  CHECK(TxStreamOk(k, host, Stream(40, 1), 6));

  // TX: txPI jumps beyond the ring (fill 21 > 15): the driver consumes up to it, reads nothing.
  uint8_t buf[64];
  k.AppWrite(Stream(5, 9).data(), 5);
  k.SetTxPI(k.spi()->txCI + 21);
  const uint64_t free0 = k.txFreeCalls;
  CHECK_EQ(k.NodeRead(buf, 64), 0u);
  CHECK_EQ(k.spi()->txCI, k.spi()->txPI);
  CHECK_EQ(core.corruptCount(), 1u);
  CHECK((core.TakeEvents() & CATBRIDGE_EV_CORRUPT) != 0);
  CHECK_EQ(k.txFreeCalls, free0 + 1);  // a writer waiting on the bogus fill is released
  CHECK(TxStreamOk(k, host, Stream(50, 2), 7));

  // TX: txPI one behind txCI (fill 0xFFFFFFFF).
  k.SetTxPI(k.spi()->txCI - 1);
  CHECK_EQ(k.NodeRead(buf, 64), 0u);
  CHECK_EQ(core.corruptCount(), 2u);
  CHECK(TxStreamOk(k, host, Stream(50, 3), 16));

  // RX: rxCI runs ahead of rxPI. The driver withdraws (rxPI := rxCI) and writes afresh.
  CHECK_EQ(k.NodeWrite(Stream(6, 4).data(), 6), 6u);
  k.SetRxCI(k.spi()->rxPI + 100);
  CHECK_EQ(k.NodeWrite(Stream(10, 5).data(), 10), 10u);
  CHECK_EQ(core.corruptCount(), 3u);
  CHECK_EQ(k.AppRead(buf, 64), 10u);
  for (int i = 0; i < 10; i++) CHECK_EQ(buf[i], Stream(10, 5)[static_cast<size_t>(i)]);

  // The kernel scribbles a huge logsz over the arena after attach: the validated geometry holds.
  k.SetLogSizes(24, 24);
  CHECK(TxStreamOk(k, host, Stream(100, 6), 9));
  CHECK(RxStreamOk(k, host, Stream(100, 7), 9));
  k.SetLogSizes(4, 4);
  CheckNoViolations(k);

  // A storm of random indices: never an out-of-bounds byte (guards, ASan), never a stuck port.
  Rng rng(check::Opts().seed * 31);
  for (int i = 0; i < 20000; i++) {
    switch (rng.Below(6)) {
      case 0: k.SetTxPI(static_cast<uint32_t>(rng.Next())); break;
      case 1: k.SetRxCI(static_cast<uint32_t>(rng.Next())); break;
      case 2: k.NodeRead(buf, rng.Below(64)); break;
      case 3: k.NodeWrite(buf, rng.Below(64)); break;
      case 4: k.SetTxPI(k.spi()->txCI + rng.Below(40)); break;
      default: k.SetRxCI(k.spi()->rxPI - rng.Below(40)); break;
    }
  }
  // Whatever the storm left, one read and one write bring both rings back to health.
  k.NodeRead(buf, 64);
  k.NodeWrite(buf, 1);
  CHECK(k.txUsedKernelView() <= 15u);
  CHECK(k.rxUsedKernelView() <= 15u);
  CHECK(core.corruptCount() > 3u);
  // Only audit failures caused by the driver count; the storm's own kernel-side nonsense is not audited.
  for (const std::string& v : k.violations()) {
    if (v.rfind("driver", 0) == 0 || v.find("guard") != std::string::npos) FAIL_MSG("violation: " + v);
  }
}

TEST(notifications_follow_the_handshake) {
  Core core;
  KernelSim k(&core);
  HostSim host(&k, &core);
  k.rxFreePolicy = RxFreePolicy::kAlways;
  Geometry g;
  g.rxLog = g.txLog = 3;
  const uint64_t openFree0 = k.txFreeCalls;
  REQUIRE(k.Open(g) == AttachStatus::kOk);
  const uint32_t openEvents = core.TakeEvents();
  CHECK((openEvents & CATBRIDGE_EV_OPEN) != 0);
  CHECK((openEvents & CATBRIDGE_EV_MCR) != 0);
  CHECK((openEvents & CATBRIDGE_EV_FIFO_RESET_TX) != 0);
  // The open's HwResetFIFO(1,0) on an empty ring calls nothing back into the kernel (it holds its lock).
  CHECK_EQ(k.txFreeCalls, openFree0);
  uint8_t buf[16] = {};
  // A TX reset calls TxFreeSpaceAvailable only when it discarded something.
  k.ResetFifo(true, false);
  CHECK_EQ(k.txFreeCalls, openFree0);
  k.AppWrite(buf, 4);
  k.ResetFifo(true, false);
  CHECK_EQ(k.txFreeCalls, openFree0 + 1);
  core.TakeEvents();
  // RxDataAvailable exactly when bytes were produced.
  const uint64_t d0 = k.rxDataCalls;
  k.NodeWrite(buf, 0);
  CHECK_EQ(k.rxDataCalls, d0);
  k.NodeWrite(buf, 3);
  CHECK_EQ(k.rxDataCalls, d0 + 1);
  // RX_SPACE only after a blocked write, once.
  k.AppRead(buf, 16);
  CHECK_EQ(core.TakeEvents() & CATBRIDGE_EV_RX_SPACE, 0u);
  k.NodeWrite(buf, 16);  // 7 accepted, blocked
  k.AppRead(buf, 2);
  CHECK_EQ(core.TakeEvents() & CATBRIDGE_EV_RX_SPACE, CATBRIDGE_EV_RX_SPACE);
  k.AppRead(buf, 2);
  CHECK_EQ(core.TakeEvents() & CATBRIDGE_EV_RX_SPACE, 0u);
  // TxFreeSpaceAvailable exactly when bytes were consumed; TX_DATA on every app write.
  const uint64_t f0 = k.txFreeCalls;
  k.NodeRead(buf, 16);
  CHECK_EQ(k.txFreeCalls, f0);
  k.AppWrite(buf, 5);
  CHECK_EQ(core.TakeEvents() & CATBRIDGE_EV_TX_DATA, CATBRIDGE_EV_TX_DATA);
  k.NodeRead(buf, 2);
  CHECK_EQ(k.txFreeCalls, f0 + 1);
  k.NodeRead(buf, 16);
  CHECK_EQ(k.txFreeCalls, f0 + 2);
  k.NodeRead(buf, 16);
  CHECK_EQ(k.txFreeCalls, f0 + 2);
  CheckNoViolations(k);
}

TEST(modem_and_line_state) {
  Core core;
  KernelSim k(&core);
  HostSim host(&k, &core);
  Geometry g;
  // Before any host: all input lines low (a radio that is off).
  bool cts = true, dsr = true, ri = true, dcd = true;
  core.GetModemStatus(&cts, &dsr, &ri, &dcd);
  CHECK(!cts && !dsr && !ri && !dcd);
  core.GetModemStatus(nullptr, nullptr, nullptr, nullptr);
  core.SetHostPresent(true);
  REQUIRE(k.Open(g) == AttachStatus::kOk);
  CHECK(k.modemStatusCalls >= 1);
  CHECK(k.lastModem.cts && k.lastModem.dsr && k.lastModem.dcd && !k.lastModem.ri);
  // HwProgramMCR(1,1) at open; HUPCL-like drops and TIOCMSET changes raise MCR once per change.
  CHECK(core.dtr() && core.rts());
  core.TakeEvents();
  core.ProgramMcr(true, true);
  CHECK_EQ(core.TakeEvents() & CATBRIDGE_EV_MCR, 0u);
  core.ProgramMcr(true, false);
  CHECK_EQ(core.TakeEvents(), CATBRIDGE_EV_MCR);
  CHECK(core.dtr() && !core.rts());
  core.ProgramMcr(false, true);
  catbridge_uc_port_state st;
  core.Snapshot(&st);
  CHECK_EQ(st.mcr, CATBRIDGE_MCR_RTS);
  // Node drops DCD and raises RI: SetModemStatus carries it.
  const uint64_t m0 = k.modemStatusCalls;
  k.NodeSetModemLines(CATBRIDGE_MODEM_RI, CATBRIDGE_MODEM_DCD | CATBRIDGE_MODEM_RI);
  CHECK_EQ(k.modemStatusCalls, m0 + 1);
  CHECK(k.lastModem.cts && k.lastModem.dsr && k.lastModem.ri && !k.lastModem.dcd);
  k.NodeSetModemLines(CATBRIDGE_MODEM_RI, CATBRIDGE_MODEM_RI);  // no change, no call
  CHECK_EQ(k.modemStatusCalls, m0 + 1);
  core.GetModemStatus(&cts, &dsr, &ri, &dcd);
  CHECK(cts && dsr && ri && !dcd);
  // The host goes away: the app sees every line drop.
  core.SetHostPresent(false);
  CHECK(core.TakeModemStatusNeeded());
  core.GetModemStatus(&cts, &dsr, &ri, &dcd);
  CHECK(!cts && !dsr && !ri && !dcd);
  core.SetHostPresent(true);
  core.TakeModemStatusNeeded();
  // UART settings, baud (IOSSIOSPEED), flow control, latency, break.
  core.TakeEvents();
  core.ProgramUart(38400, 7, 4, CATBRIDGE_PARITY_EVEN);
  CHECK_EQ(core.TakeEvents(), CATBRIDGE_EV_LINE);
  core.ProgramBaudRate(115200);
  core.ProgramFlowControl(0x22, 0x11, 0x13);
  core.ProgramLatencyTimer(500);
  core.SendBreak(true);
  CHECK_EQ(core.TakeEvents(), CATBRIDGE_EV_LINE | CATBRIDGE_EV_FLOW | CATBRIDGE_EV_BREAK);
  core.Snapshot(&st);
  CHECK_EQ(st.baud, 115200u);
  CHECK_EQ(st.dataBits, 7u);
  CHECK_EQ(st.halfStopBits, 4u);
  CHECK_EQ(st.parity, CATBRIDGE_PARITY_EVEN);
  CHECK_EQ(st.flowArg, 0x22u);
  CHECK_EQ(st.latencyUs, 500u);
  CHECK_EQ(st.breakOn, 1u);
  CHECK_EQ(st.flags, CATBRIDGE_STATE_CONNECTED | CATBRIDGE_STATE_ACTIVE | CATBRIDGE_STATE_HOST);
  // FIFO resets: TX discards without touching txPI and wakes the writer; RX tells Node to drop its backlog.
  uint8_t buf[16] = {};
  k.AppWrite(buf, 15);
  CHECK(k.writerBlocked() == false);
  k.AppWrite(buf, 1);
  CHECK(k.writerBlocked());
  const uint32_t txPI = k.spi()->txPI;
  k.ResetFifo(true, false);
  CHECK_EQ(k.spi()->txPI, txPI);
  CHECK_EQ(k.spi()->txCI, txPI);
  CHECK(!k.writerBlocked());
  host.Send(buf, 16);
  host.Send(buf, 16);
  CHECK(!host.backlog.empty());
  k.ResetFifo(false, true);
  host.OnDoorbell();
  CHECK(host.backlog.empty());
  // Closing: HUPCL drops both lines, CLOSE, detached.
  k.Close();
  CHECK(!core.dtr() && !core.rts() && !core.active() && !core.connected());
  CheckNoViolations(k);
}
