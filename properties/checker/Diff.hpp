// Behavioural differences between two kernel variants: the calls whose
// result or effect differs in the same state, each with the shortest
// scenario that reaches it.
//
// The search explores the first variant's states.  A state only the
// second variant reaches lies behind a step where the two already differ,
// so every first difference is found; what follows a difference is the
// first variant's behaviour.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/Config.hpp"
#include "checker/Checker.hpp"
#include "sim/Explorer.hpp"

namespace properties {

struct Difference {
  /// The call's shape, independent of pids: "ptrace PT_ATTACH on another
  /// user process", "procctl P_PID pid 0 PROC_TRACE_SET_DISABLED".
  std::string call;
  std::string resultA, resultB;  ///< "= EPERM", "= 0", "= sleeping", "= panic"
  /// What the step changed, per variant (describeChanges), when the
  /// results are equal and the effects are not, or always when they differ.
  std::vector<std::string> changesA, changesB;
  /// The scenario on the first variant, whose last step is the call.
  ConcreteTrace trace;
};

struct DiffResult {
  sim::Completion completion = sim::Completion::Complete;
  std::uint64_t states = 0;
  std::uint64_t comparedSteps = 0;
  std::vector<Difference> differences;  ///< shallowest first, then in discovery order
};

/// Compares every step of every state the first variant reaches within
/// the bounds (same world, same state, same action) with the second.  The
/// search and the comparison use bounds.threads threads; the result does
/// not depend on how many.
DiffResult diffVariants(const ksim_variant& a, const ksim_variant& b, const model::Config& config,
                        const sim::Bounds& bounds);

}  // namespace properties
