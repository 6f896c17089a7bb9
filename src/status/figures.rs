//! The status report's figures, each computed from the timeline's task and
//! site rows as of the status date.

use chrono::NaiveDate;

use crate::artifact::Context;
use crate::plan::{Phase, Plan};
use crate::report::committed::SiteVariance;
use crate::timeline::{by_site_id, SiteRow, Status, TaskRow, Timeline};
use crate::units::Money;
use crate::words;

/// Days a site may run past its committed date, with its removal still
/// incomplete, before the status turns red.
pub const AMBER_DAYS: i64 = 30;

/// The rule the RAG status follows, as the report states it.
pub const RULE: &str = "Green: every site's removal is forecast on or before its committed date. \
Amber: some site is late against its committed date by no more than 30 days, or only in the forecast \
(its committed date is still to come), or a target is at risk. \
Red: a deadline or a target has passed missed, or a site's committed date passed more than 30 days ago \
with its removal not complete.";

/// Red, amber or green.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusReport {
    pub plan: String,
    pub currency: String,
    pub as_of: NaiveDate,
    /// Whether a committed timeline was given; without one, sites are held
    /// to their deadlines.
    pub committed: bool,
    /// One per owner in plan order, then `all`.
    pub groups: Vec<Group>,
    pub targets: Vec<TargetStatus>,
    /// Late sites by what held them back, most sites first.
    pub challenges: Vec<Challenge>,
    /// Sites forecast later than committed, or costing more, most late first.
    pub variance: Vec<SiteVariance>,
}

/// One owner's figures (or everyone's, with `owner` = `all`).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub owner: String,
    pub name: String,
    pub sites: u64,
    pub completed: u64,
    pub in_progress: u64,
    pub not_started: u64,
    pub devices: u64,
    pub removed: u64,
    /// Devices with a replacement to install (replaced types only).
    pub replaceable: u64,
    /// Replacements installed at sites whose commissioning has finished.
    pub replaced: u64,
    pub disposed: u64,
    /// Costs of the tasks started by the status date (committed on start).
    pub spent: Money,
    /// What the committed timeline expected to be committed by now.
    pub committed_to_date: Option<Money>,
    /// The whole forecast cost (the current timeline).
    pub forecast: Money,
    /// The whole cost of the committed timeline.
    pub committed_cost: Option<Money>,
    /// The plan's budget (overall only).
    pub budget: Option<Money>,
    /// Sites forecast after their committed date, and the worst by days.
    pub behind: u64,
    pub worst_slip: i64,
    pub rag: Rag,
    pub reason: String,
}

/// A target as of the status date.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetStatus {
    pub id: String,
    pub name: Option<String>,
    pub owner: Option<String>,
    pub by: NaiveDate,
    pub required: u64,
    /// Removed by `by` in the timeline (actual when `by` has passed).
    pub removed: u64,
    pub met: bool,
    /// `by` is on or before the status date.
    pub due: bool,
}

impl TargetStatus {
    /// `met`, `missed by N devices`, `on track`, `at risk: N short`.
    pub fn words(&self) -> String {
        let short = self.required.saturating_sub(self.removed);
        match (self.due, self.met) {
            (true, true) => "met".into(),
            (true, false) => format!("missed by {short} devices"),
            (false, true) => "on track".into(),
            (false, false) => format!("at risk: forecast {short} devices short"),
        }
    }
}

/// Late sites sharing what held them back.
#[derive(Debug, Clone, PartialEq)]
pub struct Challenge {
    /// The sites' `late_category` (`funding`, `supply`, `crews`, `access`,
    /// `dependency`, `progress`), or `not given` for a timeline without one.
    pub category: String,
    pub sites: Vec<String>,
    pub devices: u64,
    /// The first site's reason, as an example.
    pub example: String,
}

/// Why a status report cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    #[error(
        "the plan has no status_date: the status report is as of that day; add it to the plan"
    )]
    NoStatusDate,
    #[error("the timeline is of {found:?}, not of the plan {plan:?}")]
    WrongPlan { plan: String, found: String },
    #[error("the {which} timeline has no site {site:?} of the plan: it is of another version of the programme")]
    MissingSite { which: &'static str, site: String },
}

/// What one site contributes, as of the status date.
struct SiteFacts<'a> {
    row: &'a SiteRow,
    owner: Option<usize>,
    completed: bool,
    started: bool,
    removed: u64,
    replaceable: u64,
    replaced: u64,
    disposed: u64,
    spent: Money,
    cost: Money,
    start: Option<NaiveDate>,
    committed: Option<Committed>,
}

/// The committed timeline's view of one site.
#[derive(Clone, Copy)]
struct Committed {
    start: Option<NaiveDate>,
    removal_complete: Option<NaiveDate>,
    cost: Money,
    to_date: Money,
}

/// The report from the plan, its current timeline (with its links) and,
/// when given, the timeline the programme committed to (`ctx.committed`,
/// matched to the plan's sites by ID).
pub fn compute(ctx: &Context) -> Result<StatusReport, StatusError> {
    let (plan, tl, committed) = (ctx.plan, ctx.timeline, ctx.committed);
    let as_of = plan
        .status_date
        .or(tl.status_date)
        .ok_or(StatusError::NoStatusDate)?;
    for t in std::iter::once(tl).chain(committed) {
        if t.plan != plan.name {
            return Err(StatusError::WrongPlan {
                plan: plan.name.clone(),
                found: t.plan.clone(),
            });
        }
    }
    let facts = site_facts(ctx, as_of)?;
    let targets = targets(plan, tl, as_of);
    let mut groups: Vec<Group> = (0..plan.owners.len())
        .map(|o| {
            let own: Vec<&SiteFacts> = facts.iter().filter(|f| f.owner == Some(o)).collect();
            let owner = &plan.owners[o];
            let ts: Vec<&TargetStatus> = targets
                .iter()
                .filter(|t| t.owner.as_deref() == Some(owner.id.as_str()))
                .collect();
            let name = owner.name.clone().unwrap_or_else(|| owner.id.clone());
            group(
                owner.id.clone(),
                name,
                &own,
                &ts,
                as_of,
                committed.is_some(),
            )
        })
        .collect();
    let all: Vec<&SiteFacts> = facts.iter().collect();
    let every: Vec<&TargetStatus> = targets.iter().collect();
    let mut overall = group(
        "all".into(),
        "All owners".into(),
        &all,
        &every,
        as_of,
        committed.is_some(),
    );
    overall.budget = plan
        .budget
        .as_ref()
        .map(|b| b.periods.iter().map(|p| p.amount).sum());
    groups.push(overall);
    Ok(StatusReport {
        plan: plan.name.clone(),
        currency: plan.currency.clone(),
        as_of,
        committed: committed.is_some(),
        groups,
        targets,
        challenges: challenges(&facts),
        variance: variance(&facts, committed.is_some()),
    })
}

fn money(v: Option<f64>) -> Money {
    v.and_then(Money::from_f64).unwrap_or(Money::ZERO)
}

fn site_facts<'a>(ctx: &Context<'a>, as_of: NaiveDate) -> Result<Vec<SiteFacts<'a>>, StatusError> {
    let committed = ctx.committed.map(by_site_id);
    let mut out = Vec::with_capacity(ctx.plan.sites.len());
    for (i, site) in ctx.plan.sites.iter().enumerate() {
        let own: Vec<&TaskRow> = ctx.site_tasks(i).iter().collect();
        let committed = match &committed {
            Some(c) => {
                let crow = c.site(&site.id).ok_or_else(|| StatusError::MissingSite {
                    which: "committed",
                    site: site.id.clone(),
                })?;
                let ct = c.site_tasks(&site.id);
                Some(Committed {
                    start: ct.iter().filter_map(|t| t.start).min(),
                    removal_complete: crow.removal_complete,
                    cost: ct.iter().map(|t| money(t.cost)).sum(),
                    to_date: spent_by(ct, as_of),
                })
            }
            None => None,
        };
        out.push(facts(
            &ctx.timeline.sites[i],
            site.owner.map(|o| o.ix()),
            &own,
            as_of,
            committed,
        ));
    }
    Ok(out)
}

/// Costs of the tasks started by `day` (a cost is committed on its start).
fn spent_by(tasks: &[&TaskRow], day: NaiveDate) -> Money {
    tasks
        .iter()
        .filter(|t| t.status != Status::Unscheduled && t.start.is_some_and(|s| s <= day))
        .map(|t| money(t.cost))
        .sum()
}

fn facts<'a>(
    row: &'a SiteRow,
    owner: Option<usize>,
    tasks: &[&TaskRow],
    as_of: NaiveDate,
    committed: Option<Committed>,
) -> SiteFacts<'a> {
    let done = |t: &TaskRow| t.finish.is_some_and(|f| f <= as_of);
    let devices_of = |phase: Phase, only_done: bool| -> u64 {
        tasks
            .iter()
            .filter(|t| t.phase == phase && (!only_done || done(t)))
            .map(|t| t.devices)
            .sum()
    };
    let phase_done = |phase: Phase| -> Option<bool> {
        let of: Vec<_> = tasks.iter().filter(|t| t.phase == phase).collect();
        (!of.is_empty()).then(|| of.iter().all(|t| done(t)))
    };
    let removed = devices_of(Phase::Remove, true);
    let replaceable = devices_of(Phase::Install, false);
    // Replaced: live once commissioned; without commissioning, once installed.
    let replaced = match phase_done(Phase::Commission) {
        Some(true) => replaceable,
        Some(false) => 0,
        None => devices_of(Phase::Install, true),
    };
    let disposed = match phase_done(Phase::Dispose) {
        Some(true) => row.devices,
        Some(false) => 0,
        None => removed,
    };
    SiteFacts {
        row,
        owner,
        completed: tasks.iter().all(|t| done(t)),
        started: tasks.iter().any(|t| t.start.is_some_and(|s| s <= as_of)),
        removed,
        replaceable,
        replaced,
        disposed,
        spent: spent_by(tasks, as_of),
        cost: tasks.iter().map(|t| money(t.cost)).sum(),
        start: tasks.iter().filter_map(|t| t.start).min(),
        committed,
    }
}

impl SiteFacts<'_> {
    /// The day the site is held to: its committed removal complete, else
    /// (without a committed timeline) its deadline.
    fn committed_date(&self) -> Option<NaiveDate> {
        match &self.committed {
            Some(c) => c.removal_complete,
            None => self.row.deadline,
        }
    }

    /// Forecast − committed removal complete in days; `None` when the
    /// forecast has no date but the commitment has (unscheduled).
    fn slip(&self) -> Option<i64> {
        match (self.row.removal_complete, self.committed_date()) {
            (Some(f), Some(c)) => Some((f - c).num_days()),
            (None, Some(_)) if self.row.devices > 0 => None,
            _ => Some(0),
        }
    }

    fn behind(&self) -> bool {
        self.slip().is_none_or(|d| d > 0)
    }

    fn removal_done_by(&self, day: NaiveDate) -> bool {
        self.row.devices == 0 || self.row.removal_complete.is_some_and(|r| r <= day)
    }

    /// A deadline that has passed missed, or a committed date passed more
    /// than `AMBER_DAYS` ago with the removal not complete.
    fn red(&self, as_of: NaiveDate) -> bool {
        let long_overdue = self
            .committed_date()
            .is_some_and(|c| (as_of - c).num_days() > AMBER_DAYS && !self.removal_done_by(as_of));
        self.deadline_missed(as_of) || long_overdue
    }

    /// Its deadline has passed with the removal not complete by then.
    fn deadline_missed(&self, as_of: NaiveDate) -> bool {
        self.row
            .deadline
            .is_some_and(|d| d < as_of && !self.removal_done_by(d))
    }
}

fn group(
    owner: String,
    name: String,
    sites: &[&SiteFacts],
    targets: &[&TargetStatus],
    as_of: NaiveDate,
    has_committed: bool,
) -> Group {
    let sum = |f: &dyn Fn(&SiteFacts) -> u64| sites.iter().map(|s| f(s)).sum::<u64>();
    let completed = sum(&|s| u64::from(s.completed));
    let in_progress = sum(&|s| u64::from(!s.completed && s.started));
    let behind: Vec<&&SiteFacts> = sites.iter().filter(|s| s.behind()).collect();
    let worst_slip = behind
        .iter()
        .map(|s| s.slip().unwrap_or(i64::MAX))
        .max()
        .unwrap_or(0);
    let (rag, reason) = rate(sites, targets, as_of, has_committed);
    Group {
        owner,
        name,
        sites: sites.len() as u64,
        completed,
        in_progress,
        not_started: sites.len() as u64 - completed - in_progress,
        devices: sum(&|s| s.row.devices),
        removed: sum(&|s| s.removed),
        replaceable: sum(&|s| s.replaceable),
        replaced: sum(&|s| s.replaced),
        disposed: sum(&|s| s.disposed),
        spent: sites.iter().map(|s| s.spent).sum(),
        committed_to_date: has_committed.then(|| {
            sites
                .iter()
                .filter_map(|s| s.committed)
                .map(|c| c.to_date)
                .sum()
        }),
        forecast: sites.iter().map(|s| s.cost).sum(),
        committed_cost: has_committed.then(|| {
            sites
                .iter()
                .filter_map(|s| s.committed)
                .map(|c| c.cost)
                .sum()
        }),
        budget: None,
        behind: behind.len() as u64,
        worst_slip,
        rag,
        reason,
    }
}

/// The RAG status and its one-line reason, by `RULE`.
fn rate(
    sites: &[&SiteFacts],
    targets: &[&TargetStatus],
    as_of: NaiveDate,
    has_committed: bool,
) -> (Rag, String) {
    let (against, theirs) = if has_committed {
        ("committed date", "their committed dates")
    } else {
        ("deadline", "their deadlines")
    };
    if let Some(t) = targets.iter().find(|t| t.due && !t.met) {
        return (
            Rag::Red,
            format!(
                "target {} due {} was missed: {} of {} devices removed",
                t.id,
                words::long_date(t.by),
                words::int(t.removed),
                words::int(t.required)
            ),
        );
    }
    // A target at risk is named whatever else makes the status amber: the
    // objective ranks a missed target above any late site.
    let at_risk: Vec<String> = targets
        .iter()
        .filter(|t| !t.met)
        .map(|t| {
            format!(
                "target {} due {} is at risk: {} of {} devices forecast removed",
                t.id,
                words::long_date(t.by),
                words::int(t.removed),
                words::int(t.required)
            )
        })
        .collect();
    let at_risk = (!at_risk.is_empty()).then(|| at_risk.join("; "));
    let red: Vec<&&SiteFacts> = sites.iter().filter(|s| s.red(as_of)).collect();
    if let Some(first) = red.first() {
        // Without a committed timeline a site's committed date is its
        // deadline, so every red site counts under the first clause.
        let past = red.iter().filter(|s| s.deadline_missed(as_of)).count();
        let overdue = red.len() - past;
        let mut clauses = Vec::new();
        if past > 0 {
            clauses.push(format!(
                "{} past {} with removal not complete",
                words::count(past as u64, "site is", "sites are"),
                if past == 1 {
                    "its deadline"
                } else {
                    "their deadlines"
                }
            ));
        }
        if overdue > 0 {
            clauses.push(format!(
                "{} more than {AMBER_DAYS} days past {} with removal not complete",
                words::count(overdue as u64, "site is", "sites are"),
                if overdue == 1 {
                    format!("its {against}")
                } else {
                    theirs.to_string()
                }
            ));
        }
        let mut m = format!("{} (first: {})", clauses.join("; "), first.row.id);
        if let Some(risk) = &at_risk {
            m.push_str(&format!("; {risk}"));
        }
        return (Rag::Red, m);
    }
    let behind: Vec<&&SiteFacts> = sites.iter().filter(|s| s.behind()).collect();
    if !behind.is_empty() {
        let unscheduled = behind.iter().filter(|s| s.slip().is_none()).count();
        let worst = behind.iter().filter_map(|s| s.slip()).max().unwrap_or(0);
        let mut m = if behind.len() == 1 {
            format!("1 site is forecast after its {against}")
        } else {
            format!("{} sites are forecast after {theirs}", behind.len())
        };
        if worst > 0 {
            m.push_str(&format!(
                ", the latest by {}",
                words::count(worst as u64, "day", "days")
            ));
        }
        if unscheduled > 0 {
            m.push_str(&format!(
                "; {} no date for removal",
                words::count(unscheduled as u64, "has", "have")
            ));
        }
        if let Some(risk) = at_risk {
            m.push_str(&format!("; {risk}"));
        }
        return (Rag::Amber, m);
    }
    if let Some(risk) = at_risk {
        return (Rag::Amber, risk);
    }
    (
        Rag::Green,
        format!("every site is forecast on or before its {against}"),
    )
}

fn targets(plan: &Plan, tl: &Timeline, as_of: NaiveDate) -> Vec<TargetStatus> {
    let rows = if tl.targets.len() == plan.targets.len() {
        tl.targets.clone()
    } else {
        // A timeline written before the plan had targets: count them now.
        crate::timeline::targets::rows(plan, &tl.tasks)
    };
    plan.targets
        .iter()
        .zip(rows)
        .map(|(t, r)| TargetStatus {
            id: t.id.clone(),
            name: t.name.clone(),
            owner: t.owner.map(|o| plan.owners[o.ix()].id.clone()),
            by: r.by,
            required: r.required,
            removed: r.removed,
            met: r.met,
            due: r.by <= as_of,
        })
        .collect()
}

fn challenges(facts: &[SiteFacts]) -> Vec<Challenge> {
    let mut by: Vec<Challenge> = Vec::new();
    for f in facts {
        let late = f.row.late_days.is_none_or(|d| d > 0) && f.row.devices > 0;
        if !late {
            continue;
        }
        let reason = f.row.late_reason.clone().unwrap_or_default();
        // The timeline's own category, found where the schedule was built;
        // a timeline written before it was carried says "not given".
        let cat = f.row.late_category.map_or("not given", |c| c.as_str());
        match by.iter_mut().find(|c| c.category == cat) {
            Some(c) => {
                c.sites.push(f.row.id.clone());
                c.devices += f.row.devices;
            }
            None => by.push(Challenge {
                category: cat.into(),
                sites: vec![f.row.id.clone()],
                devices: f.row.devices,
                example: reason,
            }),
        }
    }
    by.sort_by(|a, b| {
        b.sites
            .len()
            .cmp(&a.sites.len())
            .then(a.category.cmp(&b.category))
    });
    by
}

fn variance(facts: &[SiteFacts], has_committed: bool) -> Vec<SiteVariance> {
    if !has_committed {
        return Vec::new();
    }
    let mut out: Vec<SiteVariance> = facts
        .iter()
        .filter_map(|f| {
            let c = f.committed?;
            let v = SiteVariance {
                site: f.row.id.clone(),
                owner: f.row.owner.clone(),
                tier: f.row.tier.clone(),
                committed_start: c.start,
                start: f.start,
                committed: c.removal_complete,
                forecast: f.row.removal_complete,
                slip: f.slip(),
                committed_cost: c.cost,
                cost: f.cost,
            };
            let moved =
                v.slip != Some(0) || v.cost != v.committed_cost || v.start != v.committed_start;
            moved.then_some(v)
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |v: &SiteVariance| std::cmp::Reverse(v.slip.unwrap_or(i64::MAX));
        key(a).cmp(&key(b)).then(a.site.cmp(&b.site))
    });
    out
}
