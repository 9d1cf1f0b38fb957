// Kernel::canonicalize and Kernel::relabel: states that differ only by
// which user slots the processes occupy are one state to the explorer.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

constexpr const char* kTwoProcesses = R"(
  process A alice
  process B alice
  maxproc 5
)";

/* A forks A1, B forks B1 vs. B forks B1, A forks A1: the children's slots differ, the canonical states do not
 */
TEST(CanonicalizeTest, WhichSlotAForkedChildGotDoesNotMatter) {
  ScenarioRun first(std::string(kTwoProcesses) +
                    "A fork A1 = sleeping\nA fork-finish = A1\nB fork B1 = sleeping\nB fork-finish = B1\n");
  ScenarioRun second(std::string(kTwoProcesses) +
                     "B fork B1 = sleeping\nB fork-finish = B1\nA fork A1 = sleeping\nA fork-finish = A1\n");
  ASSERT_NE(first.slot("A1"), second.slot("A1"));
  ASSERT_FALSE(first.state() == second.state());
  const Kernel& k = first.kernel();
  EXPECT_EQ(k.canonicalize(first.state()), k.canonicalize(second.state()));
}

/* A forks A1; A1 disables: differs from A disabling, so the canonical states differ */
TEST(CanonicalizeTest, StatesThatBehaveDifferentlyStayDifferent) {
  ScenarioRun childDisabled(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A1 procctl P_PID A1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  ScenarioRun parentDisabled(R"(
    process A alice
    A fork A1 = sleeping
    A fork-finish = A1
    A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0
  )");
  const Kernel& k = childDisabled.kernel();
  EXPECT_FALSE(k.canonicalize(childDisabled.state()) == k.canonicalize(parentDisabled.state()));
}

/* canonicalize(canonicalize(s)) == canonicalize(s), for each state of a run */
TEST(CanonicalizeTest, CanonicalizeIsIdempotent) {
  ScenarioRun run(std::string(kTwoProcesses) + R"(
    B fork B1 = sleeping
    B fork-finish = B1
    A fork A1 = sleeping
    A fork-finish = A1
    B ptrace PT_ATTACH A1 = 0
    B1 exit
    A vfork A2 = sleeping
  A fork-finish = A2
  )");
  ASSERT_TRUE(run.ok());
  const Kernel& k = run.kernel();
  for (const StepRecord& st : run.steps()) {
    State c = k.canonicalize(st.result.next);
    EXPECT_EQ(k.canonicalize(c), c) << formatStep(st.step);
  }
}

/* The relabeling is a permutation of user slots that fixes swapper and init, and toConcrete inverts
 * toCanonical */
TEST(CanonicalizeTest, RelabelingIsAPermutationOfUserSlots) {
  ScenarioRun run(
      std::string(kTwoProcesses) +
      "B fork B1 = sleeping\nB fork-finish = B1\nA fork A1 = sleeping\nA fork-finish = A1\nB1 exit\n");
  Relabeling rl;
  run.kernel().canonicalize(run.state(), &rl);
  EXPECT_EQ(rl.toCanonical[KSIM_SLOT_SWAPPER], KSIM_SLOT_SWAPPER);
  EXPECT_EQ(rl.toCanonical[KSIM_SLOT_INIT], KSIM_SLOT_INIT);
  std::vector<bool> seen(KSIM_NSLOTS, false);
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
    ASSERT_LT(rl.toCanonical[i], KSIM_NSLOTS);
    EXPECT_FALSE(seen[rl.toCanonical[i]]) << "slot " << i;
    seen[rl.toCanonical[i]] = true;
    EXPECT_EQ(rl.toConcrete[rl.toCanonical[i]], i);
  }
}

/* Each process record moves to its canonical slot, with every slot reference mapped the same way */
TEST(CanonicalizeTest, RelabelingMovesRecordsAndTheirReferencesConsistently) {
  ScenarioRun run(std::string(kTwoProcesses) + R"(
    B fork B1 = sleeping
    B fork-finish = B1
    A fork A1 = sleeping
    A fork-finish = A1
    B ptrace PT_ATTACH A1 = 0
    A vfork A2 = sleeping
  A fork-finish = A2
  )");
  ASSERT_TRUE(run.ok());
  Relabeling rl;
  const State& s = run.state();
  State c = run.kernel().canonicalize(s, &rl);
  auto map = [&](std::uint8_t slot) { return slot < KSIM_NSLOTS ? rl.toCanonical[slot] : slot; };
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
    const ksim_proc_rec& from = s.proc(i);
    const ksim_proc_rec& to = c.proc(rl.toCanonical[i]);
    SCOPED_TRACE("slot " + std::to_string(i));
    EXPECT_EQ(to.state, from.state);
    EXPECT_EQ(to.flag2, from.flag2);
    EXPECT_EQ(to.pptr, map(from.pptr));
    EXPECT_EQ(to.oppid, map(from.oppid));
    EXPECT_EQ(to.pgid, map(from.pgid));
    EXPECT_EQ(to.pgnext, map(from.pgnext));
    EXPECT_EQ(to.pc_arg, map(from.pc_arg));
    EXPECT_EQ(c.world.pgrp_head[rl.toCanonical[i]], map(s.world.pgrp_head[i]));
  }
}

/* Kernel::relabel maps the actor and a slot target; the missing pid and "no target" are left alone */
TEST(CanonicalizeTest, RelabelMapsActorAndSlotTargetsOnly) {
  std::array<std::uint8_t, KSIM_NSLOTS> map{0, 1, 5, 2, 7, 3, 6, 4};
  Action a{.actor = 2, .call = Call::Ptrace, .target = 4, .op = kPtAttach};
  Action m = Kernel::relabel(a, map);
  EXPECT_EQ(m.actor, 5);
  EXPECT_EQ(m.target, 7);
  EXPECT_EQ(m.call, a.call);
  EXPECT_EQ(m.op, a.op);
  a.target = kTargetMissing;
  EXPECT_EQ(Kernel::relabel(a, map).target, kTargetMissing);
  a.target = kNoTarget;
  EXPECT_EQ(Kernel::relabel(a, map).target, kNoTarget);
  a.target = KSIM_SLOT_SWAPPER;
  EXPECT_EQ(Kernel::relabel(a, map).target, KSIM_SLOT_SWAPPER);
}

/* Each enabled action, relabeled and stepped on the canonical state, reaches the canonical successor */
TEST(CanonicalizeTest, SteppingTheCanonicalStateCommutesWithCanonicalizing) {
  ScenarioRun run(
      std::string(kTwoProcesses) +
      "B fork B1 = sleeping\nB fork-finish = B1\nA fork A1 = sleeping\nA fork-finish = A1\nB1 exit\n");
  const Kernel& k = run.kernel();
  Relabeling rl;
  State c = k.canonicalize(run.state(), &rl);
  std::vector<Action> actions;
  k.enabledActions(run.state(), actions);
  ASSERT_FALSE(actions.empty());
  for (const Action& a : actions) {
    Action ca = Kernel::relabel(a, rl.toCanonical);
    ASSERT_TRUE(k.canAct(c, ca));
    StepResult concrete = k.step(run.state(), a);
    StepResult canonical = k.step(c, ca);
    SCOPED_TRACE(formatStep(stepFromAction(a, concrete, run.names(), "")));
    EXPECT_EQ(k.canonicalize(canonical.next), k.canonicalize(concrete.next));
    EXPECT_EQ(canonical.outcome, concrete.outcome);
    EXPECT_EQ(canonical.error, concrete.error);
  }
}

/* Two zombies that differ only in how they died (exit vs core dump) are one canonical state */
TEST(CanonicalizeTest, HowAZombieDiedIsNotPartOfTheCanonicalState) {
  ScenarioRun exited("process A alice\nA fork A1 = sleeping\nA fork-finish = A1\nA1 exit\n");
  ScenarioRun dumped("process A alice\nA fork A1 = sleeping\nA fork-finish = A1\nA1 kill A1 SIGQUIT = 0\n");
  ASSERT_NE(model::exitKind(exited.proc("A1")), model::exitKind(dumped.proc("A1")));
  EXPECT_EQ(exited.kernel().canonicalize(exited.state()), dumped.kernel().canonicalize(dumped.state()));
}

/* A's children in either order (A1 forked before or after A attached B) are one canonical state: only a wait for
 * any child reads the order, and the explorer's waits name a child */
TEST(CanonicalizeTest, TheOrderOfAParentsChildrenIsNotPartOfTheCanonicalState) {
  const char* const world = "process A alice\nprocess B alice\nmaxproc 3\n";
  ScenarioRun forkFirst(std::string(world) + "A fork A1 = sleeping\nA fork-finish = A1\nA ptrace PT_ATTACH B = 0\n");
  ScenarioRun attachFirst(std::string(world) + "A ptrace PT_ATTACH B = 0\nA fork A1 = sleeping\nA fork-finish = A1\n");
  ASSERT_NE(forkFirst.state(), attachFirst.state());
  ASSERT_NE(siblingRank(forkFirst.proc("B")), siblingRank(attachFirst.proc("B")));
  EXPECT_EQ(forkFirst.kernel().canonicalize(forkFirst.state()),
            attachFirst.kernel().canonicalize(attachFirst.state()));
}

/* Two unprivileged users' ktraces of A differ only in ktr_uid: one canonical state; root's is different */
TEST(CanonicalizeTest, OnlyThePrivilegeOfAKtraceCredentialIsCanonical) {
  ScenarioRun byAlice("process A alice\nprocess B alice\nB ktrace set A = 0\n");
  ScenarioRun byBob("process A bob\nprocess B bob\nB ktrace set A = 0\n");
  ScenarioRun byRoot("process A alice\nprocess B root\nB ktrace set A = 0\n");
  // The canonical record of A, wherever canonicalisation put it.
  auto canonicalA = [](const ScenarioRun& run) {
    Relabeling rl;
    State c = run.kernel().canonicalize(run.state(), &rl);
    return c.proc(rl.toCanonical[run.slot("A")]);
  };
  ASSERT_NE(byAlice.proc("A").ktr_uid, byBob.proc("A").ktr_uid);
  EXPECT_EQ(canonicalA(byAlice).ktr_uid, canonicalA(byBob).ktr_uid);
  EXPECT_NE(canonicalA(byRoot).ktr_uid, canonicalA(byAlice).ktr_uid);
  EXPECT_EQ(canonicalA(byRoot).ktr_priv, 1);
}

/* The initial state of the default world is its own canonical form */
TEST(CanonicalizeTest, TheInitialStateIsCanonical) {
  Kernel k(rfc2014(), Config::defaults());
  State s = k.initial();
  EXPECT_EQ(k.canonicalize(s), s);
}

}  // namespace
}  // namespace model::test
