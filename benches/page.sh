#!/bin/sh
# The timeline page at scale (issue 25): generate and schedule a plan of N
# sites, then open its timeline.html in headless Chromium RUNS times and
# report the median and worst time to the first screen (the page records
# performance.now() when its first screen is drawn, counted from the start
# of navigation, in body[data-first-screen-ms]), the cost of a scroll frame
# (`#bench=scroll`: 100 jumps from top to bottom, each drawn and laid out),
# and the size of timeline.html and public/timeline.html.
#
# Usage: benches/page.sh [--record] [RUNS] [SIZE ...]  (default: 5 runs of 10000)
#
# Prints a Markdown table. With --record it also writes it, with the
# conditions it was measured under, to benches/page.out: the figures in
# docs/timeline-page.md are that table, and a test (tests/suite/page.rs)
# fails when the two differ or the 10,000-site row misses a target.
# Not part of `cargo test`.
set -eu
cd "$(dirname "$0")/.."
RECORD=
[ "${1:-}" = --record ] && { RECORD=1; shift; }
RUNS=${1:-5}
[ $# -ge 1 ] && shift
SIZES=${*:-10000}
BROWSER=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}
[ -n "$BROWSER" ] || { echo "needs chromium (apt-get install chromium)" >&2; exit 1; }
LOAD=$(cut -d" " -f1-3 /proc/loadavg)
cargo build --release --quiet
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rt-page.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# A copy, so a build started meanwhile cannot swap the binary mid-run.
cp "$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/removal-timeline" "$WORK/bin"
BIN=$WORK/bin
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
worst() { sort -n | tail -1; }
# 1234567 -> 1,234,567
commas() { awk '{ n = sprintf("%d", $1); while (n ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", n); print n }'; }
TABLE=$WORK/table
{
  echo "| sites | tasks | timeline.html | public/timeline.html | first screen, median (worst) of $RUNS | scroll frame, median (worst) |"
  echo "|---|---|---|---|---|---|"
} > "$TABLE"
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
  html=$(wc -c < "$WORK/out/timeline.html")
  public=$(wc -c < "$WORK/out/public/timeline.html")
  mb=$(awk -v b="$html" 'BEGIN { printf "%.1f", b / 1e6 }')
  kb=$(awk -v b="$public" 'BEGIN { printf "%.0f", b / 1e3 }')
  printf '| %s | %s | %s MB (%s bytes) | %s KB | %s ms (%s ms) | %s ms (%s ms) |\n' \
    "$(echo "$n" | commas)" "$(echo "$tasks" | commas)" "$mb" "$(echo "$html" | commas)" "$kb" \
    "$(median < "$WORK/first" | commas)" "$(worst < "$WORK/first" | commas)" \
    "$(cut -d' ' -f1 "$WORK/scroll" | median)" "$(cut -d' ' -f2 "$WORK/scroll" | median)" >> "$TABLE"
done
cat "$TABLE"
if [ -n "$RECORD" ]; then
  {
    echo "benches/page.sh $RUNS $SIZES, recorded $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "browser: $("$BROWSER" --version 2>/dev/null | head -1), window 1400x900"
    echo "machine: $(nproc) cores, load average before the run: $LOAD"
    echo
    cat "$TABLE"
  } > benches/page.out
  echo "recorded in benches/page.out" >&2
fi
