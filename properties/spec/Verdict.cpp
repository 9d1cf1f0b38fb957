#include "spec/Verdict.hpp"

namespace properties {

std::optional<Verdict> parseVerdict(std::string_view text) {
#define KSIM_VERDICT(id, printed, meaning) \
  if (text == printed) return Verdict::id;
#include "spec/Verdicts.def"
#undef KSIM_VERDICT
  return std::nullopt;
}

}  // namespace properties
