#!/bin/sh
# `risk` at scale (issue 24): N samples of a plan from `generate --sites S
# --seed 1` (which carries lead-time and effort ranges), release build.
# Usage: benches/risk.sh [RUNS] [SITES] [SAMPLES]   (default: 3 1000 1000)
# Prints per run the wall and user+sys CPU seconds and the peak RSS (MiB),
# then the medians; and, to show memory follows the result and not the
# samples, the same with 4 × the samples once.
# The time includes scheduling the plan first (as `risk` does).
# Not part of `cargo test`: record with `benches/risk.sh > benches/risk.out`
# (add a first comment line saying when); docs/performance.md quotes the
# medians, and a test checks that it quotes that file's.
set -eu
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SITES=${2:-1000}
SAMPLES=${3:-1000}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 1; }
cargo build --release --quiet
BIN=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/removal-timeline
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rt-risk.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
"$BIN" generate --sites "$SITES" --seed 1 > "$WORK/plan.json"
one() {
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$BIN" risk "$WORK/plan.json" \
    --samples "$1" --quiet --out "$WORK/out"
  awk '{ printf "%8.2f %8.2f %8.0f\n", $1, $2 + $3, $4 / 1024 }' "$WORK/time"
}
echo "sites=$SITES samples=$SAMPLES load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  wall s    cpu s  peak MiB"
i=0
: > "$WORK/all"
while [ "$i" -lt "$RUNS" ]; do
  one "$SAMPLES" | tee -a "$WORK/all"
  i=$((i + 1))
done
sort -n "$WORK/all" | awk '{ w[NR] = $1 } END { printf "median wall %.2f s\n", w[int((NR + 1) / 2)] }'
sort -k2 -n "$WORK/all" | awk '{ c[NR] = $2 } END { printf "median cpu  %.2f s\n", c[int((NR + 1) / 2)] }'
echo "with $((SAMPLES * 4)) samples:"
one $((SAMPLES * 4))
