// A minimal test harness for the host tests (no third-party framework to install): TEST cases register
// themselves, CHECK records a failure and goes on, REQUIRE ends the case. main() is in main.cpp; the
// process exits non-zero if any check failed, which is what test/dext/host.test.ts asserts.
#ifndef CATBRIDGE_DEXT_TESTS_CHECK_HPP
#define CATBRIDGE_DEXT_TESTS_CHECK_HPP

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace check {

struct Case {
  const char* name;
  void (*fn)();
};

inline std::vector<Case>& Registry() {
  static std::vector<Case> cases;
  return cases;
}

struct Registrar {
  Registrar(const char* name, void (*fn)()) { Registry().push_back({name, fn}); }
};

struct State {
  uint64_t checks = 0;
  uint64_t failures = 0;  // in the current case
  const char* current = "";
};

inline State& Current() {
  static State s;
  return s;
}

/** Thrown by REQUIRE to end a case (the test binary may use exceptions; the core never does). */
struct Abort {};

inline void Fail(const char* file, int line, const std::string& what) {
  State& s = Current();
  if (s.failures < 8) std::printf("  FAIL %s:%d: %s\n", file, line, what.c_str());
  if (s.failures == 8) std::printf("  (further failures of %s not shown)\n", s.current);
  s.failures++;
}

/** Run-time knobs from the command line (main.cpp). */
struct Options {
  uint64_t seed = 0x5eed2026u;
  uint64_t fuzzOps = 1000000;
  uint32_t threadBytes = 4u << 20;
};

inline Options& Opts() {
  static Options o;
  return o;
}

}  // namespace check

#define CB_CAT2(a, b) a##b
#define CB_CAT(a, b) CB_CAT2(a, b)

#define TEST(name)                                                           \
  static void name();                                                        \
  static ::check::Registrar CB_CAT(registrar_, name)(#name, &name);          \
  static void name()

#define CHECK(cond)                                                          \
  do {                                                                       \
    ::check::Current().checks++;                                             \
    if (!(cond)) ::check::Fail(__FILE__, __LINE__, "CHECK(" #cond ")");      \
  } while (0)

#define CHECK_EQ(a, b)                                                                              \
  do {                                                                                              \
    ::check::Current().checks++;                                                                    \
    const auto cb_a_ = (a);                                                                         \
    const auto cb_b_ = (b);                                                                         \
    if (!(cb_a_ == cb_b_)) {                                                                        \
      ::check::Fail(__FILE__, __LINE__,                                                             \
                    "CHECK_EQ(" #a ", " #b "): " + std::to_string(static_cast<unsigned long long>(cb_a_)) + \
                        " != " + std::to_string(static_cast<unsigned long long>(cb_b_)));           \
    }                                                                                               \
  } while (0)

#define REQUIRE(cond)                                                        \
  do {                                                                       \
    ::check::Current().checks++;                                             \
    if (!(cond)) {                                                           \
      ::check::Fail(__FILE__, __LINE__, "REQUIRE(" #cond ")");               \
      throw ::check::Abort{};                                                \
    }                                                                        \
  } while (0)

/** Fails with a message (for conditions found inside loops, with context). */
#define FAIL_MSG(msg) ::check::Fail(__FILE__, __LINE__, (msg))

#endif  // CATBRIDGE_DEXT_TESTS_CHECK_HPP
