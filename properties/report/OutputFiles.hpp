// SPDX-License-Identifier: BSD-2-Clause
// Writing ksim's output files so that nothing is lost, overwritten by
// mistake or misread: a file appears whole or not at all, a planted
// symlink or device is never written through, and a folder two runs would
// share is refused to the second.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ksim {

/// Writes content to path so that a reader sees the old file or the whole
/// new one: a temporary file is created beside it with O_CREAT | O_EXCL |
/// O_NOFOLLOW under a name no other writer uses, written, fsynced and
/// renamed over path.  An existing path that is not a regular file (a
/// directory, a symlink, a device) is refused before anything is written.
/// Creates the folders it needs.  Throws std::runtime_error naming the path.
void writeFileAtomically(const std::filesystem::path& path, const std::string& content);

/// Puts the folder `fresh` in the place of `target` (absent, or a folder) in one step, so that a
/// reader sees the old folder whole or the new one whole: rename(2) where target is absent, else
/// Linux's renameat2(RENAME_EXCHANGE), the old folder then removed from fresh's place. Where the
/// exchange is not supported, the old folder is first renamed aside. Throws std::runtime_error
/// naming the path.
void replaceFolder(const std::filesystem::path& fresh, const std::filesystem::path& target);

/// Throws std::runtime_error, one line naming the path, unless path can be
/// written by writeFileAtomically as far as can be told before writing: it
/// does not exist or is a regular file, and its folder is not a file.
void checkOutputFile(const std::filesystem::path& path);

/// An output folder held for one run.  Checks, before any search, that the
/// folder is a folder (or can be made one), that each of `files` in it is
/// absent or a regular file and each of `folders` absent or a folder whose
/// entries are all regular files; creates it; and holds an exclusive
/// flock(2) on it until destroyed, so that a second run into the same
/// folder is refused at once instead of mixing its files with this run's.
/// Throws std::runtime_error, one line.
class OutputFolder {
 public:
  OutputFolder(const std::filesystem::path& dir, const std::vector<std::string>& files,
               const std::vector<std::string>& folders);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace ksim
