// The reaper: procctl(2)'s PROC_REAP_ACQUIRE, _RELEASE, _STATUS and _KILL,
// and what a reaper's end does to its descendants, in a design that has it
// (KSIM_DESIGN_REAPER: every design).  kernel/PROVENANCE.md section 15
// has the FreeBSD facts this follows.
//
// Why here and not in the variant's C: every request but the dispatch is
// about the process tree (p_reaper, p_children, the reaper's list of
// descendants) and about sending signals, which the model keeps
// (Kernel.cpp), as it keeps ptrace around the variant's permission checks.
// The C table of freebsd-current's kern_procctl.c still says what the
// dispatch does for these rows, and doReaper() does the same: P_PID only,
// id 0 is the caller, another pid must be found and visible (p_cansee);
// the handlers there are never reached.
#include <array>
#include <vector>

#include "ksim/flags.h"
#include "model/Kernel.hpp"
#include "model/Signals.hpp"
#include "sim/Check.hpp"

namespace model {

namespace {

constexpr std::uint8_t kInit = KSIM_SLOT_INIT;
constexpr std::uint8_t kSwapper = KSIM_SLOT_SWAPPER;

bool isReaper(const ksim_proc_rec& p) { return (p.treeflag & KSIM_P_TREE_REAPER) != 0; }

// The reaper a request names through process p: p itself if it is one,
// else p's reaper (reap_status, reap_getpids and reap_kill alike).
unsigned reaperOf(const State& s, unsigned p) { return isReaper(s.proc(p)) ? p : s.proc(p).reaper; }

// The reaper's list (p_reaplist): the processes whose p_reaper it is,
// zombies and new ones included, in the order FreeBSD keeps it as far as
// the model can tell: the list takes the newest at its head, and a newer
// process usually has the higher slot, so highest slot first.
std::vector<std::uint8_t> descendantsOf(const State& s, unsigned reaper) {
  std::vector<std::uint8_t> out;
  for (unsigned i = KSIM_NSLOTS; i-- > KSIM_SLOT_INIT;)
    if (i != reaper && isLive(s.proc(i)) && s.proc(i).reaper == reaper)
      out.push_back(static_cast<std::uint8_t>(i));
  return out;
}

}  // namespace

void Kernel::abandonReaperChildren(State& s, unsigned reaper, bool reaped) const {
  ksim_proc_rec& r = s.proc(reaper);
  if (!isReaper(r)) return;
  KSIM_VERIFY(reaper != kInit && reaper != kSwapper, "init and the swapper never give up reaping");
  std::uint8_t heir = r.reaper;
  for (std::uint8_t q : descendantsOf(s, reaper)) {
    ksim_proc_rec& d = s.proc(q);
    d.reaper = heir;
    if (reaped && d.pptr == reaper) {
      reparent(s, q, heir);
      // The model's init reaps its zombie children as they come.
      if (heir == kInit && d.state == KSIM_PRS_ZOMBIE) reapProcess(s, q);
    }
  }
  r.treeflag &= static_cast<std::uint8_t>(~KSIM_P_TREE_REAPER);
}

// kern_procctl() for a reaper request (its row of procctl_cmds_info: P_PID
// only, no right to debug asked), then the request itself.
void Kernel::doReaper(StepResult& r, const Action& a) const {
  State& s = r.next;
  if (a.idtype != KSIM_P_PID) {
    r.error = KSIM_EINVAL;
    return;
  }
  unsigned target = a.target;
  if (target == kSwapper && (variant_.design & KSIM_DESIGN_PID0_IS_CALLER) != 0) {
    target = a.actor;  // P_PID 0: the caller, unchecked
  } else {
    // pfind(): neither new nor zombie.
    if (target >= KSIM_NSLOTS || s.proc(target).state != KSIM_PRS_NORMAL) {
      r.error = KSIM_ESRCH;
      return;
    }
    ksim_call call = makeCall(s, a.actor);
    variant_.p_cansee(&call, target);
    if (!finishCall(call, r)) return;
    if (call.error != 0) {
      r.error = call.error;
      return;
    }
  }
  ksim_proc_rec& p = s.proc(target);
  switch (a.op) {
    case kProcReapAcquire:
      // Existing descendants keep the reaper they have: only those forked
      // from now on, directly or not, are this one's.
      if (target != a.actor)
        r.error = KSIM_EPERM;
      else if (isReaper(p))
        r.error = KSIM_EBUSY;
      else
        p.treeflag |= KSIM_P_TREE_REAPER, r.value = 0;
      return;
    case kProcReapRelease:
      if (target != a.actor)
        r.error = KSIM_EPERM;
      else if (target == kInit || !isReaper(p))
        r.error = KSIM_EINVAL;
      else
        abandonReaperChildren(s, target, false), r.value = 0;
      return;
    case kProcReapStatus: {
      ReaperStatus st;
      unsigned reaper = reaperOf(s, target);
      if (isReaper(p)) st.flags |= KSIM_REAPER_STATUS_OWNED;
      if (reaper == kInit) st.flags |= KSIM_REAPER_STATUS_REALINIT;
      st.reaper = static_cast<std::uint8_t>(reaper);
      std::vector<std::uint8_t> list = descendantsOf(s, reaper);
      for (std::uint8_t q : list) {
        ++st.descendants;
        if (realParent(s.proc(q)) == reaper) ++st.children;
      }
      // rs_pid: the first of the reaper's children (p_children, newest
      // first), else the first of its list; -1 when the list is empty.
      if (!list.empty()) {
        const SlotList children = childrenNewestFirst(s, reaper);
        st.pid = children.count > 0 ? children.slots[0] : list.front();
      }
      r.reaperStatus = st;
      r.value = 0;
      return;
    }
    case kProcReapKill:
      reapKill(r, a, reaperOf(s, target));
      return;
    default:
      break;
  }
  KSIM_VERIFY(false, "a reaper request the model does not run");
}

// reap_kill(), today's (KSIM_DESIGN_REAP_KILL_SUBTREE; stable/10's is
// below): the signal and flags are checked first; then every child
// of the reaper (REAPER_KILL_CHILDREN), or every descendant, down through
// the reapers among them, is signalled where the caller may signal it.
// The error starts as ESRCH ("nobody signalled"); the first refusal while
// it is still ESRCH becomes the error and rk_fpid.  Walking descendants,
// each signalled process other than the caller sets the error back to 0;
// walking children, nothing does, so REAPER_KILL_CHILDREN answers ESRCH or
// a refusal even when it signalled (reap_kill_children() in today's
// kern_procctl.c).  The caller, when it is among the descendants, is
// signalled without a permission check and leaves the error as it is.
void Kernel::reapKill(StepResult& r, const Action& a, unsigned reaper) const {
  State& s = r.next;
  int sig = a.data;
  unsigned flags = reapKillFlags(a.goodAddress);
  constexpr unsigned kBoth = KSIM_REAPER_KILL_CHILDREN | KSIM_REAPER_KILL_SUBTREE;
  if (sig <= 0 || sig > KSIM_SIG_MAXSIG || (flags & ~kBoth) != 0 || (flags & kBoth) == kBoth) {
    r.error = KSIM_EINVAL;
    return;
  }
  KSIM_VERIFY((flags & KSIM_REAPER_KILL_SUBTREE) == 0,
              "REAPER_KILL_SUBTREE is not modelled (no p_reapsubtree)");
  KSIM_VERIFY(findSignal(sig) != nullptr, "PROC_REAP_KILL with a signal the model does not have");
  ReaperKillReport report;
  int error = KSIM_ESRCH;
  auto refusedBy = [&](unsigned q) -> std::optional<int> {
    ksim_call call = makeCall(s, a.actor);
    variant_.p_cansignal(&call, q, sig);
    if (!finishCall(call, r)) return std::nullopt;
    return call.error;
  };
  auto refuse = [&](unsigned q, int why) {
    if (error == KSIM_ESRCH) {
      report.failed = static_cast<std::uint8_t>(q);
      error = why;
    }
  };
  if ((variant_.design & KSIM_DESIGN_REAP_KILL_SUBTREE) == 0) {
    // stable/10's reap_kill(): one loop over the reaper's children
    // (p_children, newest first) or its list alone, zombies included;
    // p_cansignal() for each, which lets the caller signal itself; any
    // signal sent makes the answer 0.  A zombie takes no signal.
    std::vector<std::uint8_t> list;
    if ((flags & KSIM_REAPER_KILL_CHILDREN) != 0) {
      const SlotList children = childrenNewestFirst(s, reaper);
      list.assign(children.begin(), children.end());
    } else {
      list = descendantsOf(s, reaper);
    }
    for (std::uint8_t q : list) {
      auto why = refusedBy(q);
      if (!why) return;
      if (*why != 0) {
        refuse(q, *why);
        continue;
      }
      if (s.proc(q).state != KSIM_PRS_ZOMBIE) postSignal(s, q, sig);
      ++report.killed;
      error = 0;
    }
  } else if ((flags & KSIM_REAPER_KILL_CHILDREN) != 0) {
    // p_children, newest first, less those exiting (P2_WEXIT: zombies here).
    for (std::uint8_t q : childrenNewestFirst(s, reaper)) {
      if (s.proc(q).state == KSIM_PRS_ZOMBIE) continue;
      auto why = refusedBy(q);
      if (!why) return;
      if (*why != 0) {
        refuse(q, *why);
        continue;
      }
      postSignal(s, q, sig);
      ++report.killed;
    }
  } else {
    std::vector<std::uint8_t> reapers = {static_cast<std::uint8_t>(reaper)};
    std::array<bool, KSIM_NSLOTS> signalled{};
    for (std::size_t k = 0; k < reapers.size(); ++k) {
      for (std::uint8_t q : descendantsOf(s, reapers[k])) {
        const ksim_proc_rec& d = s.proc(q);
        if (isReaper(d)) reapers.push_back(q);
        if (signalled[q] || d.state == KSIM_PRS_ZOMBIE) continue;
        signalled[q] = true;
        if (q != a.actor) {
          auto why = refusedBy(q);
          if (!why) return;
          if (*why != 0) {
            refuse(q, *why);
            continue;
          }
          error = 0;
        }
        postSignal(s, q, sig);
        ++report.killed;
      }
    }
  }
  r.error = error;
  if (error == 0) r.value = 0;
  r.reaperKill = report;
  // Like raise(): a caller that signalled itself acts on it before the
  // call returns, which leaves the call's error as it was (takeSignal()
  // answers 0 for the signal's own step).
  if (signalsToTake(s.proc(a.actor)) != 0) {
    takeSignal(r, a.actor);
    if (r.error != 0) r.value.reset();
  }
}

}  // namespace model
