// Reproducers: a scenario as a C program that replays it on a real FreeBSD
// kernel and says whether the kernel agrees with the model, step by step.
//
// The program is FreeBSD code (fork, vfork, execve, waitpid, ptrace,
// ktrace, kill, procctl, sysctl) and includes only FreeBSD's own headers.
// Here, without a FreeBSD machine, it is only compiled, against the shim
// in properties/report/freebsd-shim/; its header comment says it is
// untested on a FreeBSD kernel, and describes how each model call maps to
// real calls (see also Reproducer.cpp).
#pragma once

#include <string>

#include "model/Scenario.hpp"

namespace properties {

/// The C source of the reproducer for a parsed scenario.  scenarioPath is
/// only quoted (in messages and the header comment).  Deterministic: the
/// same scenario and path give the same text.  A step that names a process
/// or pid the program cannot map still gives a program, one that exits 2
/// ("cannot set up") naming that line.
std::string reproducerSource(const model::Scenario& scenario, const std::string& scenarioPath);

}  // namespace properties
