// Guard ablation: each guard of a variant taken out in turn (the variants
// kernel/ablations/ generates, kind "ablation"), checked at the same world
// and bounds, and compared with the variant itself.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "report/Report.hpp"

namespace ksim {

struct Guard {
  const ksim_variant_entry* ablation = nullptr;  ///< the variant without the guard
  std::string file;
  int line = 0;
  std::string function;
  std::string code;
};

/// The guards of a variant, in the order kernel/ablations/ numbered them.
std::vector<Guard> guardsOf(const std::string& base);

struct AblationOutcome {
  Guard guard;
  /// The property the guard keeps, shown by the shortest counterexample
  /// found without it; nullopt: redundant at these bounds.
  std::optional<properties::ConcreteTrace> prevented;
  std::uint64_t states = 0;  ///< states explored without the guard
  /// How that search ended: a redundant guard proves little unless it is Complete.
  sim::Completion completion = sim::Completion::Complete;
  /// If the variant itself violates that property: its shortest
  /// counterexample's length, longer than `prevented` (the guard delays
  /// the failure); 0 if the variant keeps the property.
  std::size_t baseLength = 0;
  /// The world `prevented` was found in: the base run's own (nullopt), or
  /// that world with one tunable set the other way, tried because no
  /// search of the base world needed the guard (model::SysctlVariation).
  std::optional<model::SysctlVariation> variation;
};

/// Checks the variant without each of its guards.  A guard prevents a
/// property that the variant keeps (baseRun's verdicts) and that fails
/// without it; the search stops at the first such failure, a shortest one.
/// A guard delays a property the variant violates if it fails sooner
/// without it.
/// Progress properties are judged on the graph of a search that was not
/// stopped (one that stopped found a shortest failure already).  With
/// varySysctls, a guard that neither prevents nor delays anything in the
/// base world is tried in each of its sysctl variations in turn
/// (model::Config::sysctlVariations), judged against the variant's own
/// verdicts there, until one shows what it is for: a guard that keeps
/// other users' processes hidden, or core files from being written, is
/// needed only where a tunable asks for that.  log sees one line per
/// guard.  An interrupted search ends the list (the rest would stop at
/// once).
std::vector<AblationOutcome> runAblations(const CheckRun& baseRun, bool varySysctls,
                                          const std::function<void(const std::string&)>& log);

/// The outcome column: "prevents <property> (N steps)", "delays <property>:
/// without it N steps, with it M", either followed by " with NAME=VALUE"
/// when found in a variation; "redundant at these bounds"; or, for the
/// guard an interruption cut short, "not judged: interrupted".
std::string outcomeText(const AblationOutcome& outcome);

}  // namespace ksim
