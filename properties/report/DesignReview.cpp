#include "report/DesignReview.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "ksim/kernel.h"
#include "ksim/registry.h"
#include "model/Executor.hpp"
#include "model/Kernel.hpp"
#include "model/Scenario.hpp"
#include "spec/Properties.hpp"
#include "spec/Verdict.hpp"

namespace ksim {

namespace fs = std::filesystem;
using nlohmann::json;

const ReviewPlan& reviewPlan() {
  static const ReviewPlan plan{
      .designs = {"pre-patch", "rfc-2014", "committed-2015", "freebsd-current", "proposed"},
      .diffs = {{"pre-patch", "rfc-2014"},
                {"rfc-2014", "committed-2015"},
                {"committed-2015", "freebsd-current"},
                {"rfc-2014", "proposed"},
                {"freebsd-current", "proposed"}},
      .ablated = {"rfc-2014", "freebsd-current"},
      .patchFolder = "patch",
      .processes = {"R:root", "A:alice", "M:bob"},
      .maxproc = 4,
      .checkDepth = 7,
      .diffDepth = 5,
      .ablationDepth = 4,
      .productionFolder = "production",
      .productionDepth = 6,
  };
  return plan;
}

namespace {

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json readJson(const fs::path& path) {
  try {
    return json::parse(readFile(path));
  } catch (const json::exception& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
}

const ksim_variant_entry& variantEntry(const std::string& name) {
  if (const ksim_variant_entry* e = ksim_variant_find(name.c_str())) return *e;
  throw std::runtime_error("results name an unknown variant '" + name + "'");
}

bool isPid(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// The steps of a scenario file as the sequence diagram shows them, with
// what each changed (replayed on its variant).
review::Counterexample loadCounterexample(const fs::path& results, const std::string& relative,
                                          const std::string& id, const std::string& property,
                                          const std::string& message) {
  std::istringstream text(readFile(results / relative));
  model::Scenario sc = model::parseScenario(text, relative);
  std::string variant = sc.variant.value_or("rfc-2014");
  model::Kernel kernel(*variantEntry(variant).variant, sc.config);
  review::Counterexample cx;
  cx.id = id;
  cx.variant = variant;
  cx.property = property;
  cx.message = message;
  cx.scenarioFile = relative;
  for (const auto& p : sc.config.processes) cx.processes.push_back(p.name);
  model::Executor run(kernel);
  auto draw = [&](const model::StepReport& report) {
    const model::ScenarioStep& st = *report.written;
    review::Step step;
    step.actor = st.actor;
    if (!isPid(st.target) && st.target != st.actor) step.target = st.target;
    step.child = report.child;
    std::string line = model::formatStep(st);
    step.call = line.substr(std::min(line.size(), st.actor.size() + 1));
    step.result = model::formatExpectation(report.observed).substr(1);
    step.changes = report.changes();
    cx.steps.push_back(std::move(step));
  };
  if (auto stop = run.play(sc.steps, relative, draw)) throw std::runtime_error(*stop);
  return cx;
}

std::string worldLine(const json& summary) {
  std::string procs;
  for (const auto& p : summary.at("processes"))
    procs += fmt::format("{}{} ({})", procs.empty() ? "" : ", ", p.at("name").get<std::string>(),
                         p.at("user").get<std::string>());
  std::string omitted;
  for (const auto& f : summary.at("omitted")) omitted += (omitted.empty() ? "" : ", ") + f.get<std::string>();
  return fmt::format("{}; maxproc {}; omitted: {}", procs, summary.at("maxproc").get<unsigned>(),
                     omitted.empty() ? "nothing" : omitted);
}

std::string cxId(const std::string& variant, const std::string& what) { return variant + "--" + what; }

// A matrix cell without a counterexample: the review's legend has no
// "unreached", so an unspecified point no complete search reached shows
// as holding, and a bounded search's UNKNOWN says why.
std::string matrixText(properties::Verdict verdict) {
  switch (verdict) {
    case properties::Verdict::Holds:
    case properties::Verdict::Unreached:
      return "holds";
    case properties::Verdict::Unknown:
      return "unknown (bounded)";
    case properties::Verdict::Violated:
    case properties::Verdict::Reached:
      break;
  }
  return std::string(properties::verdictText(verdict));
}

// One verdict of a check's summary.json (folder `dir` of results/) as the
// review tables it: the property, its verdict as the property's kind
// states it, the cell, and the counterexample the cell links to, if any
// (its id scoped by `idScope`).  The design and production tables both
// read their checks so.
struct TabledVerdict {
  const properties::PropertyInfo* info = nullptr;
  properties::Verdict verdict{};
  review::Verdict cell;
  std::optional<review::Counterexample> counterexample;
};

TabledVerdict tableVerdict(const fs::path& results, const std::string& dir, const std::string& idScope,
                           const json& v) {
  TabledVerdict t;
  std::string property = v.at("property");
  t.info = properties::findProperty(property);
  if (t.info == nullptr) throw std::runtime_error(dir + "/summary.json: unknown property " + property);
  std::string printed = v.at("verdict");
  std::optional<properties::Verdict> search = properties::parseVerdict(printed);
  if (!search) throw std::runtime_error(dir + "/summary.json: unknown verdict " + printed);
  t.verdict = properties::propertyVerdict(*t.info, *search);
  if (!v.contains("file")) {
    t.cell.text = matrixText(t.verdict);
    return t;
  }
  std::size_t length = v.at("length").get<std::size_t>();
  t.cell.text = fmt::format("{} ({} step{})", properties::verdictText(t.verdict), length, length == 1 ? "" : "s");
  t.cell.counterexampleId = cxId(idScope, property);
  t.counterexample = loadCounterexample(results, dir + "/" + v.at("file").get<std::string>(),
                                        t.cell.counterexampleId, property, v.at("message").get<std::string>());
  return t;
}

// A check's bounds as the review states them; 0 is no bound.
std::string boundsText(std::uint64_t maxDepth, std::uint64_t maxStates) {
  return fmt::format(
      "depth {}, {}", maxDepth == 0 ? std::string("unlimited") : std::to_string(maxDepth),
      maxStates == 0 ? std::string("states unlimited") : fmt::format("at most {} states", maxStates));
}

// Beside a violation that a design makes on purpose, why; "" for the rest.
// The design facts are the variant's (ksim/kernel.h), not the verdicts.
std::string designNote(const std::string& design, const std::string& property) {
  const unsigned flags = variantEntry(design).variant->design;
  const bool hasNotrace = (flags & KSIM_DESIGN_NO_NOTRACE) == 0;
  const bool rootOverrides = (flags & KSIM_DESIGN_PRIV_OVERRIDES_NOTRACE) != 0;
  if (property == "root-can-debug" && hasNotrace && !rootOverrides)
    return fmt::format(
        "A design choice: {} lets no privilege past P2_NOTRACE (p_candebug() refuses every caller with "
        "EPERM, root included{}), so a process that disabled tracing is denied to root's debugger and "
        "ktrace too. committed-2015, freebsd-current and proposed let PRIV_DEBUG_DENIED override it.",
        design, design == "rfc-2014" ? ", as the RFC posted it" : ", the RFC's choice kept");
  if (property == "root-can-undo" && hasNotrace)
    return "Partly a design choice: in every design only a process itself may re-enable its tracing "
           "(PROC_TRACE_SET_ENABLED for another process is EPERM, root included), so root cannot undo a "
           "disable placed on a process that never calls procctl itself (init, the swapper); that another "
           "user could place it comes from the permission to change another process: p_cansee() alone "
           "here, p_candebug() in freebsd-current and proposed.";
  return {};
}

}  // namespace

review::Review loadReview(const fs::path& results) {
  const ReviewPlan& plan = reviewPlan();
  review::Review r;
  r.title =
      "ksim design review: procctl(2) PROC_TRACE_ENABLE / P2_NOTRACE, from the 2014 RFC to FreeBSD today";
  for (const auto& p : properties::allProperties()) {
    r.properties.emplace_back(p.name);
    r.propertyDescriptions.emplace_back(p.meaning);
    r.matrix.emplace_back();
  }
  std::string boundsLine;
  for (const std::string& design : plan.designs) {
    json summary = readJson(results / design / "summary.json");
    const ksim_variant_entry& entry = variantEntry(design);
    r.variants.push_back({design, entry.description, summary.at("completion").get<std::string>(),
                          summary.at("states").get<std::uint64_t>(),
                          summary.at("transitions").get<std::uint64_t>(),
                          summary.at("depth").get<std::uint32_t>(), worldLine(summary)});
    if (boundsLine.empty())
      boundsLine = fmt::format("every design is checked in the same world ({}), {}", worldLine(summary),
                               boundsText(summary.at("bounds").at("max_depth").get<std::uint64_t>(),
                                          summary.at("bounds").at("max_states").get<std::uint64_t>()));
    for (const auto& v : summary.at("verdicts")) {
      std::string property = v.at("property");
      TabledVerdict t = tableVerdict(results, design, design, v);
      if (t.counterexample) {
        fs::path repro = fs::path(design) / "reproducers" / (property + ".c");
        if (fs::exists(results / repro)) t.counterexample->reproducerFile = repro.generic_string();
        if (t.verdict == properties::Verdict::Violated) t.counterexample->designNote = designNote(design, property);
        r.counterexamples.push_back(std::move(*t.counterexample));
      }
      r.matrix[properties::positionOf(t.info->id)].push_back(t.cell);
      if (v.contains("by_cause"))
        for (const auto& c : v.at("by_cause"))
          r.causes.push_back({design, property, c.at("cause").get<std::string>(), c.at("length").get<std::size_t>(),
                              design + "/" + c.at("file").get<std::string>()});
    }
    // A property this design's results do not judge (results/ older than
    // the property): its cell says so, and the columns stay aligned.
    for (auto& row : r.matrix)
      if (row.size() < r.variants.size()) row.push_back({"not checked", ""});
  }
  r.boundsLine = boundsLine;

  // Results written before the production checks existed have no folder
  // for them: the review then renders without that section (the parts'
  // tests, results_part.sh, still require every part the plan lists).
  if (!plan.productionFolder.empty() && fs::exists(results / plan.productionFolder)) {
    for (const auto& p : properties::allProperties()) {
      r.propertyTruths.emplace_back(p.onceBroken);
      r.productionMatrix.emplace_back();
    }
    std::string states;
    for (const std::string& design : plan.designs) {
      std::string dir = plan.productionFolder + "/" + design;
      json summary = readJson(results / dir / "summary.json");
      if (summary.value("kernel", "") != "production")
        throw std::runtime_error(dir + "/summary.json: not a production kernel's check");
      states +=
          fmt::format("{}{} {} ({})", states.empty() ? "" : ", ", design,
                      summary.at("states").get<std::uint64_t>(), summary.at("completion").get<std::string>());
      for (const auto& v : summary.at("verdicts")) {
        TabledVerdict t = tableVerdict(results, dir, plan.productionFolder + "--" + design, v);
        if (t.counterexample) r.counterexamples.push_back(std::move(*t.counterexample));
        r.productionMatrix[properties::positionOf(t.info->id)].push_back(t.cell);
      }
    }
    r.productionLine = fmt::format(
        "The same designs built without options INVARIANTS (ksim check --kernel production): KASSERT, MPASS "
        "and the lock assertions compile to nothing, so a failed one is reported as kernel-assertion at its "
        "step (\"production kernel: KASSERT would fail\") and the search goes on from the state the kernel "
        "then makes; panic() still panics. The other properties judge what the production kernel does after "
        "the broken assertion. Checked in the same world to depth {} (the INVARIANTS checks above go to {}: "
        "the production checks stop earlier and keep each property's first counterexample only, to keep the "
        "review's regeneration in minutes); states: {}.",
        plan.productionDepth, plan.checkDepth, states);
  }

  for (const auto& [a, b] : plan.diffs) {
    std::string dir = "diff/" + a + "--" + b;
    json diff = readJson(results / dir / "diff.json");
    // The shallowest differences of each pair; the rest are in diff.txt.
    constexpr std::size_t kShownPerPair = 12;
    const auto& all = diff.at("differences");
    for (std::size_t i = 0; i < all.size() && i < kShownPerPair; ++i)
      r.diffs.push_back({a, b, all[i].at("call"), all[i].at("result_a"), all[i].at("result_b"),
                         dir + "/" + all[i].at("file").get<std::string>(), ""});
    if (all.size() > kShownPerPair)
      r.diffs.push_back({a, b,
                         fmt::format("... and {} more calls, deeper or alike", all.size() - kShownPerPair),
                         "", "", dir + "/diff.txt", ""});
    // What b fixes and what it breaks, from the two designs' checks (deeper
    // than the diff's own search).
    auto column = [&](const std::string& design) {
      for (std::size_t v = 0; v < plan.designs.size(); ++v)
        if (plan.designs[v] == design) return v;
      throw std::runtime_error("the review compares " + design + ", which it does not check");
    };
    auto kind = [](const std::string& verdict) { return verdict.substr(0, verdict.find(' ')); };
    std::size_t ca = column(a), cb = column(b);
    for (std::size_t p = 0; p < r.properties.size(); ++p) {
      if (r.matrix[p].size() <= std::max(ca, cb)) continue;
      const std::string& va = r.matrix[p][ca].text;
      const std::string& vb = r.matrix[p][cb].text;
      if (kind(va) != kind(vb)) r.propertyChanges.push_back({a, b, r.properties[p], va, vb});
    }
  }

  for (const std::string& variant : plan.ablated) {
    std::string dir = "ablation/" + variant;
    json ablation = readJson(results / dir / "ablation.json");
    for (const auto& g : ablation.at("guards")) {
      review::AblationRow row{variant,
                              g.at("ablation"),
                              fmt::format("{}:{} in {}", g.at("file").get<std::string>(),
                                          g.at("line").get<int>(), g.at("function").get<std::string>()),
                              g.at("code"),
                              g.at("outcome"),
                              ""};
      if (g.contains("counterexample")) {
        row.counterexampleId = g.at("ablation").get<std::string>();
        std::string file = dir + "/" + g.at("counterexample").get<std::string>();
        // The scenario's first comment line is the finding's message.
        std::string where = g.contains("sysctl") ? ", with " + g.at("sysctl").get<std::string>() : "";
        r.counterexamples.push_back(
            loadCounterexample(results, file, row.counterexampleId, g.at("property").get<std::string>(),
                               "without " + row.code + " (" + row.location + ")" + where));
      }
      r.ablations.push_back(std::move(row));
    }
  }

  if (!plan.patchFolder.empty()) {
    json patch = readJson(results / plan.patchFolder / "patch.json");
    std::size_t cFiles = patch.at("c_hunks").size();
    r.patchLine = fmt::format(
        "ksim patch checks every hunk of the seed ({}): the C hunks of {} files compile against ksim's "
        "shims under each ABI they touch (compiled by {} when ksim was built); the man page hunk, applied "
        "exactly to {} (the page as it stood before the patch, reconstructed in ksim's words around the "
        "hunk's context), is linted with mandoc -T lint{} and compared with the terms the properties check "
        "(properties/spec/Contract.cpp, contractVocabulary): every request, value, status value, error and "
        "traced interface the page documents for the patch, and the other way round.",
        patch.at("seed").get<std::string>(), cFiles, patch.at("compiler").get<std::string>(),
        patch.at("base_page").get<std::string>(),
        patch.at("mandoc").at("judged").get<bool>() ? "" : " (NOT JUDGED: mandoc was not installed)");
    for (const auto& f : patch.at("findings"))
      r.patchFindings.push_back(
          {f.at("part"), f.at("subject"), f.at("evidence").get<std::vector<std::string>>()});
    r.patchFile = plan.patchFolder + "/patch.txt";
  }

  auto depthText = [](std::uint64_t depth) {
    return depth == 0 ? std::string("completely") : fmt::format("to depth {}", depth);
  };
  r.notes = {
      "Generated by ksim report --run (every search below), or from the files in results/ alone by "
      "ksim report; the same inputs give byte-identical files. Each counterexample is a scenario file "
      "that ksim replay runs step by step.",
      "The designs differ in the kernel C they compile (kernel/variants/) and in the era of the process "
      "model around it (fork, exec, exit and wait, ptrace, ktrace and signals): the 2014 kernel's for "
      "pre-patch, rfc-2014, committed-2015 and proposed (which adds P_WKILLED to PT_KILL), today's for "
      "freebsd-current (kernel/PROVENANCE.md). PT_TRACE_ME's own checks are each variant's C.",
      fmt::format("Every search of the review runs in one world: the processes {}, at most {} user "
                  "processes. The designs are checked {}, the differences between designs are searched {} "
                  "and the guards ablated {}. A bounded search finds every counterexample up to its depth "
                  "(breadth first, so each one shown is a shortest one), but a property it calls UNKNOWN, "
                  "a difference it does not list and a guard it calls redundant may still fail, differ "
                  "or matter deeper.",
                  fmt::join(plan.processes, ", "), plan.maxproc, depthText(plan.checkDepth),
                  depthText(plan.diffDepth), depthText(plan.ablationDepth)),
      "Guard ablation takes out each guard found in a design's functions (kernel/ablations/find_guards.py "
      "says what counts as one) and checks the design without it; the search stops at the first failure "
      "of a property the design keeps at the same bounds, so the counterexample shown is a shortest one.",
      fmt::format("A guard no search of the review's world needs is tried again in that world with one "
                  "tunable set the other way at a time ({}), against the design's own verdicts there; "
                  "\"with NAME=VALUE\" names the first that shows what the guard is for, and its "
                  "counterexample carries that setting. \"Redundant at these bounds\" means no property "
                  "the design keeps failed within the bounds, in the world or in any of these.",
                  fmt::join(model::sysctlSettings(model::Config::defaults().sysctlVariations()), ", ")),
      "Reproducers: every counterexample of a design has a C program for FreeBSD under "
      "<design>/reproducers/ that replays the scenario on a real kernel and exits 0 when the kernel agrees "
      "with the model, 1 when it does not. They are UNTESTED on FreeBSD: here they are only compiled, "
      "against a header shim of the FreeBSD user API (properties/report/freebsd-shim/).",
  };
  return r;
}

}  // namespace ksim
