// SPDX-License-Identifier: BSD-2-Clause
#include "report/OutputFiles.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>  // renameat2, RENAME_EXCHANGE (glibc, _GNU_SOURCE)
#include <cstring>
#include <stdexcept>

namespace ksim {

namespace fs = std::filesystem;

namespace {

std::runtime_error failure(const fs::path& path, const std::string& why) {
  return std::runtime_error(path.string() + ": " + why);
}

std::runtime_error systemFailure(const fs::path& path, const std::string& what) {
  return failure(path, what + ": " + std::strerror(errno));
}

const char* kindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// lstat: a symlink is judged as itself, never as what it points to.
bool exists(const fs::path& path, struct stat& st) {
  if (::lstat(path.c_str(), &st) == 0) return true;
  if (errno == ENOENT) return false;
  throw systemFailure(path, "cannot stat");
}

void requireRegularOrAbsent(const fs::path& path) {
  struct stat st {};
  if (exists(path, st) && !S_ISREG(st.st_mode))
    throw failure(path, std::string("exists and is ") + kindOf(st.st_mode) +
                            ", not a regular file; ksim will not write over it");
}

void requireFolderOrAbsent(const fs::path& path) {
  struct stat st {};
  if (exists(path, st) && !S_ISDIR(st.st_mode))
    throw failure(path, std::string("exists and is ") +
                            (S_ISREG(st.st_mode) ? "a regular file" : kindOf(st.st_mode)) + ", not a folder");
}

void writeAll(int fd, const std::string& content, const fs::path& tmp) {
  const char* at = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, at, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw systemFailure(tmp, "cannot write");
    }
    at += n;
    left -= static_cast<std::size_t>(n);
  }
}

// Makes the rename itself durable.  Best effort: some file systems refuse
// fsync on a folder, and the file's own data is already synced.
void syncFolder(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

void checkOutputFile(const fs::path& path) {
  requireRegularOrAbsent(path);
  if (path.has_parent_path()) requireFolderOrAbsent(path.parent_path());
}

void writeFileAtomically(const fs::path& path, const std::string& content) {
  // Folders exist only for what goes in them (git keeps no empty ones).
  if (path.has_parent_path()) {
    requireFolderOrAbsent(path.parent_path());
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) throw failure(path.parent_path(), "cannot create: " + ec.message());
  }
  requireRegularOrAbsent(path);
  // A name of this process and a counter, retried while taken: O_EXCL
  // never opens a file that exists, O_NOFOLLOW never a symlink planted
  // under the name.  The umask applies to 0666 as for any new file.
  static std::atomic<unsigned long> counter{0};
  fs::path tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    tmp = path;
    tmp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && (errno != EEXIST || attempt >= 100)) throw systemFailure(tmp, "cannot create");
  }
  try {
    writeAll(fd, content, tmp);
    if (::fsync(fd) != 0) throw systemFailure(tmp, "cannot sync");
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0) throw systemFailure(tmp, "cannot close");
    // The target may have been replaced since it was checked; rename(2)
    // replaces a symlink itself, never what it points to, and fails on a
    // folder.
    if (::rename(tmp.c_str(), path.c_str()) != 0)
      throw systemFailure(path, "cannot rename " + tmp.string() + " to it");
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  syncFolder(path.parent_path());
}

void replaceFolder(const fs::path& fresh, const fs::path& target) {
  requireFolderOrAbsent(target);
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(target, ec))) {
    if (::rename(fresh.c_str(), target.c_str()) != 0)
      throw systemFailure(target, "cannot rename " + fresh.string() + " to it");
    syncFolder(target.parent_path());
    return;
  }
#ifdef RENAME_EXCHANGE
  if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
    syncFolder(target.parent_path());
    fs::remove_all(fresh, ec);  // now the old folder
    if (ec) throw failure(fresh, "cannot remove the folder it replaced: " + ec.message());
    return;
  }
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    throw systemFailure(target, "cannot exchange it with " + fresh.string());
#endif
  // No exchange here: the old folder goes aside first, so that one of the two is always whole.
  fs::path old = target;
  old += ".old";
  fs::remove_all(old, ec);
  if (::rename(target.c_str(), old.c_str()) != 0) throw systemFailure(target, "cannot rename it aside");
  if (::rename(fresh.c_str(), target.c_str()) != 0)
    throw systemFailure(target, "cannot rename " + fresh.string() + " to it");
  syncFolder(target.parent_path());
  fs::remove_all(old, ec);
  if (ec) throw failure(old, "cannot remove: " + ec.message());
}

OutputFolder::OutputFolder(const fs::path& dir, const std::vector<std::string>& files,
                           const std::vector<std::string>& folders) {
  // The folder itself is the user's choice: a symlink to a folder is
  // followed.  What is inside it is judged as itself.
  std::error_code statError;
  const fs::file_status status = fs::status(dir, statError);
  if (fs::exists(status) && !fs::is_directory(status)) throw failure(dir, "exists and is not a folder");
  for (const std::string& name : files) requireRegularOrAbsent(dir / name);
  for (const std::string& name : folders) {
    requireFolderOrAbsent(dir / name);
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(dir / name, ec))) continue;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir / name, ec))
      requireRegularOrAbsent(entry.path());
    if (ec) throw failure(dir / name, "cannot list: " + ec.message());
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw failure(dir, "cannot create: " + ec.message());
  fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) throw systemFailure(dir, "cannot open");
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw failure(dir, "another ksim is writing into this folder; wait for it or choose another");
    errno = error;
    throw systemFailure(dir, "cannot lock");
  }
}

OutputFolder::~OutputFolder() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace ksim
