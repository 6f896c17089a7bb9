//! Can a public target be met at all? Two quick bounds that ignore
//! everything but money, or everything but crew time, so that `validate`
//! can warn about a target no schedule can meet before anyone schedules.
//!
//! Both are lower bounds on what removing the required devices needs:
//! removing part of a site's devices still needs all of its replacements,
//! so a site's cost (or crew days) up to removal, shared out per device and
//! taken cheapest site first, never overstates the need.

use chrono::NaiveDate;

use super::lower::eligible_crews;
use super::{Network, TaskKind};
use crate::plan::{Phase, Plan, SiteIx, Target};
use crate::units::Money;

/// A target that money or crews alone rule out, with the figures.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetShort {
    /// Index in `plan.targets`.
    pub target: usize,
    /// Devices the target requires removed by its day.
    pub required: u64,
    pub short: Short,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Short {
    /// At least `need` must be committed by the target's day; the budget
    /// periods that begin by then hold `available`.
    Money { need: Money, available: Money },
    /// At least `need` crew working days by the target's day; the crews of
    /// those sites' regions have `available`.
    Crews { need: u64, available: u64 },
}

/// Every target that money or crews alone rule out, in plan order (money
/// before crews for one target).
pub fn target_shortfalls(plan: &Plan, net: &Network) -> Vec<TargetShort> {
    if !plan.progress.is_empty() {
        // Reported work changes both sides; the scheduler reports the rest.
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, t) in plan.targets.iter().enumerate() {
        let required = t.required(plan.target_devices(t));
        if required == 0 {
            continue;
        }
        let needs = site_needs(plan, net, t);
        if let Some(available) = money_by(plan, t.by) {
            let need = cheapest(&needs, required, |n| n.cost);
            if need > available.to_f64() + 0.005 {
                out.push(TargetShort {
                    target: i,
                    required,
                    short: Short::Money {
                        need: Money::from_f64(need).unwrap_or(Money(i64::MAX)),
                        available,
                    },
                });
            }
        }
        // Whole days, rounded up: a part day still needs the crew that day.
        let days = (cheapest(&needs, required, |n| n.crew_days as f64) - 1e-9).ceil() as u64;
        let have = crew_days_by(plan, t);
        if days > have {
            out.push(TargetShort {
                target: i,
                required,
                short: Short::Crews {
                    need: days,
                    available: have,
                },
            });
        }
    }
    out
}

/// What one site needs, up to its removal, for its devices.
struct Need {
    devices: u64,
    cost: f64,
    crew_days: u64,
}

fn site_needs(plan: &Plan, net: &Network, t: &Target) -> Vec<Need> {
    let mut out = Vec::new();
    for (s, site) in plan.sites.iter().enumerate() {
        let devices = site.device_count();
        if devices == 0 || !t.matches(site) {
            continue;
        }
        let si = SiteIx::from(s);
        let rate = eligible_crews(plan, si)
            .iter()
            .map(|c| plan.crews[c.ix()].day_rate)
            .min()
            .unwrap_or(Money::ZERO);
        let (mut cost, mut crew_days) = (0.0, 0u64);
        for task in &net.tasks[net.site_tasks(si)] {
            if task.key.phase == Phase::Dispose {
                continue;
            }
            match task.kind {
                TaskKind::Crew => {
                    crew_days += u64::from(task.duration);
                    cost += rate.to_f64() * f64::from(task.duration);
                }
                TaskKind::Elapsed => cost += task.cost.to_f64(),
            }
        }
        out.push(Need {
            devices,
            cost,
            crew_days,
        });
    }
    out
}

/// The least of `what` that removes `required` devices, sites taken by
/// the least per device first and the last one shared out.
fn cheapest(needs: &[Need], required: u64, what: impl Fn(&Need) -> f64) -> f64 {
    let mut per: Vec<(f64, u64)> = needs
        .iter()
        .map(|n| (what(n) / n.devices as f64, n.devices))
        .collect();
    per.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut left, mut total) = (required, 0.0);
    for (each, devices) in per {
        let take = devices.min(left);
        total += each * take as f64;
        left -= take;
        if left == 0 {
            break;
        }
    }
    total
}

/// Money that may be committed by the end of `by`: the amounts of the
/// periods that begin by then. `None` when money is unlimited.
fn money_by(plan: &Plan, by: NaiveDate) -> Option<Money> {
    let budget = plan.budget.as_ref()?;
    Some(
        budget
            .periods
            .iter()
            .filter(|p| p.from <= by)
            .map(|p| p.amount)
            .sum(),
    )
}

/// Working days, from the start to the end of `by`, of every crew of a
/// region holding one of the target's sites.
fn crew_days_by(plan: &Plan, t: &Target) -> u64 {
    let mut regions = vec![false; plan.regions.len()];
    for s in plan.sites.iter().filter(|s| t.matches(s)) {
        regions[s.region.ix()] = true;
    }
    plan.crews
        .iter()
        .filter(|c| regions[c.region.ix()])
        .map(|c| {
            let from = c.available_from.map_or(plan.start, |f| f.max(plan.start));
            let to = c.available_to.map_or(t.by, |d| d.min(t.by));
            from.iter_days()
                .take_while(|d| *d <= to)
                .filter(|d| plan.calendar.is_working(*d))
                .count() as u64
        })
        .sum()
}
