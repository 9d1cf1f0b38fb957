// Causes (checker/Causes.hpp): which violations are the same defect, and
// that --all-causes shows each defect of a property, not only the shortest.
// The expectations are FreeBSD's facts about rfc-2014: its p_candebug()
// refuses a debugger for a P2_NOTRACE debuggee, init never answers a stop,
// and the RFC checks another process only with p_cansee().
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checker/Causes.hpp"
#include "checker/Checker.hpp"
#include "checker/Progress.hpp"
#include "ksim/flags.h"
#include "ksim/registry.h"
#include "model/Scenario.hpp"
#include "ModelTestSupport.hpp"

namespace {

using properties::PropertyId;

using model::test::variantNamed;

struct Shown {
  std::string cause;
  std::vector<std::string> steps;
};

// A complete all-causes search of one property: each counterexample's cause
// and concrete steps, in the order the check prints them.
std::vector<Shown> everyCause(const std::string& variant, const model::Config& config, PropertyId id,
                              std::uint64_t* causeCount) {
  model::Kernel kernel(variantNamed(variant), config);
  properties::CheckedModel checked(kernel, {id});
  sim::Options options;
  options.allCauses = true;
  options.recordGraph = properties::needsGraph(checked);
  auto result = sim::explore(checked, options);
  EXPECT_EQ(result.completion, sim::Completion::Complete);
  if (result.graph) properties::judgeProgress(checked, result, true);
  *causeCount = result.causeCounts.at(0);
  std::vector<Shown> shown;
  for (const auto& cx : result.counterexamples) {
    Shown s{properties::describeCause(id, cx.cause), {}};
    for (const auto& st : properties::concretize(checked, cx).steps)
      s.steps.push_back(model::formatStep(st) + model::formatExpectation(st.expect));
    shown.push_back(std::move(s));
  }
  return shown;
}

const Shown* withCause(const std::vector<Shown>& shown, const std::string& cause) {
  for (const Shown& s : shown)
    if (s.cause == cause) return &s;
  return nullptr;
}

/* rfc-2014, alice's A may fork once (no ktrace: it does not stop anything).  The shortest trap is
 * FreeBSD's older one: A asks init to trace it and stops, and init never answers.  The patch's own
 * trap is a cause of its own: A.1 disables tracing, asks its parent to trace it and stops; every
 * request of A's on it fails in p_candebug() */
TEST(CausesTest, ThePatchsOwnStuckDebuggeeIsACauseBesideTheOlderTrap) {
  model::Config config = model::Config::defaults();
  config.omitted |= model::familyBit(model::CallFamily::Ktrace);
  std::uint64_t count = 0;
  const auto shown = everyCause("rfc-2014", config, PropertyId::StoppedDebuggeeCanResume, &count);
  ASSERT_FALSE(shown.empty());
  EXPECT_EQ(count, shown.size());
  EXPECT_EQ(shown.front().cause, "a process stopped for init");
  EXPECT_EQ(shown.front().steps, (std::vector<std::string>{"A ptrace PT_TRACE_ME = 0", "A kill A SIGQUIT = 0"}));
  const Shown* own = withCause(shown, "a process stopped for its real parent, P2_NOTRACE");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own->steps, (std::vector<std::string>{
                            "A fork A.1 = sleeping",
                            "A fork-finish = A.1",
                            "A.1 procctl P_PID A.1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0",
                            "A.1 ptrace PT_TRACE_ME = 0",
                            "A.1 kill A.1 SIGQUIT = 0",
                        }));
}

// Alice's A and bob's B, which never fork; no ktrace, exec or bad pointers
// (none of them changes another process's P2_NOTRACE), for a small world.
model::Config aliceAndBob() {
  model::Config config = model::Config::defaults();
  config.processes = {{"A", "alice", "A"}, {"B", "bob", "B"}};
  config.maxUserProcs = 2;
  for (model::CallFamily f : {model::CallFamily::Ktrace, model::CallFamily::KtraceInherit, model::CallFamily::Exec,
                              model::CallFamily::BadArguments})
    config.omitted |= model::familyBit(f);
  return config;
}

/* rfc-2014, alice's A and bob's B, no fork: the RFC lets alice disable tracing of bob's process (only
 * p_cansee()), a cause apart from the shortest, pid 0 (the swapper) */
TEST(CausesTest, AliceDisablingBobsProcessIsACauseBesidePidZero) {
  const model::Config config = aliceAndBob();
  std::uint64_t count = 0;
  const auto shown = everyCause("rfc-2014", config, PropertyId::UnprivilegedCannotChangeOthers, &count);
  ASSERT_FALSE(shown.empty());
  EXPECT_EQ(shown.front().steps,
            (std::vector<std::string>{"A procctl P_PID 0 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0"}));
  const Shown* crossUser = withCause(shown,
                                     "P procctl P_PID Q PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED succeeds; P "
                                     "is unprivileged, Q is a process of another user");
  ASSERT_NE(crossUser, nullptr);
  EXPECT_EQ(crossUser->steps,
            (std::vector<std::string>{"A procctl P_PID B PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0"}));
}

/* freebsd-current checks another process with p_candebug() (committed-2015 still had p_cansee()): alice
 * can no longer disable bob's process, and that cause is gone */
TEST(CausesTest, TheCrossUserCauseGoesWhereTheDesignFixesIt) {
  const model::Config config = aliceAndBob();
  std::uint64_t count = 0;
  const auto shown = everyCause("freebsd-current", config, PropertyId::UnprivilegedCannotChangeOthers, &count);
  for (const Shown& s : shown) EXPECT_EQ(s.cause.find("another user"), std::string::npos) << s.cause;
}

/* pre-patch, where nothing refuses a debugger its own debuggee: debugger-can-kill's one cause is the
 * 2014 PT_KILL lost at an exec's stop, worded as what went wrong, not as the success it answers */
TEST(CausesTest, ALostKillIsWordedAsKillingNothing) {
  std::uint64_t causes = 0;
  auto shown = everyCause("pre-patch", model::Config::defaults(), PropertyId::DebuggerCanKill, &causes);
  EXPECT_EQ(causes, 1u);
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].cause,
            "P ptrace PT_KILL Q answers 0 but kills nothing; P is unprivileged, Q is its debuggee");
  ASSERT_FALSE(shown[0].steps.empty());
  EXPECT_EQ(shown[0].steps.back(), "A ptrace PT_KILL A.1 = 0");
}

/* Two steps alike in call, request, value, privilege, relation and end are one cause, whatever the
 * target's flags; naming pid 0 instead of another user's process is another */
TEST(CausesTest, AStepsCauseIsItsShape) {
  model::Config config = model::Config::defaults();
  config.processes = {{"A", "alice", "A"}, {"B", "bob", "B"}};
  model::Kernel kernel(variantNamed("rfc-2014"), config);
  const model::State s0 = kernel.initial();
  const unsigned a = KSIM_FIRST_USER_SLOT, b = KSIM_FIRST_USER_SLOT + 1;
  const model::Action disableB{.actor = static_cast<std::uint8_t>(a),
                               .call = model::Call::Procctl,
                               .target = static_cast<std::uint8_t>(b),
                               .op = model::kProcTraceEnable,
                               .idtype = KSIM_P_PID,
                               .data = KSIM_PROC_TRACE_SET_DISABLED};
  model::State disabledB = s0;  // already disabled: the step succeeds all the same
  disabledB.world.proc[b].flag2 |= KSIM_P2_NOTRACE;
  EXPECT_EQ(properties::stepCause(s0, disableB, kernel.step(s0, disableB)),
            properties::stepCause(disabledB, disableB, kernel.step(disabledB, disableB)));
  model::Action disableSwapper = disableB;
  disableSwapper.target = KSIM_SLOT_SWAPPER;
  EXPECT_NE(properties::stepCause(s0, disableB, kernel.step(s0, disableB)),
            properties::stepCause(s0, disableSwapper, kernel.step(s0, disableSwapper)));
  EXPECT_EQ(properties::describeCause(PropertyId::UnprivilegedCannotChangeOthers,
                                      properties::stepCause(s0, disableSwapper, kernel.step(s0, disableSwapper))),
            "P procctl P_PID 0 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED succeeds; P is unprivileged, Q is the "
            "swapper (pid 0)");
}

}  // namespace
