// Printed forms: errno and flag names, processes, and what a step changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/State.hpp"

namespace model {

/// FreeBSD's name of an errno value ("EPERM"), or the number.
std::string errnoName(int error);
/// The value of an errno name, or -1.
int errnoValue(const std::string& name);

/// "P_TRACED|P_SUGID", "0" for none; unknown bits as hex.
/// The signals the model has (model/Signals.hpp), by FreeBSD's name
/// ("SIGQUIT"), and back; signalNames() lists them, comma-separated (only
/// those a process can send, if asked).
std::string signalName(int signal);
std::optional<int> signalNumber(std::string_view name);
std::string signalNames(bool sendableOnly = false);
/// sigaction(2)'s dispositions in scenario syntax: SIG_DFL, SIG_IGN and
/// "handler" (KSIM_SIGACT_*).
std::string_view signalActionName(unsigned action);
std::optional<unsigned> signalActionNumber(std::string_view name);

std::string pFlagNames(std::uint32_t flag);
std::string p2FlagNames(std::uint32_t flag2);
std::string ktraceFlagNames(std::uint32_t traceflag);

/// The names processes go by in one run: initial names, then a name given
/// to each child at fork.  Slots are reused, so this is per run, not per
/// state.
class ProcessNames {
 public:
  explicit ProcessNames(std::vector<std::string> bySlot) : bySlot_(std::move(bySlot)) {}
  const std::string& operator[](unsigned slot) const { return bySlot_.at(slot); }
  void set(unsigned slot, std::string name) { bySlot_.at(slot) = std::move(name); }
  /// Names the process with this pid (a fork's child, from its result).
  void setByPid(int pid, const std::string& name);
  /// Slot of a live-named process, or -1.
  int find(const std::string& name) const;
  /// A fresh child name: "<parent>.<n>" with the first n not in use.
  std::string childName(unsigned parentSlot) const;
  /// The process in this slot is gone (reaped): its slot is nameless, and
  /// its name is remembered as retired.
  void retire(unsigned slot);
  /// If a process went by this name and is gone, and no live process has
  /// taken the name since: the slot it last had (its pid, which may still
  /// name its process group).
  std::optional<unsigned> retiredSlot(const std::string& name) const;

 private:
  struct Retired {
    std::string name;
    unsigned slot;
  };
  std::vector<std::string> bySlot_;
  std::vector<Retired> retired_;  // in order of reaping; a name once, with its last slot
};

/// One line per field that differs between two states, e.g.
/// "A: p_flag2 +P2_NOTRACE" or "B: p_pptr A -> init".
std::vector<std::string> describeChanges(const State& before, const State& after, const ProcessNames& names);

/// One line describing a process, for state dumps.
std::string describeProcess(const State& s, unsigned slot, const ProcessNames& names);

}  // namespace model
