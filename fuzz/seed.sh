#!/bin/sh
# Fills fuzz/corpus/ with the project's plans and fixtures as starting inputs.
set -e
cd "$(dirname "$0")"
mkdir -p corpus/plan_loader corpus/scheduler
for f in ../plans/*.json ../tests/fixtures/valid/*.json ../tests/fixtures/invalid/*.json; do
  cp "$f" corpus/plan_loader/
done
for f in ../plans/*.json ../tests/fixtures/valid/*.json; do
  cp "$f" corpus/scheduler/
done
# A plan with its sites CSV after a 0xFF byte (see fuzz_targets/plan_loader.rs).
for p in ../plans/csv-sites.json ../tests/fixtures/invalid/csv-*.json; do
  csv=$(sed -n 's/.*"sites_csv": *"\([^"]*\)".*/\1/p' "$p")
  { sed "s/\"sites_csv\": *\"[^\"]*\"/\"sites_csv\": \"sites.csv\"/" "$p"; printf '\377'; cat "$(dirname "$p")/$csv"; } \
    > "corpus/plan_loader/with-csv-$(basename "$p")"
done
