// sim/Check.hpp: internal-bug checks abort with a recognisable message.

#include "sim/Check.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sim::test {
namespace {

int returnsAfterUnreachable(bool reach) {
  if (reach) KSIM_UNREACHABLE("fell off the switch");
  return 1;
}

// A failing KSIM_VERIFY prints "[ksim internal bug] file:line: msg" and aborts.
TEST(CheckDeathTest, FailedVerifyAbortsWithLocationAndMessage) {
  EXPECT_DEATH(KSIM_VERIFY(1 + 1 == 3, "arithmetic is broken"),
               "\\[ksim internal bug\\] .*CheckTest\\.cpp:[0-9]+: arithmetic is broken");
}

// KSIM_VERIFY accepts a std::string message built at run time.
TEST(CheckDeathTest, VerifyAcceptsStringMessages) {
  const std::string what = "state " + std::to_string(42);
  EXPECT_DEATH(KSIM_VERIFY(what.empty(), what), "\\[ksim internal bug\\] .*: state 42");
}

// Reaching KSIM_UNREACHABLE aborts with its message.
TEST(CheckDeathTest, UnreachableAbortsWithMessage) {
  EXPECT_DEATH(returnsAfterUnreachable(true),
               "\\[ksim internal bug\\] .*CheckTest\\.cpp:[0-9]+: fell off the switch");
}

// A passing KSIM_VERIFY does nothing, and the message is not evaluated.
TEST(CheckTest, PassingVerifyDoesNothing) {
  int evaluated = 0;
  KSIM_VERIFY(true, (++evaluated, "never"));
  EXPECT_EQ(evaluated, 0);
  EXPECT_EQ(returnsAfterUnreachable(false), 1);
}

}  // namespace
}  // namespace sim::test
