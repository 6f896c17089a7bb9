//! What changed in the plan between two timelines, the first thing a diff
//! says: budget periods, devices per site, crews, deadlines, device types
//! and the progress reported. Devices, site deadlines and progress are read
//! from the two timelines, so they are always told; budget, crews, device
//! types and tier deadlines only when both plans are given.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

use super::diff::Change;
use super::joined::Joined;
use crate::plan::{Crew, DeviceType, Plan, Site, SiteIx};
use crate::timeline::{Pairs, SiteRow, Status, Timeline};
use crate::units::Money;
use crate::words;

/// The plan as changed, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanChanges {
    /// Both plans were given: budget, crews, device types and the tier and
    /// programme deadlines are compared (otherwise only what the timelines
    /// hold: devices, site deadlines and progress).
    pub plans_compared: bool,
    pub status_date: Change<Option<NaiveDate>>,
    /// Tasks reported done, before and after.
    pub tasks_done: Change<u64>,
    /// Tasks reported under way, before and after.
    pub tasks_in_progress: Change<u64>,
    /// Budget periods whose amount changed, or that one plan lacks, in
    /// date order.
    pub budget: Vec<PeriodChange>,
    /// The whole budget, when it changed.
    pub budget_total: Option<Change<f64>>,
    /// Sites whose own description changed (devices, deadline, access,
    /// clearance, region), in the later timeline's order.
    pub sites: Vec<SiteAltered>,
    pub sites_added: Vec<String>,
    pub sites_removed: Vec<String>,
    /// Devices over all sites, before and after.
    pub devices: Change<u64>,
    /// Crews added, removed or changed.
    pub crews: Vec<Altered>,
    /// Programme and tier deadlines that moved.
    pub deadlines: Vec<Altered>,
    /// Device types added, removed or changed (price, lead time, hours).
    pub device_types: Vec<Altered>,
}

impl PlanChanges {
    /// Nothing at all changed.
    pub fn is_empty(&self) -> bool {
        self.status_date.before == self.status_date.after
            && self.tasks_done.before == self.tasks_done.after
            && self.tasks_in_progress.before == self.tasks_in_progress.after
            && self.budget.is_empty()
            && self.sites.is_empty()
            && self.sites_added.is_empty()
            && self.sites_removed.is_empty()
            && self.crews.is_empty()
            && self.deadlines.is_empty()
            && self.device_types.is_empty()
    }
}

/// A budget period before and after (null where a plan lacks it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodChange {
    /// `FY 2026/27`, or `1 Jan 2023 – 31 Mar 2023`.
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub before: Option<f64>,
    pub after: Option<f64>,
}

/// One thing that changed, in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Altered {
    /// What it is: `crew ne-3`, `tier T1 deadline`, `device type nvr`.
    pub what: String,
    /// How it was; null when added.
    pub before: Option<String>,
    /// How it is; null when removed.
    pub after: Option<String>,
}

/// A site whose own description changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteAltered {
    pub id: String,
    pub tier: String,
    /// Each change in words: `devices 40 → 400 (cam-dome 36 → 360)`,
    /// `deadline 31 Jul 2023 → 15 Jul 2023`.
    pub changes: Vec<String>,
    /// Its row in the later timeline (not published).
    #[serde(skip)]
    pub row: usize,
}

/// The plan changes between `old` and `new` (and their plans, when
/// given), whose rows `joined` pairs.
pub(super) fn plan_changes(
    old: &Timeline,
    new: &Timeline,
    old_plan: Option<&Plan>,
    new_plan: Option<&Plan>,
    joined: &Joined,
) -> PlanChanges {
    let both = old_plan.zip(new_plan);
    let reported =
        |t: &Timeline, s: Status| t.tasks.iter().filter(|r| r.status == s).count() as u64;
    let pairs = &joined.rows.sites;
    let devices = |t: &Timeline| t.sites.iter().map(|s| s.devices).sum::<u64>();
    let (budget, budget_total) = both.map(|(o, n)| budget(o, n)).unwrap_or_default();
    PlanChanges {
        plans_compared: both.is_some(),
        status_date: Change {
            before: old.status_date,
            after: new.status_date,
        },
        tasks_done: Change {
            before: reported(old, Status::Done),
            after: reported(new, Status::Done),
        },
        tasks_in_progress: Change {
            before: reported(old, Status::InProgress),
            after: reported(new, Status::InProgress),
        },
        budget,
        budget_total,
        sites: new
            .sites
            .iter()
            .enumerate()
            .filter_map(|(ni, n)| {
                let oi = pairs.old[ni]?;
                // The site in each plan, when both are given.
                let in_plans = both.and_then(|(po, pn)| {
                    let (a, b) = (joined.old_in_plan[oi]?, joined.new_in_plan[ni]?);
                    Some(((po, a), (pn, b)))
                });
                let changes = site_changes(&old.sites[oi], n, in_plans);
                (!changes.is_empty()).then(|| SiteAltered {
                    id: n.id.clone(),
                    tier: n.tier.clone(),
                    changes,
                    row: ni,
                })
            })
            .collect(),
        sites_added: unpaired(&new.sites, &pairs.old),
        sites_removed: unpaired(&old.sites, &pairs.new),
        devices: Change {
            before: devices(old),
            after: devices(new),
        },
        crews: both.map(|(o, n)| crews(o, n)).unwrap_or_default(),
        deadlines: both.map(|(o, n)| deadlines(o, n)).unwrap_or_default(),
        device_types: both.map(|(o, n)| device_types(o, n)).unwrap_or_default(),
    }
}

/// The IDs of `rows` that the other timeline lacks (`other[r]` is none).
fn unpaired(rows: &[SiteRow], other: &[Option<usize>]) -> Vec<String> {
    rows.iter()
        .zip(other)
        .filter(|(_, o)| o.is_none())
        .map(|(s, _)| s.id.clone())
        .collect()
}

fn money_words(m: Money, plan: &Plan) -> String {
    words::money(m, &plan.currency)
}

/// Periods matched by their dates: changed amounts, and periods one plan lacks.
fn budget(old: &Plan, new: &Plan) -> (Vec<PeriodChange>, Option<Change<f64>>) {
    let periods = |p: &Plan| -> BTreeMap<(NaiveDate, NaiveDate), Money> {
        p.budget
            .iter()
            .flat_map(|b| &b.periods)
            .map(|q| ((q.from, q.to), q.amount))
            .collect()
    };
    let (o, n) = (periods(old), periods(new));
    let mut keys: Vec<(NaiveDate, NaiveDate)> = o.keys().chain(n.keys()).copied().collect();
    keys.sort();
    keys.dedup();
    let out: Vec<PeriodChange> = keys
        .into_iter()
        .filter(|k| o.get(k) != n.get(k))
        .map(|(from, to)| PeriodChange {
            label: words::period(from, to),
            from,
            to,
            before: o.get(&(from, to)).map(|m| m.to_f64()),
            after: n.get(&(from, to)).map(|m| m.to_f64()),
        })
        .collect();
    let total = |m: &BTreeMap<_, Money>| m.values().fold(Money::ZERO, |a, &b| a + b).to_f64();
    let total =
        (total(&o) != total(&n) || old.budget.is_some() != new.budget.is_some()).then(|| Change {
            before: total(&o),
            after: total(&n),
        });
    (out, total)
}

/// A plan and a site's index in it.
type InPlan<'a> = (&'a Plan, SiteIx);

/// A site's own changes: from the timelines (devices, deadline), and with
/// both plans (each with the site's index in it) its devices by type,
/// access and clearance.
fn site_changes(
    old: &SiteRow,
    new: &SiteRow,
    plans: Option<(InPlan<'_>, InPlan<'_>)>,
) -> Vec<String> {
    let mut out = Vec::new();
    let sites = plans.map(|((o, a), (n, b))| (&o.sites[a.ix()], &n.sites[b.ix()], o, n));
    if old.devices != new.devices {
        let detail = sites
            .as_ref()
            .map(|(a, b, pa, pb)| device_detail(a, b, pa, pb))
            .filter(|d| !d.is_empty())
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        out.push(format!(
            "devices {} → {}{detail}",
            words::int(old.devices),
            words::int(new.devices)
        ));
    }
    if old.deadline != new.deadline {
        out.push(format!(
            "deadline {} → {}",
            words::opt_date(old.deadline),
            words::opt_date(new.deadline)
        ));
    }
    if let Some((a, b, pa, pb)) = &sites {
        if a.not_before != b.not_before {
            out.push(format!(
                "not before {} → {}",
                words::opt_date(a.not_before),
                words::opt_date(b.not_before)
            ));
        }
        if a.blackouts != b.blackouts {
            out.push(format!(
                "blackouts {} → {}",
                blackouts(&a.blackouts),
                blackouts(&b.blackouts)
            ));
        }
        if a.cleared_only != b.cleared_only {
            let w = |c: bool| if c { "cleared crews only" } else { "any crew" };
            out.push(format!("{} → {}", w(a.cleared_only), w(b.cleared_only)));
        }
        let region = |p: &Plan, s: &Site| p.regions[s.region.ix()].id.clone();
        if region(pa, a) != region(pb, b) {
            out.push(format!("region {} → {}", region(pa, a), region(pb, b)));
        }
    }
    out
}

fn blackouts(b: &[crate::plan::DateRange]) -> String {
    if b.is_empty() {
        return "none".into();
    }
    let parts: Vec<String> = b
        .iter()
        .map(|r| format!("{} – {}", words::date(r.from), words::date(r.to)))
        .collect();
    parts.join(", ")
}

/// `cam-dome 36 → 360, nvr 2 → 4`.
fn device_detail(old: &Site, new: &Site, po: &Plan, pn: &Plan) -> String {
    let counts = |s: &Site, p: &Plan| -> BTreeMap<String, u64> {
        s.devices
            .iter()
            .map(|&(t, n)| (p.device_types[t.ix()].id.clone(), n))
            .collect()
    };
    let (a, b) = (counts(old, po), counts(new, pn));
    let mut ids: Vec<&String> = a.keys().chain(b.keys()).collect();
    ids.sort();
    ids.dedup();
    let parts: Vec<String> = ids
        .into_iter()
        .filter(|id| a.get(*id) != b.get(*id))
        .map(|id| {
            format!(
                "{id} {} → {}",
                a.get(id).copied().unwrap_or(0),
                b.get(id).copied().unwrap_or(0)
            )
        })
        .collect();
    parts.join(", ")
}

/// How a crew is described: `south, cleared, 1,150 GBP a day, from 1 Apr 2026`.
fn crew_words(c: &Crew, p: &Plan) -> String {
    let mut s = format!(
        "{}{}, {} a day",
        p.regions[c.region.ix()].id,
        if c.cleared { ", cleared" } else { "" },
        money_words(c.day_rate, p)
    );
    if let Some(f) = c.available_from {
        s.push_str(&format!(", from {}", words::date(f)));
    }
    if let Some(t) = c.available_to {
        s.push_str(&format!(", until {}", words::date(t)));
    }
    s
}

fn crews(old: &Plan, new: &Plan) -> Vec<Altered> {
    by_id(
        &old.crews,
        &new.crews,
        |c| &c.id,
        |c| crew_words(c, old),
        |c| crew_words(c, new),
        "crew",
    )
}

fn type_words(t: &DeviceType, p: &Plan) -> String {
    format!(
        "{}{} each, {}-day lead time, {} h to install, {} h to remove",
        words::price(t.unit_cost, &p.currency),
        if t.replace { "" } else { " (not replaced)" },
        t.lead_time_days,
        t.install_hours.0 as f64 / 100.0,
        t.remove_hours.0 as f64 / 100.0
    )
}

fn device_types(old: &Plan, new: &Plan) -> Vec<Altered> {
    by_id(
        &old.device_types,
        &new.device_types,
        |t| &t.id,
        |t| type_words(t, old),
        |t| type_words(t, new),
        "device type",
    )
}

/// Items matched by ID: changed (by their words), removed, added.
fn by_id<T>(
    old: &[T],
    new: &[T],
    id: impl Fn(&T) -> &String,
    old_words: impl Fn(&T) -> String,
    new_words: impl Fn(&T) -> String,
    noun: &str,
) -> Vec<Altered> {
    let pairs = Pairs::by_id(
        old.iter().map(|x| id(x).as_str()),
        new.iter().map(|x| id(x).as_str()),
    );
    let mut out = Vec::new();
    for (x, o) in new.iter().zip(&pairs.old) {
        let after = new_words(x);
        let before = o.map(|o| old_words(&old[o]));
        if before.as_deref() != Some(after.as_str()) {
            out.push(Altered {
                what: format!("{noun} {}", id(x)),
                before,
                after: Some(after),
            });
        }
    }
    for (x, _) in old.iter().zip(&pairs.new).filter(|(_, n)| n.is_none()) {
        out.push(Altered {
            what: format!("{noun} {}", id(x)),
            before: Some(old_words(x)),
            after: None,
        });
    }
    out
}

fn deadlines(old: &Plan, new: &Plan) -> Vec<Altered> {
    let mut out = Vec::new();
    if old.deadline != new.deadline {
        out.push(Altered {
            what: "programme deadline".into(),
            before: old.deadline.map(words::date),
            after: new.deadline.map(words::date),
        });
    }
    let tiers = Pairs::by_id(
        old.tiers.iter().map(|t| t.id.as_str()),
        new.tiers.iter().map(|t| t.id.as_str()),
    );
    for (t, o) in new.tiers.iter().zip(&tiers.old) {
        let before = o.map(|o| old.tiers[o].deadline);
        if let Some(before) = before.filter(|b| *b != t.deadline) {
            out.push(Altered {
                what: format!("{} deadline", words::tier_short(&t.id)),
                before: before.map(words::date),
                after: t.deadline.map(words::date),
            });
        }
    }
    out
}
