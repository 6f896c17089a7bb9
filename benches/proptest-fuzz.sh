#!/usr/bin/env bash
# Fuzzing with the property tests (docs/robustness.md). `cargo test` runs
# every property test from one pinned seed (tests/suite/proptest_seed.rs),
# so CI only ever tries cases it has tried before. This script is the other
# half: each property test with many cases from a fresh random seed, one
# test at a time, each under a time limit so that a hang is a finding.
#
# Usage: benches/proptest-fuzz.sh [CASES] [RUNS] [FILTER]
#   CASES  cases per test (default 20000; the slow ones run a tenth)
#   RUNS   fresh seeds per test (default 1)
#   FILTER only the tests whose name contains it
# About 20 minutes at the defaults on two loaded cores.
#
# Each line says the test, its seed and cases, ok / FAILED / HUNG. A
# failure is also saved by proptest in the test's `.proptest-regressions`
# file: fix the product, commit that file (the case then runs first on
# every `cargo test`) and keep the input as an explicit test. To see a
# failure again: PROPTEST_RNG_SEED=SEED PROPTEST_CASES=CASES cargo test
# --release --lib NAME (unit tests) or --test tests NAME (the suite).
# A test checks that this list names every property test in the repository.
set -u
cd "$(dirname "$0")/.."
CASES=${1:-20000}
RUNS=${2:-1}
FILTER=${3:-}
LIMIT=1800 # seconds per run: past it, the test is taken to hang

# TARGET NAME SLOW (1: a tenth of the cases)
TESTS="
lib schedule::sgs::tests::first_run_is_the_first_start_with_room 0
lib schedule::sgs::index::tests::the_index_places_every_task_as_asking_every_unit_does 0
lib schedule::proptests::every_solution_keeps_every_rule 0
lib schedule::proptests::makespan_problems_use_the_other_search_and_stay_valid 0
lib schedule::proptests::the_floor_is_a_bound_and_the_only_early_stop 0
lib replan::tests::budget_changes_from_p_move_nothing_before_p 1
tests schedule::random_plans_schedule_validly_and_deterministically 1
tests plan::mutations::mutated_plans_never_panic 0
tests plan::mutations::damaged_text_never_panics 0
tests plan::csv_mutations::damaged_csv_never_panics 0
tests robust::mutated_tutorial_plans_load_or_fail_located 0
tests robust::mutated_example_plans_load_or_fail_located 1
tests mutate::mutated_sites_csv_is_located_or_schedules 0
tests mutate::mutated_progress_csv_is_located_or_replans 0
tests mutate::mutated_progress_json_is_located_or_replans 0
tests mutate::mutated_timelines_are_located_or_replan 0
"

cargo test --release --no-run --quiet || exit 1
failed=0
while read -r target name slow; do
  [ -n "$name" ] || continue
  case "$name" in *"$FILTER"*) ;; *) continue ;; esac
  cases=$CASES
  [ "$slow" = 1 ] && cases=$((CASES / 10 > 0 ? CASES / 10 : 1))
  if [ "$target" = lib ]; then sel=(--lib); else sel=(--test tests); fi
  run=1
  while [ "$run" -le "$RUNS" ]; do
    seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
    start=$(date +%s)
    PROPTEST_RNG_SEED=$seed PROPTEST_CASES=$cases timeout "$LIMIT" \
      cargo test --release --quiet "${sel[@]}" "$name" -- --exact --test-threads 1 \
      > /tmp/proptest-fuzz.$$.log 2>&1
    rc=$?
    took=$(($(date +%s) - start))
    case $rc in
      0) verdict=ok ;;
      124) verdict=HUNG ;;
      *) verdict=FAILED ;;
    esac
    echo "$name seed=$seed cases=$cases ${took}s $verdict"
    if [ "$rc" -ne 0 ]; then
      grep -E "panicked|Test failed|minimal failing input|^cc " /tmp/proptest-fuzz.$$.log | head -20
      failed=1
    fi
    run=$((run + 1))
  done
done <<< "$TESTS"
rm -f /tmp/proptest-fuzz.$$.log
exit $failed
