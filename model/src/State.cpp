#include "model/State.hpp"

#include <xxhash.h>

namespace model {

std::uint64_t hashState(const State& s) { return XXH3_64bits(&s, sizeof(State)); }

}  // namespace model
