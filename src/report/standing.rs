//! How the programme stands against its deadlines, in the words every
//! first-look surface uses (stdout of `schedule` and `replan`, the reports'
//! headlines and key figures, the spreadsheet's Summary, the public
//! report): the programme deadline met or missed and by how many days;
//! per tier, the sites that miss their deadline and when the tier is clear
//! against its target; whether removal is complete at all; and the public
//! targets the plan commits to, a missed one named (the objective ranks a
//! missed target worse than any late site, so the words do too).
//!
//! One rule holds in every count here: a site with devices and no removal
//! date misses its deadline. Reading "0 of 2 sites late" while neither site
//! has a date is how a programme is misled.

use chrono::NaiveDate;

use super::milestones::{self, Milestones, TierProgress};
use crate::plan::Plan;
use crate::timeline::{Status, Timeline};
use crate::words;

/// The facts behind the words; computed once from a plan and its timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// The programme's deadline, when the plan sets one.
    pub deadline: Option<NaiveDate>,
    /// Removal complete at every site; None when any site has no date.
    pub removal_complete: Option<NaiveDate>,
    /// Sites with devices to remove (a site with none has no deadline to miss).
    pub sites: u64,
    /// Sites that miss their deadline, those with no date included.
    pub missing: u64,
    /// Sites with devices whose removal has no date.
    pub unscheduled: u64,
    pub devices_unscheduled: u64,
    /// Why work has no date, as a phrase after "have no date" (" within the
    /// budget"), or empty when the causes are mixed or not the money.
    pub no_date_cause: &'static str,
    /// Per tier in plan order (tiers with sites), then all tiers.
    pub milestones: Milestones,
    /// Per entry of `milestones.tiers`: the tier's target, its own deadline
    /// else the programme's (the programme's for all tiers).
    pub targets: Vec<Option<NaiveDate>>,
    /// The plan's public targets, in plan order.
    pub public_targets: Vec<PublicTarget>,
}

/// A public target as the timeline meets it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicTarget {
    /// Its name, else its ID.
    pub title: String,
    pub id: String,
    pub by: NaiveDate,
    pub required: u64,
    pub removed: u64,
}

impl PublicTarget {
    pub fn met(&self) -> bool {
        self.removed >= self.required
    }

    /// `"Half removed by Sep 2023" (half-by-sep-2023): 711 of the 1,007
    /// devices it requires removed by 30 September 2023, 296 short`.
    fn missed_phrase(&self) -> String {
        let named = if self.title == self.id {
            self.id.clone()
        } else {
            format!("\"{}\" ({})", self.title, self.id)
        };
        format!(
            "{named}: {} of the {} it requires removed by {}, {} short",
            words::int(self.removed),
            words::count(self.required, "device", "devices"),
            words::long_date(self.by),
            words::int(self.required - self.removed)
        )
    }
}

pub fn compute(plan: &Plan, tl: &Timeline) -> Standing {
    let m = milestones::compute(plan, tl);
    let all = m.tiers.last().cloned();
    let (unscheduled, devices_unscheduled, late) = all.as_ref().map_or((0, 0, 0), |a| {
        (a.unscheduled, a.devices_unscheduled, a.late)
    });
    let targets = m
        .tiers
        .iter()
        .map(|t| t.deadline.or(plan.deadline))
        .collect();
    Standing {
        deadline: plan.deadline,
        removal_complete: if unscheduled == 0 {
            tl.summary.removal_complete
        } else {
            None
        },
        sites: all.as_ref().map_or(0, |a| a.sites),
        missing: late + unscheduled,
        unscheduled,
        devices_unscheduled,
        no_date_cause: no_date_cause(tl),
        milestones: m,
        targets,
        public_targets: public_targets(plan, tl),
    }
}

fn public_targets(plan: &Plan, tl: &Timeline) -> Vec<PublicTarget> {
    tl.targets
        .iter()
        .zip(&plan.targets)
        .map(|(row, t)| PublicTarget {
            title: t.name.clone().unwrap_or_else(|| row.id.clone()),
            id: row.id.clone(),
            by: row.by,
            required: row.required,
            removed: row.removed,
        })
        .collect()
}

/// " within the budget" when every unscheduled task waits on money (its
/// own or a task before it that has none), else "".
fn no_date_cause(tl: &Timeline) -> &'static str {
    let mut reasons = tl
        .tasks
        .iter()
        .filter(|t| t.status == Status::Unscheduled)
        .filter_map(|t| t.reason.as_deref())
        .filter(|r| !r.starts_with("blocked by") && !r.starts_with("held back"))
        .peekable();
    if reasons.peek().is_none() {
        return "";
    }
    if reasons.all(|r| r.starts_with("budget")) {
        " within the budget"
    } else {
        ""
    }
}

impl Standing {
    /// The programme deadline and whether it is met, e.g. "Programme
    /// deadline 31 March 2027: missed by 118 days (removal complete 27 July
    /// 2027)". None when the plan sets no programme deadline.
    pub fn deadline_line(&self) -> Option<String> {
        let d = self.deadline?;
        let head = format!("Programme deadline {}", words::long_date(d));
        Some(match (self.unscheduled, self.removal_complete) {
            (0, Some(rc)) if rc <= d => format!(
                "{head}: met, removal complete {}{}",
                words::long_date(rc),
                spare((d - rc).num_days())
            ),
            (0, Some(rc)) => format!(
                "{head}: missed by {} (removal complete {})",
                words::count((rc - d).num_days().max(0) as u64, "day", "days"),
                words::long_date(rc)
            ),
            (0, None) => format!("{head}: met, no site holds devices to remove"),
            _ => format!("{head}: missed, {}", self.no_date_phrase()),
        })
    }

    /// "2 sites (33 devices) have no date within the budget".
    pub fn no_date_phrase(&self) -> String {
        format!(
            "{} ({}) {} no date{}",
            words::count(self.unscheduled, "site", "sites"),
            words::count(self.devices_unscheduled, "device", "devices"),
            if self.unscheduled == 1 { "has" } else { "have" },
            self.no_date_cause
        )
    }

    /// "Removal complete: 27 July 2027" or "Removal complete: not complete
    /// — 2 sites (33 devices) have no date within the budget".
    pub fn removal_line(&self) -> String {
        match (self.unscheduled, self.removal_complete) {
            (0, Some(rc)) => format!("Removal complete: {}", words::long_date(rc)),
            (0, None) => "Removal complete: no site holds devices to remove".into(),
            _ => format!("Removal complete: not complete — {}", self.no_date_phrase()),
        }
    }

    /// "12 of 50 sites miss their deadline, 2 of them with no date at all".
    pub fn late_phrase(&self) -> String {
        late_phrase(self.missing, self.unscheduled, self.sites, "sites")
    }

    /// One line per tier, then one for all tiers: the sites that miss
    /// their deadline and when the tier is clear against its target.
    pub fn tier_lines(&self) -> Vec<String> {
        self.tier_rows()
            .into_iter()
            .map(|(tier, line)| format!("{tier}: {line}"))
            .collect()
    }

    /// `tier_lines` as (the tier and its devices, the rest of the line).
    pub fn tier_rows(&self) -> Vec<(String, String)> {
        self.milestones
            .tiers
            .iter()
            .zip(&self.targets)
            .map(|(t, target)| tier_row(t, *target))
            .collect()
    }

    /// The public targets in one sentence, a missed one named: "Public
    /// target missed: \"Half removed by Sep 2023\" (half-by-sep-2023): 711
    /// of the 1,007 devices it requires removed by 30 September 2023, 296
    /// short" or "All 3 public targets met". None when the plan sets none.
    pub fn targets_line(&self) -> Option<String> {
        let all = &self.public_targets;
        let missed: Vec<&PublicTarget> = all.iter().filter(|t| !t.met()).collect();
        Some(match (all.len(), missed.len()) {
            (0, _) => return None,
            (1, 0) => "The public target is met".into(),
            (n, 0) => format!("All {} public targets met", words::int(n as u64)),
            (1, 1) => format!("Public target missed: {}", missed[0].missed_phrase()),
            (n, m) => format!(
                "{} of {} public targets missed: {}",
                words::int(m as u64),
                words::int(n as u64),
                missed
                    .iter()
                    .map(|t| t.missed_phrase())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        })
    }

    /// The headline: the deadline first, then any missed public target
    /// (worse, by the objective, than any late site), then what is at risk
    /// by tier.
    pub fn headline(&self) -> String {
        let mut parts = Vec::new();
        if let Some(line) = self.deadline_line() {
            parts.push(format!("{line}."));
        } else if self.unscheduled > 0 {
            parts.push(format!("{}.", self.removal_line()));
        }
        parts.extend(self.targets_line().map(|l| format!("{l}.")));
        parts.push(milestones::headline(
            &self.milestones,
            self.removal_complete,
        ));
        parts.join(" ")
    }
}

/// Exposure counts only devices with a removal date: say so when some have
/// none, or a plan that can fund nothing reads as exposure 0.
pub fn exposure_note(devices_unscheduled: u64) -> String {
    match devices_unscheduled {
        0 => String::new(),
        n => format!(
            " at the sites with a date (the {} with no date are not counted)",
            words::count(n, "device", "devices")
        ),
    }
}

/// " (N days to spare)" or "" on the day itself.
fn spare(days: i64) -> String {
    if days > 0 {
        format!(" ({} to spare)", words::count(days as u64, "day", "days"))
    } else {
        String::new()
    }
}

/// "N of M <noun> miss their deadline[, K of them with no date at all]":
/// `missing` counts the `no_date` ones too.
pub fn late_phrase(missing: u64, no_date: u64, of: u64, noun: &str) -> String {
    let verb = if missing == 1 || of == 1 {
        "misses its"
    } else {
        "miss their"
    };
    // "of 1 site": nouns here are plurals ending in "s".
    let noun = match of {
        1 => noun.strip_suffix('s').unwrap_or(noun),
        _ => noun,
    };
    let head = format!(
        "{} of {} {noun} {verb} deadline",
        words::int(missing),
        words::int(of)
    );
    match (missing, no_date) {
        (_, 0) => head,
        (1, 1) => format!("{head}: it has no date at all"),
        (m, n) if m == n => format!("{head}, none of them with a date at all"),
        (_, n) => format!("{head}, {} of them with no date at all", words::int(n)),
    }
}

fn tier_row(t: &TierProgress, target: Option<NaiveDate>) -> (String, String) {
    let late = late_phrase(t.late + t.unscheduled, t.unscheduled, t.sites, "sites");
    let clear = match (t.unscheduled, t.last_clear) {
        (0, Some(c)) => {
            let against = match target {
                Some(d) if c == d => format!(", on its target day, {}", words::long_date(d)),
                Some(d) if c < d => format!(
                    ", {} before its target of {}",
                    words::count((d - c).num_days() as u64, "day", "days"),
                    words::long_date(d)
                ),
                Some(d) => format!(
                    ", {} after its target of {}",
                    words::count((c - d).num_days() as u64, "day", "days"),
                    words::long_date(d)
                ),
                None => ", no target set".into(),
            };
            format!("all clear by {}{against}", words::long_date(c))
        }
        (0, None) => "nothing to remove".into(),
        (_, _) => format!(
            "not clear: {} {} no date{}",
            words::count(t.devices_unscheduled, "device", "devices"),
            if t.devices_unscheduled == 1 {
                "has"
            } else {
                "have"
            },
            target
                .map(|d| format!("; target {}", words::long_date(d)))
                .unwrap_or_default()
        ),
    };
    (
        format!(
            "{}, {}",
            t.title(),
            words::count(t.devices, "device", "devices")
        ),
        format!("{late}; {clear}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing_with(targets: &[(u64, u64)]) -> Standing {
        let d = NaiveDate::from_ymd_opt(2023, 9, 30).unwrap();
        Standing {
            deadline: None,
            removal_complete: None,
            sites: 0,
            missing: 0,
            unscheduled: 0,
            devices_unscheduled: 0,
            no_date_cause: "",
            milestones: Milestones {
                quarters: Vec::new(),
                tiers: Vec::new(),
            },
            targets: Vec::new(),
            public_targets: targets
                .iter()
                .enumerate()
                .map(|(i, &(required, removed))| PublicTarget {
                    title: if i == 0 {
                        "Half by Sep 2023".into()
                    } else {
                        format!("t{i}")
                    },
                    id: format!("t{i}"),
                    by: d,
                    required,
                    removed,
                })
                .collect(),
        }
    }

    #[test]
    fn a_tier_clear_on_its_target_day_says_so() {
        let d = NaiveDate::from_ymd_opt(2024, 9, 30).unwrap();
        let t = TierProgress {
            label: "Tier 3".into(),
            short: "tier T3".into(),
            id: "T3".into(),
            tier: None,
            sites: 2,
            devices: 10,
            cleared: Vec::new(),
            late: 0,
            unscheduled: 0,
            devices_unscheduled: 0,
            last_clear: Some(d),
            deadline: Some(d),
        };
        assert_eq!(
            tier_row(&t, Some(d)).1,
            "0 of 2 sites miss their deadline; all clear by 30 September 2024, on its target \
             day, 30 September 2024"
        );
    }

    #[test]
    fn a_missed_public_target_is_named_with_its_shortfall() {
        assert_eq!(standing_with(&[]).targets_line(), None);
        assert_eq!(
            standing_with(&[(10, 10)]).targets_line().unwrap(),
            "The public target is met"
        );
        assert_eq!(
            standing_with(&[(10, 10), (5, 7), (3, 3)])
                .targets_line()
                .unwrap(),
            "All 3 public targets met"
        );
        assert_eq!(
            standing_with(&[(1_007, 711)]).targets_line().unwrap(),
            "Public target missed: \"Half by Sep 2023\" (t0): 711 of the 1,007 devices it \
             requires removed by 30 September 2023, 296 short"
        );
        assert_eq!(
            standing_with(&[(1_007, 711), (5, 7), (3, 1)])
                .targets_line()
                .unwrap(),
            "2 of 3 public targets missed: \"Half by Sep 2023\" (t0): 711 of the 1,007 \
             devices it requires removed by 30 September 2023, 296 short; t2: 1 of the 3 \
             devices it requires removed by 30 September 2023, 2 short"
        );
    }

    #[test]
    fn late_counts_say_how_many_have_no_date() {
        assert_eq!(
            late_phrase(12, 2, 50, "sites"),
            "12 of 50 sites miss their deadline, 2 of them with no date at all"
        );
        assert_eq!(
            late_phrase(0, 0, 2, "sites"),
            "0 of 2 sites miss their deadline"
        );
        assert_eq!(
            late_phrase(1, 1, 2, "sites"),
            "1 of 2 sites misses its deadline: it has no date at all"
        );
        assert_eq!(
            late_phrase(2, 2, 2, "sites"),
            "2 of 2 sites miss their deadline, none of them with a date at all"
        );
    }
}
