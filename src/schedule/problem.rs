//! The general scheduling problem the core solves, and its solution.
//!
//! Plans and PSPLIB instances both lower into this type, so one engine serves
//! both. It knows nothing of sites, JSON or dates: time is a day index
//! (`Time`, 0 = the project's first day) and money is in cents.
//!
//! Conventions: an activity occupies the days `start..=finish`. A successor
//! starts at the earliest on `finish + 1 + lag`. An activity of duration 0
//! (PSPLIB's dummy source and sink) occupies nothing and has
//! `finish = start - 1`, so its successors may start on its start day.

use crate::units::Money;
use std::cmp::Ordering;

/// A day index; 0 is the project's first day. Negative for actuals reported
/// before it.
pub type Time = i32;

macro_rules! core_index {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            pub fn ix(self) -> usize {
                self.0 as usize
            }
        }
        impl From<usize> for $name {
            fn from(i: usize) -> Self {
                $name(i as u32)
            }
        }
    };
}

core_index!(
    /// Index into `Problem::activities`.
    ActIx
);
core_index!(
    /// Index into `Problem::calendars`.
    CalIx
);
core_index!(
    /// Index into `Problem::pools`.
    PoolIx
);
core_index!(
    /// Index into `Problem::units`.
    UnitIx
);
core_index!(
    /// Index into `Problem::groups`.
    GroupIx
);

#[derive(Debug, Clone, Default)]
pub struct Problem {
    pub activities: Vec<Activity>,
    pub precedences: Vec<Precedence>,
    pub calendars: Vec<Calendar>,
    pub pools: Vec<Pool>,
    pub units: Vec<Unit>,
    pub budget: Option<BudgetRule>,
    /// The units of ordering: the search orders groups, and a group's
    /// activities are placed together in their listed order. A group whose
    /// activity cannot be placed is rolled back whole (so no money is
    /// committed to work that cannot be completed). PSPLIB: one activity per
    /// group. Plans: one site (or a cycle of sites tied by dependencies).
    pub groups: Vec<Group>,
    pub objective: Objective,
    /// Nothing may finish on or after this day (20 years for plans).
    pub horizon: Time,
}

impl Problem {
    /// A single-mode resource-constrained project, the shape of the
    /// standard benchmark (PSPLIB): job `j` takes `durations[j]` days on one
    /// continuous calendar, needs `demands[j][r]` of pool `r` (capacity
    /// `capacities[r]`) and precedes `successors[j]`; one job a group, no
    /// crews, money or deadlines, and a horizon of every duration in a row.
    pub fn single_mode(
        durations: &[i32],
        demands: &[Vec<i32>],
        successors: &[Vec<usize>],
        capacities: &[i32],
    ) -> Problem {
        let n = durations.len();
        let activities = (0..n)
            .map(|j| Activity {
                duration: durations[j],
                kind: DurationKind::Working,
                calendar: CalIx(0),
                release: 0,
                pool_demand: demands[j]
                    .iter()
                    .enumerate()
                    .filter(|(_, &q)| q > 0)
                    .map(|(r, &q)| (PoolIx::from(r), q))
                    .collect(),
                units: Default::default(),
                cost: Money::ZERO,
                group: GroupIx::from(j),
                fixed: None,
            })
            .collect();
        let precedences = (0..n)
            .flat_map(|j| successors[j].iter().map(move |&s| (j, s)))
            .map(|(j, s)| Precedence {
                from: ActIx::from(j),
                to: ActIx::from(s),
                lag: 0,
            })
            .collect();
        Problem {
            activities,
            precedences,
            calendars: vec![Calendar {
                base: BaseCalendar::Continuous,
                blocked: Vec::new(),
            }],
            pools: capacities.iter().map(|&c| Pool { capacity: c }).collect(),
            units: Default::default(),
            budget: None,
            groups: (0..n)
                .map(|j| Group {
                    activities: vec![ActIx::from(j)],
                })
                .collect(),
            objective: Objective::default(),
            horizon: durations.iter().map(|&d| d.max(0)).sum::<i32>() + 1,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Activity {
    /// Working days of `calendar` (`DurationKind::Working`) or calendar days.
    pub duration: i32,
    pub kind: DurationKind,
    pub calendar: CalIx,
    /// Earliest start day.
    pub release: Time,
    /// Units needed from renewable pools for every occupied day.
    pub pool_demand: Vec<(PoolIx, i32)>,
    /// Non-empty: exactly one of these units works the whole span, and the
    /// activity costs `unit.day_rate × duration` on top of `cost`.
    pub units: std::sync::Arc<[UnitIx]>,
    /// Committed on the start day.
    pub cost: Money,
    pub group: GroupIx,
    /// Already placed (re-planning: actuals, or baseline work kept as it
    /// was). Placed as given, never moved, before anything else.
    pub fixed: Option<Placement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationKind {
    /// Counts working days of the calendar; may neither start on a day that
    /// is not working nor span a blocked day.
    Working,
    /// Counts calendar days; starts on a working day of the calendar's base
    /// (blackouts do not apply).
    Elapsed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Precedence {
    pub from: ActIx,
    pub to: ActIx,
    /// Extra calendar days between `from`'s finish and `to`'s start.
    pub lag: i32,
}

/// A working-day calendar: a base pattern plus blocked ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub base: BaseCalendar,
    /// Inclusive, sorted, disjoint ranges: not working, and a `Working`
    /// activity may not span them (a site's blackouts).
    pub blocked: Vec<(Time, Time)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseCalendar {
    /// Every day is a working day (PSPLIB).
    Continuous,
    /// `working[t]` for `0 <= t < working.len()`; days outside are not
    /// working. Shared by reference count: plans have one programme
    /// calendar and many sites.
    Days(std::rc::Rc<Vec<bool>>),
}

/// A renewable resource with a constant capacity (PSPLIB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    pub capacity: i32,
}

/// One crew: works on at most one activity a day, inside its window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Inclusive window of availability.
    pub available_from: Time,
    pub available_to: Time,
    pub day_rate: Money,
}

/// Money available per period; cost is committed on an activity's start day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetRule {
    /// Sorted, disjoint, inclusive.
    pub periods: Vec<BudgetPeriod>,
    /// Unspent money of a period is available in later ones.
    pub carry_over: bool,
}

impl BudgetRule {
    /// The most money work finished by day `d` can have used: the amounts
    /// of the periods that start by `d` (and end on or after day 0), in
    /// cents.
    pub fn money_by(&self, d: Time) -> f64 {
        self.periods
            .iter()
            .filter(|q| q.from <= d && q.to >= 0)
            .map(|q| q.amount.0 as f64)
            .sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetPeriod {
    pub from: Time,
    pub to: Time,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Placed in this order, which respects the precedences inside the group.
    pub activities: Vec<ActIx>,
}

/// What makes one schedule better than another (see `Score`). PSPLIB has
/// no milestones: the shortest schedule is the best.
#[derive(Debug, Clone, Default)]
pub struct Objective {
    pub kind: ObjectiveKind,
    pub milestones: Vec<Milestone>,
    /// Classes of sensitivity, most sensitive first (a plan's tiers of
    /// equal weight together); every milestone's `class` is below this.
    pub classes: usize,
    /// Interim commitments: a share of some milestones' devices removed
    /// by a day.
    pub targets: Vec<TargetGoal>,
}

/// How scores compare after unscheduled weight and targets (the plan
/// format's `objective`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ObjectiveKind {
    /// Class by class from the most sensitive: late milestones, then days
    /// late; then exposure.
    #[default]
    TiersFirst,
    /// Late milestones of every class together, then days late, then
    /// exposure.
    FewestLate,
    /// Exposure, then late milestones, then days late.
    LeastExposure,
}

/// A milestone is reached when every one of its activities has finished
/// (a site's removal complete: the finish of its last removal package).
#[derive(Debug, Clone)]
pub struct Milestone {
    pub activities: Vec<ActIx>,
    /// Counts toward exposure for every day from day 0 to the milestone,
    /// both counted (tier weight × devices).
    pub weight: f64,
    /// Counted when the milestone is unscheduled (tier weight × devices).
    pub unscheduled_weight: f64,
    /// Late when reached after this day.
    pub deadline: Option<Time>,
    /// Its class of sensitivity (0 = most sensitive; see
    /// `Objective::classes`).
    pub class: u32,
}

/// A target: by the end of day `by`, at least `required` devices of
/// `packages` removed, a package's devices counting when it has finished
/// by then (an unscheduled package never counts).
#[derive(Debug, Clone)]
pub struct TargetGoal {
    /// The activities that remove devices (removal packages), each with
    /// the devices it removes.
    pub packages: Vec<(ActIx, u64)>,
    pub by: Time,
    pub required: u64,
}

/// Where and when an activity runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub start: Time,
    pub finish: Time,
    pub unit: Option<UnitIx>,
    pub cost: Money,
}

/// Why an activity could not be placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// A direct predecessor (the first in activity order) is unscheduled.
    BlockedBy(ActIx),
    /// Another activity of its group could not be placed, so this one was
    /// withdrawn rather than strand money or crews on it.
    Withdrawn(ActIx),
    /// None of its units is ever available for long enough.
    NoUnit,
    /// No budget period on or after `from` can fund `cost`.
    Budget { from: Time, cost: Money },
    /// Could not finish before the horizon (crews busy, calendar, pools).
    Horizon,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// One per activity: where it runs, or why it does not.
    pub activities: Vec<Result<Placement, Failure>>,
    pub score: Score,
    /// How many schedules the search generated to find it.
    pub schedules: u64,
}

/// The objective's value; smaller is better. Compared key by key, the
/// first difference deciding: unscheduled weight; targets missed, then
/// their shortfall; then by `kind` (`ObjectiveKind`): class by class
/// (late, then days late) and exposure, or all late together, days late
/// and exposure, or exposure, late and days late; and last the finish
/// (for PSPLIB, with nothing else, the makespan).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Score {
    pub kind: ObjectiveKind,
    pub unscheduled_weight: f64,
    pub targets_missed: u64,
    /// Devices short of their targets, summed over the targets missed.
    pub target_shortfall: u64,
    /// Per class of sensitivity, most sensitive first.
    pub classes: Vec<ClassScore>,
    /// Over all classes.
    pub late_milestones: u64,
    pub late_days: i64,
    pub exposure: f64,
    pub finish: Time,
}

/// One class's late milestones and days late, and the weight of its
/// milestones left unscheduled (part of `Score::unscheduled_weight`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClassScore {
    pub late: u64,
    pub late_days: i64,
    pub unscheduled_weight: f64,
    /// Milestones left unscheduled (sites with no removal date).
    pub unscheduled: u64,
}

impl Score {
    /// Whether nothing but the finish tells this score apart (no failures,
    /// targets, lateness or exposure: every PSPLIB schedule).
    pub fn finish_only(&self) -> bool {
        self.unscheduled_weight == 0.0
            && self.targets_missed == 0
            && self.target_shortfall == 0
            && self.late_milestones == 0
            && self.late_days == 0
            && self.exposure == 0.0
    }

    /// The keys before exposure: unscheduled weight, targets, and
    /// lateness as `kind` counts it (for `LeastExposure`, none of the
    /// lateness, which comes after exposure).
    pub fn cmp_before_exposure(&self, o: &Score) -> Ordering {
        let head = self
            .unscheduled_weight
            .total_cmp(&o.unscheduled_weight)
            .then(self.targets_missed.cmp(&o.targets_missed))
            .then(self.target_shortfall.cmp(&o.target_shortfall));
        match self.kind {
            ObjectiveKind::TiersFirst => head.then_with(|| self.cmp_classes(o)),
            ObjectiveKind::FewestLate => head
                .then(self.late_milestones.cmp(&o.late_milestones))
                .then(self.late_days.cmp(&o.late_days)),
            ObjectiveKind::LeastExposure => head,
        }
    }

    /// Class by class: late milestones, then days late.
    fn cmp_classes(&self, o: &Score) -> Ordering {
        let n = self.classes.len().max(o.classes.len());
        let get = |v: &[ClassScore], k: usize| v.get(k).copied().unwrap_or_default();
        (0..n)
            .map(|k| {
                let (a, b) = (get(&self.classes, k), get(&o.classes, k));
                a.late.cmp(&b.late).then(a.late_days.cmp(&b.late_days))
            })
            .find(|c| c.is_ne())
            .unwrap_or(Ordering::Equal)
    }

    /// Tier by tier, each tier's own losses: targets missed and their
    /// shortfall, then class by class from the most sensitive its misses
    /// (milestones late or left unscheduled: a site with no date is a
    /// miss too), the weight left unscheduled, the late milestones and
    /// their days late. The
    /// plans' search keeps a schedule only when it is no worse by this as
    /// well as by the objective (`cmp_full`), so that devices of a less
    /// sensitive tier are never bought with a more sensitive tier's
    /// deadlines (docs/scheduler.md, "Money pressure"). Only for
    /// `TiersFirst`; `Equal` under the other objectives.
    pub fn cmp_tier_by_tier(&self, o: &Score) -> Ordering {
        if self.kind != ObjectiveKind::TiersFirst {
            return Ordering::Equal;
        }
        let n = self.classes.len().max(o.classes.len());
        let get = |v: &[ClassScore], k: usize| v.get(k).copied().unwrap_or_default();
        let classes = (0..n)
            .map(|k| {
                let (a, b) = (get(&self.classes, k), get(&o.classes, k));
                (a.late + a.unscheduled)
                    .cmp(&(b.late + b.unscheduled))
                    .then(a.unscheduled_weight.total_cmp(&b.unscheduled_weight))
                    .then(a.late.cmp(&b.late))
                    .then(a.late_days.cmp(&b.late_days))
            })
            .find(|c| c.is_ne())
            .unwrap_or(Ordering::Equal);
        self.targets_missed
            .cmp(&o.targets_missed)
            .then(self.target_shortfall.cmp(&o.target_shortfall))
            .then(classes)
    }

    /// The whole comparison (see `Score`).
    pub fn cmp_full(&self, o: &Score) -> Ordering {
        let tail = match self.kind {
            ObjectiveKind::LeastExposure => self
                .exposure
                .total_cmp(&o.exposure)
                .then(self.late_milestones.cmp(&o.late_milestones))
                .then(self.late_days.cmp(&o.late_days)),
            _ => self.exposure.total_cmp(&o.exposure),
        };
        self.cmp_before_exposure(o)
            .then(tail)
            .then(self.finish.cmp(&o.finish))
    }
}

impl PartialOrd for Score {
    fn partial_cmp(&self, o: &Score) -> Option<Ordering> {
        Some(self.cmp_full(o))
    }
}
