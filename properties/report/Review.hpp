// The design-review report: what the checked variants of a design do, side
// by side, in two printed forms, GitHub-flavoured Markdown and one
// self-contained HTML5 page (inline CSS and inline SVG; no script, no
// external URL, font or image).
//
// This is the renderer only: the caller fills a Review.  Everything here is
// deterministic: the same Review gives byte-identical text (no time, no
// addresses, no unordered containers; SVG sizes come from string lengths
// at a fixed width per character, never from measuring fonts).
//
// File paths in a Review (scenarioFile, reproducerFile) are relative to
// results/, where the report is meant to be written; linkPrefix is put in
// front of each of them in links when it is written somewhere else.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ksim::review {

/// Text for HTML and XML, in content and in quoted attribute values: the
/// five markup characters escaped, and the control characters XML 1.0
/// forbids made spaces.
std::string markupText(std::string_view s);

/// One step of a counterexample.
struct Step {
  std::string actor;   ///< process name, e.g. "A", "A.1"
  std::string target;  ///< the process the call acts on, if another process ("" otherwise)
  std::string child;   ///< fork/vfork: the new process's name ("" otherwise)
  std::string call;    ///< scenario text of the call without the actor, e.g. "procctl P_PID A.1 ..."
  std::string result;  ///< "= 0", "= EPERM", "= sleeping", "= panic"
  std::vector<std::string> changes;  ///< e.g. "A: p_flag2 +P2_NOTRACE"
};

struct Counterexample {
  std::string id;  ///< unique among a Review's counterexamples; the HTML anchor
  std::string variant, property, message;
  /// Lanes of the sequence diagram, in order of appearance (initial
  /// processes first).  A process a step names that is missing here gets a
  /// lane after these, in order of first mention.
  std::vector<std::string> processes;
  std::vector<Step> steps;
  std::string scenarioFile;    ///< relative to results/, e.g. "rfc-2014/counterexamples/x.scenario"
  std::string reproducerFile;  ///< relative to results/, a C program; may be ""
  /// Where the violation is the design's deliberate choice, why (plain
  /// text, shown beside the message); "" otherwise.
  std::string designNote;
};

/// One cell of the variant x property matrix.  text: "holds",
/// "VIOLATED (2 steps)", "REACHED", "holds within bounds", "not checked".
/// The cell links to the counterexample with counterexampleId, if the
/// Review has one with that id.
struct Verdict {
  std::string text;
  std::string counterexampleId;
};

struct VariantSummary {
  std::string name, description;
  std::string completion;  ///< "COMPLETE", "BOUNDED (states)", ...
  std::uint64_t states = 0, transitions = 0;
  std::uint32_t depth = 0;
  std::string worldLine;  ///< the checked world in one line (processes, maxproc, omitted calls)
};

/// A call whose result differs between two variants in the same state.
struct DiffRow {
  std::string variantA, variantB, call, resultA, resultB;
  std::string scenarioFile;      ///< a scenario reaching that state, relative to results/; may be ""
  std::string counterexampleId;  ///< may be ""
};

/// A property whose verdict differs between two variants.
struct PropertyChange {
  std::string variantA, variantB, property, verdictA, verdictB;
};

/// One cause of a property's violations in a variant (checker/Causes.hpp),
/// with the length of its shortest counterexample and that scenario.
struct CauseRow {
  std::string variant, property, cause;
  std::size_t length = 0;
  std::string scenarioFile;  ///< relative to results/
};

/// One guard of a variant taken out.  outcome: "prevents <property> (N
/// steps)" or "redundant at these bounds"; counterexampleId, if not "",
/// names the counterexample found without the guard.
struct AblationRow {
  std::string variant, guard, location, code, outcome, counterexampleId;
};

/// One finding of the whole-patch check (`ksim patch`): its part
/// ("c-hunk", "mandoc", "documented-unchecked", "checked-undocumented"),
/// what it is about, and its evidence (a compiler's or mandoc's message,
/// the page's line), one line each.
struct PatchFinding {
  std::string part, subject;
  std::vector<std::string> evidence;
};

struct Review {
  std::string title, boundsLine;
  std::vector<std::string> notes;  ///< paragraphs (plain text)
  std::vector<VariantSummary> variants;
  std::vector<std::string> properties;            ///< rows of the matrix (property names)
  std::vector<std::string> propertyDescriptions;  ///< same order, one line each
  std::vector<std::vector<Verdict>> matrix;       ///< [property][variant]
  /// The same designs checked as production kernels (KASSERT compiled
  /// out): a second matrix, [property][variant] in the order of
  /// `variants`; empty when the review has none.  productionLine says how
  /// they were checked; propertyTruths, in the order of `properties`, what
  /// each property takes as the truth once the kernel's invariant is broken.
  std::vector<std::vector<Verdict>> productionMatrix;
  std::string productionLine;
  std::vector<std::string> propertyTruths;
  std::vector<DiffRow> diffs;
  std::vector<PropertyChange> propertyChanges;
  std::vector<AblationRow> ablations;
  std::vector<CauseRow> causes;  ///< by variant, then property, shortest first
  std::vector<Counterexample> counterexamples;
  /// The whole-patch check: a paragraph saying what was checked, its
  /// findings, and its report's file (relative to results/; "" none).
  std::string patchLine;
  std::vector<PatchFinding> patchFindings;
  std::string patchFile;
  /// Put in front of scenarioFile and reproducerFile in links: "" when the
  /// report is written in results/ (the paths' base), "results/" at the
  /// repository's root, and so on.
  std::string linkPrefix;
};

/// GitHub-flavoured Markdown: title, notes, state-space table, the variant x
/// property matrix (verdict cells link to their counterexample's section),
/// the differences between variants, the ablations, then every
/// counterexample as a numbered list of steps with results and changes,
/// and links to its scenario and reproducer files.
std::string renderMarkdown(const Review& review);

/// One self-contained HTML5 page with the content of the Markdown, plus a
/// bar chart of the states of each variant and a sequence diagram of each
/// counterexample, both inline SVG; matrix cells coloured by verdict.
std::string renderHtml(const Review& review);

/// A counterexample's sequence diagram, one standalone SVG element (with
/// its xmlns, so it can also be saved as an .svg file): one lane per
/// process, time flowing down, each step an arrow from the actor's lane to
/// the target's (a loop on the actor's lane when it acts on itself; to a new
/// lane whose header starts at that row for fork/vfork), labelled with the
/// call and its result, errors coloured apart from successes, the last
/// step, where the property fails, highlighted.  Each lane is a
/// <g class="lane">; each step a <g class="step"> whose <title> has the
/// step's full text, even where the label had to be shortened.
std::string renderSequenceSvg(const Counterexample& cx);

}  // namespace ksim::review
