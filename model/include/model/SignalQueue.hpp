// FreeBSD's signal queue, as the opt-in family signal-queue models it
// (kernel/PROVENANCE.md section 18).  Without the family a pending signal
// is one bit, and the signal a debugger passes on is marked by the one
// flag KSIM_SIGF_NOSTOP; with it:
//
// - every pending instance of a signal is counted: the pending bit stands
//   for the first, and one of State's cells (sigq) for the others;
// - an instance the debugger passed on (KSI_PTRACE) is marked per signal
//   (passedMark), and the passed-on instances of a signal are taken before
//   the ones sent: ptracestop() queues them on the thread's queue, which
//   issignal() and postsig() empty first, and a signal resumed unchanged
//   goes back at its head.
//
// Two (process, signal) pairs can hold more than one instance at a time
// (State's two cells); a further instance of a third, while both cells are
// taken, is kept as one, as without the family (the pending bit and its
// mark).  The helpers keep a cell empty (all zero) whenever it describes
// nothing, and the cells in one order.
#pragma once

#include <cstdint>

#include "model/Signals.hpp"
#include "model/State.hpp"

namespace model {

/// kern.sigqueue.max_pending_per_proc's default (kern_sig.c): how many
/// ksiginfo a process may have queued.  Past it, a kill(2) still succeeds
/// and sets the signal's bit in sq_kill, one more instance at most.
inline constexpr unsigned kMaxPendingPerProc = 128;

/// Whether the signal itself is pending (for SIGTRAP: sent or passed on,
/// not an event stop's).
constexpr bool signalPending(const ksim_proc_rec& p, const SignalSpec& spec) {
  if (spec.signal == KSIM_SIGTRAP) return (p.sigflags & KSIM_SIGF_SIGTRAP) != 0;
  return (pendingSignals(p) & spec.bit) != 0;
}

constexpr std::uint8_t queueCellKey(unsigned slot, int signal) {
  return static_cast<std::uint8_t>(slot << 5 | static_cast<unsigned>(signal));
}
constexpr bool queueCellEmpty(const SignalQueueCell& c) { return (c.key & 31u) == 0; }
constexpr unsigned queueCellSlot(const SignalQueueCell& c) { return c.key >> 5; }
constexpr int queueCellSignal(const SignalQueueCell& c) { return static_cast<int>(c.key & 31u); }

/// The cell that holds this process's signal's further instances, if any.
constexpr const SignalQueueCell* findQueueCell(const State& s, unsigned slot, int signal) {
  for (const SignalQueueCell& c : s.sigq)
    if (!queueCellEmpty(c) && c.key == queueCellKey(slot, signal)) return &c;
  return nullptr;
}
constexpr SignalQueueCell* findQueueCell(State& s, unsigned slot, int signal) {
  for (SignalQueueCell& c : s.sigq)
    if (!queueCellEmpty(c) && c.key == queueCellKey(slot, signal)) return &c;
  return nullptr;
}

/// The instances of a signal pending for a process: passed on (taken
/// first) and sent.
struct QueuedInstances {
  unsigned passed = 0;
  unsigned sent = 0;
  constexpr unsigned total() const { return passed + sent; }
};

inline QueuedInstances queuedInstances(const State& s, unsigned slot, int signal) {
  const ksim_proc_rec& p = s.proc(slot);
  const SignalSpec& spec = *findSignal(signal);
  QueuedInstances q;
  if (!signalPending(p, spec)) return q;
  bool first = passedMark(p, spec);
  q.passed = first ? 1 : 0;
  q.sent = first ? 0 : 1;
  if (const SignalQueueCell* c = findQueueCell(s, slot, signal)) {
    q.passed += c->passed;
    q.sent += c->sent;
  }
  return q;
}

/// Puts the cells in one order (the empty ones last), so that one queue
/// is one state.
constexpr void sortQueueCells(State& s) {
  auto rank = [](const SignalQueueCell& c) { return queueCellEmpty(c) ? 0x100u : c.key; };
  for (unsigned i = 1; i < kSignalQueueCells; ++i)
    for (unsigned j = i; j > 0 && rank(s.sigq[j]) < rank(s.sigq[j - 1]); --j) {
      SignalQueueCell t = s.sigq[j];
      s.sigq[j] = s.sigq[j - 1];
      s.sigq[j - 1] = t;
    }
}

/// sigqueue_add(): one more instance of a signal, passed on by the
/// debugger (KSI_PTRACE) or sent.  SIGKILL and SIGSTOP take the fast path
/// (sq_kill, one deep); a sent instance past max_pending_per_proc
/// instances plus sq_kill's one is not queued (the first instances are as
/// if no other signal held a ksiginfo).  With both cells taken by other
/// signals, the instance is kept as one, as without the queue.
inline void queueSignal(State& s, unsigned slot, int signal, bool passed) {
  ksim_proc_rec& p = s.proc(slot);
  const SignalSpec& spec = *findSignal(signal);
  if (!signalPending(p, spec)) {
    addPendingSignals(p, spec.bit);
    if (passed) setPassedMark(p, spec, true);
    return;
  }
  if (signal == KSIM_SIGKILL || signal == KSIM_SIGSTOP) {
    if (passed) setPassedMark(p, spec, true);
    return;
  }
  SignalQueueCell* cell = findQueueCell(s, slot, signal);
  for (SignalQueueCell& c : s.sigq)
    if (cell == nullptr && queueCellEmpty(c)) {
      c = SignalQueueCell{queueCellKey(slot, signal), 0, 0};
      cell = &c;
    }
  if (cell == nullptr) {
    if (passed) setPassedMark(p, spec, true);
    return;
  }
  if (passed) {
    if (passedMark(p, spec)) {
      if (cell->passed < kMaxPendingPerProc) ++cell->passed;
    } else {
      // Ahead of the sent instance that was first in line.
      setPassedMark(p, spec, true);
      ++cell->sent;
    }
  } else {
    unsigned sent = (passedMark(p, spec) ? 0u : 1u) + cell->sent;
    if (sent < kMaxPendingPerProc + 1) ++cell->sent;
  }
  if (cell->passed == 0 && cell->sent == 0) *cell = SignalQueueCell{};
  sortQueueCells(s);
}

/// sigqueue_get(): takes the first instance of a pending signal; the
/// pending bit stays while another is queued.  Answers whether the
/// instance taken was passed on by the debugger (issignal() does not stop
/// for it).
inline bool takeQueuedSignal(State& s, unsigned slot, int signal) {
  ksim_proc_rec& p = s.proc(slot);
  const SignalSpec& spec = *findSignal(signal);
  SignalQueueCell* cell = findQueueCell(s, slot, signal);
  bool passed = passedMark(p, spec);
  if (passed && cell != nullptr && cell->passed > 0) {
    --cell->passed;
  } else {
    if (passed) setPassedMark(p, spec, false);
    if (cell != nullptr && cell->sent > 0)
      --cell->sent;
    else
      removePendingSignals(p, spec.bit);
  }
  if (cell != nullptr && cell->passed == 0 && cell->sent == 0) *cell = SignalQueueCell{};
  sortQueueCells(s);
  return passed;
}

/// Empties a cell that no longer describes a pending signal (its process
/// ended, or every instance was deleted: sigaction's SIG_IGN, SIGCONT's
/// and SIGSTOP's clearing of each other), and sorts the cells.
inline void normalizeSignalQueue(State& s) {
  for (SignalQueueCell& c : s.sigq) {
    if (queueCellEmpty(c)) {
      c = SignalQueueCell{};
      continue;
    }
    const SignalSpec* spec = findSignal(queueCellSignal(c));
    unsigned slot = queueCellSlot(c);
    const ksim_proc_rec& p = s.proc(slot);
    if (spec == nullptr || p.state != KSIM_PRS_NORMAL || !signalPending(p, *spec)) {
      c = SignalQueueCell{};
      continue;
    }
    if (!passedMark(p, *spec)) c.passed = 0;
    if (c.passed == 0 && c.sent == 0) c = SignalQueueCell{};
  }
  sortQueueCells(s);
}

}  // namespace model
