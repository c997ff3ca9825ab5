#!/usr/bin/env bash
# A corpus of records against the same text as files.
#   bench/corpus.sh [MEGABYTES] [RUNS]   (default: 200 MB, 5 runs)
#
# The five seed articles (../shared/seeds/*.txt, read here and never written
# into the repository) are repeated, article after article, into
#   - $BENCH_DIR/corpus-MB.jsonl: one JSON Lines record an article,
#     {"id": N, "body": "…"}, its paragraphs separated by line breaks;
#   - $BENCH_DIR/files-MB/: the same articles as plain files, one a file,
#     in folders of 1,000;
# then times `qamus check --no-config --count -j2` on each, RUNS runs, and
# prints the median wall time and peak RSS of each (GNU time), with the
# number of matches and findings (the same for both, or the run stops).
# Run it on an idle machine; files go to $BENCH_DIR (default target/bench).
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-200}
runs=${2:-5}
work=${BENCH_DIR:-target/bench}
seeds=../shared/seeds
[[ -d $seeds ]] || { echo "bench/corpus.sh: $seeds is absent" >&2; exit 2; }
mkdir -p "$work"
cargo build --release --quiet
qamus=target/release/qamus
corpus=$work/corpus-$mb.jsonl
files=$work/files-$mb
if [[ ! -f $corpus || ! -d $files ]]; then
  echo "writing $mb MB of records and of files…"
  rm -rf "$files"
  python3 - "$seeds" "$mb" "$corpus" "$files" <<'EOF'
import json, os, sys
seeds, mb, corpus, files = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
articles = []
for name in sorted(os.listdir(seeds)):
    if name.endswith(".txt"):
        with open(os.path.join(seeds, name), encoding="utf-8") as f:
            paragraphs = [p.strip() for p in f.read().split("\n") if p.strip()]
        articles.append("\n".join(paragraphs))
written, n = 0, 0
with open(corpus, "w", encoding="utf-8") as out:
    while written < mb * 1_000_000:
        body = articles[n % len(articles)]
        out.write(json.dumps({"id": n, "body": body}, ensure_ascii=False) + "\n")
        folder = os.path.join(files, f"{n // 1000:04d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{n:07d}.txt"), "w", encoding="utf-8") as f:
            f.write(body + "\n")
        written += len(body.encode()) + 1
        n += 1
print(f"{n} articles, {written / 1e6:.0f} MB of text")
EOF
fi
cat "$corpus" > /dev/null
find "$files" -type f -exec cat {} + > /dev/null # warm the page cache
# median WHAT COMMAND…: RUNS runs; prints the median wall seconds and peak RSS.
median() {
  local what=$1 times
  shift
  times=$(for ((r = 0; r < runs; r++)); do { /usr/bin/time -f '%e %M' "$@" 2>&1 > /dev/null || true; } | tail -n 1; done)
  local m=$(((runs + 1) / 2))
  local wall=$(cut -d' ' -f1 <<< "$times" | sort -n | sed -n "${m}p")
  local rss=$(cut -d' ' -f2 <<< "$times" | sort -n | sed -n "${m}p")
  printf '%-8s median %s s, peak RSS median %d MB\n' "$what" "$wall" $((rss / 1024))
}
totals() { "$@" 2>/dev/null | tail -n 1 || true; }
a=$(totals $qamus check --no-config --count -j2 --input-format jsonl --text-field body "$corpus")
b=$(totals $qamus check --no-config --count -j2 "$files")
echo "records: $a; files: $b"
[[ $a == "$b" ]] || { echo "bench/corpus.sh: the corpus and the files differ" >&2; exit 1; }
median records $qamus check --no-config --count -j2 --input-format jsonl --text-field body "$corpus"
median files $qamus check --no-config --count -j2 "$files"
