#!/bin/sh
# Why `risk` samples 20,000 times by default (issue 24): the programme-level
# figures of plans/audit.json (programme deadline, every site on time, tiers
# 1 and 2 on time) over several seeds at 2,000, 10,000 and 20,000 samples,
# as the rows of docs/performance.md's table (lowest–highest over the
# seeds, in per cent). Release build; a few minutes on two cores.
# Usage: benches/risk-seeds.sh > benches/risk-seeds.out
# After each row, the largest spread (highest minus lowest) in points to two
# decimals, and how many pairs of seeds (each figure, each pair) differ by
# under a point. A test checks that the doc quotes these lines and that at
# the default nine pairs in ten or more do.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/removal-timeline
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rt-seeds.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
row() { # SAMPLES LAST_SEED
  : > "$WORK/figs"
  seed=1
  while [ "$seed" -le "$2" ]; do
    "$BIN" risk plans/audit.json --samples "$1" --seed "$seed" --quiet --out "$WORK/out"
    python3 - "$WORK/out/risk.json" >> "$WORK/figs" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = [x["on_time_probability"] for x in r["tiers"]]
p = r["programme"]
print(p["deadline_probability"], p["all_on_time_probability"], t[0], t[1])
PY
    seed=$((seed + 1))
  done
  python3 - "$1" "$2" "$WORK/figs" <<'PY'
import sys
n, last, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rows = [list(map(float, l.split())) for l in open(path)]
cells = []
for col in zip(*rows):
    cells.append("%.1f–%.1f %%" % (min(col) * 100, max(col) * 100))
print("| %s (seeds 1–%d) | %s |" % (format(n, ","), last, " | ".join(cells)))
spread = max(max(c) - min(c) for c in zip(*rows)) * 100
pairs = [abs(a - b) for c in zip(*rows) for i, a in enumerate(c) for b in c[i + 1:]]
within = sum(1 for d in pairs if d < 0.01)
print("at %s samples: largest spread %.2f points; %d of %d pairs of seeds within a point"
      % (format(n, ","), spread, within, len(pairs)))
PY
}
row 2000 4
row 10000 4
row 20000 6
