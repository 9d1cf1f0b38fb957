// Cover goals: a check that never fires proves nothing.  Every branch of
// the patch's trace_enable() and trace_status() and every procctl(2)
// contract clause must be exercised by a complete check, or the run fails
// and names what was never reached.  Goals are recognised from the step
// alone (state before, call, result), never by instrumenting the kernel C.
#pragma once

#include <bitset>
#include <string_view>
#include <vector>

#include "model/Action.hpp"
#include "model/Kernel.hpp"
#include "model/State.hpp"

namespace properties {

struct CoverGoal {
  std::string_view name;
  std::string_view description;
};

/// How many goals spec/CoverGoals.def lists.
inline constexpr std::size_t kCoverGoalCount = 0
#define KSIM_COVER_GOAL(id, name, description) +1
#include "spec/CoverGoals.def"
#undef KSIM_COVER_GOAL
    ;
using CoverSet = std::bitset<kCoverGoalCount>;

const std::vector<CoverGoal>& coverGoals();

/// Marks the goals this step reaches.
void coverStep(const model::State& before, const model::Action& a, const model::StepResult& r,
               CoverSet& reached);

}  // namespace properties
