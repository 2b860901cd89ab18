// Randomised interleaving (research/dext.md §9 test 5): a seeded sequence of kernel and driver steps —
// app writes and reads, Node reads and writes, FIFO resets, modem line changes, close/reopen with new
// geometry and new non-zero indices — checked against a reference model of both byte streams. KernelSim
// audits every driver step (guard bytes, ownership, index sanity); ASan/UBSan run it in the sanitizer
// build. The seed and the number of steps come from the command line (--seed, --fuzz-ops).
#include <deque>
#include <string>
#include <vector>

#include "check.hpp"
#include "kernel_sim.hpp"

using namespace sim;

namespace {

Geometry RandomGeometry(Rng& rng) {
  Geometry g;
  // Mostly small rings so the wrap and the full/empty edges happen constantly; sometimes the family's 16 KiB.
  auto log = [&]() -> uint8_t { return rng.Chance(5) ? 14 : static_cast<uint8_t>(1 + rng.Below(9)); };
  g.rxLog = log();
  g.txLog = log();
  g.rxOff = rng.Below(65);
  g.txOff = rng.Below(65);
  g.slack = rng.Below(9);
  auto start = [&]() -> uint32_t {
    switch (rng.Below(4)) {
      case 0: return 0;
      case 1: return 0x7FFFFFF0u + rng.Below(32);
      case 2: return 0xFFFFFF00u + rng.Below(256);
      default: return static_cast<uint32_t>(rng.Next());
    }
  };
  g.rxStart = start();
  g.txStart = rng.Chance(50) ? g.rxStart : start();
  return g;
}

}  // namespace

TEST(randomised_interleaving_against_a_reference_model) {
  const uint64_t ops = check::Opts().fuzzOps;
  Rng rng(check::Opts().seed);
  Core core;
  KernelSim k(&core);
  core.SetHostPresent(true);
  std::deque<uint8_t> txModel;  // bytes the app wrote that Node has not read
  std::deque<uint8_t> rxModel;  // bytes Node wrote that the app has not read
  Geometry g = RandomGeometry(rng);
  REQUIRE(k.Open(g) == AttachStatus::kOk);
  uint32_t txCap = (1u << g.txLog) - 1;
  uint32_t rxCap = (1u << g.rxLog) - 1;
  std::vector<uint8_t> buf(1u << 15);
  std::vector<uint8_t> out(1u << 15);
  uint64_t reopens = 0;
  uint64_t bytesTx = 0;
  uint64_t bytesRx = 0;
  for (uint64_t op = 0; op < ops; op++) {
    const uint32_t pick = rng.Below(100);
    const uint64_t free0 = k.txFreeCalls;
    const uint64_t data0 = k.rxDataCalls;
    if (pick < 28) {  // the app writes
      const uint32_t len = rng.Below(2 * txCap + 2);
      for (uint32_t i = 0; i < len; i++) buf[i] = static_cast<uint8_t>(rng.Next());
      const uint32_t room = txCap - static_cast<uint32_t>(txModel.size());
      const uint32_t n = k.AppWrite(buf.data(), len);
      if (n != (len < room ? len : room)) FAIL_MSG("op " + std::to_string(op) + ": app write took " + std::to_string(n));
      txModel.insert(txModel.end(), buf.begin(), buf.begin() + n);
    } else if (pick < 56) {  // Node reads
      const uint32_t max = rng.Below(2 * txCap + 2);
      const uint32_t n = k.NodeRead(out.data(), max);
      const size_t expect = txModel.size() < max ? txModel.size() : max;
      bool same = n == expect;
      for (uint32_t i = 0; same && i < n; i++) same = out[i] == txModel[i];
      if (!same) FAIL_MSG("op " + std::to_string(op) + ": Node read the wrong TX bytes");
      txModel.erase(txModel.begin(), txModel.begin() + n);
      if ((k.txFreeCalls != free0) != (n > 0)) FAIL_MSG("op " + std::to_string(op) + ": TxFreeSpaceAvailable policy");
      bytesTx += n;
    } else if (pick < 76) {  // Node writes
      const uint32_t len = rng.Below(2 * rxCap + 2);
      for (uint32_t i = 0; i < len; i++) buf[i] = static_cast<uint8_t>(rng.Next());
      const uint32_t room = rxCap - static_cast<uint32_t>(rxModel.size());
      const uint32_t n = k.NodeWrite(buf.data(), len);
      if (n != (len < room ? len : room)) FAIL_MSG("op " + std::to_string(op) + ": Node write accepted " + std::to_string(n));
      rxModel.insert(rxModel.end(), buf.begin(), buf.begin() + n);
      if ((k.rxDataCalls != data0) != (n > 0)) FAIL_MSG("op " + std::to_string(op) + ": RxDataAvailable policy");
      bytesRx += n;
    } else if (pick < 96) {  // the app reads
      const uint32_t max = rng.Below(2 * rxCap + 2);
      const uint32_t n = k.AppRead(out.data(), max);
      const size_t expect = rxModel.size() < max ? rxModel.size() : max;
      bool same = n == expect;
      for (uint32_t i = 0; same && i < n; i++) same = out[i] == rxModel[i];
      if (!same) FAIL_MSG("op " + std::to_string(op) + ": the app read the wrong RX bytes");
      rxModel.erase(rxModel.begin(), rxModel.begin() + n);
    } else if (pick < 97) {  // tcflush
      const bool tx = rng.Chance(50);
      k.ResetFifo(tx, !tx);
      if (tx) txModel.clear();
    } else if (pick < 98) {  // modem lines both ways
      const bool dtr = rng.Chance(50);
      const bool rts = rng.Chance(50);
      core.ProgramMcr(dtr, rts);
      if (core.dtr() != dtr || core.rts() != rts) FAIL_MSG("op " + std::to_string(op) + ": MCR");
      k.NodeSetModemLines(rng.Below(16), rng.Below(16));
    } else {  // close and reopen with new geometry and indices
      k.Close(rng.Chance(50));
      txModel.clear();
      rxModel.clear();
      g = RandomGeometry(rng);
      if (k.Open(g) != AttachStatus::kOk) FAIL_MSG("op " + std::to_string(op) + ": reopen refused");
      txCap = (1u << g.txLog) - 1;
      rxCap = (1u << g.rxLog) - 1;
      reopens++;
    }
    core.TakeEvents();
    if (!k.violations().empty() || check::Current().failures > 0) {
      for (const std::string& v : k.violations()) FAIL_MSG("op " + std::to_string(op) + ": " + v);
      FAIL_MSG("stopped at op " + std::to_string(op) + " of " + std::to_string(ops) + " (seed " +
               std::to_string(check::Opts().seed) + ")");
      return;
    }
  }
  CHECK(reopens > 0 || ops < 1000);
  CHECK_EQ(core.corruptCount(), 0u);
  std::printf("  fuzz: %llu ops, %llu reopens, %llu bytes app→Node, %llu bytes Node→app\n",
              static_cast<unsigned long long>(ops), static_cast<unsigned long long>(reopens),
              static_cast<unsigned long long>(bytesTx), static_cast<unsigned long long>(bytesRx));
}
