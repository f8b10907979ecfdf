#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 1200, 20 minutes), one after another on one
# core, and prints each target's executions, coverage (libFuzzer's `cov:` edges and `ft:`
# features) and anything found. Needs a nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz --locked`). Crashes are written to fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-1200}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
[ -d corpus ] || ./seed.sh
mkdir -p logs
for t in "${targets[@]}"; do
  start=$(date +%s)
  # -s none: Rust needs no address sanitizer for memory safety, and runs 5x faster without it.
  cargo +nightly fuzz run -O -s none "$t" -- \
    -max_total_time="$secs" -rss_limit_mb=4096 -max_len=65536 -timeout=10 \
    -print_final_stats=1 >"logs/$t.log" 2>&1 || echo "$t: stopped with exit code $? (see fuzz/logs/$t.log)"
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "logs/$t.log" | grep -oE '[0-9]+$' || echo '?')
  last=$(grep -E '^#[0-9]+' "logs/$t.log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+' || echo '?')
  crashes=$(ls "artifacts/$t" 2>/dev/null | wc -l)
  echo "$t: $runs executions in $(( $(date +%s) - start )) s; $last; $crashes artifacts"
done
