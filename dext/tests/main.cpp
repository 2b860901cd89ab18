// Runs every registered host test case and exits non-zero if any check failed.
//   host_tests [--seed N] [--fuzz-ops N] [--thread-bytes N] [--only SUBSTRING]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "../core/serial_ring.hpp"
#include "check.hpp"

int main(int argc, char** argv) {
  check::Options& o = check::Opts();
  const char* only = nullptr;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--seed") o.seed = std::strtoull(value, nullptr, 0);
    else if (flag == "--fuzz-ops") o.fuzzOps = std::strtoull(value, nullptr, 0);
    else if (flag == "--thread-bytes") o.threadBytes = static_cast<uint32_t>(std::strtoul(value, nullptr, 0));
    else if (flag == "--only") only = value;
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  std::printf("ring variant: %s\n", CATBRIDGE_RING_WRONG == 0   ? "correct"
                                    : CATBRIDGE_RING_WRONG == 1 ? "WRONG: masked stored indices"
                                                                : "WRONG: capacity = size");
  uint64_t cases = 0;
  uint64_t failedCases = 0;
  uint64_t checks = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const check::Case& c : check::Registry()) {
    if (only != nullptr && std::strstr(c.name, only) == nullptr) continue;
    check::State& s = check::Current();
    s.failures = 0;
    s.checks = 0;
    s.current = c.name;
    const auto t0 = std::chrono::steady_clock::now();
    try {
      c.fn();
    } catch (const check::Abort&) {
      // a REQUIRE ended the case; its failure is counted
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    cases++;
    checks += s.checks;
    if (s.failures > 0) failedCases++;
    std::printf("%s %s (%llu checks, %.0f ms)\n", s.failures > 0 ? "FAIL" : "ok  ", c.name,
                static_cast<unsigned long long>(s.checks), ms);
    std::fflush(stdout);
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("host tests: %llu cases, %llu checks, %llu failed, %.2f s (seed %llu, fuzz ops %llu)\n",
              static_cast<unsigned long long>(cases), static_cast<unsigned long long>(checks),
              static_cast<unsigned long long>(failedCases), total, static_cast<unsigned long long>(o.seed),
              static_cast<unsigned long long>(o.fuzzOps));
  return failedCases == 0 && cases > 0 ? 0 : 1;
}
