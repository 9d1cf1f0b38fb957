// ScenarioParse scenarios of model/tests/ScenarioParseTest.cpp that the
// properties judge (spec/): they ask the checker, so they live here and
// the model's own tests need none of it.
#include <gtest/gtest.h>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "CheckedRunSupport.hpp"

namespace model::test {
namespace {

/* replay: every expectation met and no property violated -> kReplayClean (0) */
TEST(ScenarioParseTest, ReplayOfACleanScenarioExitsZero) {
  std::string out;
  EXPECT_EQ(replay(R"(
    process A alice
    maxproc 1
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A procctl P_PID A PROC_TRACE_STATUS = -1
  )",
                   &out),
            properties::kReplayClean)
      << out;
  EXPECT_NE(out.find("result: every expectation met"), std::string::npos) << out;
}

/* replay: a state whose graph properties take more continuations than the bound to judge (a debuggee
 * stopped for its debugger, two processes with room to fork): not judged, and not a clean exit ->
 * kReplayUnjudged (3) */
TEST(ScenarioParseTest, ReplayThatCannotJudgeAGraphPropertyExitsThree) {
  std::string out;
  EXPECT_EQ(replay(R"(
    process A alice
    process B alice
    B ptrace PT_ATTACH A = 0
    A take-signal = 0
  )",
                   &out),
            properties::kReplayUnjudged)
      << out;
  EXPECT_NE(
      out.find("stopped-debuggee-can-resume not judged: the last state has more than 200000 continuations"),
      std::string::npos)
      << out;
}

/* replay: a violated property -> kReplayViolation (1), and the output names it */
TEST(ScenarioParseTest, ReplayOfAViolationExitsOne) {
  std::string out;
  EXPECT_EQ(replay(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A ptrace PT_TRACE_ME = 0
  )",
                   &out),
            properties::kReplayViolation)
      << out;
  EXPECT_NE(out.find("VIOLATION notrace-never-traced"), std::string::npos) << out;
}

/* replay: an unmet expectation -> kReplayUnmet (4), naming the line, what was expected and what happened */
TEST(ScenarioParseTest, ReplayOfAnUnmetExpectationExitsFour) {
  std::string out;
  EXPECT_EQ(replay("process A alice\nprocess B alice\nB ptrace PT_ATTACH A = EPERM\n", &out),
            properties::kReplayUnmet)
      << out;
  EXPECT_NE(out.find("scenario:3: expected EPERM, got 0"), std::string::npos) << out;
}

/* replay: "= EPREM" (a typo) parses as a process name and fails at replay, not silently */
TEST(ScenarioParseTest, MisspelledErrnoIsCaughtAtReplay) {
  std::string out;
  EXPECT_EQ(replay("process A alice\nprocess B bob\nB ptrace PT_ATTACH A = EPREM\n", &out),
            properties::kReplayUnmet)
      << out;
}

}  // namespace
}  // namespace model::test
