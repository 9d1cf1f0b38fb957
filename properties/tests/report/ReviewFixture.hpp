// A synthetic design review for the renderer's tests: two variants, three
// properties, one diff, one ablation and two counterexamples, the first
// with a fork, calls on another process and on itself, and an error, the
// second ending in a panic.  Its texts carry characters that HTML and
// Markdown must escape.
#pragma once

#include <string>

#include "report/Review.hpp"

namespace ksim::review::fixture {

inline Review syntheticReview() {
  Review r;
  r.title = "Design review: PROC_TRACE_ENABLE <draft> & friends";
  r.boundsLine = "Bounds: depth unlimited, states 5000000; processes A (alice), B (bob); maxproc 2";
  r.notes = {
      "Each variant is checked in the same world. A verdict links to its shortest counterexample.",
      "Text with markup characters stays text: <b>not bold</b>, *not emphasis*, a | b & c.",
  };

  VariantSummary rfc;
  rfc.name = "rfc-2014";
  rfc.description = "the December 2014 patch as posted";
  rfc.completion = "COMPLETE";
  rfc.states = 1376307;
  rfc.transitions = 20461590;
  rfc.depth = 35;
  rfc.worldLine = "A (alice), maxproc 2, omit exec-setuid";
  VariantSummary committed;
  committed.name = "committed";
  committed.description = "the patch as committed";
  committed.completion = "BOUNDED (states)";
  committed.states = 412000;
  committed.transitions = 5102334;
  committed.depth = 21;
  committed.worldLine = "A (alice), maxproc 2, omit exec-setuid";
  r.variants = {rfc, committed};

  r.properties = {"notrace-never-traced", "kernel-assertion", "unspecified-pid-zero"};
  r.propertyDescriptions = {
      "a process with P2_NOTRACE is never P_TRACED",
      "no KASSERT of the patch fails",
      "what procctl does with pid 0 (the swapper)",
  };
  r.matrix = {
      {{"VIOLATED (5 steps)", "rfc-2014--notrace-never-traced"}, {"holds within bounds", ""}},
      {{"holds", ""}, {"VIOLATED (3 steps)", "committed--kernel-assertion"}},
      {{"REACHED", ""}, {"not checked", ""}},
  };

  DiffRow diff;
  diff.variantA = "rfc-2014";
  diff.variantB = "committed";
  diff.call = "A ptrace PT_TRACE_ME";
  diff.resultA = "= 0";
  diff.resultB = "= EPERM";
  diff.scenarioFile = "rfc-2014/counterexamples/notrace-never-traced.scenario";
  diff.counterexampleId = "rfc-2014--notrace-never-traced";
  r.diffs = {diff};
  r.propertyChanges = {
      {"rfc-2014", "committed", "notrace-never-traced", "VIOLATED (5 steps)", "holds within bounds"},
      {"rfc-2014", "committed", "kernel-assertion", "holds", "VIOLATED (3 steps)"}};

  AblationRow ablation;
  ablation.variant = "committed";
  ablation.guard = "P2_NOTRACE test in p_candebug";
  ablation.location = "kern_prot.c:1650";
  ablation.code = "if ((p->p_flag2 & P2_NOTRACE) != 0) return (EPERM);";
  ablation.outcome = "prevents notrace-never-traced (5 steps)";
  ablation.counterexampleId = "rfc-2014--notrace-never-traced";
  r.ablations = {ablation};

  Counterexample fork;
  fork.id = "rfc-2014--notrace-never-traced";
  fork.variant = "rfc-2014";
  fork.property = "notrace-never-traced";
  fork.message = "A.1 (pid 103) is P_TRACED while P2_NOTRACE is set: p_flag2 < 0 & tracer init";
  fork.processes = {"A", "A.1"};
  fork.steps = {
      {"A", "", "A.1", "fork", "= 0", {"A.1: new process (pid 103)"}},
      {"A",
       "A.1",
       "",
       "procctl P_PID A.1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED",
       "= 0",
       {"A.1: p_flag2 +P2_NOTRACE"}},
      {"A", "A.1", "", "ptrace PT_ATTACH A.1", "= EPERM", {}},
      {"A", "", "", "procctl P_PID A PROC_TRACE_STATUS", "= 0", {}},
      {"A.1", "", "", "ptrace PT_TRACE_ME", "= 0", {"A.1: p_flag +P_TRACED", "A.1: p_pptr A -> init"}},
  };
  fork.scenarioFile = "rfc-2014/counterexamples/notrace-never-traced.scenario";
  fork.reproducerFile = "rfc-2014/reproducers/notrace-never-traced.c";

  Counterexample panic;
  panic.id = "committed--kernel-assertion";
  panic.variant = "committed";
  panic.property = "kernel-assertion";
  panic.message = "panic: 102 traced but tracing disabled";
  panic.processes = {"A", "B"};
  panic.steps = {
      {"A",
       "",
       "",
       "procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED",
       "= 0",
       {"A: p_flag2 +P2_NOTRACE"}},
      {"B", "A", "", "ptrace PT_ATTACH A", "= sleeping", {"B: waiting for A"}},
      {"A", "", "", "procctl P_PID A PROC_TRACE_STATUS", "= panic", {}},
  };
  panic.scenarioFile = "committed/counterexamples/kernel-assertion.scenario";
  r.counterexamples = {fork, panic};
  return r;
}

}  // namespace ksim::review::fixture
