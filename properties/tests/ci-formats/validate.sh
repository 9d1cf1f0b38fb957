#!/usr/bin/env bash
# validate.sh KSIM SOURCE_DIR: `ksim check --junit --sarif` on a bounded
# default-world check (violations, an unspecified point reached, and
# properties left UNKNOWN), then:
#   - the JUnit file validates against junit.xsd (xmllint) and has a test
#     case per property, failures exactly the VIOLATED ones, skipped the
#     UNKNOWN ones;
#   - the SARIF file validates against the SARIF 2.1.0 JSON schema (from
#     the npm package @microsoft/jest-sarif, installed by .ci/setup.sh
#     test) with python3-jsonschema, has a result per counterexample, and
#     each result's location is a line of the source tree that takes a lock
#     or asserts (the kernel-assertion one: the failed KASSERT itself);
#   - both are byte-identical on a second run.
set -u
ksim=$1 src=$2
here=$(cd "$(dirname "$0")" && pwd)
schema=$here/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json
[ -f "$schema" ] || { echo "FAIL: $schema missing: run 'bash .ci/setup.sh test' (npm ci in $here)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for run in a b; do
  "$ksim" check --quiet --max-depth 4 --out "$tmp/$run" --json "$tmp/$run.json" --junit "$tmp/$run.xml" \
    --sarif "$tmp/$run.sarif" > "$tmp/$run.out" 2> "$tmp/$run.err"
  [ $? -eq 1 ] || { cat "$tmp/$run.err"; fail "the check did not exit 1 (violations)"; }
done
cmp -s "$tmp/a.xml" "$tmp/b.xml" || fail "two runs wrote different JUnit files"
cmp -s "$tmp/a.sarif" "$tmp/b.sarif" || fail "two runs wrote different SARIF files"
xmllint --noout --schema "$here/junit.xsd" "$tmp/a.xml" || fail "the JUnit file does not validate"
python3 - "$tmp/a.json" "$tmp/a.xml" "$tmp/a.sarif" "$schema" "$src" <<'PY' || exit 1
import json, re, sys, xml.etree.ElementTree as ET
import jsonschema
summary, junit, sarif, schema, src = sys.argv[1:]
summary = json.load(open(summary))
verdicts = {v["property"]: v for v in summary["verdicts"]}
def fail(why):
    print("FAIL: " + why, file=sys.stderr)
    sys.exit(1)
# JUnit: a case per property, outcomes matching the verdicts.
suite = ET.parse(junit).getroot().find("testsuite")
cases = {c.get("name"): c for c in suite.findall("testcase")}
if set(cases) != set(verdicts):
    fail("JUnit test cases are not the properties")
for name, v in verdicts.items():
    c = cases[name]
    failed, skipped = c.find("failure") is not None, c.find("skipped") is not None
    if failed != (v["verdict"] == "VIOLATED" and not v["unspecified"]):
        fail(f"JUnit case {name}: failure {failed}, verdict {v['verdict']}")
    if skipped != (v["verdict"] == "UNKNOWN"):
        fail(f"JUnit case {name}: skipped {skipped}, verdict {v['verdict']}")
    if failed and not all(step in c.find("failure").text for step in v["steps"]):
        fail(f"JUnit case {name}: the failure does not list the counterexample's steps")
if int(suite.get("failures")) != sum(c.find("failure") is not None for c in cases.values()):
    fail("JUnit failures count")
# SARIF: the schema, then a result per counterexample at a real line.
doc = json.load(open(sarif))
try:
    jsonschema.validate(doc, json.load(open(schema)), cls=jsonschema.Draft4Validator)
except jsonschema.ValidationError as e:
    fail("SARIF does not validate: " + e.message)
results = doc["runs"][0]["results"]
with_cx = [n for n, v in verdicts.items() if "steps" in v]
if sorted(r["ruleId"] for r in results) != sorted(with_cx):
    fail("SARIF results are not the counterexamples")
for r in results:
    loc = r["locations"][0]["physicalLocation"]
    path, line = loc["artifactLocation"]["uri"], loc["region"]["startLine"]
    try:
        text = open(f"{src}/{path}").read().split("\n")[line - 1]
    except (OSError, IndexError):
        fail(f"SARIF result {r['ruleId']}: {path}:{line} is not a line of the source tree")
    if not re.search(r"KASSERT|MPASS|_ASSERT|sx_assert|LOCK|sx_[sx]?(un)?lock|mtx_", text):
        fail(f"SARIF result {r['ruleId']}: {path}:{line} takes no lock and asserts nothing: {text.strip()}")
    if r["ruleId"] == "kernel-assertion" and "KASSERT" not in text:
        fail(f"SARIF kernel-assertion is not at its KASSERT: {path}:{line}: {text.strip()}")
print(f"ok: {len(cases)} JUnit cases, {len(results)} SARIF results, both valid")
PY
