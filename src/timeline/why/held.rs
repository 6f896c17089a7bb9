//! What held a site back, late or not: the same walk back and the same
//! words as a late site's reason, for `diff`, which must say why every site
//! that moved did so, including one that moved and stayed on time.

use chrono::{Duration, NaiveDate};

use super::{Cause, Sched, Stuck};
use crate::network::Network;
use crate::plan::{Plan, SiteIx};
use crate::timeline::{LateCategory, SiteRow, TaskRow};
use crate::words::capitalise;

/// What held one scheduled site back in a schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    /// The largest causes in the order they happened, as one sentence;
    /// empty when nothing worth telling held it (its own work is all).
    pub told: String,
    /// The days each kind of cause cost (`LateCategory::ALL` order),
    /// counting waits and lead times only from the day `held_back` was
    /// given, so that two schedules compare from the same day.
    pub days: [i64; LateCategory::ALL.len()],
}

impl Held {
    /// The days `category` cost.
    pub fn days_of(&self, category: LateCategory) -> i64 {
        LateCategory::ALL
            .iter()
            .position(|&c| c == category)
            .map_or(0, |i| self.days[i])
    }
}

/// For each site of `which`: what held it back in the schedule whose rows
/// are `tasks` (network order) and `sites` (plan order); `None` for a site
/// with no removal date. Empty when the rows are not a schedule of this
/// plan (another plan given by mistake): nothing is guessed. Days are
/// counted from `since` when given (a re-plan's status date: what came
/// before it is history in the one schedule and plan in the other).
pub fn held_back(
    plan: &Plan,
    network: &Network,
    tasks: &[TaskRow],
    sites: &[SiteRow],
    which: &[SiteIx],
    since: Option<NaiveDate>,
) -> Vec<Option<Held>> {
    let same = tasks.len() == network.tasks.len()
        && sites.len() == plan.sites.len()
        && tasks.iter().zip(&network.tasks).all(|(r, t)| r.id == t.id)
        && sites.iter().zip(&plan.sites).all(|(r, s)| r.id == s.id);
    if !same {
        return Vec::new();
    }
    // Only scheduled sites are told, so no typed failure is needed.
    let stuck: Vec<Option<Stuck>> = vec![None; tasks.len()];
    let sched = Sched::new(plan, network, tasks, &stuck);
    which
        .iter()
        .map(|&s| {
            sites[s.ix()].removal_complete?;
            let last = sched
                .net
                .removal_tasks(s)
                .into_iter()
                .map(|t| t.ix())
                .filter(|&t| sched.rows[t].and_then(|r| r.finish).is_some())
                .max_by_key(|&t| (sched.rows[t].and_then(|r| r.finish), t))?;
            let chain = sched.walk_back(last);
            let told = sched.told(s, &chain);
            Some(Held {
                told: if told.is_empty() {
                    String::new()
                } else {
                    capitalise(&told.join("; then "))
                },
                days: sched.chain_days(s, &clip(chain, since)),
            })
        })
        .collect()
}

/// The chain with waits and lead times cut to the days from `since` on.
fn clip(chain: Vec<Cause>, since: Option<NaiveDate>) -> Vec<Cause> {
    let Some(since) = since else {
        return chain;
    };
    let cut = |from: NaiveDate, days: i64| -> (NaiveDate, i64) {
        let gone = (since - from).num_days().clamp(0, days.max(0));
        (from + Duration::days(gone), days - gone)
    };
    chain
        .into_iter()
        .map(|c| match c {
            Cause::Wait {
                hold,
                days,
                from,
                task,
            } => {
                let (from, days) = cut(from, days);
                Cause::Wait {
                    hold,
                    days,
                    from,
                    task,
                }
            }
            Cause::LeadTime { days, from, site } => {
                let (from, days) = cut(from, days);
                Cause::LeadTime { days, from, site }
            }
            other => other,
        })
        .collect()
}
