#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/<target>/, not committed) from ../shared/corpus and
# testdata/. Files larger than 64 KiB are left out (they slow the fuzzer down without reaching
# more code); at most 2,000 files per target, spread over the whole corpus.
set -euo pipefail
cd "$(dirname "$0")"
repo=..
shared=${RESILINT_CORPUS:-../../shared/corpus}
max_bytes=65536
max_files=2000

seed() { # target, then find(1) arguments over the sources
  local target=$1; shift
  local out=corpus/$target
  mkdir -p "$out"
  find "$repo/testdata" "$shared" -type f -size -"${max_bytes}"c "$@" 2>/dev/null |
    sort | awk -v max="$max_files" '{ lines[NR] = $0 } END {
      step = NR > max ? NR / max : 1
      for (i = 1; i <= NR; i += step) print lines[int(i)]
    }' |
    while IFS= read -r f; do
      cp "$f" "$out/$(sha1sum "$f" | cut -c1-16)"
    done
  echo "$target: $(ls "$out" | wc -l) seeds"
}

seed terraform -name '*.tf'
seed tfvars -name '*.tfvars'
seed cloudformation_yaml \( -name '*.yaml' -o -name '*.yml' -o -name '*.template' \)
seed cloudformation_json -name '*.json' ! -name '*.tf.json'
seed plan -name 'plan*.json'
seed terraform_json \( -name '*.tf.json' -o -name '*.tofu.json' \)
seed terragrunt \( -name 'terragrunt.hcl' -o -name 'root.hcl' -o -name '*.hcl' \)

# Strings: schedules, durations and configurations, as found in the sources and as written here.
mkdir -p corpus/schedules corpus/durations corpus/config
grep -rhoE '(cron|rate)\([^)]{1,80}\)' "$repo/testdata" "$shared" 2>/dev/null | sort -u | head -500 |
  while IFS= read -r s; do printf '%s' "$s" > "corpus/schedules/$(printf '%s' "$s" | sha1sum | cut -c1-16)"; done
printf 'cron(0 5 ? * * *)\nEurope/Paris' > corpus/schedules/with-timezone
printf '12 HOURS' > corpus/schedules/dlm
for d in 15m 4h 35d 1h30m '2 weeks' PT4H P30D P1Y2M10DT2H30M PT0.5H P2W \
  R/2021-05-19T06:33:16+00:00/PT4H R5/2024-01-01T02:00:00Z/P1W R/PT6H/2024-01-01T02:00:00Z; do
  printf '%s' "$d" > "corpus/durations/$(printf '%s' "$d" | sha1sum | cut -c1-16)"
done
find "$repo/testdata" -name 'resilint.toml' -exec sh -c 'cp "$1" "corpus/config/$(sha1sum "$1" | cut -c1-16)"' _ {} \;
tmp=$(mktemp -d)
if cargo run -q --manifest-path "$repo/Cargo.toml" -- init "$tmp" >/dev/null 2>&1; then
  cp "$tmp/resilint.toml" corpus/config/init-template
fi
rm -rf "$tmp"
echo "schedules: $(ls corpus/schedules | wc -l), durations: $(ls corpus/durations | wc -l), config: $(ls corpus/config | wc -l) seeds"
