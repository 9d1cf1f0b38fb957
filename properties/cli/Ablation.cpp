#include "cli/Ablation.hpp"

#include <fmt/format.h>

#include <regex>

namespace ksim {

std::vector<Guard> guardsOf(const std::string& base) {
  // kernel/ablations/CMakeLists.txt writes the description in this form.
  static const std::regex described("^(.*) without the guard at ([^:]+):([0-9]+) in ([A-Za-z_0-9]+): (.*)$");
  std::vector<Guard> out;
  for (unsigned i = 0; i < ksim_variant_count; ++i) {
    const ksim_variant_entry& e = ksim_variant_table[i];
    std::cmatch m;
    if (std::string(e.kind) != "ablation" || !std::regex_match(e.description, m, described) || m[1] != base)
      continue;
    out.push_back({&e, m[2], std::stoi(m[3]), m[4], m[5]});
  }
  return out;
}

std::string outcomeText(const AblationOutcome& outcome) {
  if (!outcome.prevented) return "redundant at these bounds";
  std::size_t n = outcome.prevented->steps.size();
  if (outcome.baseLength != 0)
    return fmt::format("delays {}: without it {} step{}, with it {}", outcome.prevented->property, n,
                       n == 1 ? "" : "s", outcome.baseLength);
  return fmt::format("prevents {} ({} step{})", outcome.prevented->property, n, n == 1 ? "" : "s");
}

std::vector<AblationOutcome> runAblations(const CheckRun& baseRun,
                                          const std::function<void(const std::string&)>& log) {
  // Every property but the unspecified points; the search stops at the
  // first failure of one the variant keeps.  One the variant violates
  // counts if it fails sooner without the guard.
  std::vector<properties::PropertyId> checked;
  std::vector<bool> stopAt;
  std::vector<std::size_t> baseLength;  // 0: the variant keeps it
  for (sim::PropertyIndex k = 0; k < baseRun.selected.size(); ++k) {
    properties::PropertyId id = baseRun.selected[k];
    const auto& info = properties::propertyInfo(id);
    if (info.isUnspecifiedPoint()) continue;
    const auto* cx = baseRun.result.counterexampleFor(k);
    checked.push_back(id);
    baseLength.push_back(cx ? cx->actions.size() : 0);
    // Progress is judged on the graph afterwards and cannot stop the search;
    // a search that stops early leaves it unjudged, never violated.
    stopAt.push_back(!cx && info.judgedOn() != properties::JudgedOn::Graph);
  }
  std::vector<AblationOutcome> out;
  for (const Guard& guard : guardsOf(baseRun.variant->variant->name)) {
    AblationOutcome outcome{guard, std::nullopt, 0, sim::Completion::Complete, 0};
    CheckRun run;
    run.variant = guard.ablation;
    run.config = baseRun.config;
    run.bounds = baseRun.bounds;
    run.selected = checked;
    performCheck(run, false, {}, 0, stopAt);
    outcome.states = run.result.stats.states;
    // A stopped progress judgement leaves this ablation's check unfinished, as a stopped search does.
    outcome.completion = run.judgementStopped ? sim::Completion::Interrupted : run.result.completion;
    for (std::size_t i = 0; i < run.traces.size(); ++i) {
      std::size_t k = run.result.counterexamples[i].property;
      std::size_t length = run.traces[i].steps.size();
      bool worse = baseLength[k] == 0 || length < baseLength[k];
      if (worse && (!outcome.prevented || length < outcome.prevented->steps.size())) {
        outcome.prevented = run.traces[i];
        outcome.baseLength = baseLength[k];
      }
    }
    log(fmt::format("{}:{} {}: {}", guard.file, guard.line, guard.code, outcomeText(outcome)));
    out.push_back(std::move(outcome));
    if (outcome.completion == sim::Completion::Interrupted) break;
  }
  return out;
}

}  // namespace ksim
