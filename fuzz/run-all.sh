#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), one after another.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP lets the
# stable toolchain build the sanitizer instrumentation cargo-fuzz uses.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
./seed.sh
for target in fold_match readers glossary_csv tbx office; do
  echo "== $target, ${seconds}s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$target" "corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=10 2>&1 | grep -E "^#[0-9]+ +DONE|Done [0-9]+ runs|SUMMARY|ERROR|panicked|crash-" | tail -5
  echo "exit ${PIPESTATUS[0]}"
done
