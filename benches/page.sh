#!/bin/sh
# The timeline page at scale (issue 25): generate and schedule a plan of N
# sites, then open its timeline.html in headless Chromium RUNS times and
# report the median and worst time to the first screen (the page records
# performance.now() when its first screen is drawn, counted from the start
# of navigation, in body[data-first-screen-ms]), the cost of a scroll frame
# (`#bench=scroll`: 100 jumps from top to bottom, each drawn and laid out),
# and the size of timeline.html and public/timeline.html.
# Usage: benches/page.sh [RUNS] [SIZE ...]    (default: 5 runs of 10000)
# Not part of `cargo test`: docs/timeline-page.md records the figures.
set -eu
cd "$(dirname "$0")/.."
RUNS=${1:-5}
[ $# -ge 1 ] && shift
SIZES=${*:-10000}
BROWSER=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}
[ -n "$BROWSER" ] || { echo "needs chromium (apt-get install chromium)" >&2; exit 1; }
cargo build --release --quiet
BIN=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/removal-timeline
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rt-page.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
worst() { sort -n | tail -1; }
printf '%-7s %7s %12s %12s %14s %14s %12s\n' sites tasks "html MB" "public KB" "first ms med" "first ms max" "scroll ms med/max"
for n in $SIZES; do
  "$BIN" generate --sites "$n" --seed 1 > "$WORK/p$n.json"
  rm -rf "$WORK/out"
  "$BIN" schedule "$WORK/p$n.json" --quiet --out "$WORK/out"
  : > "$WORK/first"; : > "$WORK/scroll"
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    for frag in "" "#bench=scroll"; do
      "$BROWSER" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --window-size=1400,900 \
        --user-data-dir="$WORK/profile$i" --dump-dom "file://$WORK/out/timeline.html$frag" \
        2>/dev/null > "$WORK/dom"
      if [ -z "$frag" ]; then
        sed -n 's/.*data-first-screen-ms="\([0-9]*\)".*/\1/p' "$WORK/dom" >> "$WORK/first"
      else
        sed -n 's/.*data-scroll-ms-median="\([0-9.]*\)" data-scroll-ms-max="\([0-9.]*\)".*/\1 \2/p' "$WORK/dom" >> "$WORK/scroll"
      fi
    done
    i=$((i + 1))
  done
  tasks=$(grep -c '"phase"' "$WORK/out/timeline.json" || true)
  mb=$(awk -v b="$(wc -c < "$WORK/out/timeline.html")" 'BEGIN { printf "%.1f", b / 1e6 }')
  kb=$(awk -v b="$(wc -c < "$WORK/out/public/timeline.html")" 'BEGIN { printf "%.0f", b / 1e3 }')
  printf '%-7s %7s %12s %12s %14s %14s %6s/%s\n' "$n" "$tasks" "$mb" "$kb" \
    "$(median < "$WORK/first")" "$(worst < "$WORK/first")" \
    "$(cut -d' ' -f1 "$WORK/scroll" | median)" "$(cut -d' ' -f2 "$WORK/scroll" | median)"
done
