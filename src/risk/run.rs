//! Running the samples: every thread replays its share of them on its own
//! copy of the problem and tallies them; the tallies are added up.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use super::draw::{End, Model};
use super::tally::{Burn, Tally, NEVER};
use crate::network::lower::{lower, LowerOptions};
use crate::network::Network;
use crate::plan::Plan;
use crate::schedule::{Replay, Solution, Time};

/// What every thread reads.
pub struct Shared<'a> {
    pub plan: &'a Plan,
    pub network: &'a Network,
    pub lower: &'a LowerOptions,
    pub solution: &'a Solution,
    pub model: &'a Model,
    pub seed: u64,
    /// Per site: its removal packages (activity, devices); empty when the
    /// site has no devices.
    pub removals: Vec<Vec<(usize, u64)>>,
    /// Per site: its tier and deadline (day index).
    pub tier: Vec<usize>,
    pub deadline: Vec<Option<Time>>,
    pub tiers: usize,
    pub weeks: usize,
    pub devices: u64,
    /// Per plan target: the removal packages of its sites and the devices
    /// it requires removed.
    pub targets: Vec<TargetSpec>,
}

/// What a public target counts, in activities.
pub struct TargetSpec {
    /// (activity, devices) of every removal package of a matching site.
    pub packages: Vec<(usize, u64)>,
    pub required: u64,
}

impl TargetSpec {
    /// The day the target's required devices are all removed, given each
    /// activity's placement (`NEVER` when the placed packages fall short;
    /// `Time::MIN` when it requires none). `buf` is scratch.
    pub fn reached(&self, placed: &[Placed], buf: &mut Vec<(Time, u64)>) -> Time {
        if self.required == 0 {
            return Time::MIN;
        }
        buf.clear();
        buf.extend(
            self.packages
                .iter()
                .filter_map(|&(a, n)| placed[a].as_ref().ok().map(|p| (p.finish, n))),
        );
        buf.sort_unstable();
        let mut removed = 0;
        for &(day, n) in buf.iter() {
            removed += n;
            if removed >= self.required {
                return day;
            }
        }
        NEVER
    }
}

type Placed = Result<crate::schedule::Placement, crate::schedule::Failure>;

/// One run: `samples` samples, with one driver pinned or none.
#[derive(Debug, Clone, Copy)]
pub struct RunSpec {
    pub samples: u64,
    pub pin: Option<(usize, End)>,
}

/// Samples a thread claims at a time.
const CHUNK: u64 = 8;

/// Runs every spec on `threads` threads; `progress(done, total)` is called
/// from this thread about ten times a second. The first run's first
/// `share_first` samples are also counted in the second run (the
/// tornado's baseline is the main run's first samples: not replayed twice).
pub fn run_all(
    sh: &Shared,
    specs: &[RunSpec],
    share_first: u64,
    threads: usize,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Vec<Tally> {
    let starts: Vec<u64> = specs
        .iter()
        .scan(0, |acc, s| {
            let at = *acc;
            *acc += s.samples;
            Some(at)
        })
        .collect();
    let total: u64 = specs.iter().map(|s| s.samples).sum();
    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let finished = AtomicBool::new(false);
    let threads = threads.clamp(1, total.div_ceil(CHUNK).max(1) as usize);
    let mut results: Vec<Vec<Tally>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut w = Worker::new(sh, specs.len());
                    loop {
                        let from = next.fetch_add(CHUNK, Ordering::Relaxed);
                        if from >= total {
                            break;
                        }
                        for flat in from..(from + CHUNK).min(total) {
                            let run = starts.partition_point(|&s| s <= flat) - 1;
                            let index = flat - starts[run];
                            w.sample(specs[run].pin, index, run, share_first);
                        }
                        done.fetch_add((from + CHUNK).min(total) - from, Ordering::Relaxed);
                    }
                    w.tallies
                })
            })
            .collect();
        let watch = scope.spawn(|| {
            while !finished.load(Ordering::Relaxed) {
                progress(done.load(Ordering::Relaxed), total);
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let out = handles
            .into_iter()
            .map(|h| h.join().expect("a risk worker panicked"))
            .collect();
        finished.store(true, Ordering::Relaxed);
        watch.join().expect("the progress watcher panicked");
        out
    });
    progress(total, total);
    let mut merged = results.pop().unwrap_or_default();
    for other in &results {
        for (a, b) in merged.iter_mut().zip(other) {
            a.merge(b);
        }
    }
    merged
}

/// One thread's replay and tallies.
struct Worker<'s, 'a> {
    sh: &'s Shared<'a>,
    replay: Replay,
    published: Vec<i32>,
    values: Vec<f64>,
    durations: Vec<i32>,
    placed: Vec<Placed>,
    removed: Vec<u64>,
    scratch: Vec<(Time, u64)>,
    tallies: Vec<Tally>,
}

impl<'s, 'a> Worker<'s, 'a> {
    fn new(sh: &'s Shared<'a>, runs: usize) -> Worker<'s, 'a> {
        // The problem holds reference-counted calendars, so each thread
        // lowers its own copy.
        let lowered = lower(sh.plan, sh.network, sh.lower);
        let replay = Replay::new(&lowered.problem, sh.solution);
        let published = replay.durations();
        // Only the main run draws the burndown band: a week's histogram
        // is the largest thing tallied.
        let tally = |weeks| {
            Tally::new(
                sh.removals.len(),
                sh.tiers,
                sh.targets.len(),
                Burn::new(weeks, sh.devices),
            )
        };
        let mut tallies = vec![tally(sh.weeks)];
        tallies.resize(runs, tally(0));
        Worker {
            sh,
            replay,
            published,
            values: Vec::new(),
            durations: Vec::new(),
            placed: Vec::new(),
            removed: vec![0; sh.weeks],
            scratch: Vec::new(),
            tallies,
        }
    }

    fn sample(&mut self, pin: Option<(usize, End)>, index: u64, run: usize, share_first: u64) {
        let sh = self.sh;
        sh.model.draw(sh.seed, index, pin, &mut self.values);
        sh.model
            .durations(&self.values, &self.published, &mut self.durations);
        self.replay.run(&self.durations, &mut self.placed);
        self.count(run);
        if run == 0 && index < share_first && self.tallies.len() > 1 {
            self.count(1);
        }
    }

    /// Adds the replayed sample to run `run`'s tally.
    fn count(&mut self, run: usize) {
        let sh = self.sh;
        let t = &mut self.tallies[run];
        t.samples += 1;
        let mut tier_last = vec![Time::MIN; sh.tiers];
        let mut tier_ok = vec![true; sh.tiers];
        let mut all_ok = true;
        let mut last = Time::MIN;
        self.removed.iter_mut().for_each(|r| *r = 0);
        for (s, packages) in sh.removals.iter().enumerate() {
            if packages.is_empty() {
                continue;
            }
            let mut day = Time::MIN;
            for &(a, devices) in packages {
                match self.placed[a] {
                    Ok(pl) => {
                        day = day.max(pl.finish);
                        let w = (pl.finish.max(0) as usize).div_ceil(7);
                        if let Some(r) = self.removed.get_mut(w) {
                            *r += devices;
                        }
                    }
                    Err(_) => day = NEVER,
                }
            }
            t.sites[s].add(day);
            let tier = sh.tier[s];
            tier_last[tier] = tier_last[tier].max(day);
            last = last.max(day);
            if sh.deadline[s].is_some_and(|d| day > d) {
                tier_ok[tier] = false;
                all_ok = false;
            }
        }
        for (k, &day) in tier_last.iter().enumerate() {
            if day != Time::MIN {
                t.tiers[k].add(day);
            }
            t.tiers_on_time[k] += u64::from(tier_ok[k]);
        }
        if last != Time::MIN {
            t.programme.add(last);
        }
        t.all_on_time += u64::from(all_ok);
        t.burn.add(&self.removed);
        for (k, spec) in sh.targets.iter().enumerate() {
            t.targets[k].add(spec.reached(&self.placed, &mut self.scratch));
        }
    }
}
