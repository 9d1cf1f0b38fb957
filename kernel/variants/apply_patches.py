#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes a design's sources: rfc-2014's files with the design's patches applied.

Usage: apply_patches.py OUT_DIR BASE_SOURCE... -- PATCH_FILE...

Each PATCH_FILE is a unified diff (diff -u) of one or more of the base
files; text before its first "--- " line is commentary and is ignored.  A
patch applies strictly, or not at all:
  * each file section's "---" and "+++" lines name the same file, by its
    base name, and that file is one of the BASE_SOURCEs; no file is changed
    by two sections (in one patch file or in two);
  * every hunk applies at exactly the line its header states, with every
    context and removed line equal to the base file's (no offset, no fuzz),
    its "+" start is that line moved by the hunks before it, and its line
    counts are those of its body;
  * every hunk's old text (context and removed lines) occurs exactly once
    in the base file, so the hunk can mean only that place, whichever tool
    reads it;
  * every hunk changes something, and every patch file changes some file.
The first violation is one line on stderr, "PATCH_FILE:LINE: what", and
the exit status is 2.

On success OUT_DIR holds the patched files (rewritten only when their
text changes, so an unchanged design is not recompiled) and nothing else,
and stdout lists their base names, one a line, in BASE_SOURCE order.
"""

import os
import re
import sys

HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class PatchError(Exception):
    pass


def fail(path, line, what):
    raise PatchError("%s:%d: %s" % (path, line, what))


def file_name(header):
    """The base name a '--- ' or '+++ ' line names (a date after a tab is dropped)."""
    return os.path.basename(header[4:].split("\t")[0].rstrip("\n"))


def parse(path):
    """[(file name, [(header line number, old start, new start, old lines, new lines)])]."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.readlines()
    sections = []
    i = 0
    while i < len(lines) and not lines[i].startswith("--- "):
        i += 1
    while i < len(lines):
        if lines[i].startswith("\\"):
            fail(path, i + 1, "'\\ No newline at end of file' is not supported: "
                 "every kernel source ends with a newline")
        if not lines[i].startswith("--- "):
            fail(path, i + 1, "expected a '--- ' line, found %r" % lines[i].rstrip("\n"))
        if i + 1 >= len(lines) or not lines[i + 1].startswith("+++ "):
            fail(path, i + 2, "a '--- ' line must be followed by a '+++ ' line")
        name = file_name(lines[i])
        if file_name(lines[i + 1]) != name:
            fail(path, i + 2, "'---' names %s but '+++' names %s" % (name, file_name(lines[i + 1])))
        i += 2
        hunks = []
        while i < len(lines) and lines[i].startswith("@@"):
            m = HUNK.match(lines[i])
            if not m:
                fail(path, i + 1, "malformed hunk header")
            header = i + 1
            old_start, new_start = int(m.group(1)), int(m.group(3))
            old_count = 1 if m.group(2) is None else int(m.group(2))
            new_count = 1 if m.group(4) is None else int(m.group(4))
            old, new = [], []
            i += 1
            while i < len(lines) and (len(old) < old_count or len(new) < new_count):
                tag, text = lines[i][:1], lines[i][1:]
                if tag == "\\":
                    fail(path, i + 1, "'\\ No newline at end of file' is not supported: "
                         "every kernel source ends with a newline")
                if tag not in (" ", "-", "+"):
                    fail(path, i + 1, "hunk ends early: %d old and %d new lines, header says %d and %d"
                         % (len(old), len(new), old_count, new_count))
                if tag in (" ", "-"):
                    old.append(text)
                if tag in (" ", "+"):
                    new.append(text)
                i += 1
            if len(old) != old_count or len(new) != new_count:
                fail(path, header, "hunk has %d old and %d new lines, header says %d and %d"
                     % (len(old), len(new), old_count, new_count))
            if old == new:
                fail(path, header, "hunk changes nothing")
            hunks.append((header, old_start, new_start, old, new))
        if not hunks:
            fail(path, i + 1, "no hunk for %s" % name)
        sections.append((name, hunks))
    if not sections:
        fail(path, 1, "no '--- ' line: not a unified diff")
    return sections


def occurrences(lines, block):
    n = len(block)
    return sum(1 for k in range(len(lines) - n + 1) if lines[k:k + n] == block)


def apply(path, name, base_lines, hunks):
    out = []
    next_old = 0  # index of the first base line not yet copied
    for header, old_start, new_start, old, new in hunks:
        # A hunk that only adds lines states the line after which it adds them.
        at = old_start if not old else old_start - 1
        if at < next_old:
            fail(path, header, "hunk starts at line %d, inside or before the previous hunk" % old_start)
        if base_lines[at:at + len(old)] != old:
            fail(path, header, "hunk does not match %s at line %d (an offset or changed "
                 "context: patches apply exactly)" % (name, old_start))
        if old and occurrences(base_lines, old) != 1:
            fail(path, header, "hunk's old text occurs %d times in %s; give it more context "
                 "(diff -U5) so it can mean only one place" % (occurrences(base_lines, old), name))
        out.extend(base_lines[next_old:at])
        expected_new_start = len(out) + (1 if new else 0)
        if new_start != expected_new_start:
            fail(path, header, "hunk's '+' start is %d, but it lands at line %d" % (new_start, expected_new_start))
        out.extend(new)
        next_old = at + len(old)
    out.extend(base_lines[next_old:])
    return "".join(out)


def main(argv):
    if "--" not in argv:
        sys.stderr.write("usage: apply_patches.py OUT_DIR BASE_SOURCE... -- PATCH_FILE...\n")
        return 2
    split = argv.index("--")
    out_dir, base_sources, patch_files = argv[0], argv[1:split], argv[split + 1:]
    bases = {os.path.basename(b): b for b in base_sources}
    if not patch_files:
        sys.stderr.write("no patch files: a design is rfc-2014 changed by at least one patch\n")
        return 2
    results = {}
    try:
        where = {}
        for path in patch_files:
            for name, hunks in parse(path):
                header = hunks[0][0] - 2
                if name not in bases:
                    fail(path, header, "%s is not one of the base files (%s)" % (name, ", ".join(sorted(bases))))
                if name in where:
                    fail(path, header, "%s is already changed by %s; one section per file" % (name, where[name]))
                where[name] = path
                with open(bases[name], encoding="utf-8", newline="") as f:
                    base_lines = f.readlines()
                results[name] = apply(path, name, base_lines, hunks)
    except PatchError as e:
        sys.stderr.write("%s\n" % e)
        return 2
    os.makedirs(out_dir, exist_ok=True)
    for stale in sorted(set(os.listdir(out_dir)) - set(results)):
        os.remove(os.path.join(out_dir, stale))
    for name in bases:
        if name not in results:
            continue
        target = os.path.join(out_dir, name)
        old = None
        if os.path.exists(target):
            with open(target, encoding="utf-8", newline="") as f:
                old = f.read()
        if old != results[name]:
            with open(target, "w", encoding="utf-8", newline="") as f:
                f.write(results[name])
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
