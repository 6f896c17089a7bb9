//! How sure the timeline is: dates and deadlines as probabilities.
//!
//! Monte Carlo over the plan's ranges (`lead_time_range_days`,
//! `workflow.effort_range`): each sample draws every driver (`draw`),
//! replays the published schedule's decisions with the durations they give
//! (`schedule::Replay`: same order of work, same crews, never
//! re-optimised), and is counted (`tally`). From the counts: per site the
//! P50/P80/P95 removal complete and the chance of meeting its deadline, per
//! tier and for the programme the same, a P10–P90 band of devices still in
//! place, and the drivers that move the P80 date most (a tornado).

pub mod draw;
pub mod export;
mod run;
pub mod tally;

use chrono::NaiveDate;

use crate::network::lower::{lower, LowerOptions};
use crate::network::Network;
pub use crate::odds::{
    BurnPoint, DriverRisk, ProgrammeRisk, Risk, SiteRisk, TargetRisk, TierRisk, AT_RISK_BELOW,
    FORMAT,
};
use crate::plan::{Plan, SiteIx};
use crate::schedule::Solution;
use crate::timeline::Timeline;
use draw::{End, Model};
use run::{RunSpec, Shared, TargetSpec};
use tally::Tally;

/// Samples when `--samples` is not given: programme-level probabilities
/// then move by under a percentage point between seeds on the shipped
/// plans (docs/performance.md, "Risk").
pub const DEFAULT_SAMPLES: u64 = 20_000;

/// Samples per tornado run, at most: each driver is run pinned at each end
/// of its range on the first samples of the main run (the same draws for
/// the other drivers), so the difference is the driver's alone.
pub const TORNADO_SAMPLES: u64 = 200;
/// ...and at least (unless the main run has fewer). At 50, a quick look
/// (1,000 samples) at a plan with 29 drivers spent three replays on the
/// tornado for each of the main run; at 20 it is about one, and the
/// drivers that matter still stand out (docs/performance.md, "Risk").
pub const TORNADO_MIN: u64 = 20;

/// Samples per end of each driver's tornado runs: the tornado costs about
/// as much again as the main run (a plan with many regions has many
/// drivers), within `TORNADO_MIN..=TORNADO_SAMPLES`.
pub fn tornado_samples(samples: u64, drivers: usize) -> u64 {
    let share = samples / (2 * drivers as u64).max(1);
    share.clamp(TORNADO_MIN, TORNADO_SAMPLES).min(samples)
}

#[derive(Debug, Clone)]
pub struct RiskOptions {
    pub samples: u64,
    pub seed: u64,
    /// Worker threads (0: one per core).
    pub threads: usize,
}

/// What `assess` reads: the plan and its published schedule.
pub struct Inputs<'a> {
    pub plan: &'a Plan,
    pub network: &'a Network,
    pub lower: &'a LowerOptions,
    pub solution: &'a Solution,
    pub timeline: &'a Timeline,
}

/// Runs the samples and sums them up. `progress(done, total)` is called
/// from the calling thread while they run.
pub fn assess(inp: &Inputs, opts: &RiskOptions, progress: &(dyn Fn(u64, u64) + Sync)) -> Risk {
    let plan = inp.plan;
    let lowered = lower(plan, inp.network, inp.lower);
    let model = Model::new(plan, inp.network, &lowered);
    let removals: Vec<Vec<(usize, u64)>> = (0..plan.sites.len())
        .map(|s| {
            inp.network
                .removal_tasks(SiteIx::from(s))
                .into_iter()
                .map(|t| {
                    (
                        lowered.task_act[t.ix()].ix(),
                        inp.network.tasks[t.ix()].devices,
                    )
                })
                .collect()
        })
        .collect();
    let horizon_weeks = (lowered.problem.horizon.max(0) as usize) / 7;
    let end = inp
        .timeline
        .summary
        .removal_complete
        .map_or(0, |d| lowered.time(d).max(0) as usize);
    let sh = Shared {
        plan,
        network: inp.network,
        lower: inp.lower,
        solution: inp.solution,
        model: &model,
        seed: opts.seed,
        tier: plan.sites.iter().map(|s| s.tier.ix()).collect(),
        deadline: (0..plan.sites.len())
            .map(|s| plan.site_deadline(SiteIx::from(s)).map(|d| lowered.time(d)))
            .collect(),
        tiers: plan.tiers.len(),
        weeks: ((end + 3 * 365) / 7 + 1).min(horizon_weeks.max(1)),
        devices: removals.iter().flatten().map(|&(_, n)| n).sum(),
        targets: plan
            .targets
            .iter()
            .map(|t| TargetSpec {
                packages: (0..plan.sites.len())
                    .filter(|&s| t.matches(&plan.sites[s]))
                    .flat_map(|s| removals[s].iter().copied())
                    .collect(),
                required: t.required(plan.target_devices(t)),
            })
            .collect(),
        removals,
    };
    let samples = opts.samples.max(1);
    let m = tornado_samples(samples, model.drivers.len());
    let drivers = model.drivers.len();
    let mut specs = vec![RunSpec { samples, pin: None }];
    if drivers > 0 {
        // The baseline's samples are the main run's first `m` (shared).
        specs.push(RunSpec {
            samples: 0,
            pin: None,
        });
        for d in 0..drivers {
            for end in [End::Low, End::High] {
                specs.push(RunSpec {
                    samples: m,
                    pin: Some((d, end)),
                });
            }
        }
    }
    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let tallies = run::run_all(&sh, &specs, m, threads, progress);
    summarise(inp, &sh, &model, opts, &tallies, |t| lowered.date(t))
}

fn summarise(
    inp: &Inputs,
    sh: &Shared,
    model: &Model,
    opts: &RiskOptions,
    tallies: &[Tally],
    date: impl Fn(crate::schedule::Time) -> NaiveDate,
) -> Risk {
    let plan = inp.plan;
    let main = &tallies[0];
    let n = main.samples.max(1);
    let share = |k: u64| round4(k as f64 / n as f64);
    let se = |p: f64| round4((p * (1.0 - p) / n as f64).sqrt());
    let pct = |h: &tally::Hist, q: f64| h.percentile(q).map(&date);
    let sites = plan
        .sites
        .iter()
        .enumerate()
        .map(|(s, site)| {
            let h = &main.sites[s];
            let row = &inp.timeline.sites[s];
            let has = !sh.removals[s].is_empty();
            let p = sh.deadline[s].filter(|_| has).map(|d| share(h.by(d)));
            let on_time_in_plan = row.removal_complete.is_some() && row.late_days == Some(0);
            SiteRisk {
                id: site.id.clone(),
                p50: pct(h, 0.5),
                p80: pct(h, 0.8),
                p95: pct(h, 0.95),
                on_time_probability: p,
                on_time_se: p.map(se),
                deadline: row.deadline,
                published: row.removal_complete,
                at_risk: on_time_in_plan && p.is_some_and(|p| p < AT_RISK_BELOW),
            }
        })
        .collect();
    let tiers = plan
        .tiers
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let dated = (0..plan.sites.len())
                .any(|s| sh.tier[s] == k && sh.deadline[s].is_some() && !sh.removals[s].is_empty());
            let p = dated.then(|| share(main.tiers_on_time[k]));
            TierRisk {
                tier: t.id.clone(),
                p80: pct(&main.tiers[k], 0.8),
                on_time_probability: p,
                on_time_se: p.map(se),
            }
        })
        .collect();
    let deadline_p = plan.deadline.map(|d| {
        let day = (d - inp.timeline.start).num_days() as crate::schedule::Time;
        share(main.programme.by(day))
    });
    let all = share(main.all_on_time);
    let programme = ProgrammeRisk {
        published: inp.timeline.summary.removal_complete,
        p50: pct(&main.programme, 0.5),
        p80: pct(&main.programme, 0.8),
        p95: pct(&main.programme, 0.95),
        deadline: plan.deadline,
        deadline_probability: deadline_p,
        deadline_se: deadline_p.map(se),
        all_on_time_probability: all,
        all_on_time_se: se(all),
    };
    let burndown = (0..sh.weeks)
        .map(|w| BurnPoint {
            date: date(7 * w as crate::schedule::Time),
            p10: main.burn.quantile(w, 0.1),
            p50: main.burn.quantile(w, 0.5),
            p90: main.burn.quantile(w, 0.9),
        })
        .collect();
    Risk {
        format: FORMAT.into(),
        samples: main.samples,
        seed: opts.seed,
        programme,
        sites,
        tiers,
        targets: targets(inp, sh, main, &date),
        drivers: drivers(plan, model, tallies),
        burndown,
    }
}

/// Each public target: its chance and its dates, from the days the
/// samples removed its required devices.
fn targets(
    inp: &Inputs,
    sh: &Shared,
    main: &Tally,
    date: &impl Fn(crate::schedule::Time) -> NaiveDate,
) -> Vec<TargetRisk> {
    let n = main.samples.max(1) as f64;
    let day = |t: crate::schedule::Time| (t != crate::schedule::Time::MIN).then(|| date(t));
    let mut buf = Vec::new();
    inp.plan
        .targets
        .iter()
        .zip(&sh.targets)
        .zip(&main.targets)
        .map(|((t, spec), h)| {
            let by = (t.by - inp.timeline.start).num_days() as crate::schedule::Time;
            let p = round4(h.by(by) as f64 / n);
            let published = spec.reached(&inp.solution.activities, &mut buf);
            TargetRisk {
                id: t.id.clone(),
                by: t.by,
                required: spec.required,
                probability: p,
                probability_se: round4((p * (1.0 - p) / n).sqrt()),
                published: (published != tally::NEVER)
                    .then_some(published)
                    .and_then(day),
                p50: h.percentile(0.5).and_then(day),
                p80: h.percentile(0.8).and_then(day),
                p95: h.percentile(0.95).and_then(day),
            }
        })
        .collect()
}

/// The tornado: each driver's pinned runs against their shared baseline.
fn drivers(plan: &Plan, model: &Model, tallies: &[Tally]) -> Vec<DriverRisk> {
    let Some(base) = tallies.get(1) else {
        return Vec::new();
    };
    // Beyond the horizon counts as the horizon's day: still a long delay.
    let p80 = |t: &Tally| t.programme.percentile(0.8).unwrap_or(tally::NEVER / 2) as i64;
    let site_p80 = |t: &Tally, s: usize| t.sites[s].percentile(0.8).map(|d| d as i64);
    let mut out: Vec<DriverRisk> = (0..model.drivers.len())
        .map(|d| {
            let (lo, hi) = (&tallies[2 + 2 * d], &tallies[3 + 2 * d]);
            let moves: Vec<i64> = (0..lo.sites.len())
                .filter_map(|s| Some(site_p80(hi, s)? - site_p80(lo, s)?))
                .collect();
            let r = model.ranges[d];
            DriverRisk {
                what: model.label(plan, d),
                key: model.key(plan, d),
                low: r.low,
                high: r.high,
                p80_days: p80(hi) - p80(lo),
                low_days: p80(lo) - p80(base),
                high_days: p80(hi) - p80(base),
                sites_p80_days: if moves.is_empty() {
                    0.0
                } else {
                    round4(moves.iter().sum::<i64>() as f64 / moves.len() as f64)
                },
                samples: lo.samples,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.p80_days
            .cmp(&a.p80_days)
            .then(b.sites_p80_days.total_cmp(&a.sites_p80_days))
            .then(a.key.cmp(&b.key))
    });
    out
}

/// Four decimals: probabilities read as percentages with two.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
#[cfg(test)]
mod tests;
