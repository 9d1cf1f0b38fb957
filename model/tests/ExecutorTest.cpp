// model::Executor, the one runner of scenarios and concrete paths: how it
// names children, frees the names of reaped processes, refuses steps
// (saying why, and leaving the run where it was) and judges expectations.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ModelTestSupport.hpp"
#include "model/Executor.hpp"

namespace model::test {
namespace {

/// The steps an observer was shown, as "N: step = result [child]".
struct Seen {
  std::vector<std::string> lines;
  Executor::Observer observer() {
    return [this](const StepReport& step) {
      ScenarioStep st = step.asScenarioStep();
      lines.push_back(std::to_string(step.number) + ": " + formatStep(st) + formatExpectation(st.expect));
    };
  }
};

/* A: fork (no name given) -> the child is A.1 in the names after the step, not in the names before */
TEST(ExecutorTest, UnnamedChildGetsTheDefaultNameAfterTheStep) {
  Kernel k = makeKernel({{"A", "alice", "A"}});
  Executor run(k);
  Action fork{.actor = static_cast<std::uint8_t>(run.names().find("A")), .call = Call::Fork};
  bool shown = false;
  auto observe = [&](const StepReport& step) {
    shown = true;
    EXPECT_EQ(step.number, 1u);
    EXPECT_EQ(step.written, nullptr);
    EXPECT_EQ(step.child, "A.1");
    EXPECT_LT(step.namesBefore.find("A.1"), 0);
    EXPECT_GE(step.namesAfter.find("A.1"), 0);
    EXPECT_EQ(formatStep(step.asScenarioStep()), "A fork A.1");
    EXPECT_NE(step.changes(), std::vector<std::string>{});
  };
  EXPECT_EQ(run.take(fork, "", observe), std::nullopt);
  EXPECT_TRUE(shown);
  EXPECT_GE(run.names().find("A.1"), 0);
}

/* A forks A1, then forks again naming the child A1: refused, nothing reported, state and names unchanged */
TEST(ExecutorTest, DuplicateChildNameIsRefusedAndTheRunStaysPut) {
  Kernel k = makeKernel({{"A", "alice", "A"}});
  Executor run(k);
  Scenario sc = parse("process A alice\nA fork A1 = sleeping\nA fork-finish = A1\nA fork A1\n");
  ASSERT_EQ(run.play({sc.steps[0], sc.steps[1]}, sc.fileName), std::nullopt);
  const State before = run.state();
  Seen seen;
  EXPECT_EQ(run.play(sc.steps[2], sc.fileName, seen.observer()),
            "scenario:4: a process named 'A1' already exists");
  EXPECT_TRUE(seen.lines.empty());
  EXPECT_EQ(run.state(), before);
  EXPECT_EQ(run.names().find("A.1"), -1);
}

/* a sleeping vfork parent: whyNot says so, and play refuses the step with FILE:LINE */
TEST(ExecutorTest, StepOfASleepingVforkParentIsRefusedWithTheReason) {
  Kernel k = makeKernel({{"A", "alice", "A"}});
  Executor run(k);
  Scenario sc = parse("process A alice\nA vfork A1 = sleeping\nA fork-finish = A1\nA fork\n");
  EXPECT_EQ(run.play(sc.steps, sc.fileName), "scenario:4: A cannot fork now: it is asleep in vfork");
  EXPECT_EQ(run.whyNot(run.resolve(sc.steps[2], sc.fileName)), "A cannot fork now: it is asleep in vfork");
}

/* after a panic: no step runs, by play or by take */
TEST(ExecutorTest, NothingRunsAfterAPanic) {
  Kernel k = makeKernel({{"A", "alice", "A"}});
  Executor run(k);
  Scenario sc = parse(R"(
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A ptrace PT_TRACE_ME = 0
    A procctl P_PID A PROC_TRACE_STATUS = panic
    A fork
  )");
  EXPECT_EQ(run.play(sc.steps, sc.fileName), "scenario:6: the kernel has panicked; no step can run after it");
  Action fork{.actor = static_cast<std::uint8_t>(run.names().find("A")), .call = Call::Fork};
  EXPECT_EQ(run.take(fork), "the kernel has panicked; no step can run after it");
}

/* A reaps A.1: the wait's result still reads "A.1", and the name is free for the next child */
TEST(ExecutorTest, ReapedProcessKeepsItsNameForTheStepThenFreesIt) {
  Kernel k = makeKernel({{"A", "alice", "A"}});
  Executor run(k);
  Scenario sc = parse(R"(
    process A alice
    A fork = sleeping
    A fork-finish = A.1
    A.1 exit
    A wait A.1 = A.1
    A fork = sleeping
  )");
  Seen seen;
  EXPECT_EQ(run.play(sc.steps, sc.fileName, seen.observer()), std::nullopt);
  ASSERT_EQ(seen.lines.size(), 5u);
  EXPECT_EQ(seen.lines[3], "4: A wait A.1 = A.1 exited 0");
  EXPECT_EQ(seen.lines[4], "5: A fork A.1 = sleeping");
}

/* an unmet expectation: the step is taken (and reported), then play says what was expected and what came */
TEST(ExecutorTest, UnmetExpectationIsJudgedAfterTheStepIsTaken) {
  Kernel k = makeKernel({{"A", "alice", "A"}});
  Executor run(k);
  Scenario sc = parse("process A alice\nA fork = EPERM\nA fork-finish\n");
  Seen seen;
  EXPECT_EQ(run.play(sc.steps, sc.fileName, seen.observer()), "scenario:2: expected EPERM, got sleeping");
  EXPECT_EQ(seen.lines, std::vector<std::string>{"1: A fork A.1 = sleeping"});
  EXPECT_NE(run.state(), k.initial());
}

/* a name that denotes no process is a ScenarioError naming FILE:LINE */
TEST(ExecutorTest, UnknownNameIsAScenarioError) {
  Kernel k = makeKernel({{"A", "alice", "A"}});
  Executor run(k);
  Scenario sc = parse("process A alice\nB fork\n");
  try {
    run.play(sc.steps, sc.fileName);
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()), "scenario:2: no process named 'B' at this step");
  }
}

}  // namespace
}  // namespace model::test
