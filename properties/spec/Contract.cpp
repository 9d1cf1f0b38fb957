// The patch's procctl.2 text as an executable specification.  It predicts,
// from the abstract state before a call, which results the documentation
// allows and what a successful call changes, and compares with what the
// kernel code did.  It never calls the kernel C.
//
// Scope: one process (P_PID).  The page promises, for PROC_TRACE_ENABLE:
// EBUSY if the target is already traced (tracing covers ptrace and
// ktrace), EPERM for SET_ENABLED or for dropping P2_NOTRACE_EXEC on another
// process, EINVAL for a bad value; procctl(2) in general: ESRCH for no such
// process, EFAULT for a bad pointer.  Where several apply the page does not
// say which wins: any of them is allowed and the point is reported as
// unspecified.  Who may change another process's state is not said either
// (the 2014 page has no permission clause): refusal with EPERM or ESRCH is
// allowed there, and a change across users is reported.  Nor does it say
// whether P_PID 0 means the caller.
#include <fmt/format.h>

#include <vector>

#include "ksim/flags.h"
#include "spec/Properties.hpp"

namespace properties {

namespace {

// The page's terms the properties check.  The contract's clauses below take
// their errors from this table (clauseError) and the valid values from its
// Value rows, so that what `ksim patch` compares with the page is what is
// checked.  An ERRORS entry's context is the names it must mention: the
// generic entries of procctl(2) name no request.
constexpr PageTerm kVocabulary[] = {
    {PageTermKind::Command, "PROC_TRACE_ENABLE", "", model::kProcTraceEnable, PropertyId::ContractEffect},
    {PageTermKind::Value, "PROC_TRACE_SET_ENABLED", "PROC_TRACE_ENABLE", KSIM_PROC_TRACE_SET_ENABLED,
     PropertyId::ContractEffect},
    {PageTermKind::Value, "PROC_TRACE_SET_DISABLED", "PROC_TRACE_ENABLE", KSIM_PROC_TRACE_SET_DISABLED,
     PropertyId::ContractEffect},
    {PageTermKind::Value, "PROC_TRACE_SET_DISABLED_EXEC", "PROC_TRACE_ENABLE",
     KSIM_PROC_TRACE_SET_DISABLED_EXEC, PropertyId::ContractEffect},
    {PageTermKind::Command, "PROC_TRACE_STATUS", "", model::kProcTraceStatus,
     PropertyId::StatusReportsTruthfully},
    {PageTermKind::StatusValue, "-1", "PROC_TRACE_STATUS", -1, PropertyId::StatusReportsTruthfully},
    {PageTermKind::StatusValue, "0", "PROC_TRACE_STATUS", 0, PropertyId::StatusReportsTruthfully},
    {PageTermKind::StatusValue, "the pid of the debugger process", "PROC_TRACE_STATUS", 0,
     PropertyId::StatusReportsTruthfully},
    // What tracing covers, as far as the model has it.
    {PageTermKind::Interface, "ptrace 2", "", 0, PropertyId::AttachRefusedWhileNotrace},
    {PageTermKind::Interface, "ktrace 2", "", 0, PropertyId::KtraceRefusedWhileNotrace},
    {PageTermKind::Interface, "execve 2", "", 0, PropertyId::ExecKeepsNotraceOnlyWithExecFlag},
    {PageTermKind::Error, "EFAULT", "", KSIM_EFAULT, PropertyId::ContractEfault},
    // The generic EPERM: refusing another process is allowed, never
    // required; who may change another's state is the unspecified point.
    {PageTermKind::Error, "EPERM", "", KSIM_EPERM, PropertyId::UnspecifiedPermission},
    {PageTermKind::Error, "ESRCH", "", KSIM_ESRCH, PropertyId::ContractEsrch},
    {PageTermKind::Error, "EBUSY", "PROC_TRACE_ENABLE", KSIM_EBUSY, PropertyId::ContractEbusy},
    {PageTermKind::Error, "EPERM", "PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED", KSIM_EPERM,
     PropertyId::ContractEpermEnable},
    {PageTermKind::Error, "EPERM", "PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED", KSIM_EPERM,
     PropertyId::ContractEpermUnpersist},
    {PageTermKind::Error, "EINVAL", "PROC_TRACE_ENABLE", KSIM_EINVAL, PropertyId::ContractEinval},
};

// The errno of a contract clause, from the vocabulary.
constexpr int clauseError(PropertyId id) {
  for (const PageTerm& term : kVocabulary)
    if (term.kind == PageTermKind::Error && term.checkedBy == id) return term.number;
  throw "a contract clause without an ERRORS term in kVocabulary";  // a compile-time error in constexpr use
}

// A value the page documents for PROC_TRACE_ENABLE.
bool isDocumentedValue(int value) {
  for (const PageTerm& term : kVocabulary)
    if (term.kind == PageTermKind::Value && term.number == value) return true;
  return false;
}

constexpr std::uint32_t kNotraceBits = KSIM_P2_NOTRACE | KSIM_P2_NOTRACE_EXEC;

struct Clause {
  PropertyId id;
  int error;
};


// The process a P_PID request names: a live, non-zombie process with that
// pid (pid 0 is the swapper where the page gives it no other meaning, the
// caller where it does: FreeBSD's page since 2023).
int targetSlot(const model::State& s, const model::Action& a, Design design) {
  unsigned target = procctlTarget(a, design);
  if (target >= KSIM_NSLOTS) return -1;
  const ksim_proc_rec& p = s.world.proc[target];
  return p.state == KSIM_PRS_NORMAL ? static_cast<int>(target) : -1;
}

bool isTraced(const ksim_proc_rec& p) { return (p.flag & KSIM_P_TRACED) != 0 || p.traceflag != 0; }

// p_flag2's NOTRACE bits after a successful PROC_TRACE_ENABLE.
std::uint32_t predictedBits(std::uint32_t bits, int value) {
  switch (value) {
    case KSIM_PROC_TRACE_SET_ENABLED:
      return 0;
    case KSIM_PROC_TRACE_SET_DISABLED:
      // "disable persistence" when it was set; else disable until exec.
      return (bits & KSIM_P2_NOTRACE_EXEC) != 0 ? KSIM_P2_NOTRACE : (bits | KSIM_P2_NOTRACE);
    default:
      return kNotraceBits;
  }
}

}  // namespace

std::span<const PageTerm> contractVocabulary() { return kVocabulary; }

std::string_view pageTermKindName(PageTermKind kind) {
  switch (kind) {
    case PageTermKind::Command:
      return "command";
    case PageTermKind::Value:
      return "value";
    case PageTermKind::StatusValue:
      return "status value";
    case PageTermKind::Error:
      return "error";
    case PageTermKind::Interface:
      return "interface";
  }
  return "term";
}

void checkProcctlContract(const model::State& before, const model::Action& a, const model::StepResult& r,
                          std::vector<PropertyFinding>& out, const Namer& pid, Design design, Wanted wanted) {
  bool isProcctl = a.call == model::Call::Procctl || a.call == model::Call::Procctl32;
  if (!isProcctl || a.idtype != KSIM_P_PID || r.outcome != model::Outcome::Returned) return;
  bool enable = a.op == model::kProcTraceEnable;
  if (!enable && a.op != model::kProcTraceStatus) return;
  if (a.target == KSIM_SLOT_SWAPPER && !design.pidZeroIsCaller())
    reportFinding(out, wanted, PropertyId::UnspecifiedPidZero,
           [&] { return fmt::format("{} asked for P_PID 0", pid(a.actor)); });

  int t = targetSlot(before, a, design);
  std::vector<Clause> applicable;
  // EFAULT: the value cannot be read (ENABLE) or the status cannot be
  // written back (STATUS, only if the request itself succeeds).
  constexpr Clause efault{PropertyId::ContractEfault, clauseError(PropertyId::ContractEfault)};
  constexpr Clause esrch{PropertyId::ContractEsrch, clauseError(PropertyId::ContractEsrch)};
  constexpr Clause ebusy{PropertyId::ContractEbusy, clauseError(PropertyId::ContractEbusy)};
  constexpr Clause einval{PropertyId::ContractEinval, clauseError(PropertyId::ContractEinval)};
  constexpr Clause epermEnable{PropertyId::ContractEpermEnable, clauseError(PropertyId::ContractEpermEnable)};
  constexpr Clause epermUnpersist{PropertyId::ContractEpermUnpersist,
                                  clauseError(PropertyId::ContractEpermUnpersist)};
  if (!a.goodAddress && enable) applicable.push_back(efault);
  if (t < 0) applicable.push_back(esrch);
  if (t >= 0 && enable) {
    const ksim_proc_rec& p = before.world.proc[t];
    if (isTraced(p)) applicable.push_back(ebusy);
    if (!isDocumentedValue(a.data)) applicable.push_back(einval);
    if (a.data == KSIM_PROC_TRACE_SET_ENABLED && t != a.actor) applicable.push_back(epermEnable);
    if (a.data == KSIM_PROC_TRACE_SET_DISABLED && t != a.actor && (p.flag2 & KSIM_P2_NOTRACE_EXEC) != 0)
      applicable.push_back(epermUnpersist);
  }
  if (applicable.empty() && !a.goodAddress) applicable.push_back(efault);
  // Refusing another process is always allowed (permission is unspecified
  // in 2014; since 2023 the page requires the right to debug it, whose
  // refusals are p_candebug's: EPERM, ESRCH, and EBUSY while it execs).
  bool other = t >= 0 && t != a.actor;
  bool inExec = other && (before.world.proc[t].flag & KSIM_P_INEXEC) != 0;
  bool refusedForPermission =
      other && (r.error == KSIM_EPERM || r.error == KSIM_ESRCH || (r.error == KSIM_EBUSY && inExec));

  std::size_t distinct = 0;
  for (std::size_t i = 0; i < applicable.size(); ++i) {
    bool seen = false;
    for (std::size_t j = 0; j < i; ++j) seen |= applicable[j].error == applicable[i].error;
    distinct += !seen;
  }
  if (distinct > 1) {
    std::string errors;
    for (const Clause& c : applicable) errors += (errors.empty() ? "" : ", ") + model::errnoName(c.error);
    reportFinding(out, wanted, PropertyId::UnspecifiedErrorPrecedence, [&] {
      return fmt::format("{} {}: {} all apply; the kernel chose {}", pid(a.actor),
                         enable ? "PROC_TRACE_ENABLE" : "PROC_TRACE_STATUS", errors,
                         r.error == 0 ? "success" : model::errnoName(r.error));
    });
  }

  if (!applicable.empty()) {
    bool allowed = refusedForPermission;
    for (const Clause& c : applicable) allowed |= r.error == c.error;
    if (!allowed)
      reportFinding(out, wanted, applicable.front().id, [&] {
        return fmt::format("expected {}, got {}", model::errnoName(applicable.front().error),
                           r.error == 0 ? "success" : model::errnoName(r.error));
      });
    if (r.error != 0 && !(r.next == before))
      reportFinding(out, wanted, PropertyId::ContractEffect, [&] {
        return fmt::format("a call that failed with {} changed the state", model::errnoName(r.error));
      });
    return;
  }
  // No error applies: the call succeeds (or is refused for permission).
  if (r.error != 0) {
    if (!refusedForPermission)
      reportFinding(out, wanted, PropertyId::ContractEffect, [&] {
        return fmt::format("no documented error applies, but the call failed with {}",
                           model::errnoName(r.error));
      });
    else if (!(r.next == before))
      reportFinding(out, wanted, PropertyId::ContractEffect, [&] { return "a refused call changed the state"; });
    return;
  }
  // Success: only the target's NOTRACE bits may change, as predicted.
  model::State expected = before;
  if (enable) {
    ksim_proc_rec& p = expected.world.proc[t];
    p.flag2 = (p.flag2 & ~kNotraceBits) | predictedBits(p.flag2 & kNotraceBits, a.data);
  }
  if (!(expected == r.next)) {
    std::uint32_t got = r.next.world.proc[t].flag2 & kNotraceBits;
    std::uint32_t want = expected.world.proc[t].flag2 & kNotraceBits;
    reportFinding(out, wanted, PropertyId::ContractEffect, [&] {
      return got != want ? fmt::format("{} has p_flag2 {} after the call, the page says {}", pid(t),
                                       model::p2FlagNames(got), model::p2FlagNames(want))
                         : std::string("the call changed more than the target's trace flags");
    });
  }
  if (enable && other && before.world.proc[t].ruid != before.world.proc[a.actor].ruid && !(r.next == before))
    reportFinding(out, wanted, PropertyId::UnspecifiedPermission, [&] {
      return fmt::format("{} changed the trace state of {}, another user's process", pid(a.actor), pid(t));
    });
}

}  // namespace properties
