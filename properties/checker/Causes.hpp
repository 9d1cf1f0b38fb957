// Causes: when two violations of a property are the same defect.
//
// A property violated in many states is usually violated for few reasons.
// ksim classifies each violation by a cause and keeps, per cause, the first
// counterexample the breadth-first search meets (a shortest one); `ksim
// check` says how many causes each property has, and `--all-causes` prints
// one counterexample per cause.  README.md ("Causes") gives the rules; in
// short:
//
//  - a violation by a step (a step property, a contract clause, an
//    unspecified point) is caused by the step's shape: the call with its
//    request and value, whether the caller is root, how the call names its
//    target and what the target is to the caller (itself, the swapper,
//    init, no process, its debuggee or debugger, its child or parent,
//    another process of its user, root's, another user's), and how the
//    step ended (the errno, a sleep, a panic, a hang).  These are the
//    facts the patch's checks turn on (the privilege check, p_candebug's
//    relation and credential tests, the request's own tests) and the exit
//    they took: two steps alike in all of them went the same way through
//    the code to the same end, so one fix (a guard) removes both.  The
//    trace flags of the target are left out: the property already says
//    which state it is about, and counting each mix of unrelated flags
//    (a ktrace beside a ptrace) would split one defect into many.
//  - a violated state invariant is caused by the step that broke it: the
//    shape of the step that first reached the state, as above, when the
//    state before it did not violate the invariant (a state that inherits
//    the violation from the state before is no new occurrence).
//  - a trap of a graph property is caused by what holds the processes it
//    is stuck on (Progress.hpp, trapCause): who traces a process stopped
//    for its tracer, what the child of a parent asleep in vfork is, which
//    trace states an owner cannot leave.  root-can-undo, judged on the
//    graph too, is violated by a step (the culprit's, the last of its
//    counterexample): its cause is that step's shape, as above.
//
// A cause is a 64-bit key packing those facts exactly (no hash: no two
// causes share a key), so it reads back as text (describeCause).
#pragma once

#include <cstdint>
#include <string>

#include "model/Kernel.hpp"
#include "spec/Properties.hpp"

namespace properties {

/// The kind of a cause key (its two top bits).
enum class CauseKind : std::uint8_t { Unclassified = 0, Step = 1, Trap = 2 };

inline CauseKind causeKind(std::uint64_t cause) { return static_cast<CauseKind>(cause >> 62); }

/// The cause of a violation by the step `a` from `before` that ended as `r`.
std::uint64_t stepCause(const model::State& before, const model::Action& a, const model::StepResult& r);

/// A cause in words, e.g. "P ptrace PT_ATTACH Q fails with EPERM; P is unprivileged, Q is a
/// process of another user".  Trap causes are described by the graph properties'
/// describeTrapCause (Progress.hpp).
std::string describeCause(PropertyId id, std::uint64_t cause);

}  // namespace properties
