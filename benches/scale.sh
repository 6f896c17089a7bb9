#!/bin/sh
# Plans at scale (issue 8): `schedule` end to end (load, validate, schedule,
# verify, write the whole bundle) on plans from `generate --sites N --seed 1`,
# release build, default effort, several runs per size.
# Usage: benches/scale.sh [RUNS] [SIZE ...]     (default: 3 runs of 1000 10000)
#   e.g. benches/scale.sh 3 1000 10000 100000
# For each size prints the min and median of wall, user+sys CPU seconds, the
# largest peak RSS (MiB) and the output size, measured by /usr/bin/time -v;
# then the ratio of the median wall times of consecutive sizes.
# Not part of `cargo test`: docs/performance.md records the figures.
set -eu
cd "$(dirname "$0")/.."
RUNS=${1:-3}
[ $# -ge 1 ] && shift
SIZES=${*:-"1000 10000"}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 1; }
cargo build --release --quiet
BIN=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/removal-timeline
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rt-scale.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
printf '%-8s %5s %22s %22s %10s %9s\n' sites runs "wall s (min/median)" "cpu s (min/median)" "peak MiB" "out MiB"
prev=""
for n in $SIZES; do
  "$BIN" generate --sites "$n" --seed 1 > "$WORK/p$n.json"
  : > "$WORK/t$n"
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    rm -rf "$WORK/out"
    /usr/bin/time -v -o "$WORK/time" "$BIN" schedule "$WORK/p$n.json" --quiet --out "$WORK/out"
    awk -F': ' '
      /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (k = 1; k <= n; k++) w = w * 60 + p[k] }
      /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
      END { printf "%.2f %.2f %d\n", w, u + s, r }' "$WORK/time" >> "$WORK/t$n"
    i=$((i + 1))
  done
  out=$(du -sm "$WORK/out" | cut -f1)
  line=$(awk -v runs="$RUNS" '
    { w[NR] = $1; c[NR] = $2; if ($3 > r) r = $3 }
    function sort(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t } }
    END { sort(w, NR); sort(c, NR); m = int((NR + 1) / 2)
          printf "%10.2f / %-9.2f %10.2f / %-9.2f %10.0f %s", w[1], w[m], c[1], c[m], r / 1024, w[m] }' "$WORK/t$n")
  med=${line##* }
  printf '%-8s %5s %s %9s\n' "$n" "$RUNS" "${line% *}" "$out"
  if [ -n "$prev" ]; then
    awk -v a="$med" -v b="${prev##*:}" -v n="$n" -v m="${prev%%:*}" 'BEGIN { printf "  median wall %s / %s sites: %.1fx\n", n, m, a / b }'
  fi
  prev="$n:$med"
done
