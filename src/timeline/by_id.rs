//! Rows matched by ID: the one home of the maps keyed by a string ID that
//! join two lists. A baseline or committed timeline is another run's,
//! perhaps of a plan with sites added or removed since, or read from a
//! file, so its rows are matched to this timeline's by site and task ID:
//! for the publishing side through `ById`, for the diff and the re-plan
//! through `pair` (each row's index in the other timeline, built once).
//! IDs that come in from outside a plan (a timeline's crews, a baseline's
//! tasks) are found in it through an `IdIndex`, built once per list. The
//! rows of a timeline and its own plan are matched by position (`Links`,
//! `artifact::Context`), never here.

use std::collections::HashMap;

use super::{SiteRow, TaskRow, Timeline};
use crate::plan::{CrewIx, Plan, SiteIx};

/// `tl`'s rows by ID; where an ID is listed twice (a damaged file), the
/// last row wins.
pub fn by_site_id(tl: &Timeline) -> ById<'_> {
    let mut site_tasks: HashMap<&str, Vec<&TaskRow>> = HashMap::new();
    for t in &tl.tasks {
        site_tasks.entry(t.site.as_str()).or_default().push(t);
    }
    ById {
        sites: tl.sites.iter().map(|s| (s.id.as_str(), s)).collect(),
        site_tasks,
        tasks: tl.tasks.iter().map(|t| (t.id.as_str(), t)).collect(),
    }
}

/// One timeline's site rows, each site's task rows and its task rows, by ID.
#[derive(Debug, Clone, Default)]
pub struct ById<'a> {
    sites: HashMap<&'a str, &'a SiteRow>,
    site_tasks: HashMap<&'a str, Vec<&'a TaskRow>>,
    tasks: HashMap<&'a str, &'a TaskRow>,
}

impl<'a> ById<'a> {
    /// The site row `id`.
    pub fn site(&self, id: &str) -> Option<&'a SiteRow> {
        self.sites.get(id).copied()
    }

    /// The task rows of site `id`, in timeline order; none when it has
    /// no tasks (or is not in the timeline).
    pub fn site_tasks(&self, id: &str) -> &[&'a TaskRow] {
        self.site_tasks.get(id).map_or(&[], Vec::as_slice)
    }

    /// Whether any task row names site `id`.
    pub fn has_tasks(&self, id: &str) -> bool {
        self.site_tasks.contains_key(id)
    }

    /// The task row `id`.
    pub fn task(&self, id: &str) -> Option<&'a TaskRow> {
        self.tasks.get(id).copied()
    }
}

/// The positions of a list's IDs, for finding a row by an ID that came in
/// from elsewhere (a file, another timeline, another plan): built once per
/// list, where the IDs come in, and asked once per row. Where an ID is
/// listed twice (a damaged file), the last wins.
#[derive(Debug, Clone, Default)]
pub struct IdIndex<'a>(HashMap<&'a str, usize>);

impl<'a> IdIndex<'a> {
    pub fn new(ids: impl IntoIterator<Item = &'a str>) -> IdIndex<'a> {
        IdIndex(ids.into_iter().enumerate().map(|(i, id)| (id, i)).collect())
    }

    /// The position of `id`, if listed.
    pub fn get(&self, id: &str) -> Option<usize> {
        self.0.get(id).copied()
    }

    /// For each of `ids`, its position here.
    pub fn positions<'b>(&self, ids: impl IntoIterator<Item = &'b str>) -> Vec<Option<usize>> {
        ids.into_iter().map(|id| self.get(id)).collect()
    }

    /// The plan's crews by ID.
    pub fn crews(plan: &Plan) -> IdIndex<'_> {
        IdIndex::new(plan.crews.iter().map(|c| c.id.as_str()))
    }

    /// The plan's sites by ID.
    pub fn sites(plan: &Plan) -> IdIndex<'_> {
        IdIndex::new(plan.sites.iter().map(|s| s.id.as_str()))
    }

    /// The plan's crew `id`, when this is `IdIndex::crews`.
    pub fn crew(&self, id: &str) -> Option<CrewIx> {
        self.get(id).map(CrewIx::from)
    }

    /// The plan's site `id`, when this is `IdIndex::sites`.
    pub fn site(&self, id: &str) -> Option<SiteIx> {
        self.get(id).map(SiteIx::from)
    }
}

/// The rows of two lists with the same IDs, by position both ways.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pairs {
    /// `old[n]`: the earlier list's row with the ID of the later's row `n`.
    pub old: Vec<Option<usize>>,
    /// `new[o]`: the later list's row with the ID of the earlier's row `o`.
    pub new: Vec<Option<usize>>,
}

impl Pairs {
    /// The rows of `old` and `new` paired by ID (the last row of an ID
    /// listed twice).
    pub fn by_id<'a, 'b, I, J>(old: I, new: J) -> Pairs
    where
        I: IntoIterator<Item = &'a str>,
        I::IntoIter: Clone,
        J: IntoIterator<Item = &'b str>,
        J::IntoIter: Clone,
    {
        let (old, new) = (old.into_iter(), new.into_iter());
        Pairs {
            old: IdIndex::new(old.clone()).positions(new.clone()),
            new: IdIndex::new(new).positions(old),
        }
    }
}

/// Two timelines joined by ID once, so the code that compares them (the
/// diff, the re-plan's tests) works on row indices: their site rows and
/// task rows paired, and each one's task rows tied to its site rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paired {
    pub sites: Pairs,
    pub tasks: Pairs,
    /// `old_task_site[t]`: the earlier timeline's site row of its task row `t`.
    pub old_task_site: Vec<Option<usize>>,
    /// `new_task_site[t]`: the later timeline's site row of its task row `t`.
    pub new_task_site: Vec<Option<usize>>,
}

/// The rows of `old` and `new` paired by site and task ID.
pub fn pair(old: &Timeline, new: &Timeline) -> Paired {
    let task_site = |tl: &Timeline| {
        IdIndex::new(tl.sites.iter().map(|s| s.id.as_str()))
            .positions(tl.tasks.iter().map(|t| t.site.as_str()))
    };
    Paired {
        sites: Pairs::by_id(
            old.sites.iter().map(|s| s.id.as_str()),
            new.sites.iter().map(|s| s.id.as_str()),
        ),
        tasks: pair_tasks(old, new),
        old_task_site: task_site(old),
        new_task_site: task_site(new),
    }
}

/// The task rows of `old` and `new` paired by ID.
pub fn pair_tasks(old: &Timeline, new: &Timeline) -> Pairs {
    Pairs::by_id(
        old.tasks.iter().map(|t| t.id.as_str()),
        new.tasks.iter().map(|t| t.id.as_str()),
    )
}
