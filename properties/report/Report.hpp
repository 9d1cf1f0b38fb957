// One `ksim check` run and its printed forms.  Everything here is
// deterministic: the same inputs give byte-identical text and JSON.
// Timing lives elsewhere (stderr and timing.txt), never in these.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/Checker.hpp"
#include "ksim/registry.h"
#include "report/Interruption.hpp"
#include "report/OutputFiles.hpp"
#include "sim/Transport.hpp"

namespace ksim {

struct CheckRun {
  const ksim_variant_entry* variant = nullptr;
  model::Config config;
  sim::Bounds bounds;
  std::vector<properties::PropertyId> selected;
  sim::Result<properties::CheckedModel> result;
  /// Per counterexample in result.counterexamples, the concrete trace.
  std::vector<properties::ConcreteTrace>
      traces;  /// File name (relative to the output directory) of each trace, if written.
  std::vector<std::string> files;
  /// Whether cover goals count (a check of every property), and which the
  /// search reached.
  bool coverChecked = false;
  properties::CoverSet covered;
  /// Hash compaction (sim::StateStorage::Fingerprint): states kept as 64-bit fingerprints, so
  /// that a state may be missed; progress properties (judged on the graph, which such a search
  /// does not keep) are UNKNOWN, and no verdict is a proof.
  bool fingerprint = false;
  /// --all-causes: a shortest counterexample of every cause of each property
  /// (checker/Causes.hpp), not only of its first.
  bool allCauses = false;
  /// The ranks of an MPI job (cli/main.cpp) sharing the search (sim::exploreDistributed) when
  /// there are two or more; null, or one rank: this process searches alone (sim::explore).
  /// Every rank gets the same result, but only rank 0 judges the progress properties (it alone
  /// holds the graph) and concretises the counterexamples: the other ranks print nothing.
  sim::Transport* distribution = nullptr;
  /// Whether the progress judgement was stopped (Interruption::stopJudgement) before it
  /// judged every progress property: those it had not are UNKNOWN, and the check is no pass.
  bool judgementStopped = false;
  /// The wall-clock seconds the progress judgement took, if one ran: measured, so never in any
  /// output but timing (stderr, timing.txt).
  std::optional<double> judgementSeconds;
};

/// Whether run's search is shared by two or more ranks.
inline bool distributed(const CheckRun& run) {
  return run.distribution != nullptr && run.distribution->size() > 1;
}

/// Runs a check: explores, judges progress properties on the graph if any
/// is selected, and concretises every counterexample.  run.variant,
/// config, bounds and selected must be set; onProgress (may be empty)
/// sees the search's progress; stopAtViolationOf as in sim::Options;
/// onJudging (may be empty) is told the number of states when the progress
/// judgement starts, which interruption().stopJudgement stops.  Returns
/// the wall-clock seconds the search took (never in any output but
/// timing).
double performCheck(CheckRun& run, bool requireCover,
                    std::function<void(const sim::Progress&)> onProgress = {},
                    std::uint64_t progressEvery = 0, std::vector<bool> stopAtViolationOf = {},
                    std::function<void(std::uint64_t states)> onJudging = {});

/// The configuration block printed before a run.
std::string renderConfiguration(const CheckRun& run);
/// Whether the search reduces beyond slot symmetry, and how (the
/// configuration block's "reduction" line).
std::string reductionText(const model::Config& config);
/// Verdicts and counterexamples, printed after a run.
std::string renderVerdicts(const CheckRun& run);
nlohmann::json renderJson(const CheckRun& run);
/// The scenario file of counterexample i.
std::string counterexampleFile(const CheckRun& run, std::size_t i);
/// The name counterexample i's files go by: its property's name, and for a
/// further cause of it (--all-causes) ".cause-N", N its place among the
/// property's counterexamples (2, 3, ...).
std::string counterexampleStem(const CheckRun& run, std::size_t i);
/// The cause of counterexample i in words (checker/Causes.hpp).
std::string counterexampleCause(const CheckRun& run, std::size_t i);

/// `ksim check`'s exit code: 1 any violation, 3 bounded, 0 all hold.
int checkExitCode(const CheckRun& run);

}  // namespace ksim
