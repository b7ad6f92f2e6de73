#!/usr/bin/env bash
# make bench: the parse-only floor, the full pipeline and a pandas reference over the same synthetic HTML
# pages, side by side; then the pipeline again over a larger corpus to check that memory does not grow.
# Environment: N (documents, default 5000), BIG (default 20000, 0 to skip), WORKERS (default 2), ROUNDS (default 3).
# The floor, the pipeline and pandas are run ROUNDS times, one after another in turn, and compared by their median
# times: on a shared machine one run of each moved the floor between 3.6 and 4.2 s and the ratio with it.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-5000}
BIG=${BIG:-20000}
WORKERS=${WORKERS:-2}
ROUNDS=${ROUNDS:-3}
BIN=.build/release/nianbao
OUT=out/bench
mkdir -p "$OUT"

corpus() {
  local count=$1 dir="$OUT/corpus-$1"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    "$BIN" synth --count "$count" --seed 1 --html-only --out "$dir" > /dev/null
    touch "$dir/.complete"
  fi
  echo "$dir"
}

pipeline() {
  local dir=$1 tag=$2
  rm -f "$OUT/$tag.sqlite" "$OUT/$tag.sqlite-wal" "$OUT/$tag.sqlite-shm"
  cat > "$OUT/$tag.json" <<JSON
{"sources": [{"path": "corpus-${dir##*-}"}], "database": "$tag.sqlite", "workers": $WORKERS,
 "read": {"include": ["*.html"]}, "validate": {"report_not_checkable": false}}
JSON
  /usr/bin/time -a -f "%M %e" -o "$OUT/$tag.rss" "$BIN" run --config "$OUT/$tag.json" --quiet >> "$OUT/$tag.txt" || true
}

SMALL=$(corpus "$N")
echo "corpus: $N HTML pages in $SMALL ($(du -sh "$SMALL" | cut -f1)); $ROUNDS rounds of floor, pipeline and pandas"
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet pandas lxml
fi
rm -f "$OUT"/floor.txt "$OUT"/floor.rss "$OUT"/pipeline.txt "$OUT"/pipeline.rss "$OUT"/pandas.txt "$OUT"/pandas.rss \
      "$OUT"/pipeline-large.txt "$OUT"/pipeline-large.rss
for round in $(seq "$ROUNDS"); do
  /usr/bin/time -a -f "%M %e" -o "$OUT/floor.rss" "$BIN" parse-floor "$SMALL" --workers "$WORKERS" >> "$OUT/floor.txt"
  pipeline "$SMALL" pipeline
  /usr/bin/time -a -f "%M %e" -o "$OUT/pandas.rss" bench/.venv/bin/python bench/pandas_reference.py "$SMALL" "$OUT/pandas.sqlite" "$WORKERS" >> "$OUT/pandas.txt"
done

if [ "$BIG" -gt 0 ]; then
  LARGE=$(corpus "$BIG")
  pipeline "$LARGE" pipeline-large
fi
python3 bench/report.py "$OUT" "$N" "$BIG" "$WORKERS" "$ROUNDS"
