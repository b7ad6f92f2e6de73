#!/usr/bin/env bash
# Runs every fuzz target of Sources/NianbaoFuzz for FUZZ_SECONDS each (built by `make fuzz`), keeping each
# target's corpus in out/fuzz/corpus/TARGET (seeded from bench/fuzz-corpus and the samples), and prints one line
# per target: executions, executions per second, coverage, and crashes (inputs in out/fuzz/crashes/).
set -uo pipefail
seconds=${FUZZ_SECONDS:-120}
binary=.build-fuzz/release/NianbaoFuzz
targets=${FUZZ_TARGETS:-"cell label split decode html text pipeline image"}
mkdir -p out/fuzz/crashes out/fuzz/logs
bench/fuzz_seeds.sh out/fuzz/corpus >/dev/null
total=0
crashes=0
printf '%-9s %12s %9s %8s %8s\n' target executions "exec/s" coverage crashes
for target in $targets; do
  case "$target" in cell|split) len=64 ;; label) len=256 ;; image) len=512 ;; pipeline) len=300000 ;; *) len=8192 ;; esac
  [ -d "bench/fuzz-corpus/$target" ] && cp -n bench/fuzz-corpus/"$target"/* out/fuzz/corpus/"$target"/ 2>/dev/null
  log=out/fuzz/logs/$target.log
  NIANBAO_FUZZ_TARGET=$target "$binary" out/fuzz/corpus/"$target" -max_total_time="$seconds" -max_len="$len" -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix=out/fuzz/crashes/"$target"- -print_final_stats=1 >"$log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'exec/s: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  found=0
  [ "$status" -ne 0 ] && found=1
  printf '%-9s %12s %9s %8s %8s\n' "$target" "${runs:-0}" "${rate:-0}" "${cov:-0}" "$found"
  total=$((total + ${runs:-0}))
  crashes=$((crashes + found))
done
printf '%-9s %12s %9s %8s %8s\n' total "$total" "" "" "$crashes"
[ "$crashes" -eq 0 ]
