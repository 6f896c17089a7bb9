//! What a sample draws, and the durations it gives each activity.
//!
//! A **driver** is one uncertain figure shared by every task it touches:
//! a device type's lead time (one draw per sample for the whole
//! programme: a supplier's shortage delays every order of that type alike)
//! or a region's crew effort (one factor per sample for every crew task in
//! the region: a region whose surveys find more, or whose crews work
//! slower, is so everywhere in it). Shared draws are the cautious choice:
//! risk that hits many sites at once does not average out across them.
//! Each is triangular, its estimate the most likely value.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::network::lower::Lowered;
use crate::network::{Network, TaskKind};
use crate::plan::{Phase, Plan};

/// One uncertain figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    /// A device type's lead time (index into `plan.device_types`).
    LeadTime(usize),
    /// The effort of the crews of a region (index into `plan.regions`).
    Effort(usize),
}

/// A driver pinned at one end of its range (the tornado's runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Low,
    High,
}

/// A triangular range: low ≤ mode ≤ high.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub low: f64,
    pub mode: f64,
    pub high: f64,
}

impl Range {
    /// The value at cumulative probability `u` (the inverse of the
    /// triangular distribution's CDF): monotone in `u`, and never lower for
    /// a range with a higher `high`, so a sample draws consistently across
    /// ranges of different widths.
    pub fn at(&self, u: f64) -> f64 {
        let Range { low, mode, high } = *self;
        let width = high - low;
        if width <= 0.0 {
            return mode;
        }
        let split = (mode - low) / width;
        if u < split {
            low + (u * width * (mode - low)).sqrt()
        } else {
            high - ((1.0 - u) * width * (high - mode)).sqrt()
        }
    }
}

/// How one activity's duration follows the draws.
#[derive(Debug, Clone)]
enum How {
    /// Keeps its published duration (disposal, fixed work, no range).
    Fixed,
    /// Procurement: the longest lead time of its types, at least 1 day;
    /// each type either a driver or its constant estimate.
    Lead(Vec<Lead>),
    /// A crew task: its estimate × the region's factor, rounded, ≥ 1 day.
    Effort { driver: usize, estimate: i32 },
}

#[derive(Debug, Clone, Copy)]
enum Lead {
    Driver(usize),
    Days(i32),
}

/// The drivers of a plan and how each activity's duration depends on them.
#[derive(Debug, Clone)]
pub struct Model {
    pub drivers: Vec<Driver>,
    pub ranges: Vec<Range>,
    how: Vec<How>,
}

impl Model {
    /// The drivers with a range of some width, in plan order (device types,
    /// then regions), and each activity's rule. A crew task's region
    /// is its site's; only regions with crew work are drivers.
    pub fn new(plan: &Plan, net: &Network, low: &Lowered) -> Model {
        let mut drivers = Vec::new();
        let mut ranges = Vec::new();
        let mut type_driver = vec![None; plan.device_types.len()];
        for (t, ty) in plan.device_types.iter().enumerate() {
            if let Some((lo, hi)) = ty.lead_time_range_days.filter(|r| r.0 < r.1) {
                type_driver[t] = Some(drivers.len());
                drivers.push(Driver::LeadTime(t));
                ranges.push(Range {
                    low: lo as f64,
                    mode: ty.lead_time_days as f64,
                    high: hi as f64,
                });
            }
        }
        let mut region_driver = vec![None; plan.regions.len()];
        if let Some((lo, hi)) = plan.workflow.effort_range.filter(|r| r.0 < r.1) {
            let mut used = vec![false; plan.regions.len()];
            for task in net.tasks.iter().filter(|t| t.kind == TaskKind::Crew) {
                used[plan.sites[task.key.site.ix()].region.ix()] = true;
            }
            for (r, _) in used.iter().enumerate().filter(|(_, u)| **u) {
                region_driver[r] = Some(drivers.len());
                drivers.push(Driver::Effort(r));
                ranges.push(Range {
                    low: lo,
                    mode: 1.0,
                    high: hi,
                });
            }
        }
        let mut how = vec![How::Fixed; low.problem.activities.len()];
        for (t, task) in net.tasks.iter().enumerate() {
            let a = low.task_act[t].ix();
            if low.problem.activities[a].fixed.is_some() {
                continue;
            }
            let site = &plan.sites[task.key.site.ix()];
            how[a] = match (task.kind, task.key.phase) {
                (TaskKind::Crew, _) => match region_driver[site.region.ix()] {
                    Some(driver) => How::Effort {
                        driver,
                        estimate: task.duration as i32,
                    },
                    None => How::Fixed,
                },
                (TaskKind::Elapsed, Phase::Procure) => {
                    let leads: Vec<Lead> = site
                        .devices
                        .iter()
                        .filter(|(ty, n)| *n > 0 && plan.device_types[ty.ix()].replace)
                        .map(|(ty, _)| match type_driver[ty.ix()] {
                            Some(d) => Lead::Driver(d),
                            None => Lead::Days(plan.device_types[ty.ix()].lead_time_days as i32),
                        })
                        .collect();
                    if leads.iter().any(|l| matches!(l, Lead::Driver(_))) {
                        How::Lead(leads)
                    } else {
                        How::Fixed
                    }
                }
                _ => How::Fixed,
            };
        }
        Model {
            drivers,
            ranges,
            how,
        }
    }

    /// The driver values of sample `index` for `seed`: one uniform draw
    /// per driver from the sample's own generator (seeded by the seed and
    /// the index alone, so a sample is the same whichever thread draws it),
    /// then `pin` overrides one driver with an end of its range.
    pub fn draw(&self, seed: u64, index: u64, pin: Option<(usize, End)>, out: &mut Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(sample_seed(seed, index));
        out.clear();
        for (d, r) in self.ranges.iter().enumerate() {
            let u: f64 = rng.gen();
            out.push(match pin {
                Some((p, End::Low)) if p == d => r.low,
                Some((p, End::High)) if p == d => r.high,
                _ => r.at(u),
            });
        }
    }

    /// Every activity's duration under the driver values `v`; activities
    /// no driver touches keep `published`.
    pub fn durations(&self, v: &[f64], published: &[i32], out: &mut Vec<i32>) {
        out.clear();
        out.extend(self.how.iter().zip(published).map(|(h, &p)| {
            match h {
                How::Fixed => p,
                How::Effort { driver, estimate } => {
                    ((*estimate as f64 * v[*driver]).round() as i32).max(1)
                }
                How::Lead(leads) => leads
                    .iter()
                    .map(|l| match *l {
                        Lead::Driver(d) => v[d].round() as i32,
                        Lead::Days(n) => n,
                    })
                    .max()
                    .unwrap_or(1)
                    .max(1),
            }
        }));
    }

    /// The driver's name as a manager reads it.
    pub fn label(&self, plan: &Plan, d: usize) -> String {
        match self.drivers[d] {
            Driver::LeadTime(t) => {
                let ty = &plan.device_types[t];
                format!("lead time of {}", ty.name.as_deref().unwrap_or(&ty.id))
            }
            Driver::Effort(r) => {
                let rg = &plan.regions[r];
                format!("crews' effort in {}", rg.name.as_deref().unwrap_or(&rg.id))
            }
        }
    }

    /// The driver's ID-based key (`lead_time:TYPE`, `effort:REGION`).
    pub fn key(&self, plan: &Plan, d: usize) -> String {
        match self.drivers[d] {
            Driver::LeadTime(t) => format!("lead_time:{}", plan.device_types[t].id),
            Driver::Effort(r) => format!("effort:{}", plan.regions[r].id),
        }
    }
}

/// A sample's own seed: the run's seed and the sample's index mixed
/// (SplitMix64's finaliser), so neighbouring indices draw unrelated numbers.
fn sample_seed(seed: u64, index: u64) -> u64 {
    let mut z = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(index.wrapping_add(1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangular_ends_mode_and_monotone() {
        let r = Range {
            low: 10.0,
            mode: 20.0,
            high: 40.0,
        };
        assert_eq!(r.at(0.0), 10.0);
        assert!((r.at(1.0) - 40.0).abs() < 1e-9);
        // The mode sits at cumulative probability (20-10)/(40-10) = 1/3.
        assert!((r.at(1.0 / 3.0) - 20.0).abs() < 1e-9);
        let wider = Range { high: 60.0, ..r };
        let mut last = 0.0;
        for k in 0..=100 {
            let u = k as f64 / 100.0;
            assert!(r.at(u) >= last);
            assert!(wider.at(u) >= r.at(u) - 1e-9, "u {u}");
            last = r.at(u);
        }
        let flat = Range {
            low: 5.0,
            mode: 5.0,
            high: 5.0,
        };
        assert_eq!(flat.at(0.7), 5.0);
    }

    #[test]
    fn sample_seeds_differ_by_index_and_seed() {
        assert_ne!(sample_seed(1, 0), sample_seed(1, 1));
        assert_ne!(sample_seed(1, 0), sample_seed(2, 0));
        assert_eq!(sample_seed(7, 3), sample_seed(7, 3));
    }
}
