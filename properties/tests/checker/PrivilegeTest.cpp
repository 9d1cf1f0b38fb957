// Privilege properties: what root can always do (root-can-debug, a step
// property) and what the owner's and root's processes together can undo
// (root-can-undo, judged on the graph), per design, from FreeBSD's rules:
// root passes every p_candebug() test but P2_NOTRACE's where the design
// has no PRIV_DEBUG_DENIED override, and only a process itself may
// re-enable its tracing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checker/Checker.hpp"
#include "checker/Progress.hpp"
#include "ksim/flags.h"
#include "ksim/registry.h"
#include "model/Scenario.hpp"
#include "ModelTestSupport.hpp"

namespace {

using properties::PropertyId;

using model::test::variantNamed;

// R (root) in slot 2, A (alice) in slot 3; B (bob) in slot 4 if asked.
constexpr std::uint8_t kR = 2, kA = 3, kB = 4;

model::Config rootWorld(bool withBob = false) {
  model::Config config = model::Config::defaults();
  config.processes = {{"R", "root", "R"}, {"A", "alice", "A"}};
  if (withBob) config.processes.push_back({"B", "bob", "B"});
  config.maxUserProcs = withBob ? 3 : 2;
  // About R and A: the swapper and init, which the *-system families
  // aim at, have tests of their own (SystemTargetsTest).  With them the
  // RFC's first refusal of root is the same two steps on the swapper
  // (P_PID 0 finds it in 2014; p_candebug's EPERM comes before P_SYSTEM's
  // EINVAL).
  for (model::CallFamily f :
       {model::CallFamily::PtraceSystem, model::CallFamily::KtraceSystem, model::CallFamily::KillSystem})
    config.omitted |= model::familyBit(f);
  return config;
}

model::Action disable(std::uint8_t actor, std::uint8_t target) {
  return {.actor = actor,
          .call = model::Call::Procctl,
          .target = target,
          .op = model::kProcTraceEnable,
          .idtype = KSIM_P_PID,
          .data = KSIM_PROC_TRACE_SET_DISABLED};
}
const model::Action kRootAttachesA{.actor = kR, .call = model::Call::Ptrace, .target = kA, .op = model::kPtAttach};
const model::Action kRootKtracesA{.actor = kR, .call = model::Call::Ktrace, .target = kA, .op = model::kKtrSet};

struct Stepped {
  model::StepResult result;
  std::vector<properties::PropertyFinding> findings;
};

// Takes `steps`, then `last`, and judges `last` with the step properties.
Stepped judgeLast(const model::Kernel& kernel, const std::vector<model::Action>& steps, const model::Action& last) {
  model::State s = kernel.initial();
  for (const model::Action& a : steps) {
    EXPECT_TRUE(kernel.canAct(s, a));
    s = kernel.step(s, a).next;
  }
  Stepped out{kernel.step(s, last), {}};
  properties::Design design{kernel.variant().design, kernel.config().sysctls};
  properties::checkStep(s, last, out.result, out.findings, {}, design);
  return out;
}

bool reports(const Stepped& st, PropertyId id) {
  for (const auto& f : st.findings)
    if (f.property == id) return true;
  return false;
}

/* A disables its tracing; R (root) attaches and ktraces it.  Where root's PRIV_DEBUG_DENIED overrides P2_NOTRACE
 * (committed-2015, freebsd-current, proposed) both succeed; rfc-2014 refuses root with EPERM (violated, by
 * design); pre-patch has no P2_NOTRACE (the disable itself is EINVAL) */
TEST(PrivilegeTest, RootIsRefusedADisabledProcessOnlyWhereNoPrivilegeOverridesIt) {
  struct Expected {
    const char* variant;
    int error;
  };
  for (const Expected& e : {Expected{"rfc-2014", KSIM_EPERM}, Expected{"proposed", 0},
                            Expected{"committed-2015", 0}, Expected{"freebsd-current", 0},
                            Expected{"pre-patch", 0}}) {
    SCOPED_TRACE(e.variant);
    model::Kernel kernel(variantNamed(e.variant), rootWorld());
    for (const model::Action& last : {kRootAttachesA, kRootKtracesA}) {
      Stepped st = judgeLast(kernel, {disable(kA, kA)}, last);
      ASSERT_EQ(st.result.outcome, model::Outcome::Returned);
      EXPECT_EQ(st.result.error, e.error);
      EXPECT_EQ(reports(st, PropertyId::RootCanDebug), e.error == KSIM_EPERM);
    }
  }
}

/* Refusals that are no denial of privilege: root attaching itself (EINVAL) or a process already traced (EBUSY) */
TEST(PrivilegeTest, EinvalAndEbusyAreNoPrivilegeRefusals) {
  model::Kernel kernel(variantNamed("rfc-2014"), rootWorld());
  Stepped self = judgeLast(kernel, {}, {.actor = kR, .call = model::Call::Ptrace, .target = kR, .op = model::kPtAttach});
  EXPECT_EQ(self.result.error, KSIM_EINVAL);
  EXPECT_FALSE(reports(self, PropertyId::RootCanDebug));
  Stepped busy = judgeLast(kernel, {{.actor = kA, .call = model::Call::Ptrace, .op = model::kPtTraceMe}},
                           kRootAttachesA);
  EXPECT_EQ(busy.result.error, KSIM_EBUSY);
  EXPECT_FALSE(reports(busy, PropertyId::RootCanDebug));
}

/* Above securelevel 0 p_candebug refuses init to root too: FreeBSD's rule, not the design's */
TEST(PrivilegeTest, InitAboveSecurelevelZeroIsNoViolation) {
  model::Config config = rootWorld();
  config.sysctls.securelevel = 1;
  model::Kernel kernel(variantNamed("freebsd-current"), config);
  Stepped st =
      judgeLast(kernel, {}, {.actor = kR, .call = model::Call::Ptrace, .target = KSIM_SLOT_INIT, .op = model::kPtAttach});
  EXPECT_EQ(st.result.error, KSIM_EPERM);
  EXPECT_FALSE(reports(st, PropertyId::RootCanDebug));
}

struct Outcome {
  sim::Verdict verdict = sim::Verdict::Unknown;
  std::vector<std::string> steps;
  std::string message;
};

Outcome check(const std::string& variant, const model::Config& config, PropertyId id, std::uint64_t depth) {
  model::Kernel kernel(variantNamed(variant), config);
  properties::CheckedModel checked(kernel, {id});
  sim::Options options;
  options.bounds.maxDepth = depth;
  options.recordGraph = properties::needsGraph(checked);
  auto result = sim::explore(checked, options);
  if (options.recordGraph) properties::judgeProgress(checked, result);
  Outcome out{result.verdicts.at(0), {}, {}};
  if (!result.counterexamples.empty()) {
    auto trace = properties::concretize(checked, result.counterexamples[0]);
    for (const auto& st : trace.steps) out.steps.push_back(model::formatStep(st) + model::formatExpectation(st.expect));
    out.message = trace.message;
  }
  return out;
}

// Every design (the registry's variants of kind "design") keeps the property in the world to the depth: the
// bounded search finds no counterexample.
// The variant keeps the property in the world to the depth: the bounded search finds no counterexample.
void expectNoCounterexample(const std::string& variant, const model::Config& config, PropertyId id,
                            std::uint64_t depth) {
  EXPECT_EQ(check(variant, config, id, depth).verdict, sim::Verdict::Unknown) << variant;
}

void expectEveryDesignKeeps(const model::Config& config, PropertyId id, std::uint64_t depth) {
  unsigned designs = 0;
  for (unsigned i = 0; i < ksim_variant_count; ++i) {
    if (std::string(ksim_variant_table[i].kind) != "design") continue;
    expectNoCounterexample(ksim_variant_table[i].variant->name, config, id, depth);
    ++designs;
  }
  EXPECT_GT(designs, 1u) << "the registry lists no designs to check";
}

// The seeded bug violates the property in the world, and its shortest counterexample is these steps, ending
// with this message.
void expectCaught(const std::string& bug, const model::Config& config, PropertyId id,
                  const std::vector<std::string>& steps, const std::string& message) {
  Outcome o = check(bug, config, id, steps.size() + 1);
  EXPECT_EQ(o.verdict, sim::Verdict::Violated) << bug;
  EXPECT_EQ(o.steps, steps) << bug;
  EXPECT_EQ(o.message, message) << bug;
}

/* The search finds root refused in rfc-2014 in two steps: root itself may disable tracing of A (p_cansee()),
 * and is then refused A like anyone else */
TEST(PrivilegeTest, SearchFindsRootRefusedInTheRfc) {
  Outcome o = check("rfc-2014", rootWorld(), PropertyId::RootCanDebug, 2);
  EXPECT_EQ(o.verdict, sim::Verdict::Violated);
  EXPECT_EQ(o.steps, (std::vector<std::string>{"R procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0",
                                               "R ptrace PT_ATTACH A = EPERM"}));
  EXPECT_EQ(o.message,
            "R (pid 102), with euid 0, was refused PT_ATTACH of A (pid 103) with EPERM: it has P2_NOTRACE, and "
            "the design lets no privilege override it");
  EXPECT_NE(check("committed-2015", rootWorld(), PropertyId::RootCanDebug, 3).verdict, sim::Verdict::Violated);
}

/* Seeded bug: committed-2015 without its PRIV_DEBUG_DENIED test is caught by root-can-debug, as soon as rfc-2014 */
TEST(PrivilegeTest, DroppedPrivilegeOverrideIsCaught) {
  Outcome o = check("bug-notrace-denies-root", rootWorld(), PropertyId::RootCanDebug, 3);
  EXPECT_EQ(o.verdict, sim::Verdict::Violated);
  EXPECT_EQ(o.steps, (std::vector<std::string>{"R procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0",
                                               "R ptrace PT_ATTACH A = EPERM"}));
}

// Alice and bob, one process each: neither may debug the other's (their uids and groups differ).
model::Config aliceAndBob() {
  model::Config config = model::Config::defaults();
  config.processes = {{"A", "alice", "A"}, {"M", "bob", "M"}};
  config.maxUserProcs = 2;
  return config;
}

/* Isolation: no design lets alice attach or ktrace bob's process (to depth 4, init and the swapper
 * among the targets); the seeded bug without p_candebug's different-credentials test (uidsubset,
 * grpsubset, PRIV_DEBUG_DIFFCRED) lets her attach it at once */
TEST(PrivilegeTest, DifferentCredentialsKeepUsersApart) {
  expectEveryDesignKeeps(aliceAndBob(), PropertyId::UnprivilegedCannotDebugOthers, 4);
  expectCaught("bug-candebug-ignores-credentials", aliceAndBob(), PropertyId::UnprivilegedCannotDebugOthers,
               {"A ptrace PT_ATTACH M = 0"},
               "A (pid 102), run by alice, attached to M (pid 103), run by bob");
}

/* kern.securelevel=1: p_candebug() refuses to debug init, root included ("Can't trace init when securelevel >
 * 0"). No design lets root attach or ktrace init (to depth 3); the seeded bug without that test lets root
 * attach it at once, and at the default securelevel (-1) the same step is no finding */
TEST(PrivilegeTest, SecurelevelKeepsEveryoneFromDebuggingInit) {
  model::Config config = rootWorld();
  // Init among the targets of ptrace and ktrace.
  config.omitted &= ~(model::familyBit(model::CallFamily::PtraceSystem) |
                      model::familyBit(model::CallFamily::KtraceSystem));
  ASSERT_TRUE(config.setSysctl("kern.securelevel", 1));
  expectEveryDesignKeeps(config, PropertyId::InitUndebuggableAtSecurelevel, 3);
  expectCaught("bug-candebug-ignores-securelevel", config, PropertyId::InitUndebuggableAtSecurelevel,
               {"R ptrace PT_ATTACH init = 0"},
               "R (pid 102) attached to init (pid 1) while kern.securelevel is 1");
  model::Config defaultLevel = config;
  ASSERT_TRUE(defaultLevel.setSysctl("kern.securelevel", -1));
  expectNoCounterexample("bug-candebug-ignores-securelevel", defaultLevel,
                         PropertyId::InitUndebuggableAtSecurelevel, 3);
}

/* security.bsd.unprivileged_proc_debug=0 refuses an unprivileged process every other process, its own user's
 * included (p_candebug's PRIV_DEBUG_UNPRIV): no design lets one alice process attach or ktrace the other (to
 * depth 3); the seeded bug without that test lets A attach B at once */
TEST(PrivilegeTest, UnprivilegedProcDebugOffKeepsUsersFromTheirOwnProcesses) {
  model::Config config = model::Config::defaults();
  config.processes = {{"A", "alice", "A"}, {"B", "alice", "B"}};
  config.maxUserProcs = 2;
  ASSERT_TRUE(config.setSysctl("security.bsd.unprivileged_proc_debug", 0));
  expectEveryDesignKeeps(config, PropertyId::UnprivilegedCannotDebugOthers, 3);
  expectCaught("bug-candebug-ignores-unprivileged-proc-debug", config,
               PropertyId::UnprivilegedCannotDebugOthers, {"A ptrace PT_ATTACH B = 0"},
               "A (pid 102), run by alice, attached to B (pid 103), run by alice, while "
               "security.bsd.unprivileged_proc_debug is 0");
  // The tunable at FreeBSD's default: the same step is allowed, and is no finding.
  model::Config allowed = config;
  ASSERT_TRUE(allowed.setSysctl("security.bsd.unprivileged_proc_debug", 1));
  expectNoCounterexample("bug-candebug-ignores-unprivileged-proc-debug", allowed,
                         PropertyId::UnprivilegedCannotDebugOthers, 3);
}

/* kern.coredump=0: coredump() writes no core for anyone.  SIGQUIT kills A without a core in every design (to
 * depth 3); the seeded bug without the tunable's test writes one at once.  With set-user-id images,
 * kern.sugid_coredump=0 (FreeBSD's default) keeps a core of a P_SUGID process from being written in every
 * design, and the seeded bug without that test writes one once A has exec'd a setuid-root image */
TEST(PrivilegeTest, CoresAreWrittenOnlyWhereTheTunablesAllow) {
  model::Config config = model::Config::defaults();
  ASSERT_TRUE(config.setSysctl("kern.coredump", 0));
  expectEveryDesignKeeps(config, PropertyId::CoreOnlyWhereAllowed, 3);
  expectCaught("bug-coredump-ignores-kern-coredump", config, PropertyId::CoreOnlyWhereAllowed,
               {"A kill A SIGQUIT = 0"}, "a core file was written for A (pid 102) while kern.coredump is 0");

  model::Config setuid = model::Config::defaults();
  setuid.omitted &= ~model::familyBit(model::CallFamily::ExecSetuid);
  expectEveryDesignKeeps(setuid, PropertyId::CoreOnlyWhereAllowed, 4);
  expectCaught("bug-coredump-ignores-sugid", setuid, PropertyId::CoreOnlyWhereAllowed,
               {"A exec setuid-root = sleeping", "A exec-finish = 0", "A kill A SIGQUIT = 0"},
               "a core file was written for A (pid 102), which is set-user-id (P_SUGID), while "
               "kern.sugid_coredump is 0");
  // kern.sugid_coredump=1 lets it be written: no finding.
  ASSERT_TRUE(setuid.setSysctl("kern.sugid_coredump", 1));
  expectNoCounterexample("bug-coredump-ignores-sugid", setuid, PropertyId::CoreOnlyWhereAllowed, 4);
}

// R (root) and A (alice) whose steps are procctl, ptrace and exit (what
// could change or undo a trace state here): complete in a moment.
model::Config smallWorld() {
  model::Config config = rootWorld();
  for (auto f : {model::CallFamily::Ktrace, model::CallFamily::KtraceInherit, model::CallFamily::Vfork,
                 model::CallFamily::Fork, model::CallFamily::BadArguments, model::CallFamily::Exec,
                 model::CallFamily::Wait, model::CallFamily::Kill, model::CallFamily::PtraceFollowFork,
                 model::CallFamily::PtraceEventMask, model::CallFamily::PtraceSignal})
    config.omitted |= model::familyBit(f);
  return config;
}

/* rfc-2014 and committed-2015 let alice disable tracing of init (p_cansee() alone): init never calls procctl,
 * and PROC_TRACE_SET_ENABLED for another process is EPERM even for root.  Nobody can undo it.  freebsd-current
 * and proposed refuse alice (p_candebug()), and pre-patch has no such state: the property holds */
TEST(PrivilegeTest, UnprivilegedDisableOfInitIsUndoableByNobody) {
  Outcome rfc = check("rfc-2014", smallWorld(), PropertyId::RootCanUndo, 0);
  EXPECT_EQ(rfc.verdict, sim::Verdict::Violated);
  EXPECT_EQ(rfc.steps,
            (std::vector<std::string>{"A procctl P_PID init PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0"}));
  EXPECT_EQ(rfc.message,
            "init (pid 1) has tracing disabled (owner root); and no sequence of steps by the owner's processes and "
            "root's, in which no process dies or is doomed, clears it");
  Outcome committed = check("committed-2015", smallWorld(), PropertyId::RootCanUndo, 0);
  EXPECT_EQ(committed.verdict, sim::Verdict::Violated);
  EXPECT_EQ(committed.steps.size(), 1u);
  for (const char* v : {"freebsd-current", "proposed", "pre-patch"}) {
    SCOPED_TRACE(v);
    EXPECT_EQ(check(v, smallWorld(), PropertyId::RootCanUndo, 0).verdict, sim::Verdict::Holds);
  }
}

/* A bounded search counts its unexpanded states as ways out, so its graph alone cannot prove a trap while root's
 * process can still act: the candidate step is confirmed on its own continuations, and the one-step
 * counterexample is found at depth 2 with R alive.  A step that gives no trace state and blames nobody falsely:
 * freebsd-current stays UNKNOWN */
TEST(PrivilegeTest, BoundedSearchConfirmsTheStepOnItsContinuations) {
  model::Config config = smallWorld();
  for (auto f : {model::CallFamily::Exec, model::CallFamily::Exit, model::CallFamily::Wait})
    config.omitted &= ~model::familyBit(f);
  config.processes.push_back({"M", "bob", "M"});
  config.maxUserProcs = 3;
  Outcome rfc = check("rfc-2014", config, PropertyId::RootCanUndo, 2);
  EXPECT_EQ(rfc.verdict, sim::Verdict::Violated);
  EXPECT_EQ(rfc.steps,
            (std::vector<std::string>{"A procctl P_PID init PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0"}));
  EXPECT_EQ(check("freebsd-current", config, PropertyId::RootCanUndo, 3).verdict, sim::Verdict::Unknown);
}

model::State reached(const model::Kernel& kernel, const std::vector<model::Action>& steps) {
  model::State s = kernel.initial();
  for (const model::Action& a : steps) s = kernel.step(s, a).next;
  return s;
}

/* Replay judges the last step: alice's disable of init is a trap nobody undoes; without the step (or in
 * freebsd-current, where it fails) nothing is reported.  Bob's process disabled by alice is bob's to re-enable */
TEST(PrivilegeTest, ReplayJudgesTheStepThatLeftTheState) {
  model::Config config = smallWorld();
  config.processes.push_back({"B", "bob", "B"});
  config.maxUserProcs = 3;
  for (const char* v : {"rfc-2014", "freebsd-current"}) {
    SCOPED_TRACE(v);
    model::Kernel kernel(variantNamed(v), config);
    const model::State before = kernel.initial();
    const model::Action aliceDisablesInit = disable(kA, KSIM_SLOT_INIT);
    const model::State after = reached(kernel, {aliceDisablesInit});
    auto trap = properties::isTrap(kernel, after, PropertyId::RootCanUndo, 200'000, nullptr, &before,
                                   &aliceDisablesInit);
    ASSERT_TRUE(trap.has_value());
    EXPECT_EQ(*trap, std::string(v) == "rfc-2014");
    EXPECT_EQ(properties::isTrap(kernel, after, PropertyId::RootCanUndo, 200'000), false);
  }
  model::Kernel kernel(variantNamed("rfc-2014"), config);
  const model::State before = kernel.initial();
  const model::Action aliceDisablesBob = disable(kA, kB);
  const model::State after = reached(kernel, {aliceDisablesBob});
  ASSERT_NE(after.world.proc[kB].flag2 & KSIM_P2_NOTRACE, 0u);
  EXPECT_EQ(properties::isTrap(kernel, after, PropertyId::RootCanUndo, 200'000, nullptr, &before, &aliceDisablesBob),
            false);
}

}  // namespace

namespace {

bool stateReports(const model::test::ScenarioRun& run, PropertyId id) {
  std::vector<properties::PropertyFinding> findings;
  properties::Design design{run.kernel().variant().design, run.kernel().config().sysctls};
  properties::checkState(run.state(), findings, {}, design);
  for (const auto& f : findings)
    if (f.property == id) return true;
  return false;
}

/* notrace-never-traced where PRIV_DEBUG_DENIED overrides P2_NOTRACE: root's R attaching its own no-trace child R1
 * (root's too) is what the override allows, in committed-2015 and proposed alike, although the state is the one
 * R1's PT_TRACE_ME would leave; alice's A traced by init after its own PT_TRACE_ME (committed-2015's self
 * shortcut) is a violation, init's euid 0 notwithstanding, and so is every traced no-trace process in rfc-2014,
 * which has no override */
TEST(PrivilegeTest, NotraceNeverTracedExemptsOnlyAPrivilegedDebuggerTheOverrideLetsIn) {
  const std::string rootAttachesItsChild = R"(
    process R root
    R fork R1 = sleeping
    R fork-finish = R1
    R1 procctl P_PID R1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    R ptrace PT_ATTACH R1 = 0
  )";
  for (const char* v : {"committed-2015", "proposed"}) {
    SCOPED_TRACE(v);
    model::test::ScenarioRun run(std::string("variant ") + v + "\n" + rootAttachesItsChild);
    ASSERT_TRUE(run.has("R1", KSIM_P_TRACED));
    EXPECT_FALSE(stateReports(run, PropertyId::NotraceNeverTraced));
  }
  model::test::ScenarioRun traceMeToInit(R"(
    variant committed-2015
    process A alice
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    A ptrace PT_TRACE_ME = 0
  )");
  EXPECT_TRUE(stateReports(traceMeToInit, PropertyId::NotraceNeverTraced));
  model::test::ScenarioRun rfc(R"(
    process R root
    R fork R1 = sleeping
    R fork-finish = R1
    R1 procctl P_PID R1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
    R1 ptrace PT_TRACE_ME = 0
  )");
  EXPECT_TRUE(stateReports(rfc, PropertyId::NotraceNeverTraced));
}

}  // namespace
