#include "spec/Cover.hpp"

#include "ksim/flags.h"

namespace properties {

namespace {

enum Goal : std::size_t {
#define KSIM_COVER_GOAL(id, name, description) k##id,
#include "spec/CoverGoals.def"
#undef KSIM_COVER_GOAL
};

}  // namespace

const std::vector<CoverGoal>& coverGoals() {
  static const std::vector<CoverGoal> goals = {
#define KSIM_COVER_GOAL(id, name, description) {name, description},
#include "spec/CoverGoals.def"
#undef KSIM_COVER_GOAL
  };
  return goals;
}

void coverStep(const model::State& before, const model::Action& a, const model::StepResult& r,
               CoverSet& reached) {
  if (a.call != model::Call::Procctl && a.call != model::Call::Procctl32) return;
  // The goals are the tracing requests'; the reaper's answer none of them.
  if (model::isReaperCommand(a.op)) return;
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
    // The state the RFC's KASSERT forbids, whatever the design answers
    // there: a panic under INVARIANTS, an assertion passed over in
    // production, or (a design without the KASSERT) an answer.
    if ((t.flag2 & KSIM_P2_NOTRACE) != 0 && (t.flag & KSIM_P_TRACED) != 0) reached.set(kStatusDisabledButTraced);
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
