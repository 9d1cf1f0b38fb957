// A property's verdict after a search, from its one definition
// (Verdicts.def), with its printed form.  The search (sim) knows three
// verdicts; for an unspecified point a found path means the point was
// REACHED, which is reported but is no violation.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/Explorer.hpp"
#include "spec/Properties.hpp"

namespace properties {

enum class Verdict : std::uint8_t {
#define KSIM_VERDICT(id, text, meaning) id,
#include "spec/Verdicts.def"
#undef KSIM_VERDICT
};

/// The printed form: "HOLDS", "VIOLATED", "UNKNOWN", "REACHED", "UNREACHED".
constexpr std::string_view verdictText(Verdict verdict) {
  switch (verdict) {
#define KSIM_VERDICT(id, text, meaning) \
  case Verdict::id:                     \
    return text;
#include "spec/Verdicts.def"
#undef KSIM_VERDICT
  }
  return "?";
}

/// The verdict with this printed form, or nullopt.
std::optional<Verdict> parseVerdict(std::string_view text);

/// The search's verdict as it stands: Holds, Violated or Unknown.
constexpr Verdict searchVerdict(sim::Verdict verdict) {
  switch (verdict) {
    case sim::Verdict::Holds:
      return Verdict::Holds;
    case sim::Verdict::Violated:
      return Verdict::Violated;
    case sim::Verdict::Unknown:
      break;
  }
  return Verdict::Unknown;
}

/// What the search's verdict (Holds, Violated or Unknown) means for the
/// property: for an unspecified point, Reached or Unreached; otherwise
/// itself.
constexpr Verdict propertyVerdict(const PropertyInfo& property, Verdict search) {
  if (!property.isUnspecifiedPoint()) return search;
  if (search == Verdict::Violated) return Verdict::Reached;
  if (search == Verdict::Holds) return Verdict::Unreached;
  return search;
}

constexpr Verdict propertyVerdict(const PropertyInfo& property, sim::Verdict search) {
  return propertyVerdict(property, searchVerdict(search));
}

}  // namespace properties
