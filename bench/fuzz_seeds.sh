#!/usr/bin/env bash
# Seeds one corpus folder per fuzz target (NIANBAO_FUZZ_TARGET) from samples/ and the regression reports.
set -euo pipefail
out=${1:-out/fuzz/corpus}
mkdir -p "$out"/{cell,label,split,decode,html,text,pipeline,image}
for file in samples/* Tests/Support/regression/*; do
  name=$(basename "$file")
  case "$name" in *.json|README*) continue ;; esac
  cp "$file" "$out/pipeline/$name"
  head -c 8192 "$file" > "$out/decode/$name"
  case "$name" in
    *.html) head -c 8192 "$file" > "$out/html/$name" ;;
    *.md) { printf '\001'; head -c 8191 "$file"; } > "$out/text/$name" ;;
    *) { printf '\000'; head -c 8191 "$file"; } > "$out/text/$name" ;;
  esac
done
i=0
for cell in "1,234" "251000元" "+2" "22（其中修订16件）" "增加5" "／" "１２" "3.0" "1 234" "45.82万元" "2笔" "984361元"; do
  printf '%s' "$cell" > "$out/cell/seed-$i"; i=$((i+1))
done
for label in "（三）不予公开|1.属于国家秘密" "规章" "行政规范性文件" "2.其他法律行政法规禁止公开" "（六）其他处理|3.其他" "本年新收政府信息公开申请数量"; do
  printf '%s' "$label" > "$out/label/seed-$i"; i=$((i+1))
done
for run in '\006898989' '\007230 000023' '\00512+3-4' '\01411100000000001'; do
  printf "$run" > "$out/split/seed-$i"; i=$((i+1))
done
# Page images (FuzzStages.page): a ruled 2 × 3 table, one of its rules doubled, and a block of text in a cell.
printf '\120\100\020\040\320\001\000\020\140\320\001\000\020\240\320\002\000\020\040\000\200\001\140\040\000\200\001\142\040\000\200\001\340\040\000\200\001\060\070\040\020\101' > "$out/image/seed-ruled"
printf '\377\377\000\000\377\001\000\000\000\001\377\001' > "$out/image/seed-edges"
