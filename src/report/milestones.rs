//! Progress by tier at each quarter end: the share of sites and of devices
//! whose removal is complete. The figure governments publish (the UK's
//! statement of April 2024 gave only such shares), so it names no site.

use chrono::{Datelike, NaiveDate};

use crate::plan::{Plan, TierIx};
use crate::timeline::Timeline;

use crate::words;

/// Progress of one tier (or of all tiers together).
#[derive(Debug, Clone, PartialEq)]
pub struct TierProgress {
    /// The tier's name (or ID): for lists and legends.
    pub label: String,
    /// `tier T1`: for sentences and column heads.
    pub short: String,
    /// The tier's ID; empty for the programme as a whole.
    pub id: String,
    /// The tier's index in the plan; `None` for the programme as a whole.
    pub tier: Option<TierIx>,
    /// Sites with devices.
    pub sites: u64,
    pub devices: u64,
    /// Per quarter end: (sites cleared, devices cleared) by that day.
    pub cleared: Vec<(u64, u64)>,
    /// Scheduled sites late for their deadline.
    pub late: u64,
    /// Sites whose removal is unscheduled.
    pub unscheduled: u64,
    /// Their devices.
    pub devices_unscheduled: u64,
    /// Latest removal complete among its scheduled sites.
    pub last_clear: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Milestones {
    pub quarters: Vec<NaiveDate>,
    /// One per tier in plan order, then the programme as a whole.
    pub tiers: Vec<TierProgress>,
}

/// At most 20 years of quarters: the plan format's horizon.
const MAX_QUARTERS: usize = 84;

/// The last day of the calendar quarter holding `d`.
pub fn quarter_end(d: NaiveDate) -> NaiveDate {
    let q_last_month = (d.month() - 1) / 3 * 3 + 3;
    let (y, m) = if q_last_month == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), q_last_month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|first| first.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

impl TierProgress {
    /// `Tier T1 (Most sensitive sites)`; the programme's own label for all tiers.
    pub fn title(&self) -> String {
        if self.id.is_empty() || self.label == self.id {
            return crate::words::capitalise(&self.short);
        }
        format!("{} ({})", crate::words::capitalise(&self.short), self.label)
    }
}

/// Quarter ends from the one holding the start to the one holding `last`.
fn quarter_ends(start: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let mut out = vec![quarter_end(start)];
    while out.len() < MAX_QUARTERS {
        let prev = *out.last().expect("non-empty");
        if prev >= last {
            break;
        }
        match prev.succ_opt() {
            Some(next) => out.push(quarter_end(next)),
            None => break,
        }
    }
    out
}

pub fn compute(plan: &Plan, timeline: &Timeline) -> Milestones {
    let last = timeline
        .sites
        .iter()
        .filter_map(|s| s.removal_complete)
        .max()
        .unwrap_or(timeline.start);
    let quarters = quarter_ends(timeline.start, last);
    let mut tiers: Vec<TierProgress> = plan
        .tiers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut p = empty(words::tier_label(t), t.deadline, quarters.len());
            p.short = words::tier_short(&t.id);
            p.id = t.id.clone();
            p.tier = Some(TierIx::from(i));
            p
        })
        .collect();
    let mut all = empty("All tiers".to_string(), plan.deadline, quarters.len());
    // Site row `s` is plan site `s` (the timeline is of `plan`).
    for (s, site) in timeline.sites.iter().enumerate() {
        if site.devices == 0 {
            continue;
        }
        let late = site.late_days.is_some_and(|d| d > 0);
        add(
            &mut all,
            site.removal_complete,
            site.devices,
            late,
            &quarters,
        );
        add(
            &mut tiers[plan.sites[s].tier.ix()],
            site.removal_complete,
            site.devices,
            late,
            &quarters,
        );
    }
    tiers.retain(|t| t.sites > 0);
    tiers.push(all);
    Milestones { quarters, tiers }
}

fn empty(label: String, deadline: Option<NaiveDate>, n: usize) -> TierProgress {
    TierProgress {
        short: label.clone(),
        id: String::new(),
        tier: None,
        label,
        sites: 0,
        devices: 0,
        cleared: vec![(0, 0); n],
        late: 0,
        unscheduled: 0,
        devices_unscheduled: 0,
        last_clear: None,
        deadline,
    }
}

fn add(t: &mut TierProgress, done: Option<NaiveDate>, devices: u64, late: bool, q: &[NaiveDate]) {
    t.sites += 1;
    t.devices += devices;
    match done {
        None => {
            t.unscheduled += 1;
            t.devices_unscheduled += devices;
        }
        Some(day) => {
            t.late += u64::from(late);
            t.last_clear = t.last_clear.max(Some(day));
            for (slot, &qe) in t.cleared.iter_mut().zip(q) {
                if day <= qe {
                    slot.0 += 1;
                    slot.1 += devices;
                }
            }
        }
    }
}

/// The headline in words, e.g. "All 12 Tier 1 sites clear by 30 April 2027;
/// 3 of 20 Tier 2 sites miss their deadline".
pub fn headline(m: &Milestones, removal_complete: Option<NaiveDate>) -> String {
    let (per_tier, all) = m.tiers.split_at(m.tiers.len() - 1);
    let all = &all[0];
    if all.sites == 0 {
        return "No site holds devices to remove.".to_string();
    }
    let mut clauses: Vec<String> = per_tier.iter().map(tier_clause).collect();
    if per_tier.len() > 1 && all.unscheduled == 0 {
        if let Some(d) = removal_complete {
            clauses.push(format!("every site clear by {}", words::long_date(d)));
        }
    }
    let mut text = clauses.join("; ");
    text.push('.');
    crate::words::capitalise(&text)
}

fn tier_clause(t: &TierProgress) -> String {
    let (n, label) = (words::int(t.sites), &t.short);
    if t.late == 0 && t.unscheduled == 0 {
        let by = t.last_clear.map(words::long_date).unwrap_or_default();
        return if t.sites == 1 {
            format!("the {label} site is clear by {by}")
        } else {
            format!("all {n} {label} sites clear by {by}")
        };
    }
    // A site with no date misses its deadline too, and is counted so.
    let noun = format!("{label} sites");
    super::standing::late_phrase(t.late + t.unscheduled, t.unscheduled, t.sites, &noun)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn quarter_ends_are_calendar_quarters() {
        assert_eq!(quarter_end(d(2026, 1, 5)), d(2026, 3, 31));
        assert_eq!(quarter_end(d(2026, 3, 31)), d(2026, 3, 31));
        assert_eq!(quarter_end(d(2026, 11, 2)), d(2026, 12, 31));
        assert_eq!(
            quarter_ends(d(2026, 1, 5), d(2026, 7, 1)),
            vec![d(2026, 3, 31), d(2026, 6, 30), d(2026, 9, 30)]
        );
        assert_eq!(quarter_ends(d(2026, 1, 5), d(2020, 1, 1)).len(), 1);
        assert_eq!(
            quarter_ends(d(2026, 1, 5), d(2100, 1, 1)).len(),
            MAX_QUARTERS
        );
    }
}
