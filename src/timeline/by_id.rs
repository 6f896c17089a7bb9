//! Another timeline's rows by ID: the one place the publishing side joins
//! two timelines. A baseline or committed timeline is another run's,
//! perhaps of a plan with sites added or removed since, or read from a
//! file, so its rows are matched to this timeline's by site and task ID.
//! The rows of a timeline and its own plan are matched by position
//! (`Links`, `artifact::Context`), never here.

use std::collections::HashMap;

use super::{SiteRow, TaskRow, Timeline};

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
