#!/usr/bin/env bash
# End-to-end benchmark: qamus against ripgrep on the same generated corpus.
#   bench/run.sh [MEGABYTES] [FILES]      (default: 1024 MB in 256 files)
# Prints MB/s for qamus (1 and 2 jobs, default and 10,000-concept glossaries)
# and for `rg -F --count-matches -f forms.txt` when ripgrep is installed,
# the time ratio, and peak RSS. Run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-1024}
files=${2:-256}
work=${BENCH_DIR:-target/bench}
cargo build --release --quiet --example gen_corpus
cargo build --release --quiet
gen=target/release/examples/gen_corpus
qamus=target/release/qamus
if [[ ! -d $work/corpus-$mb ]]; then
  echo "generating $mb MB in $files files…"
  $gen corpus "$work/corpus-$mb" "$mb" "$files"
fi
[[ -f $work/g10000.csv ]] || $gen glossary "$work/g10000.csv" 10000 "$work/forms10000.txt"
bytes=$(du -sb "$work/corpus-$mb" | cut -f1)

measure() { # label, command…
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$@" > /dev/null || true
  end=$(date +%s.%N)
  local seconds rss
  seconds=$(echo "$end - $start" | bc -l)
  rss=$(cat "$work/rss")
  printf '%-44s %8.2f s %8.1f MB/s %8d KB peak RSS\n' "$label" "$seconds" "$(echo "$bytes / 1048576 / $seconds" | bc -l)" "$rss"
  echo "$seconds" > "$work/last"
}

echo "corpus: $bytes bytes, $files files"
measure "qamus --count -j1 (embedded glossary)" $qamus check --count -j1 --no-config "$work/corpus-$mb"
q1=$(cat "$work/last")
measure "qamus --count -j2 (embedded glossary)" $qamus check --count -j2 --no-config "$work/corpus-$mb"
measure "qamus --count -j1 (10,000 concepts)" $qamus check --count -j1 --no-config -g "$work/g10000.csv" "$work/corpus-$mb"
if command -v rg > /dev/null; then
  $qamus glossary --all -f cat-csv | tail -n +2 | cut -d, -f2 | sed 's/"//g' > "$work/forms.txt"
  measure "rg -F --count-matches -f forms.txt" rg -F --count-matches -f "$work/forms.txt" "$work/corpus-$mb"
  r=$(cat "$work/last")
  printf 'time ratio qamus -j1 / ripgrep: %.2f\n' "$(echo "$q1 / $r" | bc -l)"
else
  echo "ripgrep not installed: no comparison (apt-get install ripgrep)"
fi
if command -v hyperfine > /dev/null; then
  hyperfine --warmup 1 --runs 5 "$qamus check --count -j1 --no-config $work/corpus-$mb"
fi
