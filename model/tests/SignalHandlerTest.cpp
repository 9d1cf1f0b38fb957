// Signal dispositions, masks, the signals added with them, si_signo, and
// the signal a debugger passes at a system call's stop: kernel/PROVENANCE.md
// sections 3.8, 13 and 16.
#include <gtest/gtest.h>

#include "ModelTestSupport.hpp"
#include "model/Signals.hpp"
#include "model/TargetedCalls.hpp"

namespace model {
namespace {

using test::ScenarioRun;

// P traces its child C, stopped on the SIGSTOP C raised.
std::string traced(const std::string& variant, const std::string& before, const std::string& steps) {
  return "variant " + variant + "\nprocess P alice\nmaxproc 2\n" + before +
         test::kTraceMeStopped + steps;
}

/* A caught signal does not kill: the process takes it and runs on; SIG_IGN drops it at send time (untraced) */
TEST(SignalHandlerTest, CaughtSignalRunsOnAndIgnoredSignalIsDropped) {
  ScenarioRun run("process A alice\nA sigaction SIGUSR1 handler = 0\nA sigaction SIGTERM SIG_IGN = 0\n");
  run.then("A kill A SIGUSR1 = 0");
  EXPECT_EQ(run.proc("A").state, KSIM_PRS_NORMAL);
  EXPECT_EQ(pendingSignals(run.proc("A")), 0);
  run.then("A kill A SIGTERM = 0");
  EXPECT_EQ(run.proc("A").state, KSIM_PRS_NORMAL);
  EXPECT_EQ(pendingSignals(run.proc("A")), 0);
  // Back to the default: SIGUSR1 kills.
  run.then("A sigaction SIGUSR1 SIG_DFL = 0");
  run.then("A kill A SIGUSR1 = 0");
  EXPECT_FALSE(run.exists("A"));  // dead, and reaped by init
}

/* A blocked signal stays pending and forces no take-signal; let in, it is acted on before sigprocmask returns */
TEST(SignalHandlerTest, BlockedSignalWaitsUntilLetIn) {
  ScenarioRun run("process A alice\nA sigprocmask SIG_BLOCK SIGINT = 0\nA kill A SIGINT = 0\n");
  EXPECT_EQ(pendingSignals(run.proc("A")), KSIM_SIGBIT_INT);
  EXPECT_FALSE(run.canAct("A take-signal"));
  EXPECT_TRUE(run.canAct("A getpid"));
  run.then("A sigprocmask SIG_UNBLOCK SIGINT = 0");
  EXPECT_FALSE(run.exists("A"));  // dead, and reaped by init
}

/* A traced process does not stop for a blocked signal; let in, it stops with it (PL_FLAG_SI, si_signo) */
TEST(SignalHandlerTest, TracedProcessStopsForABlockedSignalOnlyOnceLetIn) {
  ScenarioRun run(traced("freebsd-current", "P sigaction SIGUSR2 handler = 0\n",
                         "P ptrace PT_LWPINFO C = PL_FLAG_SI si_signo SIGSTOP\n"));
  run.then("P ptrace PT_CONTINUE C = 0");
  run.then("C sigprocmask SIG_BLOCK SIGUSR2 = 0");
  run.then("P kill C SIGUSR2 = 0");
  EXPECT_FALSE(run.canAct("C take-signal"));
  run.then("C sigprocmask SIG_UNBLOCK SIGUSR2 = 0");
  run.then("P wait C = C stopped SIGUSR2");
  run.then("P ptrace PT_LWPINFO C = PL_FLAG_SI si_signo SIGUSR2");
  run.then("P ptrace PT_CONTINUE C SIGUSR2 = 0");
  run.then("C take-signal = 0");
  EXPECT_EQ(run.proc("C").state, KSIM_PRS_NORMAL);
  EXPECT_FALSE(run.has("C", KSIM_P_STOPPED_TRACE));
}

/* A signal the process ignores is dropped when sent, traced or not: tdsendsignal() tests the ignore set
 * first, with no exception for P_TRACED (9.3 and today), so the debugger never sees it */
TEST(SignalHandlerTest, AnIgnoredSignalIsDroppedWhenSentEvenToATracedProcess) {
  for (const char* variant : {"rfc-2014", "freebsd-current"}) {
    SCOPED_TRACE(variant);
    ScenarioRun run(traced(variant, "P sigaction SIGINT SIG_IGN = 0\n", "P ptrace PT_CONTINUE C = 0\n"));
    run.then("P kill C SIGINT = 0");
    EXPECT_EQ(pendingSignals(run.proc("C")), 0u);
    EXPECT_FALSE(run.canAct("C take-signal"));
    EXPECT_TRUE(run.canAct("C getpid"));
  }
}

/* fork copies dispositions and mask; exec resets a handler to SIG_DFL and keeps SIG_IGN and the mask */
TEST(SignalHandlerTest, ForkInheritsAndExecResetsHandlers) {
  ScenarioRun run(
      "process A alice\nmaxproc 2\nA sigaction SIGUSR1 handler = 0\nA sigaction SIGUSR2 SIG_IGN = 0\n"
      "A sigprocmask SIG_BLOCK SIGINT = 0\nA fork B = sleeping\nA fork-finish = B\n");
  const SignalSpec& usr1 = *findSignal(KSIM_SIGUSR1);
  const SignalSpec& usr2 = *findSignal(KSIM_SIGUSR2);
  EXPECT_EQ(signalAction(run.proc("B"), usr1), unsigned{KSIM_SIGACT_CATCH});
  EXPECT_EQ(blockedSignals(run.proc("B")), KSIM_SIGBIT_INT);
  run.then("B exec = sleeping");
  run.then("B exec-finish = 0");
  EXPECT_EQ(signalAction(run.proc("B"), usr1), unsigned{KSIM_SIGACT_DFL});
  EXPECT_EQ(signalAction(run.proc("B"), usr2), unsigned{KSIM_SIGACT_IGN});
  EXPECT_EQ(blockedSignals(run.proc("B")), KSIM_SIGBIT_INT);
}

/* Setting SIG_IGN drops the signal if pending */
TEST(SignalHandlerTest, IgnoringAPendingSignalDropsIt) {
  ScenarioRun run("process A alice\nA sigprocmask SIG_BLOCK SIGTERM = 0\nA kill A SIGTERM = 0\n");
  EXPECT_EQ(pendingSignals(run.proc("A")), KSIM_SIGBIT_TERM);
  run.then("A sigaction SIGTERM SIG_IGN = 0");
  EXPECT_EQ(pendingSignals(run.proc("A")), 0);
}

/* freebsd-current: a signal passed at a system call's entry stop is taken after the call and its exit stop,
 * without a new stop; the 2014 designs lose it */
TEST(SignalHandlerTest, SignalPassedAtEntryStopFollowsTheDesignsEra) {
  const std::string steps =
      "P ptrace PT_SYSCALL C = 0\nC getpid = sleeping\nP wait C = C stopped SIGTRAP\n"
      "P ptrace PT_CONTINUE C SIGUSR1 = 0\nC getpid = C\nC take-signal = 0\nP wait C = C stopped SIGTRAP\n"
      "P ptrace PT_LWPINFO C = PL_FLAG_SCX\nP ptrace PT_CONTINUE C = 0\n";
  ScenarioRun today(traced("freebsd-current", "", steps));
  EXPECT_EQ(pendingSignals(today.proc("C")), KSIM_SIGBIT_USR1);
  today.then("C take-signal = 0");
  today.then("P wait C = C killed SIGUSR1");
  ScenarioRun then(traced("rfc-2014", "", steps));
  EXPECT_EQ(pendingSignals(then.proc("C")), 0);
  EXPECT_TRUE(then.canAct("C exit"));
}

/* SIGTRAP passed at the entry stop kills after the call */
TEST(SignalHandlerTest, SigtrapPassedAtEntryStopKills) {
  ScenarioRun run(traced("freebsd-current", "sysctl kern.coredump=0\n",
                         "P ptrace PT_TO_SCE C = 0\nC getpid = sleeping\nP wait C = C stopped SIGTRAP\n"
                         "P ptrace PT_CONTINUE C SIGTRAP = 0\nC getpid = C\n"));
  run.then("C take-signal = 0");
  run.then("P wait C = C killed SIGTRAP");
}

/* si_signo is compared only when written, and a wrong one is not met */
TEST(SignalHandlerTest, SiginfoSignoIsComparedWhenWritten) {
  ScenarioRun run(traced("freebsd-current", "", "P ptrace PT_LWPINFO C = PL_FLAG_SI\n"));
  const Expectation& got = run.lastStep().got;
  ASSERT_TRUE(got.siginfoSigno.has_value());
  EXPECT_EQ(*got.siginfoSigno, KSIM_SIGSTOP);
  auto expectation = [](const std::string& result) {
    return test::parse("process P alice\nP ptrace PT_LWPINFO P = " + result).steps.at(0).expect;
  };
  EXPECT_TRUE(meets(expectation("PL_FLAG_SI si_signo SIGSTOP"), got, run.names(), run.state()));
  EXPECT_FALSE(meets(expectation("PL_FLAG_SI si_signo SIGUSR1"), got, run.names(), run.state()));
  EXPECT_TRUE(meets(expectation("PL_FLAG_SI"), got, run.names(), run.state()));
}

/* A SIGKILL sent with kill(2) stops a traced process (it is not P_WKILLED); continued with 0 it is thrown away and
 * the process lives on, in both eras (ptrace_test.c's event_mask_sigkill_discard, less its PTRACE_LWP) */
TEST(SignalHandlerTest, SigkillFromKillStopsAndContinuingWithZeroDiscardsIt) {
  for (const char* variant : {"freebsd-current", "rfc-2014"}) {
    SCOPED_TRACE(variant);
    ScenarioRun run(traced(variant, "", "P kill C SIGKILL = 0\nP ptrace PT_CONTINUE C = 0\nC take-signal = 0\n"));
    run.then("P wait C = C stopped SIGKILL");
    run.then("P ptrace PT_LWPINFO C = PL_FLAG_SI si_signo SIGKILL");
    run.then("P ptrace PT_CONTINUE C = 0");
    EXPECT_EQ(pendingSignals(run.proc("C")), 0);
    run.then("C kill C SIGSTOP = 0");
    run.then("P wait C = C stopped SIGSTOP");
    run.then("P ptrace PT_CONTINUE C = 0");
    run.then("C exit 0 = 0");
    run.then("P wait C = C exited 0");
  }
}

/* issignal() takes the lowest-numbered pending signal (sig_ffs(), in 9.3 and today): SIGQUIT (3) before a SIGKILL
 * (9) sent with kill(2), untraced (it dies of SIGQUIT, with its core) and traced (it stops for SIGQUIT first).  A
 * SIGKILL its debugger passes on (PT_KILL) is ptracestop()'s answer, acted on at once: a pending SIGQUIT does not
 * come first (kernel/PROVENANCE.md section 13) */
TEST(SignalHandlerTest, LowestNumberedSignalFirstUnlessTheDebuggerPassedSigkill) {
  for (const char* variant : {"freebsd-current", "rfc-2014"}) {
    SCOPED_TRACE(variant);
    ScenarioRun untraced(std::string("variant ") + variant + R"(
      process P alice
      maxproc 2
      P fork C = sleeping
      P fork-finish = C
      P kill C SIGQUIT = 0
      P kill C SIGKILL = 0
      C take-signal = 0
      P wait C = C core SIGQUIT
    )");
    ScenarioRun stops(traced(variant, "", "P kill C SIGQUIT = 0\nP kill C SIGKILL = 0\nP ptrace PT_CONTINUE C = 0\n"));
    stops.then("C take-signal = 0\nP wait C = C stopped SIGQUIT");
    stops.then("P ptrace PT_CONTINUE C = 0\nC take-signal = 0\nP wait C = C stopped SIGKILL");
    ScenarioRun passed(traced(variant, "", "P kill C SIGQUIT = 0\nP ptrace PT_KILL C = 0\n"));
    passed.then("C take-signal = 0\nP wait C = C killed SIGKILL");
  }
}

/* The signal families are opt-in and name their own rows: the kill-signals rows are as before */
TEST(SignalHandlerTest, NewSignalsAreExploredOnlyInTheirOptInFamily) {
  std::size_t more = 0, older = 0;
  for (const TargetedCall& c : kTargetedCalls) {
    if (c.call != Call::Kill) continue;
    if (c.family == CallFamily::MoreSignals) ++more;
    if (c.family == CallFamily::KillSignals) {
      ++older;
      EXPECT_NE(c.data, KSIM_SIGINT);
    }
  }
  EXPECT_EQ(more, 4u);
  EXPECT_EQ(older, 5u);
  EXPECT_TRUE(familySpec(CallFamily::MoreSignals).optIn);
  EXPECT_TRUE(familySpec(CallFamily::SignalActions).optIn);
  EXPECT_TRUE(familySpec(CallFamily::SignalMasks).optIn);
}

}  // namespace
}  // namespace model
