//! The two timelines of a diff joined once, by ID: their site and task
//! rows paired (`timeline::pair`) and each side's site rows found in the
//! plans given. A diff compares two timelines that may be of different
//! plans (sites added or dropped, a timeline read from a file), so rows
//! are matched by ID here, once, and everything after works on indices.

use crate::plan::SiteIx;
use crate::timeline::{pair, IdIndex, Paired, SiteRow, Timeline};

use super::diff::Plans;

#[derive(Debug, Clone)]
pub struct Joined {
    /// The timelines' rows paired.
    pub rows: Paired,
    /// `new_in_plan[n]`: the later plan's site of later site row `n`.
    pub new_in_plan: Vec<Option<SiteIx>>,
    /// `old_in_new_plan[o]`: the later plan's site of earlier site row
    /// `o` (which names a site the later timeline dropped).
    pub old_in_new_plan: Vec<Option<SiteIx>>,
    /// `old_in_plan[o]`: the earlier plan's site of earlier site row `o`.
    pub old_in_plan: Vec<Option<SiteIx>>,
}

impl Joined {
    pub fn new(old: &Timeline, new: &Timeline, plans: Plans<'_>) -> Joined {
        let new_plan = plans.new.map(IdIndex::sites);
        Joined {
            rows: pair(old, new),
            new_in_plan: in_plan(new_plan.as_ref(), &new.sites),
            old_in_new_plan: in_plan(new_plan.as_ref(), &old.sites),
            old_in_plan: in_plan(plans.old.map(IdIndex::sites).as_ref(), &old.sites),
        }
    }
}

/// Each row's site in the plan whose site IDs are `ids`; none without a plan.
fn in_plan(ids: Option<&IdIndex<'_>>, rows: &[SiteRow]) -> Vec<Option<SiteIx>> {
    rows.iter()
        .map(|r| ids.and_then(|ids| ids.site(&r.id)))
        .collect()
}
