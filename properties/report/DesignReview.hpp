// The design review in results/: which versions of the patch are checked,
// which pairs are compared and which variants' guards are ablated, and the
// report (Markdown and HTML) rendered from what those runs wrote.
//
// Rendering reads only files under results/ (summary.json, diff.json,
// ablation.json and the scenario files they name), so the report can be
// regenerated, and checked to be current, without running a search again.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "report/Review.hpp"

namespace ksim {

struct ReviewPlan {
  /// Checked at the default world and bounds, each into results/<name>/.
  std::vector<std::string> designs;
  /// Compared with `ksim diff`, each into results/diff/<a>--<b>/.
  std::vector<std::pair<std::string, std::string>> diffs;
  /// The world the comparisons run in (--process specs) and their depth
  /// bound: the privilege override needs a root process to show, and two
  /// initial processes need a bound to stay quick.
  std::vector<std::string> diffProcesses;
  std::uint64_t diffMaxDepth = 0;
  /// Ablated with `ksim ablate`, each into results/ablation/<name>/, in
  /// the default world to this depth (0: complete).  A design whose
  /// complete check takes half a minute is ablated to a depth bound, so
  /// that its thirty-odd ablations stay quick enough for the test suite.
  std::vector<std::pair<std::string, std::uint64_t>> ablated;
};

/// What `ksim report` runs and renders.
const ReviewPlan& reviewPlan();

/// Reads the parts of the review from results/ into a Review.  Throws
/// std::runtime_error naming a missing or malformed file.
review::Review loadReview(const std::filesystem::path& results);

}  // namespace ksim
