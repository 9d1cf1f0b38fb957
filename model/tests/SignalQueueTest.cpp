// The signal queue (the opt-in family signal-queue): one instance per send,
// taken one at a time; the signal a debugger passes on marked per signal
// (KSI_PTRACE) and taken first; max_pending_per_proc.  kernel/PROVENANCE.md
// section 18.
#include <gtest/gtest.h>

#include <string>

#include "ModelTestSupport.hpp"
#include "model/SignalQueue.hpp"
#include "model/Signals.hpp"

namespace model {
namespace {

using test::ScenarioRun;

// P traces its child C, stopped on the SIGSTOP C raised; `header` comes
// first (include signal-queue, or nothing), `before` before the fork.
std::string traced(const std::string& header, const std::string& before, const std::string& steps = "") {
  return "variant freebsd-current\n" + header + "process P alice\nmaxproc 2\n" + before +
         test::kTraceMeStopped + steps;
}

const std::string kQueue = "include signal-queue\n";

/* Without the family a signal sent twice is one pending signal (one stop); with it, each send stops the process */
TEST(SignalQueueTest, EachSendIsAnInstanceOnlyWithTheFamily) {
  std::string sends = "P kill C SIGUSR2 = 0\nP kill C SIGUSR2 = 0\nP ptrace PT_CONTINUE C = 0\n"
                      "C take-signal = 0\nP wait C = C stopped SIGUSR2\nP ptrace PT_CONTINUE C = 0\n";
  ScenarioRun set(traced("", "", sends));
  EXPECT_EQ(pendingSignals(set.proc("C")), 0);
  EXPECT_TRUE(set.canAct("C exit 1"));

  ScenarioRun queue(traced(kQueue, "", sends));
  EXPECT_EQ(pendingSignals(queue.proc("C")), KSIM_SIGBIT_USR2);
  EXPECT_EQ(queuedInstances(queue.state(), queue.slot("C"), KSIM_SIGUSR2).sent, 1u);
  EXPECT_FALSE(queue.canAct("C exit 1"));
  queue.then("C take-signal = 0\nP wait C = C stopped SIGUSR2\nP ptrace PT_CONTINUE C = 0\nC exit 1 = 0");
  // Nothing queued is left in the world's cells.
  for (const SignalQueueCell& c : queue.state().sigq) EXPECT_TRUE(queueCellEmpty(c));
}

/* A signal passed at a system call's entry and at its exit is queued twice: its handler runs twice, no stop */
TEST(SignalQueueTest, SignalPassedAtEntryAndExitIsTakenTwice) {
  ScenarioRun run(traced(kQueue, "P sigaction SIGUSR1 handler = 0\n",
                         "P ptrace PT_SYSCALL C = 0\nC getpid = sleeping\nP wait C = C stopped SIGTRAP\n"
                         "P ptrace PT_CONTINUE C SIGUSR1 = 0\nC getpid = C\nC take-signal = 0\n"
                         "P wait C = C stopped SIGTRAP\nP ptrace PT_CONTINUE C SIGUSR1 = 0\n"));
  QueuedInstances q = queuedInstances(run.state(), run.slot("C"), KSIM_SIGUSR1);
  EXPECT_EQ(q.passed, 2u);
  EXPECT_EQ(q.sent, 0u);
  run.then("C take-signal = 0");
  EXPECT_FALSE(run.has("C", KSIM_P_STOPPED_TRACE));
  EXPECT_EQ(pendingSignals(run.proc("C")), KSIM_SIGBIT_USR1);
  run.then("C take-signal = 0");
  EXPECT_FALSE(run.has("C", KSIM_P_STOPPED_TRACE));
  EXPECT_EQ(pendingSignals(run.proc("C")), 0);
}

/* The passed-on mark is the signal's: a lower-numbered signal sent meanwhile still stops the process */
TEST(SignalQueueTest, PassedMarkBelongsToItsSignal) {
  std::string steps =
      "P ptrace PT_SYSCALL C = 0\nC getpid = sleeping\nP wait C = C stopped SIGTRAP\n"
      "P ptrace PT_CONTINUE C SIGUSR1 = 0\nC getpid = C\nC take-signal = 0\nP wait C = C stopped SIGTRAP\n"
      "P kill C SIGABRT = 0\nP ptrace PT_CONTINUE C = 0\nC take-signal = 0\n";
  // Without the family the one flag goes to SIGABRT, taken first: no stop,
  // and its default action (a core) ends C.
  ScenarioRun set(traced("", "P sigaction SIGUSR1 handler = 0\n", steps));
  EXPECT_EQ(set.proc("C").state, KSIM_PRS_ZOMBIE);
  // With it SIGABRT stops C; SIGUSR1 keeps its mark and runs its handler.
  ScenarioRun queue(traced(kQueue, "P sigaction SIGUSR1 handler = 0\n", steps));
  queue.then("P wait C = C stopped SIGABRT\nP ptrace PT_CONTINUE C = 0\nC take-signal = 0");
  EXPECT_EQ(queue.proc("C").state, KSIM_PRS_NORMAL);
  EXPECT_FALSE(queue.has("C", KSIM_P_STOPPED_TRACE));
  EXPECT_EQ(pendingSignals(queue.proc("C")), 0);
}

/* A blocked signal passed at a signal's stop is queued twice (KSI_PTRACE, and issignal's re-queue): let in,
 * the passed one runs its handler without a stop, the other stops */
TEST(SignalQueueTest, BlockedSignalPassedAtASignalStopIsQueuedTwice) {
  ScenarioRun q("variant freebsd-current\n" + kQueue +
                "process P alice\nmaxproc 2\nP sigaction SIGUSR1 handler = 0\nP fork C = sleeping\n"
                "P fork-finish = C\nC sigprocmask SIG_BLOCK SIGUSR1 = 0\nC ptrace PT_TRACE_ME = 0\n"
                "C kill C SIGSTOP = 0\nP wait C = C stopped SIGSTOP\nP ptrace PT_CONTINUE C SIGUSR1 = 0\n");
  QueuedInstances n = queuedInstances(q.state(), q.slot("C"), KSIM_SIGUSR1);
  EXPECT_EQ(n.passed, 1u);
  EXPECT_EQ(n.sent, 1u);
  q.then("C sigprocmask SIG_UNBLOCK SIGUSR1 = 0");
  EXPECT_FALSE(q.has("C", KSIM_P_STOPPED_TRACE));
  q.then("C take-signal = 0\nP wait C = C stopped SIGUSR1\nP ptrace PT_CONTINUE C = 0\nC exit 1 = 0\n"
         "P wait C = C exited 1");
}

/* kill(2) past max_pending_per_proc still answers 0; the queue holds 128 instances and sq_kill's one more */
TEST(SignalQueueTest, SendsPastTheLimitAreNotQueued) {
  std::string kills;
  for (int i = 0; i < 131; ++i) kills += "P kill C SIGUSR2 = 0\n";
  ScenarioRun run(traced(kQueue, "", kills));
  EXPECT_EQ(queuedInstances(run.state(), run.slot("C"), KSIM_SIGUSR2).total(), kMaxPendingPerProc + 1);
}

/* Two signals of one process are queued at once; the passed one on the thread's queue is taken first */
TEST(SignalQueueTest, TwoSignalsQueuedAtOnce) {
  std::string steps;
  for (int i = 0; i < 3; ++i) steps += "P kill C SIGUSR2 = 0\n";
  steps += "P kill C SIGUSR1 = 0\nP kill C SIGUSR1 = 0\nP ptrace PT_CONTINUE C SIGUSR1 = 0\n";
  ScenarioRun run(traced(kQueue, "P sigaction SIGUSR1 handler = 0\n", steps));
  EXPECT_EQ(queuedInstances(run.state(), run.slot("C"), KSIM_SIGUSR2).sent, 3u);
  QueuedInstances usr1 = queuedInstances(run.state(), run.slot("C"), KSIM_SIGUSR1);
  EXPECT_EQ(usr1.passed, 1u);
  EXPECT_EQ(usr1.sent, 2u);
  // The passed SIGUSR1 first (its handler, no stop), then the two sent.
  run.then("C take-signal = 0");
  EXPECT_FALSE(run.has("C", KSIM_P_STOPPED_TRACE));
  run.then("C take-signal = 0\nP wait C = C stopped SIGUSR1\nP ptrace PT_CONTINUE C = 0\n"
           "C take-signal = 0\nP wait C = C stopped SIGUSR1\nP ptrace PT_CONTINUE C = 0\n");
  EXPECT_EQ(queuedInstances(run.state(), run.slot("C"), KSIM_SIGUSR1).total(), 0u);
}

/* sigaction(SIG_IGN) deletes every instance, and the cell goes with them */
TEST(SignalQueueTest, IgnoringASignalDeletesEveryInstance) {
  ScenarioRun run("include signal-queue\nprocess A alice\nA sigprocmask SIG_BLOCK SIGUSR2 = 0\n"
                  "A kill A SIGUSR2 = 0\nA kill A SIGUSR2 = 0\nA kill A SIGUSR2 = 0\n");
  EXPECT_EQ(queuedInstances(run.state(), run.slot("A"), KSIM_SIGUSR2).total(), 3u);
  run.then("A sigaction SIGUSR2 SIG_IGN = 0");
  EXPECT_EQ(pendingSignals(run.proc("A")), 0);
  for (const SignalQueueCell& c : run.state().sigq) EXPECT_TRUE(queueCellEmpty(c));
}

/* Canonicalising moves a queue cell with its process */
TEST(SignalQueueTest, CanonicalFormKeepsTheCellWithItsProcess) {
  ScenarioRun run("include signal-queue\nprocess A alice\nprocess B alice\n"
                  "B sigprocmask SIG_BLOCK SIGUSR1 = 0\nA kill B SIGUSR1 = 0\nA kill B SIGUSR1 = 0\n");
  State canonical = run.kernel().canonicalize(run.state(), nullptr);
  unsigned cells = 0;
  for (const SignalQueueCell& c : canonical.sigq) {
    if (queueCellEmpty(c)) continue;
    ++cells;
    EXPECT_EQ(queueCellSignal(c), KSIM_SIGUSR1);
    EXPECT_NE(pendingSignals(canonical.proc(queueCellSlot(c))) & KSIM_SIGBIT_USR1, 0);
  }
  EXPECT_EQ(cells, 1u);
}

}  // namespace
}  // namespace model
