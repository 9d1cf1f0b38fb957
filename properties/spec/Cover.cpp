#include "spec/Cover.hpp"

#include "ksim/flags.h"

namespace properties {

namespace {

enum Goal : std::size_t {
  kEnableEbusy,
  kEnableEinval,
  kSetEnabledEperm,
  kSetEnabledOk,
  kSetDisabledExecOk,
  kSetDisabledUnpersistEperm,
  kSetDisabledUnpersistOk,
  kSetDisabledOk,
  kStatusDisabled,
  kStatusDisabledButTraced,
  kStatusTraced,
  kStatusUntraced,
  kEsrch,
  kEfault,
  kPgid,
};

}  // namespace

const std::vector<CoverGoal>& coverGoals() {
  static const std::vector<CoverGoal> goals = {
      {"trace_enable:ebusy", "PROC_TRACE_ENABLE on a traced process returns EBUSY"},
      {"trace_enable:einval", "PROC_TRACE_ENABLE with an invalid value returns EINVAL"},
      {"trace_enable:enable-other-eperm", "PROC_TRACE_SET_ENABLED on another process returns EPERM"},
      {"trace_enable:enable-self", "PROC_TRACE_SET_ENABLED on the caller succeeds"},
      {"trace_enable:disable-exec", "PROC_TRACE_SET_DISABLED_EXEC succeeds"},
      {"trace_enable:unpersist-other-eperm",
       "PROC_TRACE_SET_DISABLED on another process with P2_NOTRACE_EXEC returns EPERM"},
      {"trace_enable:unpersist-self", "PROC_TRACE_SET_DISABLED on the caller drops P2_NOTRACE_EXEC"},
      {"trace_enable:disable", "PROC_TRACE_SET_DISABLED without P2_NOTRACE_EXEC succeeds"},
      {"trace_status:disabled", "PROC_TRACE_STATUS of a disabled process returns -1"},
      {"trace_status:disabled-but-traced", "PROC_TRACE_STATUS of a traced, disabled process (its KASSERT)"},
      {"trace_status:traced", "PROC_TRACE_STATUS of a traced process returns the debugger's pid"},
      {"trace_status:untraced", "PROC_TRACE_STATUS of an untraced, enabled process returns 0"},
      {"contract:esrch", "a P_PID request for a pid no process has"},
      {"contract:efault", "a request with a data pointer that faults"},
      {"kern_procctl:pgid", "PROC_TRACE_ENABLE by process group succeeds for some member"},
  };
  return goals;
}

void coverStep(const model::State& before, const model::Action& a, const model::StepResult& r,
               CoverSet& reached) {
  if (a.call != model::Call::Procctl && a.call != model::Call::Procctl32) return;
  bool ok = r.outcome == model::Outcome::Returned && r.error == 0;
  if (r.outcome == model::Outcome::Returned && r.error == KSIM_EFAULT) reached.set(kEfault);
  if (a.idtype == KSIM_P_PGID) {
    if (a.op == model::kProcTraceEnable && ok) reached.set(kPgid);
    return;
  }
  if (a.target >= KSIM_NSLOTS || before.world.proc[a.target].state != KSIM_PRS_NORMAL) {
    if (r.error == KSIM_ESRCH) reached.set(kEsrch);
    return;
  }
  if (!a.goodAddress && a.op == model::kProcTraceEnable) return;
  const ksim_proc_rec& t = before.world.proc[a.target];
  bool traced = (t.flag & KSIM_P_TRACED) != 0 || t.traceflag != 0;
  bool self = a.target == a.actor;
  bool persist = (t.flag2 & KSIM_P2_NOTRACE_EXEC) != 0;
  if (a.op == model::kProcTraceStatus) {
    if (r.outcome == model::Outcome::Panic && (t.flag2 & KSIM_P2_NOTRACE) != 0)
      reached.set(kStatusDisabledButTraced);
    if (!ok || !r.value || !a.goodAddress) return;
    if (*r.value == -1) reached.set(kStatusDisabled);
    if (*r.value > 0) reached.set(kStatusTraced);
    if (*r.value == 0 && (t.flag2 & KSIM_P2_NOTRACE) == 0 && (t.flag & KSIM_P_TRACED) == 0)
      reached.set(kStatusUntraced);
    return;
  }
  if (a.op != model::kProcTraceEnable || r.outcome != model::Outcome::Returned) return;
  if (traced) {
    if (r.error == KSIM_EBUSY) reached.set(kEnableEbusy);
    return;
  }
  switch (a.data) {
    case KSIM_PROC_TRACE_SET_ENABLED:
      if (!self && r.error == KSIM_EPERM) reached.set(kSetEnabledEperm);
      if (self && ok) reached.set(kSetEnabledOk);
      break;
    case KSIM_PROC_TRACE_SET_DISABLED_EXEC:
      if (ok) reached.set(kSetDisabledExecOk);
      break;
    case KSIM_PROC_TRACE_SET_DISABLED:
      if (persist && !self && r.error == KSIM_EPERM) reached.set(kSetDisabledUnpersistEperm);
      if (persist && self && ok) reached.set(kSetDisabledUnpersistOk);
      if (!persist && ok) reached.set(kSetDisabledOk);
      break;
    default:
      if (r.error == KSIM_EINVAL) reached.set(kEnableEinval);
      break;
  }
}

}  // namespace properties
