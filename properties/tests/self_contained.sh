#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Fails if a file of the repository (source, documentation or results/,
# tracked or new but not ignored) names a path outside the repository: a
# clone has only the repository, so every reference must resolve inside
# it (the FreeBSD facts the code relies on are in kernel/PROVENANCE.md).
# Usage: self_contained.sh SOURCE_DIR
set -euo pipefail
cd "$1"

# Paths of the machine the project was written on, and the reference
# document that lived there.  The brackets keep this file from matching
# itself.
outside='\.\./share[d]|shared/referenc[e]|freebsd-semantic[s]|/wor[k]/|/hom[e]/|/roo[t]/'

if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  list() { git ls-files -z --cached --others --exclude-standard; }
else
  list() { find . -type f -not -path './.git/*' -not -path './build*/*' -not -path '*/node_modules/*' -print0; }
fi

# One grep over every file (a grep per file took 20 s on results/ alone).
# -s: a tracked file deleted in the working tree is not yet committed.
checked=$(list | tr -cd '\0' | wc -c)
hits=$(list | xargs -0 grep -sHnIE "$outside" -- || true)
found=0
if [ -n "$hits" ]; then
  printf '%s\n' "$hits"
  found=$(printf '%s\n' "$hits" | cut -d: -f1 | sort -u | wc -l)
fi

if [ "$found" -ne 0 ]; then
  echo "$found file(s) name a path outside the repository; cite kernel/PROVENANCE.md instead"
  exit 1
fi
if [ "$checked" -eq 0 ]; then
  echo "no files found under $1"
  exit 1
fi
echo "$checked files, none names a path outside the repository"
