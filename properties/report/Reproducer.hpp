// Reproducers: a scenario as a C program that replays it on a real FreeBSD
// kernel and says whether the kernel agrees with the model, step by step.
//
// The program is FreeBSD code (fork, vfork, execve, waitpid, ptrace,
// ktrace, kill, procctl, sysctl) and includes only FreeBSD's own headers.
// It is the scenario's tables plus a runtime that is the same for every
// scenario, properties/report/repro/ksim_repro.c, which the reproducer
// includes by name (built with -I .../properties/report/repro) or, in the
// standalone form, carries inlined.  Here, without a FreeBSD machine, it
// is only compiled, against the shim in properties/report/freebsd-shim/;
// its header comment says it is untested on a FreeBSD kernel, and the
// runtime's describes how each model call maps to real calls.
#pragma once

#include <string>
#include <string_view>

#include "model/Scenario.hpp"

namespace properties {

/// The runtime's file name, in properties/report/repro/.
inline constexpr const char* kReproducerRuntimeFile = "ksim_repro.c";

/// How a reproducer gets the runtime.
enum class ReproducerForm {
  IncludesRuntime,  ///< #include "ksim_repro.c": small, built against a ksim tree
  Standalone,       ///< the runtime's text inlined: one file, no tree needed
};

/// The C source of the reproducer for a parsed scenario.  scenarioPath is
/// only quoted (in messages and the header comment).  Deterministic: the
/// same scenario and path give the same text.  A step that names a process
/// or pid the program cannot map still gives a program, one that exits 2
/// ("cannot set up") naming that line.
std::string reproducerSource(const model::Scenario& scenario, const std::string& scenarioPath,
                             ReproducerForm form = ReproducerForm::IncludesRuntime);

/// The text of ksim_repro.c as this ksim was built with it (the standalone
/// form inlines it).
std::string_view reproducerRuntime();

}  // namespace properties
