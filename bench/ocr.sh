#!/usr/bin/env bash
# make bench-ocr: scans of composed reports read by OCR, scored cell by cell.
#
# Composed reports (nianbao synth, HTML; the report itself, without the site around it: bench/print_article.py)
# and the HTML samples are printed to A4 PDF by headless Chromium (make test installs it), their pages rendered to gray JPEG images and wrapped into PDFs with no text
# layer (bench/jpeg_pdf.py), in three conditions: 300 dpi clean, 150 dpi clean, and 300 dpi degraded (skewed
# 1.2°, faded ink, gray paper, dust: bench/degrade.py; JPEG quality 50). Each set is scored with
# `nianbao score` (exact / abstained / wrong cells against the composed figures) and timed per page.
# Environment: OCR_DOCS (reports, default 6), SEED (default 2026), CONDITIONS (default all three). Not part of
# make test.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${OCR_DOCS:-6}
SEED=${SEED:-2026}
BIN=${BIN:-$PWD/.build/release/nianbao}
OUT=$PWD/out/bench-ocr
rm -rf "$OUT"
mkdir -p "$OUT/html" "$OUT/print" "$OUT/pdf"

"$BIN" synth --count "$DOCS" --seed "$SEED" --html-only --out "$OUT/html" > /dev/null
# And the project's own HTML samples, with their expected cells.
for sample in samples/*.html; do
  cp "$sample" "$OUT/html/"
  cp "$sample.expected.json" "$OUT/html/"
done
for page in "$OUT"/html/*.html; do python3 bench/print_article.py "$page" "$OUT/print/$(basename "$page")"; done
# Chromium prints each report as a text PDF, as a browser prints the page. (LibreOffice's HTML import, used until
# 2026-11-30, laid a Word-pasted table of width="1000" out past the paper's edge: a third of 临川's page was not
# printed at all, so the benchmark measured the printer, not OCR.)
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "bench-ocr needs chromium (make test-deps installs it)"; exit 1; }
for page in "$OUT"/print/*.html; do
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$OUT/pdf/$(basename "$page" .html).pdf" "file://$page" > /dev/null 2>&1
done

scan() {  # scan CONDITION PDF: writes $OUT/CONDITION/NAME.pdf and its expected cells
  local condition=$1 pdf=$2 name work dpi
  name=$(basename "$pdf" .pdf)
  work=$(mktemp -d)
  case $condition in
    300dpi) dpi=300; pdftoppm -gray -r 300 -jpeg -jpegopt quality=85 "$pdf" "$work/p" ;;
    150dpi) dpi=150; pdftoppm -gray -r 150 -jpeg -jpegopt quality=85 "$pdf" "$work/p" ;;
    300dpi-degraded)
      dpi=300
      pdftoppm -gray -r 300 "$pdf" "$work/p"
      for page in "$work"/p*.pgm; do
        pnmrotate -background=white 1.2 "$page" > "$work/rotated.pgm" 2>/dev/null
        python3 bench/degrade.py "$work/rotated.pgm" "$work/degraded.pgm" 1
        pnmtojpeg -quality=50 "$work/degraded.pgm" > "${page%.pgm}.jpg"
      done ;;
  esac
  mkdir -p "$OUT/$condition"
  python3 bench/jpeg_pdf.py "$dpi" "$OUT/$condition/$name.pdf" $(ls "$work"/p*.jpg | sort -V)
  sed "s/\"$name.html\"/\"$name.pdf\"/" "$OUT/html/$name.html.expected.json" > "$OUT/$condition/$name.pdf.expected.json"
  rm -rf "$work"
}

{
  echo "| condition | pages | cells exact | abstained | wrong | seconds per page |"
  echo "|---|---|---|---|---|---|"
} > "$OUT/results.md"
for condition in ${CONDITIONS:-300dpi 150dpi 300dpi-degraded}; do
  for pdf in "$OUT"/pdf/*.pdf; do scan "$condition" "$pdf"; done
  pages=0
  for pdf in "$OUT/$condition"/*.pdf; do pages=$((pages + $(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}'))); done
  start=$(date +%s.%N)
  # From $OUT: the OCR cache (out/cache/ocr under the working folder) starts empty, so every page is read.
  (cd "$OUT" && "$BIN" score "$condition" > "$OUT/$condition.txt")
  end=$(date +%s.%N)
  total=$(grep '^TOTAL' "$OUT/$condition.txt")
  exact=$(echo "$total" | sed -E 's/.*cells exact ([0-9]+)\/([0-9]+) \(([0-9.]+)%\).*/\1\/\2 (\3%)/')
  abstained=$(echo "$total" | sed -E 's/.*abstained ([0-9]+).*/\1/')
  wrong=$(echo "$total" | sed -E 's/.*wrong ([0-9]+).*/\1/')
  perpage=$(awk -v s="$start" -v e="$end" -v p="$pages" 'BEGIN { printf "%.1f", (e - s) / p }')
  echo "| $condition | $pages | $exact | $abstained | $wrong | $perpage |" >> "$OUT/results.md"
done
cat "$OUT/results.md"
echo "per document: $OUT/<condition>.txt"
