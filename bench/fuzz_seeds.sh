#!/usr/bin/env bash
# Seeds the fuzz corpus from samples/ and the regression reports: the first byte selects the stage
# (0 decode, 1 HTML, 2 text, 3 markdown, 4 cell parser), as Sources/NianbaoFuzz expects.
set -euo pipefail
out=${1:-out/fuzz/corpus}
mkdir -p "$out"
for file in samples/* Tests/Support/regression/*; do
  name=$(basename "$file")
  case "$name" in *.json|README*) continue ;; esac
  case "$name" in
    *.html) prefix='\001' ;;
    *.md) prefix='\003' ;;
    *) prefix='\002' ;;
  esac
  { printf "$prefix"; cat "$file"; } > "$out/seed-$name"
  { printf '\000'; cat "$file"; } > "$out/seed-decode-$name"
done
for cell in "1,234" "251000元" "+2" "22（其中修订16件）" "增加5" "／" "１２" "3.0"; do
  printf '\004%s' "$cell" > "$out/seed-cell-$(printf '%s' "$cell" | od -An -tx1 | tr -d ' \n')"
done
