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
    pub units: Vec<UnitIx>,
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

/// What makes one schedule better than another, compared in order:
/// tier-weighted unscheduled devices, deadline misses, days late, exposure,
/// then finish (for PSPLIB, with no milestones, just the makespan).
#[derive(Debug, Clone, Default)]
pub struct Objective {
    pub milestones: Vec<Milestone>,
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

/// The objective's value; smaller is better, compared field by field.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Score {
    pub unscheduled_weight: f64,
    pub late_milestones: u64,
    pub late_days: i64,
    pub exposure: f64,
    pub finish: Time,
}
