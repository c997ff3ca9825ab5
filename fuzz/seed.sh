#!/usr/bin/env bash
# Seeds the fuzzing corpora from the fixtures (corpus/ is not committed).
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/fold_match corpus/glossary_csv corpus/readers corpus/tbx corpus/office
for f in "$root"/fixtures/articles/* "$root"/fixtures/translations/*.* "$root"/fixtures/catalogue/ar.po; do
  [[ -f $f ]] && cp "$f" corpus/fold_match/
done
cp "$root"/glossaries/*.csv "$root"/fixtures/glossaries/*.csv "$root"/fixtures/glossaries/bad/*.csv "$root"/fixtures/catalogue/glossary.csv corpus/glossary_csv/
cp "$root"/fixtures/glossaries/tbx/*.tbx corpus/tbx/
# readers: the first byte picks the reader (0 text, 1 markdown, 2 html, 3 po, 4 xliff, 5 tmx, 6 json, 7 yaml).
seed() { { printf "\\x$(printf %02x "$1")"; cat "$2"; } > "corpus/readers/$1-$(basename "$2")"; }
for f in "$root"/fixtures/articles/*.txt; do seed 0 "$f"; done
for f in "$root"/fixtures/articles/*.md; do seed 1 "$f"; done
seed 2 "$root"/fixtures/translations/page.html
seed 3 "$root"/fixtures/translations/statement.ar.po
seed 3 "$root"/fixtures/catalogue/ar.po
seed 4 "$root"/fixtures/translations/statement.xlf
seed 4 "$root"/fixtures/translations/statement-1.2.xlf
seed 5 "$root"/fixtures/translations/memory.tmx
seed 6 "$root"/fixtures/translations/locales/ar/common.json
seed 7 "$root"/fixtures/translations/rails/ar.yml
# office: the first byte picks the reader (even Word, odd OpenDocument).
office() { { printf "\\x$(printf %02x "$1")"; cat "$2"; } > "corpus/office/$1-$(basename "$2")"; }
for f in "$root"/fixtures/office/*.docx "$root"/fixtures/office/bad/*.docx; do office 0 "$f"; done
office 1 "$root"/fixtures/office/brief.odt
# Each reader's pathological inputs (qamus::synthetic::pathological: the
# constructs that once made it quadratic), small: a fuzzer grows them.
pathological=$(mktemp -d)
trap 'rm -rf "$pathological"' EXIT
cargo run --quiet --manifest-path "$root"/Cargo.toml --example gen_corpus -- pathological "$pathological" 2048
for f in "$pathological"/*; do
  case $f in
    *.md) seed 1 "$f" ;;
    *.html) seed 2 "$f" ;;
    *.po) seed 3 "$f" ;;
    *.xlf) seed 4 "$f" ;;
    *.tmx) seed 5 "$f" ;;
    *.json) seed 6 "$f" ;;
    *.yml) seed 7 "$f" ;;
  esac
done
echo "seeded: $(ls corpus/* | wc -l) files"
