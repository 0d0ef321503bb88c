#!/usr/bin/env bash
# Runs the TextMate grammar tests (test/grammar/*.test.py) with vscode-tmgrammar-test.
# grammars.json wires the base Python grammar and our injection grammar together.
# If package.json already declares the injection grammar, its entry is checked too.
# Usage, from anywhere: bash test/grammar/run.sh   (exits non-zero on any failure)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

runner=node_modules/.bin/vscode-tmgrammar-test
if [ ! -x "$runner" ]; then
  echo "grammar: $runner not found; run npm ci first" >&2
  exit 2
fi

shopt -s nullglob
cases=(test/grammar/*.test.py)
if [ ${#cases[@]} -eq 0 ]; then
  echo "grammar: no test cases in test/grammar/" >&2
  exit 2
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$runner" --config test/grammar/grammars.json 'test/grammar/*.test.py' 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
passed=$(grep -c '^✓' "$out" || true)
failed=$(( ${#cases[@]} - passed ))

# The extension manifest must contribute the grammar as an injection into source.python.
if node -e '
  const fs = require("fs"), path = require("path");
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
  const g = ((pkg.contributes || {}).grammars || []).find((x) => x.scopeName === "dataflow.injection.python");
  if (!g) { console.log("grammar: note: package.json does not contribute dataflow.injection.python yet"); process.exit(3); }
  const errs = [];
  if (path.resolve(g.path || "") !== path.resolve("syntaxes/dataflow.injection.tmLanguage.json"))
    errs.push(`path is ${JSON.stringify(g.path)}, expected "./syntaxes/dataflow.injection.tmLanguage.json"`);
  if (!(g.injectTo || []).includes("source.python")) errs.push("injectTo must include \"source.python\"");
  if (g.language) errs.push("an injection grammar must not set \"language\"");
  if (errs.length) { console.log("✖ package.json contributes.grammars: " + errs.join("; ")); process.exit(1); }
  console.log("✓ package.json contributes dataflow.injection.python correctly.");
'; then
  passed=$(( passed + 1 ))
elif [ $? -ne 3 ]; then
  failed=$(( failed + 1 ))
fi

echo "grammar: ${passed} passed, ${failed} failed"
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
