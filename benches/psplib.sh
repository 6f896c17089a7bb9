#!/bin/sh
# PSPLIB benchmark of the scheduling core: J30 (all 480 instances, deviation
# from the optimum) and the J120 sample (deviation from the critical-path
# bound), at 1, 1000 and 5000 schedules per instance, one thread, release.
# Usage: [BUDGETS="1 1000 5000"] benches/psplib.sh [DATA_DIR]
#   (default: the first of ../shared/psplib and ../../shared/psplib that exists;
#   BUDGETS="10000 50000" measures the larger budgets of docs/performance.md)
# Prints each run's summary line; docs/performance.md records the figures.
set -eu
cd "$(dirname "$0")/.."
if [ $# -ge 1 ]; then DATA=$1
elif [ -d ../shared/psplib ]; then DATA=../shared/psplib
else DATA=../../shared/psplib; fi
[ -f "$DATA/j30/optimum.csv" ] || { echo "no PSPLIB data in $DATA" >&2; exit 1; }
cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-target}/release/removal-timeline
# Each run's summary line, then the schedules generated per instance on
# average (fewer than asked where the best was proven optimal, see
# docs/scheduler.md).
run() {
  "$BIN" psplib "$1" --reference "$2" --schedules "$3" |
    awk '/^instances=/ { line = $0; next }
         / schedules=/ { sub("schedules=", "", $5); s += $5; n++ }
         END { printf "%s avg_schedules=%.0f\n", line, s / n }'
}
for n in ${BUDGETS:-1 1000 5000}; do
  printf 'J30  schedules=%-5s ' "$n"
  run "$DATA/j30" "$DATA/j30/optimum.csv" "$n"
  printf 'J120 schedules=%-5s ' "$n"
  run "$DATA/j120-sample" "$DATA/j120-sample/bounds.csv" "$n"
done
