// ptrace, ktrace and kill aimed at init, the swapper and a pid no process
// has, and what init does with the signals it is sent.  Every expectation
// is FreeBSD's, read in the source (kernel/PROVENANCE.md section 14), not
// the model's output.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

/* alice: ptrace, ktrace and kill of init and the swapper -> EPERM (p_candebug, cr_cansignal); pid 99 -> ESRCH */
TEST(SystemTargetsTest, UnprivilegedCallerIsRefusedInitAndTheSwapper) {
  for (const char* variant : {"pre-patch", "rfc-2014", "freebsd-current"}) {
    SCOPED_TRACE(variant);
    ScenarioRun run(R"(
      process A alice
      A ptrace PT_ATTACH init = EPERM
      A ptrace PT_CONTINUE init = EPERM
      A ptrace PT_ATTACH 0 = EPERM
      A ptrace PT_KILL 0 = EPERM
      A ktrace set init = EPERM
      A ktrace set 0 = EPERM
      A kill init SIGQUIT = EPERM
      A kill init SIGKILL = EPERM
      A ptrace PT_ATTACH 99 = ESRCH
      A ktrace set 99 = ESRCH
      A kill 99 SIGQUIT = ESRCH
    )",
                    variantNamed(variant));
    EXPECT_FALSE(run.has("init", KSIM_P_TRACED));
    EXPECT_EQ(run.proc("init").traceflag, 0u);
    EXPECT_EQ(run.proc("init").sigpend, 0u);
  }
}

/* root: every ptrace request on the swapper -> EINVAL (P_SYSTEM, after p_candebug); its ktrace -> 0 */
TEST(SystemTargetsTest, RootCannotPtraceTheSwapperButCanKtraceIt) {
  ScenarioRun run(R"(
    process R root
    R ptrace PT_ATTACH 0 = EINVAL
    R ptrace PT_DETACH 0 = EINVAL
    R ptrace PT_KILL 0 = EINVAL
    R ktrace set 0 = 0
  )");
  EXPECT_FALSE(run.has("swapper", KSIM_P_TRACED));
  EXPECT_NE(run.proc("swapper").traceflag & KSIM_KTRFAC_ROOT, 0u);
  run.then("R ktrace clear 0 = 0");
  EXPECT_EQ(run.proc("swapper").traceflag, 0u);
}

/* root: kill(init, SIGKILL) -> 0; init takes it and ignores it (issignal: no default action for pid <= 1) */
TEST(SystemTargetsTest, RootKillsInitAndInitIgnoresTheSignal) {
  ScenarioRun run(R"(
    process R root
    R kill init SIGKILL = 0
  )");
  EXPECT_EQ(run.proc("init").sigpend, KSIM_SIGBIT_KILL);
  EXPECT_TRUE(run.canAct("init take-signal"));
  EXPECT_FALSE(run.canAct("init fork"));
  run.then(R"(
    init take-signal = 0
    R kill init SIGSTOP = 0
    init take-signal = 0
  )");
  EXPECT_EQ(run.proc("init").state, KSIM_PRS_NORMAL);
  EXPECT_EQ(run.proc("init").sigpend, 0u);
  EXPECT_FALSE(run.has("init", KSIM_P_STOPPED_SIG));
}

/* root attaches init: init stops for it (ptracestop comes first); PT_CONTINUE with SIGQUIT and PT_KILL leave it alive */
TEST(SystemTargetsTest, TracedInitStopsForItsDebuggerAndSurvivesPtKill) {
  for (const char* variant : {"rfc-2014", "freebsd-current"}) {
    SCOPED_TRACE(variant);
    ScenarioRun run(R"(
      process R root
      R ptrace PT_ATTACH init = 0
      init take-signal = 0
      R wait init = init stopped SIGSTOP
      R ptrace PT_CONTINUE init SIGQUIT = 0
      init take-signal = 0
      R kill init SIGSTOP = 0
      init take-signal = 0
      R wait init = init stopped SIGSTOP
      R ptrace PT_KILL init = 0
      init take-signal = 0
      R ptrace PT_ATTACH init = EBUSY
    )",
                    variantNamed(variant));
    EXPECT_EQ(run.proc("init").state, KSIM_PRS_NORMAL);
    EXPECT_EQ(run.parentOf("init"), "R");
    EXPECT_EQ(run.nameOf(run.proc("init").oppid), "swapper");
  }
}

/* securelevel 1: root's ptrace and ktrace of init -> EPERM (p_candebug); its kill -> 0 (p_cansignal has no such rule) */
TEST(SystemTargetsTest, SecurelevelAboveZeroKeepsRootFromDebuggingInit) {
  ScenarioRun run(R"(
    process R root
    sysctl kern.securelevel=1
    R ptrace PT_ATTACH init = EPERM
    R ktrace set init = EPERM
    R kill init SIGQUIT = 0
    R ptrace PT_ATTACH 0 = EINVAL
  )");
  EXPECT_FALSE(run.has("init", KSIM_P_TRACED));
}

/* PT_DETACH gives init back to its real parent, the swapper (9.3: pfind(p_oppid) finds pid 0) */
TEST(SystemTargetsTest, DetachReturnsInitToTheSwapper) {
  ScenarioRun run(R"(
    process R root
    R ptrace PT_ATTACH init = 0
    init take-signal = 0
    R wait init = init stopped SIGSTOP
    R ptrace PT_DETACH init = 0
  )");
  EXPECT_FALSE(run.has("init", KSIM_P_TRACED));
  EXPECT_EQ(run.parentOf("init"), "swapper");
}

/* 2014: init's debugger exits; exit1 reparents every child to initproc, so init becomes its own parent */
TEST(SystemTargetsTest, DebuggerOfInitExiting2014MakesInitItsOwnParent) {
  for (const char* variant : {"pre-patch", "rfc-2014", "committed-2015", "proposed"}) {
    SCOPED_TRACE(variant);
    ScenarioRun run(R"(
      process R root
      R ptrace PT_ATTACH init = 0
      R exit = 0
    )",
                    variantNamed(variant));
    EXPECT_FALSE(run.exists("R"));
    EXPECT_EQ(run.parentOf("init"), "init");
    EXPECT_FALSE(run.has("init", KSIM_P_TRACED));
    EXPECT_EQ(run.proc("init").oppid, KSIM_NOSLOT);
    EXPECT_EQ(run.proc("init").sigpend & KSIM_SIGBIT_KILL, KSIM_SIGBIT_KILL);
    run.then("init take-signal = 0");
    EXPECT_EQ(run.proc("init").state, KSIM_PRS_NORMAL);
  }
}

/* today: init's debugger exits; exit1 sends it back to proc_realparent, the swapper, and SIGKILL (ignored) */
TEST(SystemTargetsTest, DebuggerOfInitExitingTodayReturnsInitToTheSwapper) {
  ScenarioRun run(R"(
    process R root
    R ptrace PT_ATTACH init = 0
    R exit = 0
    init take-signal = 0
  )",
                  variantNamed("freebsd-current"));
  EXPECT_EQ(run.parentOf("init"), "swapper");
  EXPECT_FALSE(run.has("init", KSIM_P_TRACED));
  EXPECT_EQ(run.proc("init").state, KSIM_PRS_NORMAL);
}

/* init attached by R: R and init are each other's p_pptr; a traced process's PT_ATTACH walks up that cycle forever */
TEST(SystemTargetsTest, AttachedInitTrapsTheAncestorWalk) {
  const char* text = R"(
    process R root
    process A alice
    process B alice
    R ptrace PT_ATTACH init = 0
    A fork C = sleeping
    A fork-finish = C
    C ptrace PT_TRACE_ME = 0
  )";
  for (const char* variant : {"rfc-2014", "freebsd-current"}) {
    SCOPED_TRACE(variant);
    ScenarioRun run(text, variantNamed(variant));
    run.then("C ptrace PT_ATTACH B = hang");
  }
  // The proposed design bounds the walk by nprocs (kernel/PROVENANCE.md section 11).
  ScenarioRun run(text, variantNamed("proposed"));
  run.then("C ptrace PT_ATTACH B = 0");
}

/* 2014: after init's debugger exited, init is its own parent: the same walk never ends */
TEST(SystemTargetsTest, InitAsItsOwnParentTrapsTheAncestorWalk2014) {
  ScenarioRun run(R"(
    variant rfc-2014
    process R root
    process A alice
    process B alice
    R ptrace PT_ATTACH init = 0
    R exit = 0
    init take-signal = 0
    A fork C = sleeping
    A fork-finish = C
    C ptrace PT_TRACE_ME = 0
    C ptrace PT_ATTACH B = hang
  )");
  // Today the debugger's exit returned init to the swapper: no cycle is left.
  ScenarioRun today(R"(
    variant freebsd-current
    process R root
    process A alice
    process B alice
    R ptrace PT_ATTACH init = 0
    R exit = 0
    init take-signal = 0
    A fork C = sleeping
    A fork-finish = C
    C ptrace PT_TRACE_ME = 0
    C ptrace PT_ATTACH B = 0
  )");
}

/* kill(2) with pid 0 means the caller's process group: a scenario cannot aim kill at the swapper */
TEST(SystemTargetsTest, KillCannotNameTheSwapper) {
  Kernel kernel = makeKernel({{"R", "root", "R"}});
  Executor executor(kernel);
  Scenario sc = parse("process R root\nR kill 0 SIGQUIT\nR kill swapper SIGKILL\n");
  ASSERT_EQ(sc.steps.size(), 2u);
  for (const ScenarioStep& step : sc.steps) EXPECT_THROW(executor.resolve(step, "scenario"), ScenarioError);
}

bool hasAction(const std::vector<Action>& actions, std::uint8_t actor, Call call, std::uint8_t target) {
  return std::any_of(actions.begin(), actions.end(),
                     [&](const Action& a) { return a.actor == actor && a.call == call && a.target == target; });
}

/* The explorer aims ptrace and ktrace at init, the swapper and pid 99, kill at init and pid 99 only */
TEST(SystemTargetsTest, ExplorerAimsEveryCallAtEveryTargetItCanName) {
  Kernel kernel = makeKernel({{"R", "root", "R"}});
  std::vector<Action> actions;
  kernel.enabledActions(kernel.initial(), actions);
  const std::uint8_t r = KSIM_FIRST_USER_SLOT;
  for (std::uint8_t t : {std::uint8_t{KSIM_SLOT_INIT}, std::uint8_t{KSIM_SLOT_SWAPPER}, kTargetMissing}) {
    SCOPED_TRACE(static_cast<int>(t));
    EXPECT_TRUE(hasAction(actions, r, Call::Ptrace, t));
    EXPECT_TRUE(hasAction(actions, r, Call::Ktrace, t));
    EXPECT_EQ(hasAction(actions, r, Call::Kill, t), t != KSIM_SLOT_SWAPPER);
  }
  // Each *-system family drops its call's system targets, and only those.
  struct Case {
    CallFamily family;
    Call call;
  };
  for (Case c : {Case{CallFamily::PtraceSystem, Call::Ptrace}, Case{CallFamily::KtraceSystem, Call::Ktrace},
                 Case{CallFamily::KillSystem, Call::Kill}}) {
    SCOPED_TRACE(familyName(c.family));
    Config config = makeConfig({{"R", "root", "R"}});
    config.omitted = model::familyBit(c.family);
    Kernel fewer(rfc2014(), config);
    std::vector<Action> kept;
    fewer.enabledActions(fewer.initial(), kept);
    for (std::uint8_t t : {std::uint8_t{KSIM_SLOT_INIT}, std::uint8_t{KSIM_SLOT_SWAPPER}, kTargetMissing})
      EXPECT_FALSE(hasAction(kept, r, c.call, t));
    EXPECT_TRUE(hasAction(kept, r, c.call, r));
    for (Call other : {Call::Ptrace, Call::Ktrace, Call::Kill}) {
      if (other != c.call) {
        EXPECT_TRUE(hasAction(kept, r, other, KSIM_SLOT_INIT));
      }
    }
  }
}

/* init's only action is to take a signal it was sent, and the explorer offers it */
TEST(SystemTargetsTest, ExplorerLetsInitTakeItsSignalAndNothingElse) {
  ScenarioRun run(R"(
    process R root
    R kill init SIGQUIT = 0
  )");
  Kernel kernel = makeKernel({{"R", "root", "R"}});
  std::vector<Action> actions;
  kernel.enabledActions(run.state(), actions);
  std::vector<Action> byInit;
  for (const Action& a : actions)
    if (a.actor == KSIM_SLOT_INIT) byInit.push_back(a);
  ASSERT_EQ(byInit.size(), 1u);
  EXPECT_EQ(byInit[0].call, Call::TakeSignal);
  kernel.enabledActions(kernel.initial(), actions);
  for (const Action& a : actions) EXPECT_GE(a.actor, KSIM_FIRST_USER_SLOT);
}

}  // namespace
}  // namespace model::test
