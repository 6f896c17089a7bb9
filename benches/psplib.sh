#!/bin/sh
# PSPLIB benchmark of the scheduling core: J30 (all 480 instances, deviation
# from the optimum) and the J120 sample (deviation from the critical-path
# bound), at 1, 1000 and 5000 schedules per instance, one thread, release.
# Usage: benches/psplib.sh [DATA_DIR]
#   (default: the first of ../shared/psplib and ../../shared/psplib that exists)
# Prints each run's summary line; docs/performance.md records the figures.
set -eu
cd "$(dirname "$0")/.."
if [ $# -ge 1 ]; then DATA=$1
elif [ -d ../shared/psplib ]; then DATA=../shared/psplib
else DATA=../../shared/psplib; fi
[ -f "$DATA/j30/optimum.csv" ] || { echo "no PSPLIB data in $DATA" >&2; exit 1; }
cargo build --release --quiet
BIN=target/release/removal-timeline
for n in 1 1000 5000; do
  printf 'J30  schedules=%-5s ' "$n"
  "$BIN" psplib "$DATA/j30" --reference "$DATA/j30/optimum.csv" --schedules "$n" | tail -1
  printf 'J120 schedules=%-5s ' "$n"
  "$BIN" psplib "$DATA/j120-sample" --reference "$DATA/j120-sample/bounds.csv" --schedules "$n" | tail -2 | tr '\n' ' '
  echo
done
