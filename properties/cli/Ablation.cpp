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
  // The last guard of an interrupted run: its searches ended before they could say.
  if (!outcome.prevented && outcome.completion == sim::Completion::Interrupted)
    return "not judged: interrupted";
  if (!outcome.prevented) return "redundant at these bounds";
  std::size_t n = outcome.prevented->steps.size();
  std::string where = outcome.variation ? " with " + outcome.variation->setting : "";
  if (outcome.baseLength != 0)
    return fmt::format("delays {}: without it {} step{}, with it {}{}", outcome.prevented->property, n,
                       n == 1 ? "" : "s", outcome.baseLength, where);
  return fmt::format("prevents {} ({} step{}){}", outcome.prevented->property, n, n == 1 ? "" : "s", where);
}

namespace {

// What the ablations in one world are judged against: the variant's own
// verdicts there.  It keeps what the ablations need of the variant's check,
// not the check itself (its result holds a graph).
struct Baseline {
  model::Config config;
  sim::Bounds bounds;
  std::optional<model::SysctlVariation> variation;
  // Every property but the unspecified points; the search stops at the
  // first failure of one the variant keeps.  One the variant violates
  // counts if it fails sooner without the guard.
  std::vector<properties::PropertyId> checked;
  std::vector<bool> stopAt;
  std::vector<std::size_t> baseLength;  // 0: the variant keeps it
};

Baseline baselineOf(const CheckRun& run, std::optional<model::SysctlVariation> variation) {
  Baseline b{run.config, run.bounds, std::move(variation), {}, {}, {}};
  for (sim::PropertyIndex k = 0; k < run.selected.size(); ++k) {
    properties::PropertyId id = run.selected[k];
    const auto& info = properties::propertyInfo(id);
    if (info.isUnspecifiedPoint()) continue;
    const auto* cx = run.result.counterexampleFor(k);
    b.checked.push_back(id);
    b.baseLength.push_back(cx ? cx->actions.size() : 0);
    // Progress is judged on the graph afterwards and cannot stop the search;
    // a search that stops early leaves it unjudged, never violated.
    b.stopAt.push_back(!cx && info.judgedOn() != properties::JudgedOn::Graph);
  }
  return b;
}

// The variant without the guard, in the baseline's world: the shortest
// failure it lets through that the variant keeps or shows later, if any.
AblationOutcome ablate(const Guard& guard, const Baseline& base) {
  AblationOutcome outcome{guard, std::nullopt, 0, sim::Completion::Complete, 0, std::nullopt};
  CheckRun run;
  run.variant = guard.ablation;
  run.config = base.config;
  run.bounds = base.bounds;
  run.selected = base.checked;
  performCheck(run, false, {}, 0, base.stopAt);
  outcome.states = run.result.stats.states;
  // A stopped progress judgement leaves this ablation's check unfinished, as a stopped search does.
  outcome.completion = run.judgementStopped ? sim::Completion::Interrupted : run.result.completion;
  for (std::size_t i = 0; i < run.traces.size(); ++i) {
    std::size_t k = run.result.counterexamples[i].property;
    std::size_t length = run.traces[i].steps.size();
    bool worse = base.baseLength[k] == 0 || length < base.baseLength[k];
    if (worse && (!outcome.prevented || length < outcome.prevented->steps.size())) {
      outcome.prevented = run.traces[i];
      outcome.baseLength = base.baseLength[k];
    }
  }
  if (outcome.prevented) outcome.variation = base.variation;
  return outcome;
}

bool interrupted(const CheckRun& run) {
  return run.judgementStopped || run.result.completion == sim::Completion::Interrupted;
}

}  // namespace

std::vector<AblationOutcome> runAblations(const CheckRun& baseRun, bool varySysctls,
                                          const std::function<void(const std::string&)>& log) {
  const Baseline given = baselineOf(baseRun, std::nullopt);
  // The variant's own check in each variation, run when a guard first needs it.
  std::vector<model::SysctlVariation> variations;
  if (varySysctls) variations = baseRun.config.sysctlVariations();
  std::vector<Baseline> variationBaselines;
  std::vector<AblationOutcome> out;
  for (const Guard& guard : guardsOf(baseRun.variant->variant->name)) {
    AblationOutcome outcome = ablate(guard, given);
    for (std::size_t v = 0;
         !outcome.prevented && outcome.completion != sim::Completion::Interrupted && v < variations.size();
         ++v) {
      if (v == variationBaselines.size()) {
        CheckRun own;
        own.variant = baseRun.variant;
        own.config = variations[v].config;
        own.bounds = baseRun.bounds;
        own.selected = baseRun.selected;
        performCheck(own, false);
        if (interrupted(own)) {
          outcome.completion = sim::Completion::Interrupted;
          break;
        }
        variationBaselines.push_back(baselineOf(own, variations[v]));
      }
      AblationOutcome varied = ablate(guard, variationBaselines[v]);
      if (varied.prevented)
        outcome = std::move(varied);
      else if (varied.completion == sim::Completion::Interrupted)
        outcome.completion = sim::Completion::Interrupted;
    }
    log(fmt::format("{}:{} {}: {}", guard.file, guard.line, guard.code, outcomeText(outcome)));
    out.push_back(std::move(outcome));
    if (out.back().completion == sim::Completion::Interrupted) break;
  }
  return out;
}

}  // namespace ksim
