#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Finds the guards of a kernel variant and writes one ablated copy per guard.

A guard, in one of the named functions of the variant's style(9) C files:
  * an `if` whose controlled statement returns, sets `error` to an errno
    (E...), `continue`s or `goto`s, or whose condition tests P2_NOTRACE or
    P2_NOTRACE_EXEC; a condition that is a disjunction (a || b || ...) is
    one guard per disjunct, since each term refuses on its own; tests for
    a null pointer are not guards (without them the simulator, not the
    modelled kernel, would crash);
  * a statement that assigns p_flag2.
Ablation: the guard's condition (or disjunct) becomes false, so it never
refuses; an assignment to p_flag2 is removed (`=` assigns 0 instead, so a
new process's flags stay defined).

Usage: find_guards.py OUT_DIR FUNCTIONS SOURCE...
  FUNCTIONS is a comma-separated list of function names.
Writes OUT_DIR/guards.tsv (index, file, line, function, kind, code) and
OUT_DIR/<index>/<file> for each guard; the guards are numbered in file
order, then by position.  Deterministic: the same sources give the same
output.
"""

import os
import re
import sys

REFUSES = re.compile(r"\breturn\b|\berror\s*=\s*E[A-Z]+\b|\bcontinue\s*;|\bgoto\b")
FLAG_TEST = re.compile(r"\bP2_NOTRACE(_EXEC)?\b")
NULL_TEST = re.compile(r"(==|!=)\s*NULL\b")
FLAG_ASSIGN = re.compile(r"\bp_flag2\s*(\|=|&=|=(?!=))")
FUNCTION_START = re.compile(r"^([A-Za-z_][A-Za-z_0-9]*)\(", re.M)


def matching(text, i, open_char, close_char):
    """Index of the character closing the one at text[i]."""
    depth = 0
    while i < len(text):
        if text[i] == open_char:
            depth += 1
        elif text[i] == close_char:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced %s at offset %d" % (open_char, i))


def statement_end(text, i):
    """End (exclusive) of the statement or block starting at or after i."""
    while text[i].isspace():
        i += 1
    if text[i] == "{":
        return matching(text, i, "{", "}") + 1
    depth = 0
    while True:
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == ";" and depth == 0:
            return i + 1
        i += 1


def disjuncts(text, start, end):
    """Top-level `||` terms of the condition text[start:end], as spans."""
    terms, depth, begin, i = [], 0, start, start
    while i < end:
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif text.startswith("||", i) and depth == 0:
            terms.append((begin, i))
            begin = i + 2
            i += 1
        i += 1
    terms.append((begin, end))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e - (len(text[s:e]) - len(text[s:e].rstrip())))
            for s, e in terms]


def function_bodies(text):
    """(name, body start, body end) for each function defined at column 0."""
    out = []
    for m in FUNCTION_START.finditer(text):
        brace = text.find("\n{", m.end())
        if brace < 0:
            continue
        # A prototype ends with ';' before the body's brace.
        if ";" in text[m.end():brace]:
            continue
        out.append((m.group(1), brace + 1, matching(text, brace + 1, "{", "}") + 1))
    return out


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def one_line(code):
    return " ".join(code.split())


def guards(text, functions):
    """(start, end, replacement, function, kind, code) for each guard."""
    found = []
    for name, body_start, body_end in function_bodies(text):
        if name not in functions:
            continue
        body = text[body_start:body_end]
        for m in re.finditer(r"\bif\s*\(", body):
            open_paren = body_start + m.end() - 1
            close_paren = matching(text, open_paren, "(", ")")
            cond_start, cond_end = open_paren + 1, close_paren
            condition = text[cond_start:cond_end]
            controlled = text[close_paren + 1:statement_end(text, close_paren + 1)]
            if NULL_TEST.search(condition):
                continue
            if not (REFUSES.search(controlled) or FLAG_TEST.search(condition)):
                continue
            terms = disjuncts(text, cond_start, cond_end)
            if len(terms) == 1:
                found.append((cond_start, cond_end, "0 && (%s)" % condition, name, "if",
                              "if (%s)" % one_line(condition)))
            else:
                for s, e in terms:
                    found.append((s, e, "0", name, "term",
                                  "if (... %s ...)" % one_line(text[s:e])))
        for m in FLAG_ASSIGN.finditer(body):
            start = body.rfind("\n", 0, m.start()) + 1 + body_start
            while text[start] in " \t":
                start += 1
            end = statement_end(text, start)
            statement = text[start:end]
            lhs = statement.split("=")[0].rstrip("|& \t")
            replacement = "%s = 0;" % lhs if m.group(1) == "=" else "(void)0;"
            found.append((start, end, replacement, name, "flag", one_line(statement).rstrip(";")))
    found.sort(key=lambda g: (g[0], g[1]))
    return found


def main():
    out_dir, functions, sources = sys.argv[1], set(sys.argv[2].split(",")), sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    index = 0
    for source in sources:
        with open(source, encoding="utf-8") as f:
            text = f.read()
        for start, end, replacement, function, kind, code in guards(text, functions):
            index += 1
            ablated = text[:start] + "/* ksim: guard removed */ " + replacement + text[end:]
            target = os.path.join(out_dir, "%02d" % index)
            os.makedirs(target, exist_ok=True)
            path = os.path.join(target, os.path.basename(source))
            new = not os.path.exists(path) or open(path, encoding="utf-8").read() != ablated
            if new:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(ablated)
            rows.append("%02d\t%s\t%d\t%s\t%s\t%s" % (index, os.path.basename(source), line_of(text, start),
                                                      function, kind, code))
    with open(os.path.join(out_dir, "guards.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + ("\n" if rows else ""))


if __name__ == "__main__":
    main()
