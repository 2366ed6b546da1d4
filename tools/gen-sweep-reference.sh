#!/usr/bin/env bash
# Regenerates the spec reference in docs/sweeps.md (between the
# spec-reference markers) from the parameter declarations in the code
# (tessera sweep describe --markdown). A test fails when it is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/tessera}
table=$("$bin" sweep describe --markdown)
python3 - "$table" <<'PY'
import sys
path = "docs/sweeps.md"
text = open(path).read()
begin, end = "<!-- spec-reference:begin -->", "<!-- spec-reference:end -->"
a, b = text.index(begin) + len(begin), text.index(end)
open(path, "w").write(text[:a] + "\n" + sys.argv[1] + "\n" + text[b:])
PY
echo "updated docs/sweeps.md"
