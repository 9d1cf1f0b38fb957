#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The README's layout drawing (the fenced block under "## Layout") names
# every entry of each top-level folder, and nothing else: `ls FOLDER` must
# equal what the drawing lists under it.  A drawing line is "ENTRIES" or
# "ENTRIES  description" (two or more spaces before the description); a
# line at column 0 opens a top-level folder, indented lines list its
# entries (a trailing / marks a folder).
# Usage: layout.sh SOURCE_DIR
set -euo pipefail
cd "$1"

drawing=$(awk '/^## Layout/ { inside = 1; next }
  inside && /^```/ { if (fence) exit; fence = 1; next }
  fence { print }' README.md)
[ -n "$drawing" ] || { echo "FAIL: README.md has no layout drawing under '## Layout'"; exit 1; }

declare -A drawn
folders=()
current=""
while IFS= read -r line; do
  entries=$(printf '%s\n' "$line" | sed -E 's/^ +//; s/ {2,}[^ ].*$//')
  if [[ $line != " "* ]]; then
    current=${entries%/}
    folders+=("$current")
    continue
  fi
  for e in $entries; do drawn[$current]+="${e%/}"$'\n'; done
done <<< "$drawing"

status=0
for folder in "${folders[@]}"; do
  want=$(printf '%s' "${drawn[$folder]:-}" | sort)
  have=$(ls "$folder" | sort)
  if [ "$want" != "$have" ]; then
    echo "FAIL: README's layout drawing of $folder/ differs from ls $folder:"
    diff <(echo "$want") <(echo "$have") | sed 's/^/  /'
    status=1
  fi
done
for top in kernel model sim properties results; do
  printf '%s\n' "${folders[@]}" | grep -qx "$top" || { echo "FAIL: the drawing lacks $top/"; status=1; }
done
[ "$status" -eq 0 ] && echo "the layout drawing matches ${#folders[@]} folders"
exit "$status"
