//! `sites[].late_category`: the kind of cause that cost a late site most
//! days, found from the same chain of causes its reason tells, or, for a
//! site with no date, from the scheduler's typed failure of the task that
//! could not be placed.

use super::{Cause, Hold, Sched, Stuck};
use crate::network::TaskKind;
use crate::plan::SiteIx;
use crate::timeline::LateCategory;

impl Sched<'_> {
    /// The category of a late site: days summed per category along the
    /// chain, the largest winning (ties in `LateCategory::ALL` order).
    /// Whatever happened at another site, beyond a dependency, counts as
    /// `dependency`: this site waited for that site's work.
    pub(super) fn chain_category(&self, late: SiteIx, chain: &[Cause]) -> LateCategory {
        let days = self.chain_days(late, chain);
        let best = (0..days.len())
            .filter(|&i| days[i] > 0)
            .max_by(|&a, &b| days[a].cmp(&days[b]).then(b.cmp(&a)));
        // Nothing held it: the work itself outlasts the time allowed, which
        // only more crews (more packages at once) would shorten.
        best.map_or(LateCategory::Crews, |i| LateCategory::ALL[i])
    }

    /// The days each category cost along the chain (`LateCategory::ALL`
    /// order).
    pub(super) fn chain_days(
        &self,
        late: SiteIx,
        chain: &[Cause],
    ) -> [i64; LateCategory::ALL.len()] {
        let mut days = [0i64; LateCategory::ALL.len()];
        let mut add = |c: LateCategory, d: i64| {
            let i = LateCategory::ALL.iter().position(|&x| x == c).unwrap_or(0);
            days[i] += d.max(0);
        };
        let mut beyond = false;
        for cause in chain {
            let (cat, d) = match *cause {
                Cause::Wait {
                    ref hold,
                    days,
                    task,
                    ..
                } => {
                    beyond |= self.site_of(task) != late;
                    match hold_category(hold) {
                        Some(c) => (c, days),
                        None => continue,
                    }
                }
                Cause::LeadTime { days, site, .. } => {
                    beyond |= site != late;
                    (LateCategory::Supply, days)
                }
                // The days from the programme start until the other site's
                // work let this one go on (what happened there is added too).
                Cause::Dependency { finish, lag, .. } => {
                    beyond = true;
                    let free = (finish - self.plan.start).num_days() + 1 + i64::from(lag);
                    (LateCategory::Dependency, free)
                }
                Cause::NotBefore(d) => (LateCategory::Access, (d - self.plan.start).num_days()),
                // A re-plan starts at the status date: not a delay in
                // itself, so it decides only when nothing else held the site.
                Cause::StatusDate(_) => (LateCategory::Progress, 1),
                Cause::UnderWay { task, since } => {
                    let finish = self.rows[task].and_then(|r| r.finish).unwrap_or(since);
                    (LateCategory::Progress, (finish - since).num_days() + 1)
                }
            };
            add(
                if beyond {
                    LateCategory::Dependency
                } else {
                    cat
                },
                d,
            );
        }
        days
    }

    /// The category of a site with no date, from why the task that could
    /// not be placed failed (`root`, found by following the blocking tasks).
    pub(super) fn stuck_category(&self, site: SiteIx, root: usize) -> LateCategory {
        if self.site_of(root) != site {
            return LateCategory::Dependency;
        }
        let task = &self.net.tasks[root];
        let s = &self.plan.sites[site.ix()];
        match self.stuck[root] {
            Some(Stuck::Money) => LateCategory::Funding,
            Some(Stuck::NoCrew) => LateCategory::Crews,
            Some(Stuck::Horizon) if task.kind == TaskKind::Crew && s.blackouts.is_empty() => {
                LateCategory::Crews
            }
            Some(Stuck::Horizon) => LateCategory::Access,
            Some(Stuck::Behind(_)) | None => LateCategory::Dependency,
        }
    }
}

/// The category of a wait at the site itself.
fn hold_category(hold: &Hold) -> Option<LateCategory> {
    match hold {
        Hold::Budget(_) => Some(LateCategory::Funding),
        Hold::CrewsBusy(_) | Hold::CrewWindow(_) | Hold::OwnWork => Some(LateCategory::Crews),
        Hold::Blackout(_) => Some(LateCategory::Access),
        Hold::Calendar | Hold::Unexplained => None,
    }
}
