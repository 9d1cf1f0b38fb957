// The reaper (kernel/PROVENANCE.md section 15): procctl(2)'s PROC_REAP_*
// requests and where an exiting process's children go, in freebsd-current
// (the one design with the reaper) against the 2014 designs (init).  The
// expectations are FreeBSD's: exit1() gives each child to its p_reaper,
// proc_reap() gives a reaped reaper's descendants to its own reaper, and
// PROC_REAP_ACQUIRE does not take over the existing descendants.
#include <gtest/gtest.h>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

const ksim_variant& current() { return variantNamed("freebsd-current"); }

/* A reaper's grandchild, orphaned, goes to the reaper, not to init; in rfc-2014 (no reaper) to init */
TEST(ReaperTest, OrphanGoesToItsReaperNotToInit) {
  ScenarioRun run(R"(
    variant freebsd-current
    process P alice
    maxproc 3
    P procctl P_PID P PROC_REAP_ACQUIRE = 0
    P fork C = sleeping
    P fork-finish = C
    C fork G = sleeping
    C fork-finish = G
    C exit 3 = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.parentOf("G"), "P");
  EXPECT_EQ(run.nameOf(run.proc("G").reaper), "P");
  run.then("G getppid = P\nP wait C = C exited 3\nG exit 2 = 0\nP wait = G exited 2");
  EXPECT_TRUE(run.ok());

  ScenarioRun old(R"(
    variant rfc-2014
    process P alice
    maxproc 3
    P fork C = sleeping
    P fork-finish = C
    C fork G = sleeping
    C fork-finish = G
    C exit 3 = 0
  )");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old.parentOf("G"), "init");
}

/* PROC_REAP_ACQUIRE keeps the existing descendants with their reaper: a child forked before it leaves its own
 * orphans to init */
TEST(ReaperTest, AcquireDoesNotTakeOverExistingDescendants) {
  ScenarioRun run(R"(
    variant freebsd-current
    process P alice
    maxproc 3
    P fork C = sleeping
    P fork-finish = C
    P procctl P_PID P PROC_REAP_ACQUIRE = 0
    C fork G = sleeping
    C fork-finish = G
    C exit 0 = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.parentOf("G"), "init");
  EXPECT_EQ(run.nameOf(run.proc("G").reaper), "init");
  run.then(
      "P procctl P_PID P PROC_REAP_STATUS = 0 flags REAPER_STATUS_OWNED reaper P children 0 descendants 0");
  EXPECT_TRUE(run.ok());
}

/* A reaper's children stay its children while it is a zombie (exit1 gives them to their reaper, itself), and
 * go to its own reaper when it is reaped; tree-consistent accepts the zombie parent */
TEST(ReaperTest, ChildrenOfADeadReaperWaitForItToBeReaped) {
  ScenarioRun run(R"(
    variant freebsd-current
    process P alice
    maxproc 3
    P fork R = sleeping
    P fork-finish = R
    R procctl P_PID R PROC_REAP_ACQUIRE = 0
    R fork C = sleeping
    R fork-finish = C
    R exit 0 = 0
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.parentOf("C"), "R");
  EXPECT_EQ(run.proc("R").state, KSIM_PRS_ZOMBIE);
  run.then("C getppid = R\nP wait R = R exited 0");
  ASSERT_TRUE(run.ok());
  // R's reaper was init (P is no reaper): C goes there.
  EXPECT_EQ(run.parentOf("C"), "init");
  EXPECT_EQ(run.nameOf(run.proc("C").reaper), "init");
}

/* PROC_REAP_RELEASE hands the descendants to the releasing process's own reaper; its children stay its own */
TEST(ReaperTest, ReleaseHandsTheDescendantsOn) {
  ScenarioRun run(R"(
    variant freebsd-current
    process P alice
    maxproc 3
    P procctl P_PID P PROC_REAP_ACQUIRE = 0
    P fork R = sleeping
    P fork-finish = R
    R procctl P_PID R PROC_REAP_ACQUIRE = 0
    R fork C = sleeping
    R fork-finish = C
    R procctl P_PID R PROC_REAP_RELEASE = 0
    R procctl P_PID R PROC_REAP_RELEASE = EINVAL
    C procctl P_PID C PROC_REAP_STATUS = 0 flags 0 reaper P children 1 descendants 2 pid R
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.parentOf("C"), "R");
  EXPECT_EQ(run.nameOf(run.proc("C").reaper), "P");
  EXPECT_EQ(run.proc("R").treeflag & KSIM_P_TREE_REAPER, 0);
}

/* ACQUIRE and RELEASE act on the caller only (EPERM for another process), ACQUIRE twice is EBUSY, init never
 * releases (EINVAL) */
TEST(ReaperTest, AcquireAndReleaseAreTheCallersOwn) {
  ScenarioRun run(R"(
    variant freebsd-current
    process P alice
    process Q alice
    P procctl P_PID Q PROC_REAP_ACQUIRE = EPERM
    P procctl P_PID 0 PROC_REAP_ACQUIRE = 0
    P procctl P_PID P PROC_REAP_ACQUIRE = EBUSY
    P procctl P_PID 1 PROC_REAP_RELEASE = EPERM
    P procctl P_PGID P PROC_REAP_ACQUIRE = EINVAL
    P procctl P_PID 99 PROC_REAP_STATUS = ESRCH
  )");
  EXPECT_TRUE(run.ok());
}

/* PROC_REAP_KILL signals a child stopped for its debugger without resuming it (tdsendsignal leaves a traced,
 * stopped process alone): the SIGKILL stays pending while it is stopped */
TEST(ReaperTest, ReapKillLeavesADebuggeeStoppedUntilResumed) {
  ScenarioRun run(R"(
    variant freebsd-current
    process P alice
    maxproc 2
    P procctl P_PID P PROC_REAP_ACQUIRE = 0
    P fork C = sleeping
    P fork-finish = C
    C ptrace PT_TRACE_ME = 0
    C kill C SIGSTOP = 0
    P wait C = C stopped SIGSTOP
    P procctl P_PID P PROC_REAP_KILL SIGKILL = 0 killed 1 fpid -1
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_TRUE(run.has("C", KSIM_P_STOPPED_TRACE));
  EXPECT_NE(run.proc("C").sigpend & KSIM_SIGBIT_KILL, 0);
}

/* REAPER_KILL_CHILDREN signals the children only, and today's reap_kill_children() never clears the ESRCH it
 * starts from: the call answers ESRCH even though it signalled */
TEST(ReaperTest, KillChildrenSignalsChildrenOnlyAndAnswersEsrch) {
  ScenarioRun run(R"(
    variant freebsd-current
    process P alice
    maxproc 3
    P procctl P_PID P PROC_REAP_ACQUIRE = 0
    P fork C = sleeping
    P fork-finish = C
    C fork G = sleeping
    C fork-finish = G
    P procctl P_PID P PROC_REAP_KILL SIGTERM REAPER_KILL_CHILDREN = ESRCH killed 1 fpid -1
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_NE(run.proc("C").sigpend & KSIM_SIGBIT_TERM, 0);
  EXPECT_EQ(run.proc("G").sigpend, 0);
}

/* A process that is not a reaper kills through its own reaper, init here: another user's process is refused
 * (EPERM, rk_fpid), the caller itself is signalled unchecked and leaves the error alone, and acts on the
 * signal before the call returns */
TEST(ReaperTest, KillReportsTheFirstRefusalAndSignalsTheCallerToo) {
  ScenarioRun run(R"(
    variant freebsd-current
    process A alice
    process B bob
    A procctl P_PID A PROC_REAP_KILL SIGTERM = EPERM killed 1 fpid B
  )");
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(run.exists("A"));  // killed, and init reaped it
  EXPECT_EQ(run.proc("B").sigpend, 0);
}

/* PROC_REAP_KILL that signals only its caller: today it answers ESRCH (the caller is signalled without a check and
 * clears nothing); the caller takes its (caught) signal before the call returns, and the answer stays the error
 * alone, with no value beside it.  stable/10's reap_kill, which the 2014 designs follow, asks p_cansignal of the
 * caller too, and the signal sent makes the answer 0 */
TEST(ReaperTest, ReapKillThatSignalsOnlyItsCallerAnswersByEra) {
  const std::string world = "\nprocess A alice\nA sigaction SIGUSR1 handler = 0\n";
  ScenarioRun today("variant freebsd-current" + world + "A procctl P_PID A PROC_REAP_KILL SIGUSR1 = ESRCH killed 1\n");
  ASSERT_TRUE(today.ok());
  EXPECT_EQ(today.last().error, KSIM_ESRCH);
  EXPECT_FALSE(today.last().value.has_value());
  EXPECT_TRUE(today.exists("A"));
  ScenarioRun then("variant rfc-2014" + world + "A procctl P_PID A PROC_REAP_KILL SIGUSR1 = 0 killed 1 fpid -1\n");
  ASSERT_TRUE(then.ok());
  EXPECT_EQ(then.last().error, 0);
  EXPECT_EQ(then.last().value, 0);
  EXPECT_TRUE(then.exists("A"));
}

/* The reaper family: every design has the reaper (the December 2014 kernel did), and offers it only when the
 * family is not omitted (the default) */
TEST(ReaperTest, ExplorerTriesTheReaperOnlyWhereItExists) {
  auto reaperActions = [](const ksim_variant& v, const Config& config) {
    Kernel k(v, config);
    std::vector<Action> actions;
    k.enabledActions(k.initial(), actions);
    int n = 0;
    for (const Action& a : actions) n += a.call == Call::Procctl && isReaperCommand(a.op);
    return n;
  };
  Config all = makeConfig({{"A", "alice", "A"}});
  EXPECT_EQ(reaperActions(current(), all), 4);
  EXPECT_EQ(reaperActions(rfc2014(), all), 4);
  Config defaults = Config::defaults();
  EXPECT_TRUE(defaults.omits(CallFamily::Reaper));
  EXPECT_EQ(reaperActions(current(), defaults), 0);
}

/* "include reaper" is how a scenario says the opt-in family was in; without it, it is out, "omit" lines or
 * not */
TEST(ReaperTest, ScenarioLinesIncludeTheOptInFamily) {
  Scenario with = parse("omit exec-setuid\ninclude reaper\nprocess A alice\n");
  EXPECT_FALSE(with.config.omits(CallFamily::Reaper));
  EXPECT_TRUE(with.config.omits(CallFamily::ExecSetuid));
  Scenario without = parse("omit exec-setuid\nprocess A alice\n");
  EXPECT_TRUE(without.config.omits(CallFamily::Reaper));
  std::vector<std::string> lines = formatConfig(with.config, "freebsd-current");
  EXPECT_TRUE(contains(lines, "include reaper"));
  EXPECT_FALSE(contains(lines, "omit reaper"));
  EXPECT_FALSE(contains(formatConfig(without.config, "freebsd-current"), "include reaper"));
  EXPECT_THROW(parse("include exec-setuid\n"), ScenarioError);
}

}  // namespace
}  // namespace model::test
