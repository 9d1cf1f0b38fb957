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
  /// Checked with `ksim check`, each into results/<name>/.
  std::vector<std::string> designs;
  /// Compared with `ksim diff`, each into results/diff/<a>--<b>/.
  std::vector<std::pair<std::string, std::string>> diffs;
  /// Ablated with `ksim ablate`, each into results/ablation/<name>/.
  std::vector<std::string> ablated;
  /// The whole-patch check (`ksim patch`), into results/<patchFolder>/
  /// ("" none): the seed's C hunks compiled, its man page hunk linted and
  /// compared with what the properties check.
  std::string patchFolder;
  /// The world every search of the review runs in (--process specs and
  /// --maxproc): three users, one of them root, so that privilege and
  /// cross-user checks show, and room for one fork.
  std::vector<std::string> processes;
  unsigned maxproc = 0;
  /// Depth bounds (0: complete) of the designs' checks, of the diffs and of
  /// the ablations (one check per guard), chosen so that the whole review
  /// regenerates in minutes on a 2-core machine.
  std::uint64_t checkDepth = 0;
  std::uint64_t diffDepth = 0;
  std::uint64_t ablationDepth = 0;
  /// Every design is also checked as a production kernel (--kernel
  /// production: assertions compiled out), each into
  /// results/<productionFolder>/<name>/, to productionDepth: shallower
  /// than checkDepth, and without --all-causes, to keep the regeneration
  /// in minutes.  "" none.
  std::string productionFolder;
  std::uint64_t productionDepth = 0;
};

/// What `ksim report` runs and renders.
const ReviewPlan& reviewPlan();

/// Reads the parts of the review from results/ into a Review.  Throws
/// std::runtime_error naming a missing or malformed file.
review::Review loadReview(const std::filesystem::path& results);

}  // namespace ksim
