// Progress ("something good stays reachable") judged on the explored graph.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <vector>

#include "checker/Checker.hpp"
#include "checker/Progress.hpp"
#include "ksim/flags.h"
#include "ksim/registry.h"
#include "model/Scenario.hpp"
#include "sim/Graph.hpp"
#include "ModelTestSupport.hpp"

namespace {

using model::test::variantNamed;

struct Judged {
  sim::Result<properties::CheckedModel> result;
  std::vector<std::string> steps;
  std::string message;
  /// Tracers of the processes stopped in states from which none is ever resumed.
  std::set<std::uint8_t> stuckTracers;
  /// The shortest path to a stuck debuggee whose tracer is a user process.
  std::vector<std::string> userTracerSteps;
  /// The shortest path to a stuck debuggee that has P2_NOTRACE and a user process as tracer.
  std::vector<std::string> notraceSteps;
};

bool strandedWithNotrace(const model::State& s) {
  for (const auto& p : s.world.proc)
    if (model::isLive(p) && (p.flag & KSIM_P_STOPPED_TRACE) != 0 && (p.flag2 & KSIM_P2_NOTRACE) != 0 &&
        p.pptr >= KSIM_FIRST_USER_SLOT)
      return true;
  return false;
}

bool strandedByUserProcess(const model::State& s) {
  for (const auto& p : s.world.proc)
    if (model::isLive(p) && (p.flag & KSIM_P_STOPPED_TRACE) != 0 && p.pptr >= KSIM_FIRST_USER_SLOT)
      return true;
  return false;
}

std::vector<std::string> stepsOf(const properties::CheckedModel& checked,
                                 const sim::Counterexample<model::Action, model::State>& cx) {
  std::vector<std::string> steps;
  for (const auto& st : properties::concretize(checked, cx).steps)
    steps.push_back(model::formatStep(st) + model::formatExpectation(st.expect));
  return steps;
}

// The default world without setuid images or ktrace (smaller, and neither
// matters to stopping), with the progress property alone.
Judged judge(const std::string& variant) {
  model::Config config = model::Config::defaults();
  config.omitted |= model::familyBit(model::CallFamily::Ktrace);
  model::Kernel kernel(variantNamed(variant), config);
  properties::CheckedModel checked(kernel, {properties::PropertyId::StoppedDebuggeeCanResume});
  sim::Options options;
  options.recordGraph = true;
  Judged j{sim::explore(checked, options), {}, {}, {}, {}, {}};
  EXPECT_EQ(j.result.completion, sim::Completion::Complete);
  auto stuck =
      properties::stuckStates(*j.result.graph, properties::PropertyId::StoppedDebuggeeCanResume, checked);
  for (auto i : stuck)
    for (const auto& p : j.result.graph->state(i).world.proc)
      if (model::isLive(p) && (p.flag & KSIM_P_STOPPED_TRACE) != 0) j.stuckTracers.insert(p.pptr);
  if (auto cx = properties::shortestPathTo(*j.result.graph, stuck, strandedByUserProcess)) {
    cx->property = 0;
    j.userTracerSteps = stepsOf(checked, *cx);
  }
  if (auto cx = properties::shortestPathTo(*j.result.graph, stuck, strandedWithNotrace)) {
    cx->property = 0;
    j.notraceSteps = stepsOf(checked, *cx);
  }
  properties::judgeProgress(checked, j.result);
  if (!j.result.counterexamples.empty()) {
    j.steps = stepsOf(checked, j.result.counterexamples[0]);
    j.message = properties::concretize(checked, j.result.counterexamples[0]).message;
  }
  return j;
}

/* rfc-2014: A: PT_TRACE_ME (init traces it); A: kill(A, SIGQUIT): A stops for init, which never answers */
TEST(ProgressTest, TraceMeUnderInitStrandsTheDebuggee) {
  Judged j = judge("rfc-2014");
  EXPECT_EQ(j.result.verdicts[0], sim::Verdict::Violated);
  EXPECT_EQ(j.steps, (std::vector<std::string>{"A ptrace PT_TRACE_ME = 0", "A kill A SIGQUIT = 0"}));
  EXPECT_EQ(j.message,
            "A (pid 102) is stopped for its tracer init (pid 1), and no sequence of steps resumes it unless "
            "a process dies");
}

/* rfc-2014: A forks A.1; A.1 disables, asks A to trace it and stops; A cannot continue it (p_candebug: EPERM)
 */
TEST(ProgressTest, TraceMeAfterDisableStrandsTheDebuggeeWithItsParent) {
  Judged j = judge("rfc-2014");
  EXPECT_EQ(j.notraceSteps, (std::vector<std::string>{
                                "A fork A.1 = sleeping",
                                "A fork-finish = A.1",
                                "A.1 procctl P_PID A.1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0",
                                "A.1 ptrace PT_TRACE_ME = 0",
                                "A.1 kill A.1 SIGQUIT = 0",
                            }));
  // The other trap with a user tracer is as old as ptrace: two processes
  // tracing each other, both stopped.
  EXPECT_EQ(j.userTracerSteps.size(), 5u);
}

/* Seeded stuck-debuggee bug: p_candebug refuses a stopped tracee: A.1 asks A to trace it, stops, and A cannot
 * continue it */
TEST(ProgressTest, StuckDebuggeeBugIsCaught) {
  Judged j = judge("bug-candebug-refuses-stopped-debuggee");
  EXPECT_EQ(j.result.verdicts[0], sim::Verdict::Violated);
  // Shorter than any trap rfc-2014 has with a user process as tracer (5).
  EXPECT_EQ(j.userTracerSteps, (std::vector<std::string>{
                                   "A fork A.1 = sleeping",
                                   "A fork-finish = A.1",
                                   "A.1 ptrace PT_TRACE_ME = 0",
                                   "A.1 kill A.1 SIGQUIT = 0",
                               }));
}

/* The explored graph of a search without progress properties is not kept (memory) */
TEST(ProgressTest, GraphIsRecordedOnlyForProgressProperties) {
  model::Kernel kernel(variantNamed("rfc-2014"), model::Config::defaults());
  EXPECT_FALSE(
      properties::needsGraph(properties::CheckedModel(kernel, {properties::PropertyId::TreeConsistent})));
  EXPECT_TRUE(
      properties::needsGraph(properties::CheckedModel(kernel, {properties::PropertyId::VforkParentWakes})));
}

/* A stop requested before the judgement (a Ctrl-C while it runs) leaves every progress property
 * UNKNOWN without a counterexample, and says so; the search's own verdicts stay.  The same graph
 * judged without a stop decides one of them, so the stop is what made them UNKNOWN. */
TEST(ProgressTest, StoppedJudgementLeavesTheProgressPropertiesUnknown) {
  model::Config config = model::Config::defaults();
  config.omitted |= model::familyBit(model::CallFamily::Ktrace);
  model::Kernel kernel(variantNamed("rfc-2014"), config);
  using properties::PropertyId;
  const std::vector<PropertyId> ids{PropertyId::KernelAssertion, PropertyId::StoppedDebuggeeCanResume,
                                    PropertyId::VforkParentWakes, PropertyId::OwnerCanLeaveTraceState,
                                    PropertyId::RootCanUndo};
  properties::CheckedModel checked(kernel, ids);
  sim::Options options;
  options.recordGraph = true;
  options.bounds.maxDepth = 4;
  const auto searched = sim::explore(checked, options);
  ASSERT_EQ(searched.completion, sim::Completion::DepthBound);

  auto judged = searched;
  EXPECT_TRUE(properties::judgeProgress(checked, judged));
  EXPECT_EQ(judged.verdicts[1], sim::Verdict::Violated) << "stopped-debuggee-can-resume within 4 steps";

  const std::atomic<bool> stop{true};
  auto stopped = searched;
  EXPECT_FALSE(properties::judgeProgress(checked, stopped, true, 2, &stop));
  EXPECT_EQ(stopped.verdicts[0], searched.verdicts[0]);
  for (std::size_t k = 1; k < ids.size(); ++k) EXPECT_EQ(stopped.verdicts[k], sim::Verdict::Unknown) << k;
  for (const auto& cx : stopped.counterexamples) EXPECT_EQ(cx.property, 0u);
  EXPECT_EQ(stopped.counterexamples.size(), searched.counterexamples.size());
}

// The state the default world reaches by these steps (slot 2 is A, a
// fork's child takes the lowest free slot).
model::State reached(const model::Kernel& kernel, const std::vector<model::Action>& steps) {
  model::State s = kernel.initial();
  for (const model::Action& a : steps) {
    EXPECT_TRUE(kernel.canAct(s, a));
    s = kernel.step(s, a).next;
  }
  return s;
}

constexpr std::uint8_t kA = 2, kChild = 3;
const model::Action kFork{.actor = kA, .call = model::Call::Fork};
const model::Action kForkFinish{.actor = kA, .call = model::Call::ForkFinish};
const model::Action kChildTraceMe{.actor = kChild, .call = model::Call::Ptrace, .op = model::kPtTraceMe};
const model::Action kChildDisables{.actor = kChild,
                                   .call = model::Call::Procctl,
                                   .target = kChild,
                                   .op = model::kProcTraceEnable,
                                   .idtype = KSIM_P_PID,
                                   .data = KSIM_PROC_TRACE_SET_DISABLED};

const model::Action kChildStopsItself{
    .actor = kChild, .call = model::Call::Kill, .target = kChild, .data = KSIM_SIGQUIT};

// Explores every continuation of the state (without ktrace and vfork, which
// neither trap nor free a debuggee here, to keep the test quick).
bool ownerTrapped(const std::string& variant, const std::vector<model::Action>& steps) {
  model::Config config = model::Config::defaults();
  for (auto f : {model::CallFamily::Ktrace, model::CallFamily::KtraceInherit, model::CallFamily::Vfork})
    config.omitted |= model::familyBit(f);
  model::Kernel kernel(variantNamed(variant), config);
  auto trap = properties::isTrap(kernel, reached(kernel, steps),
                                 properties::PropertyId::OwnerCanLeaveTraceState, 2'000'000);
  EXPECT_TRUE(trap.has_value()) << "undecided";
  return trap.value_or(false);
}

/* A child asks its parent to trace it: alice can stop it, and the parent detaches it */
TEST(ProgressTest, OwnerCanUntraceAChildThatAskedToBeTraced) {
  EXPECT_FALSE(ownerTrapped("rfc-2014", {kFork, kForkFinish, kChildTraceMe}));
}

/* The same after the child disabled tracing: its PROC_TRACE_SET_ENABLED is refused (EBUSY) and so is the
 * parent's PT_DETACH (p_candebug: EPERM), but an exec clears P2_NOTRACE and the parent can detach it then */
TEST(ProgressTest, OwnerCanUntraceADisabledChildThroughExec) {
  EXPECT_FALSE(ownerTrapped("rfc-2014", {kFork, kForkFinish, kChildDisables, kChildTraceMe}));
}

/* Once that child stops for its tracer it cannot exec, and the parent may not continue it: traced with
 * tracing disabled for good */
TEST(ProgressTest, OwnerCannotUntraceADisabledChildStoppedForItsParent) {
  EXPECT_TRUE(
      ownerTrapped("rfc-2014", {kFork, kForkFinish, kChildDisables, kChildTraceMe, kChildStopsItself}));
}

/* A disabled process that nobody traces enables itself again */
TEST(ProgressTest, OwnerCanReenableTracing) {
  EXPECT_FALSE(ownerTrapped("rfc-2014", {kFork, kForkFinish, kChildDisables}));
}

/* The review world (root, alice and bob): A asks init to trace it and execs.  Only alice's steps can free
 * it, so the trap is decided on those alone: a few states, where every user's continuations number
 * millions */
TEST(ProgressTest, OwnerTrapIsJudgedOnTheOwnersStepsAlone) {
  model::Config config = model::Config::defaults();
  config.processes = {{"R", "root", "R"}, {"A", "alice", "A"}, {"M", "bob", "M"}};
  config.maxUserProcs = 4;
  model::Kernel kernel(variantNamed("rfc-2014"), config);
  constexpr std::uint8_t kAlice = 3;
  const model::State s =
      reached(kernel, {{.actor = kAlice, .call = model::Call::Ptrace, .op = model::kPtTraceMe},
                       {.actor = kAlice, .call = model::Call::Exec}});
  std::uint64_t explored = 0;
  auto trap =
      properties::isTrap(kernel, s, properties::PropertyId::OwnerCanLeaveTraceState, 10'000, &explored);
  ASSERT_TRUE(trap.has_value()) << "undecided after " << explored << " states";
  EXPECT_TRUE(*trap);
  // Bob's process, traced by its real parent init the same way, is bob's alone to answer for: the same.
  const model::State t = reached(kernel, {{.actor = 4, .call = model::Call::Ptrace, .op = model::kPtTraceMe},
                                          {.actor = 4, .call = model::Call::Exec}});
  EXPECT_EQ(properties::isTrap(kernel, t, properties::PropertyId::OwnerCanLeaveTraceState, 10'000), true);
}

/* Root disables tracing of alice's A across exec and ktraces it: A's PROC_TRACE_SET_ENABLED is refused
 * with EBUSY until root clears its ktrace, which is root's to do.  Excused for alice, not a trap; once A
 * disabled tracing itself and is only ktraced by itself, nothing excuses it (it can clear its own ktrace) */
TEST(ProgressTest, TracingDisabledUnderRootsKtraceIsRootsToRelease) {
  model::Config config = model::Config::defaults();
  config.processes = {{"R", "root", "R"}, {"A", "alice", "A"}, {"M", "bob", "M"}};
  config.maxUserProcs = 4;
  model::Kernel kernel(variantNamed("freebsd-current"), config);
  constexpr std::uint8_t kRoot = 2, kAlice = 3;
  const model::Action rootDisablesAlice{.actor = kRoot,
                                        .call = model::Call::Procctl,
                                        .target = kAlice,
                                        .op = model::kProcTraceEnable,
                                        .idtype = KSIM_P_PID,
                                        .data = KSIM_PROC_TRACE_SET_DISABLED_EXEC};
  const model::Action rootKtracesAlice{
      .actor = kRoot, .call = model::Call::Ktrace, .target = kAlice, .op = model::kKtrSet};
  const model::State s = reached(kernel, {rootDisablesAlice, rootKtracesAlice});
  ASSERT_NE(s.world.proc[kAlice].traceflag, 0) << "root's ktrace of A did not take";
  EXPECT_EQ(properties::isTrap(kernel, s, properties::PropertyId::OwnerCanLeaveTraceState, 10'000), false);
}

// A world of A and B (alice), maxproc 3, whose explorer only exits, waits,
// ptraces and kills (what could free a sleeping vfork parent or a stopped
// debuggee; to keep the tests quick): slot 2 is A, 3 is B, and A's child
// takes slot 4.
model::Kernel twoProcessKernel(const std::string& variant, const std::string& userOfB = "alice") {
  model::Config config = model::Config::defaults();
  config.processes = {{"A", "alice", "A"}, {"B", userOfB, "B"}};
  config.maxUserProcs = 3;
  for (auto f : {model::CallFamily::Ktrace, model::CallFamily::KtraceInherit, model::CallFamily::ExecSetuid,
                 model::CallFamily::Procctl, model::CallFamily::BadArguments, model::CallFamily::Fork,
                 model::CallFamily::Vfork, model::CallFamily::Exec, model::CallFamily::PtraceSignal})
    config.omitted |= model::familyBit(f);
  return model::Kernel(variantNamed(variant), config);
}

constexpr std::uint8_t kB = 3, kVforkChild = 4;
const model::Action kVfork{.actor = kA, .call = model::Call::Vfork};
const model::Action kBKillsVforkChild{
    .actor = kB, .call = model::Call::Kill, .target = kVforkChild, .data = KSIM_SIGQUIT};
const model::Action kVforkChildTraceMe{
    .actor = kVforkChild, .call = model::Call::Ptrace, .op = model::kPtTraceMe};
const model::Action kVforkChildTakesSignal{.actor = kVforkChild, .call = model::Call::TakeSignal};

bool trapped(const model::Kernel& kernel, const std::vector<model::Action>& steps,
             properties::PropertyId id) {
  auto trap = properties::isTrap(kernel, reached(kernel, steps), id, 2'000'000);
  EXPECT_TRUE(trap.has_value()) << "undecided";
  return trap.value_or(false);
}

/* A sleeps in vfork for A.1, and B has sent A.1 a fatal signal: A wakes only when A.1 dies, which nobody can
 * prevent any more.  The state is excused, not reported */
TEST(ProgressTest, VforkParentOfADyingChildIsNotReported) {
  model::Kernel kernel = twoProcessKernel("proposed");
  EXPECT_FALSE(
      trapped(kernel, {kVfork, kForkFinish, kBKillsVforkChild}, properties::PropertyId::VforkParentWakes));
}

/* The same when A.1 asked its sleeping parent to trace it: P_PPTRACE, so the signal does not stop it for A
 * (as in FreeBSD's issignal) and it dies; its trace state goes with it, and A is not stuck either */
TEST(ProgressTest, VforkChildTracedByItsSleepingParentDiesOfASignal) {
  model::Kernel kernel = twoProcessKernel("proposed");
  const std::vector<model::Action> steps{kVfork, kForkFinish, kVforkChildTraceMe, kBKillsVforkChild};
  EXPECT_FALSE(trapped(kernel, steps, properties::PropertyId::OwnerCanLeaveTraceState));
  EXPECT_FALSE(trapped(kernel, steps, properties::PropertyId::VforkParentWakes));
  model::State s = reached(kernel, steps);
  s = kernel.step(s, kVforkChildTakesSignal).next;
  EXPECT_EQ(s.world.proc[kVforkChild].state, KSIM_PRS_ZOMBIE);
  EXPECT_EQ(s.world.proc[kA].pc, KSIM_PC_NONE);
}

/* B attaches the vforked A.1 and exits: exit1 kills B's debuggees (SIGKILL), so A.1's death, and A's wake-up,
 * are certain.  No trap (a false alarm once: issue "every distinct defect") */
TEST(ProgressTest, VforkParentOfAChildWhoseDebuggerExitedIsNotReported) {
  model::Kernel kernel = twoProcessKernel("rfc-2014");
  const std::vector<model::Action> steps{
      kVfork,
      kForkFinish,
      {.actor = kB, .call = model::Call::Ptrace, .target = kVforkChild, .op = model::kPtAttach},
      {.actor = kB, .call = model::Call::Exit}};
  const model::State s = reached(kernel, steps);
  ASSERT_NE(s.world.proc[kVforkChild].sigpend & KSIM_SIGBIT_KILL, 0u) << "exit1 did not kill the debuggee";
  EXPECT_FALSE(trapped(kernel, steps, properties::PropertyId::VforkParentWakes));
  EXPECT_FALSE(trapped(kernel, steps, properties::PropertyId::StoppedDebuggeeCanResume));
}

/* Excusing the state of the dying child hides no other trap: rfc-2014 lets B ask init to trace it and stop;
 * that is excused while A waits for the dying A.1, and reported in the state after A.1's death */
TEST(ProgressTest, TrapBesideADyingVforkChildIsReportedAfterTheDeath) {
  model::Kernel kernel = twoProcessKernel("rfc-2014");
  const model::Action bTraceMe{.actor = kB, .call = model::Call::Ptrace, .op = model::kPtTraceMe};
  const model::Action bStopsItself{
      .actor = kB, .call = model::Call::Kill, .target = kB, .data = KSIM_SIGQUIT};
  std::vector<model::Action> steps{kVfork, kForkFinish, kBKillsVforkChild, bTraceMe, bStopsItself};
  EXPECT_FALSE(trapped(kernel, steps, properties::PropertyId::StoppedDebuggeeCanResume));
  steps.push_back(kVforkChildTakesSignal);
  EXPECT_TRUE(trapped(kernel, steps, properties::PropertyId::StoppedDebuggeeCanResume));
}

/* B (root) disables A's tracing; A vforks A.1; B attaches A.1, which stops for it (ksim check found this
 * state in the review world before the excuse).  A, disabled, sleeps until root lets A.1 go on: that is
 * root's to undo, as a trace root set up would be, and alice is not reported trapped */
TEST(ProgressTest, OwnerWaitingForAChildAnotherUserHoldsIsNotReported) {
  model::Kernel kernel = twoProcessKernel("proposed", "root");
  EXPECT_FALSE(trapped(
      kernel,
      {kVfork,
       {.actor = kB,
        .call = model::Call::Procctl,
        .target = kA,
        .op = model::kProcTraceEnable,
        .idtype = KSIM_P_PID,
        .data = KSIM_PROC_TRACE_SET_DISABLED},
       kForkFinish,
       {.actor = kB, .call = model::Call::Ptrace, .target = kVforkChild, .op = model::kPtAttach},
       {.actor = kVforkChild, .call = model::Call::Kill, .target = kVforkChild, .data = KSIM_SIGQUIT}},
      properties::PropertyId::OwnerCanLeaveTraceState));
}

/* Review world, depth 7: A.1 attaches its parent A; R (root) attaches A.1; both stop.  A is traced by A.1,
 * which only root can resume: root's to undo, not reported for alice */
TEST(ProgressTest, OwnerWhoseDebuggerAnotherUserHoldsIsNotReported) {
  model::Kernel kernel = twoProcessKernel("proposed", "root");
  EXPECT_FALSE(
      trapped(kernel,
              {kFork,
               kForkFinish,
               {.actor = kVforkChild, .call = model::Call::Ptrace, .target = kA, .op = model::kPtAttach},
               {.actor = kB, .call = model::Call::Ptrace, .target = kVforkChild, .op = model::kPtAttach},
               {.actor = kVforkChild, .call = model::Call::TakeSignal},
               {.actor = kA, .call = model::Call::TakeSignal}},
              properties::PropertyId::OwnerCanLeaveTraceState));
}

}  // namespace

namespace {

// Whether each sampled state of a complete search is a trap for the property, judged two ways: on the
// whole graph (stuckStates), and on the state's own continuations (isTrap, which ends its search at
// the first state where the owner's goal is met).  Returns the states where they disagree.
std::vector<std::string> trapsDisagree(const std::string& variant, model::Config config,
                                       properties::PropertyId id, sim::StateIndex every) {
  config.reduction = false;  // a state's owners are followed by name, as isTrap follows them
  model::Kernel kernel(variantNamed(variant), config);
  properties::CheckedModel checked(kernel, {id});
  sim::Options options;
  options.recordGraph = true;
  const auto result = sim::explore(checked, options);
  EXPECT_EQ(result.completion, sim::Completion::Complete);
  const auto stuckList = properties::stuckStates(*result.graph, id, checked);
  const std::set<sim::StateIndex> stuck(stuckList.begin(), stuckList.end());
  EXPECT_FALSE(stuck.empty()) << "no trap: the comparison would prove little";
  std::vector<std::string> disagree;
  std::size_t traps = 0;
  for (sim::StateIndex i = 0; i < result.graph->stateCount(); ++i) {
    if (i % every != 0) continue;
    const std::optional<bool> trap = properties::isTrap(kernel, result.graph->state(i), id, 1'000'000);
    traps += trap.value_or(false);
    if (trap != stuck.contains(i))
      disagree.push_back(std::to_string(i) +
                         (stuck.contains(i) ? ": stuck on the graph" : ": free on the graph"));
  }
  EXPECT_GT(traps, 0u);
  return disagree;
}

}  // namespace

/* owner-can-leave-trace-state judged from one state ends at the first state where the owner has left
 * its trace state: so judged, a state is a trap exactly when the complete graph says so.  Every state of
 * a process that cannot fork, and a sample of the states of one that may fork once */
TEST(ProgressTest, OwnerTrapFromAStateAgreesWithTheWholeGraph) {
  model::Config config = model::Config::defaults();
  for (auto f : {model::CallFamily::Ktrace, model::CallFamily::KtraceInherit, model::CallFamily::Vfork})
    config.omitted |= model::familyBit(f);
  config.maxUserProcs = 1;
  EXPECT_EQ(trapsDisagree("rfc-2014", config, properties::PropertyId::OwnerCanLeaveTraceState, 1),
            std::vector<std::string>{});
  config.maxUserProcs = 2;
  EXPECT_EQ(trapsDisagree("rfc-2014", config, properties::PropertyId::OwnerCanLeaveTraceState, 2'999),
            std::vector<std::string>{});
}
