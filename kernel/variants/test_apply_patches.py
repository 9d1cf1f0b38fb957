#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""apply_patches.py applies a patch exactly or refuses it with FILE:LINE.

Run by ctest (kernel.design-patches-apply-exactly).  Each case writes a
small base file and patch into a temporary folder and runs the applier.
"""

import contextlib
import io
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import apply_patches  # noqa: E402

BASE = "".join("line %d\n" % n for n in range(1, 11))
GOOD = """commentary before the first '---' line is ignored
--- rfc-2014/f.c
+++ mine/f.c
@@ -4,3 +4,4 @@
 line 4
-line 5
+line five
+line 5.5
 line 6
"""

failures = []


def run(patches, base=BASE, extra_base=None):
    """(exit status, stdout, stderr, {output file: text})."""
    with tempfile.TemporaryDirectory() as tmp:
        base_path = os.path.join(tmp, "f.c")
        with open(base_path, "w") as f:
            f.write(base)
        bases = [base_path]
        if extra_base is not None:
            bases.append(os.path.join(tmp, "g.c"))
            with open(bases[-1], "w") as f:
                f.write(extra_base)
        paths = []
        for n, text in enumerate(patches):
            paths.append(os.path.join(tmp, "%d.patch" % n))
            with open(paths[-1], "w") as f:
                f.write(text)
        out_dir = os.path.join(tmp, "out")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = apply_patches.main([out_dir] + bases + ["--"] + paths)
        files = {}
        if os.path.isdir(out_dir):
            for name in os.listdir(out_dir):
                with open(os.path.join(out_dir, name)) as f:
                    files[name] = f.read()
        return status, out.getvalue(), err.getvalue().replace(tmp + os.sep, ""), files


def expect(name, condition, detail):
    if not condition:
        failures.append("%s: %s" % (name, detail))


def refused(name, patches, message, **kw):
    status, _, err, files = run(patches, **kw)
    expect(name, status == 2 and message in err and err.count("\n") == 1 and not files,
           "expected exit 2 and one line containing %r, got %d %r" % (message, status, err))


status, out, err, files = run([GOOD])
expect("applies", status == 0 and out == "f.c\n" and err == "", "exit %d, %r %r" % (status, out, err))
expect("applies", files.get("f.c") == BASE.replace("line 5\n", "line five\nline 5.5\n"), "wrong text %r" % files)

refused("offset", [GOOD.replace("@@ -4,3 +4,4 @@", "@@ -5,3 +5,4 @@")],
        "0.patch:4: hunk does not match f.c at line 5")
refused("fuzz", [GOOD.replace(" line 6\n", " line six\n")], "0.patch:4: hunk does not match f.c at line 4")
refused("ambiguous", [GOOD], "0.patch:4: hunk's old text occurs 2 times in f.c",
        base=BASE + "line 4\nline 5\nline 6\n")
refused("new-start", [GOOD.replace("+4,4", "+5,4")], "0.patch:4: hunk's '+' start is 5, but it lands at line 4")
refused("short-hunk", [GOOD.replace("@@ -4,3 +4,4 @@", "@@ -4,4 +4,5 @@")],
        "0.patch:4: hunk has 3 old and 4 new lines, header says 4 and 5")
refused("no-op", ["--- a/f.c\n+++ b/f.c\n@@ -4,1 +4,1 @@\n line 4\n"], "0.patch:3: hunk changes nothing")
refused("unknown-file", [GOOD.replace("f.c", "h.c")], "0.patch:2: h.c is not one of the base files (f.c)")
refused("names-differ", [GOOD.replace("+++ mine/f.c", "+++ mine/g.c")], "0.patch:3: '---' names f.c but '+++' names g.c")
refused("twice", [GOOD, GOOD.replace("line five", "line 5 again")], "1.patch:2: f.c is already changed by")
refused("overlap", [GOOD + GOOD[GOOD.index("@@"):]], "hunk starts at line 4, inside or before the previous hunk")
refused("not-a-diff", ["just words\n"], "0.patch:1: no '--- ' line: not a unified diff")
refused("no-newline", [GOOD + "\\ No newline at end of file\n"],
        "0.patch:10: '\\ No newline at end of file' is not supported")
refused("no-hunk", ["--- a/f.c\n+++ b/f.c\n"], "0.patch:3: no hunk for f.c")

# Two files, one patch each, in base order; an unpatched base is not written.
other = "--- a/g.c\n+++ b/g.c\n@@ -1,1 +1,1 @@\n-g\n+G\n"
status, out, err, files = run([other, GOOD], extra_base="g\n")
expect("two-files", status == 0 and out == "f.c\ng.c\n" and files.get("g.c") == "G\n",
       "exit %d, %r %r %r" % (status, out, err, files))
status, out, err, files = run([GOOD], extra_base="g\n")
expect("unpatched", status == 0 and sorted(files) == ["f.c"], "exit %d, files %r" % (status, sorted(files)))

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("apply_patches.py: every case as expected")
