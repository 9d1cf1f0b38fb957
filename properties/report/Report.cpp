#include "report/Report.hpp"

#include <fmt/format.h>

#include "checker/Causes.hpp"
#include "checker/Progress.hpp"
#include "spec/Verdict.hpp"
#include "sim/Distributed.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace ksim {

namespace {

std::string boundText(std::uint64_t v) { return v == 0 ? "unlimited" : std::to_string(v); }

std::string processesText(const model::Config& c) {
  std::string out;
  for (const model::ProcessSpec& p : c.processes)
    out += fmt::format("{}{} ({}, group {})", out.empty() ? "" : ", ", p.name, p.user, p.group);
  return out;
}

/// Collective, after a distributed search: every rank absorbed the effects of its own expansions
/// (CheckedModel::absorbExpansionOf). Every rank learns the cover goals all reached; rank 0,
/// which judges the progress properties on the graph, also gets every renaming self-loop,
/// numbered as one process's search numbers it.
void gatherExpansionEffects(properties::CheckedModel& checked, const CheckRun& run, bool graphRecorded) {
  sim::Transport& transport = *run.distribution;
  using Loop = properties::CheckedModel::RenamingSelfLoop;
  sim::Bytes mine;
  sim::ByteWriter writer(mine);
  writer.put(checked.expansionsAbsorbed());
  for (std::size_t g = 0; g < properties::kCoverGoalCount; ++g)
    writer.put(static_cast<std::uint8_t>(checked.covered().test(g)));
  properties::CoverSet covered;
  std::uint64_t expansions = 0;
  for (const sim::Bytes& theirs : transport.allgather(mine)) {
    sim::ByteReader reader(theirs);
    expansions += reader.get<std::uint64_t>();
    for (std::size_t g = 0; g < properties::kCoverGoalCount; ++g)
      if (reader.get<std::uint8_t>() != 0) covered.set(g);
  }
  // The self-loops matter only where the graph is (rank 0), and only with a graph.
  std::vector<sim::Bytes> outgoing(static_cast<std::size_t>(transport.size()));
  if (graphRecorded) {
    sim::ByteWriter loopWriter(outgoing[0]);
    for (const Loop& loop : checked.renamingSelfLoops())
      loopWriter.put(loop.expansion).put(loop.stateHash).put(loop.actorUid).put(loop.renamedUid).put(loop.userRenaming);
  }
  std::vector<Loop> loops;
  for (const sim::Bytes& theirs : transport.exchange(std::move(outgoing))) {
    sim::ByteReader reader(theirs);
    while (!reader.done()) {
      Loop loop;
      loop.expansion = reader.get<std::uint64_t>();
      loop.stateHash = reader.get<std::uint64_t>();
      loop.actorUid = reader.get<std::uint16_t>();
      loop.renamedUid = reader.get<std::uint16_t>();
      loop.userRenaming = reader.get<std::uint8_t>();
      loops.push_back(loop);
    }
  }
  // One state's loops come from its owner, in the order its expansion reported them: a stable
  // sort by state index keeps that order.
  std::stable_sort(loops.begin(), loops.end(),
                   [](const Loop& a, const Loop& b) { return a.expansion < b.expansion; });
  const auto* graph = run.result.graph.has_value() ? &*run.result.graph : nullptr;
  checked.adoptDistributedEffects(covered, expansions, std::move(loops), graph);
}

}  // namespace

double performCheck(CheckRun& run, bool requireCover, std::function<void(const sim::Progress&)> onProgress,
                    std::uint64_t progressEvery, std::vector<bool> stopAtViolationOf,
                    std::function<void(std::uint64_t states)> onJudging) {
  model::Kernel kernel(*run.variant->variant, run.config);
  properties::CheckedModel checked(kernel, run.selected);
  sim::Options options;
  options.bounds = run.bounds;
  options.progressEvery = onProgress ? progressEvery : 0;
  options.recordGraph = properties::needsGraph(checked) && !run.fingerprint;
  // The memory cap bounds the judgement too: the search keeps room for it.
  options.graphAnalysisBytes = properties::JudgementReserve(checked);
  if (run.fingerprint) options.stateStorage = sim::StateStorage::Fingerprint;
  options.stopAtViolationOf = std::move(stopAtViolationOf);
  options.allCauses = run.allCauses;
  auto start = std::chrono::steady_clock::now();
  if (distributed(run)) {
    // A distributed search reports no progress and expands on one thread per rank.
    options.progressEvery = 0;
    options.bounds.threads = 1;
    run.result = sim::exploreDistributed(checked, options, *run.distribution);
    gatherExpansionEffects(checked, run, options.recordGraph);
  } else {
    run.result = sim::explore(checked, options, [&](const sim::Progress& p) {
      if (onProgress) onProgress(p);
    });
  }
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.judgementStopped = false;
  run.judgementSeconds.reset();
  if (run.result.graph) {
    if (onJudging) onJudging(run.result.graph->stateCount());
    Interruption& stop = interruption();
    const auto judgingFrom = std::chrono::steady_clock::now();
    stop.judging.store(true);
    run.judgementStopped = !properties::judgeProgress(checked, run.result, run.allCauses,
                                                      std::max(run.bounds.threads, 1u), &stop.stopJudgement);
    stop.judging.store(false);
    run.judgementSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - judgingFrom).count();
    run.result.graph.reset();
  }
  if (run.fingerprint) {
    // No graph was kept: a progress property is not judged at all.
    for (sim::PropertyIndex k = 0; k < checked.propertyCount(); ++k)
      if (properties::propertyInfo(checked.propertyAt(k)).judgedOn() == properties::JudgedOn::Graph)
        run.result.verdicts[k] = sim::Verdict::Unknown;
  }
  run.traces.clear();
  // The other ranks of a distributed search print nothing: only rank 0 needs the traces.
  if (!distributed(run) || run.distribution->rank() == 0)
    for (const auto& cx : run.result.counterexamples) run.traces.push_back(properties::concretize(checked, cx));
  run.coverChecked = requireCover && run.selected.size() == properties::kPropertyCount;
  run.covered = checked.covered();
  return elapsed;
}

std::string reductionText(const model::Config& config) {
  if (!config.reduction) return "off (process-slot symmetry only)";
  std::string users;
  for (const model::User& u : config.interchangeableUsers()) users += (users.empty() ? "" : " ") + u.name;
  return users.empty() ? "on (process-slot symmetry; no interchangeable users)"
                       : "on (process-slot symmetry; users " + users + " interchangeable)";
}

std::string renderConfiguration(const CheckRun& run) {
  std::string out;
  out += fmt::format("ksim check\n");
  out += fmt::format("  variant     {} ({}: {})\n", run.variant->variant->name, run.variant->kind,
                     run.variant->description);
  out += fmt::format("  kernel      {} ({})\n", model::kernelBuildName(run.config.kernel),
                     model::kKernelBuilds[static_cast<std::size_t>(run.config.kernel)].meaning);
  out += fmt::format("  processes   swapper (pid 0), init (pid 1), {}\n", processesText(run.config));
  out += fmt::format("  maxproc     {} user processes\n", run.config.maxUserProcs);
  // An opt-in family (Syscall.def) is named only when it is in.
  std::string omitted, included;
  for (const model::FamilySpec& f : model::kFamilies) {
    if (run.config.omits(f.family) && !f.optIn) omitted += (omitted.empty() ? "" : " ") + std::string(f.name);
    if (!run.config.omits(f.family) && f.optIn)
      included += (included.empty() ? "" : " ") + std::string(f.name);
  }
  out += fmt::format("  omitted     {}\n", omitted.empty() ? "nothing" : omitted);
  if (!included.empty()) out += fmt::format("  included    {}\n", included);
  std::string sysctls;
  for (const std::string& s : run.config.sysctlLines()) sysctls += (sysctls.empty() ? "" : " ") + s;
  out += fmt::format("  sysctls     {}\n", sysctls);
  out += fmt::format("  reduction   {}\n", reductionText(run.config));
  out += fmt::format("  bounds      depth {}, states {}\n", boundText(run.bounds.maxDepth),
                     boundText(run.bounds.maxStates));
  std::string props;
  for (auto id : run.selected)
    props += (props.empty() ? "" : " ") + std::string(properties::propertyInfo(id).name);
  out += fmt::format("  properties  {}\n", props);
  if (run.fingerprint) out += "  storage     fingerprints (64-bit hash compaction: a state may be missed)\n";
  return out;
}

std::string renderVerdicts(const CheckRun& run) {
  const auto& r = run.result;
  std::string out;
  out += fmt::format("search: {}: {} states, {} transitions, depth {}, {} panicked states\n",
                     sim::to_string(r.completion), r.stats.states, r.stats.transitions, r.stats.maxDepth,
                     r.stats.terminalStates);
  if (r.completion != sim::Completion::Complete)
    out += fmt::format("  the search was {}: a property with no counterexample is UNKNOWN, not a pass\n",
                       r.completion == sim::Completion::Interrupted ? "interrupted" : "cut short by a bound");
  // Breadth first, the levels above the one it stopped in were searched whole: what that settles.
  if (r.completion != sim::Completion::Complete && r.stats.completeDepth > 0)
    out += fmt::format(
        "  every path of up to {} step{} was searched: an invariant, step property or contract clause "
        "without a counterexample has none that short\n",
        r.stats.completeDepth, r.stats.completeDepth == 1 ? "" : "s");
  if (run.judgementStopped)
    out += "  the progress judgement was interrupted: a progress property it had not judged is UNKNOWN\n";
  if (r.missProbability)
    out += fmt::format(
        "  fingerprint search: the probability that a state was missed is about {:.1e} (n^2/2^65);\n"
        "  HOLDS means no violation among the states reached, not a proof; progress properties are UNKNOWN\n",
        *r.missProbability);
  out += "verdicts:\n";
  for (sim::PropertyIndex i = 0; i < run.selected.size(); ++i) {
    const auto& info = properties::propertyInfo(run.selected[i]);
    const auto* cx = r.counterexampleFor(i);
    std::string detail;
    if (cx != nullptr) {
      std::size_t k = static_cast<std::size_t>(cx - r.counterexamples.data());
      detail = fmt::format("{}: {} step{}",
                           info.isUnspecifiedPoint() ? "shortest path" : "shortest counterexample",
                           cx->actions.size(), cx->actions.size() == 1 ? "" : "s");
      if (!r.causeCounts.empty())
        detail += fmt::format("; {} cause{}", r.causeCounts[i], r.causeCounts[i] == 1 ? "" : "s");
      if (!run.files.empty()) detail += " (" + run.files[k] + ")";
    }
    properties::Verdict verdict = properties::propertyVerdict(info, r.verdicts[i]);
    std::string line = fmt::format("  {:<9} {:<39} {}", properties::verdictText(verdict), info.name, detail);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  if (run.coverChecked) {
    const auto& goals = properties::coverGoals();
    out += fmt::format("cover goals: {} of {} reached\n", run.covered.count(), goals.size());
    for (std::size_t g = 0; g < goals.size(); ++g)
      if (!run.covered.test(g))
        out += fmt::format("  {} {}: {}\n",
                           r.completion == sim::Completion::Complete ? "NOT REACHED" : "not reached yet",
                           goals[g].name, goals[g].description);
  }
  bool severalCauses = false;
  for (std::uint64_t n : r.causeCounts) severalCauses |= n > 1;
  if (severalCauses && !run.allCauses)
    out += "a property with several causes: ksim check --all-causes shows a shortest counterexample of each\n";
  for (std::size_t k = 0; k < r.counterexamples.size(); ++k) {
    const auto& cx = r.counterexamples[k];
    const auto& trace = run.traces[k];
    bool unspecified = properties::findProperty(trace.property)->isUnspecifiedPoint();
    out += fmt::format("\n{} {} ({} step{}): {}\n",
                       unspecified ? "shortest path to the unspecified point" : "counterexample for",
                       trace.property, cx.actions.size(), cx.actions.size() == 1 ? "" : "s", trace.message);
    if (run.allCauses) out += "  cause: " + counterexampleCause(run, k) + "\n";
    for (const model::ScenarioStep& st : trace.steps)
      out += "  " + model::formatStep(st) + model::formatExpectation(st.expect) + "\n";
  }
  return out;
}

nlohmann::json renderJson(const CheckRun& run) {
  using nlohmann::json;
  const auto& r = run.result;
  json j;
  j["variant"] = run.variant->variant->name;
  json procs = json::array();
  for (const auto& p : run.config.processes)
    procs.push_back({{"name", p.name}, {"user", p.user}, {"group", p.group}});
  j["processes"] = procs;
  j["maxproc"] = run.config.maxUserProcs;
  json omitted = json::array(), included = json::array();
  for (const model::FamilySpec& f : model::kFamilies) {
    if (run.config.omits(f.family) && !f.optIn) omitted.push_back(std::string(f.name));
    if (!run.config.omits(f.family) && f.optIn) included.push_back(std::string(f.name));
  }
  j["omitted"] = omitted;
  if (!included.empty()) j["included"] = included;
  j["sysctls"] = run.config.sysctlLines();
  j["reduction"] = run.config.reduction;
  j["kernel"] = std::string(model::kernelBuildName(run.config.kernel));
  j["bounds"] = {{"max_depth", run.bounds.maxDepth}, {"max_states", run.bounds.maxStates}};
  j["completion"] = std::string(sim::to_string(r.completion));
  j["states"] = r.stats.states;
  j["transitions"] = r.stats.transitions;
  j["depth"] = r.stats.maxDepth;
  j["complete_depth"] = r.stats.completeDepth;
  j["panicked_states"] = r.stats.terminalStates;
  if (run.judgementStopped) j["progress_judgement"] = "interrupted";
  if (r.missProbability) j["fingerprint_miss_probability"] = *r.missProbability;
  json verdicts = json::array();
  for (sim::PropertyIndex i = 0; i < run.selected.size(); ++i) {
    const auto& info = properties::propertyInfo(run.selected[i]);
    // The search's verdict: for an unspecified point (with "unspecified"
    // true) VIOLATED means REACHED and HOLDS means UNREACHED
    // (properties::propertyVerdict).
    json v = {{"property", info.name},
              {"verdict", std::string(properties::verdictText(properties::searchVerdict(r.verdicts[i])))},
              {"unspecified", info.isUnspecifiedPoint()}};
    if (!r.causeCounts.empty()) v["causes"] = r.causeCounts[i];
    // Its counterexample (the first, a shortest), then with --all-causes one per further cause.
    auto counterexample = [&](std::size_t k) {
      json c = {{"length", r.counterexamples[k].actions.size()},
                {"message", run.traces[k].message},
                {"cause", counterexampleCause(run, k)}};
      json steps = json::array();
      for (const auto& st : run.traces[k].steps)
        steps.push_back(model::formatStep(st) + model::formatExpectation(st.expect));
      c["steps"] = steps;
      if (!run.files.empty()) c["file"] = run.files[k];
      return c;
    };
    if (const auto* cx = r.counterexampleFor(i)) {
      std::size_t k = static_cast<std::size_t>(cx - r.counterexamples.data());
      v.update(counterexample(k));
      if (run.allCauses) {
        json byCause = json::array();
        for (; k < r.counterexamples.size() && r.counterexamples[k].property == i; ++k)
          byCause.push_back(counterexample(k));
        v["by_cause"] = byCause;
      }
    }
    verdicts.push_back(v);
  }
  j["verdicts"] = verdicts;
  if (run.coverChecked) {
    json reached = json::array(), missed = json::array();
    for (std::size_t g = 0; g < properties::coverGoals().size(); ++g)
      (run.covered.test(g) ? reached : missed).push_back(std::string(properties::coverGoals()[g].name));
    j["cover"] = {{"reached", reached}, {"not_reached", missed}};
  }
  j["exit_code"] = checkExitCode(run);
  return j;
}

std::string counterexampleStem(const CheckRun& run, std::size_t i) {
  const auto& cxs = run.result.counterexamples;
  std::size_t place = 1;
  while (place <= i && cxs[i - place].property == cxs[i].property) ++place;
  const std::string& name = run.traces[i].property;
  return place == 1 ? name : fmt::format("{}.cause-{}", name, place);
}

std::string counterexampleCause(const CheckRun& run, std::size_t i) {
  const auto& cx = run.result.counterexamples[i];
  return properties::describeCause(run.selected[cx.property], cx.cause);
}

std::string counterexampleFile(const CheckRun& run, std::size_t i) {
  const auto& trace = run.traces[i];
  bool unspecified = properties::findProperty(trace.property)->isUnspecifiedPoint();
  std::vector<std::string> header = {
      fmt::format("ksim {}: {} ({} steps, a shortest one{})",
                  unspecified ? "path to an unspecified point" : "counterexample", trace.property,
                  trace.steps.size(), run.allCauses ? " of its cause" : ""),
      trace.message,
  };
  if (run.allCauses) header.push_back("cause: " + counterexampleCause(run, i));
  header.push_back("replay: ksim replay <this file>");
  return properties::formatScenarioFile(trace, run.config, run.variant->variant->name, header);
}

int checkExitCode(const CheckRun& run) {
  // Reaching an unspecified point is reported, not failed.
  for (const auto& cx : run.result.counterexamples)
    if (!properties::propertyInfo(run.selected[cx.property]).isUnspecifiedPoint()) return 1;
  if (run.result.completion != sim::Completion::Complete || run.judgementStopped) return 3;
  // A fingerprint search may have missed states: nothing found is no proof.
  if (run.result.missProbability) return 3;
  // A complete check that never exercised a branch or clause proves less
  // than it claims.
  if (run.coverChecked && !run.covered.all()) return 1;
  return 0;
}

}  // namespace ksim
