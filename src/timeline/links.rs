//! The task network as the publishing side reads it, without the graph:
//! every task of the timeline (in the same order) with its typed key, its
//! kind and table duration, and its predecessors with their lags; and the
//! typed indices that tie the timeline's rows to its plan (a task row's
//! site and crew, a site's task rows). Made once, where the timeline is
//! made, and handed to the renderers with the timeline, so none of them
//! rebuilds the network or joins rows by their string IDs.
//!
//! Why positions are enough: a timeline lists its sites in plan order and
//! its tasks in network order (by site in plan order, then workflow
//! order); `timeline::build` writes them so and `verify` rejects a
//! timeline that does not keep to it. So site row `s` is plan site `s`,
//! and task row `t` is `tasks[t]` here.

use std::ops::Range;

use crate::network::{Network, TaskKind};
use crate::plan::{CrewIx, Plan, TaskKey};
use crate::timeline::{IdIndex, Timeline};

/// The tasks and their precedence links.
#[derive(Debug, Clone, PartialEq)]
pub struct Links {
    /// In timeline order: by site in plan order, then workflow order.
    pub tasks: Vec<LinkedTask>,
    /// `site_tasks[s]`: the range of `tasks` belonging to site `s`.
    pub site_tasks: Vec<Range<usize>>,
    /// `crews[t]`: the crew task row `t` is assigned to; `None` for
    /// elapsed and unscheduled tasks.
    pub crews: Vec<Option<CrewIx>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkedTask {
    pub key: TaskKey,
    /// Runs on calendar days with no crew (procurement, disposal).
    pub elapsed: bool,
    /// The plan's table duration: working days, or calendar days when elapsed.
    pub duration: u32,
    /// The tasks that must finish first, with the calendar days of lag.
    pub preds: Vec<Pred>,
}

/// A precedence link into a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pred {
    /// Index into `Links::tasks`.
    pub task: usize,
    pub lag: u32,
}

impl Links {
    /// The links of `tl`, the timeline built from `plan` and its network
    /// `net`.
    pub fn new(plan: &Plan, net: &Network, tl: &Timeline) -> Links {
        let preds = net.predecessors();
        let tasks = net
            .tasks
            .iter()
            .zip(preds)
            .map(|(t, edges)| LinkedTask {
                key: t.key,
                elapsed: t.kind == TaskKind::Elapsed,
                duration: t.duration,
                preds: edges
                    .iter()
                    .map(|e| Pred {
                        task: e.from.ix(),
                        lag: e.lag,
                    })
                    .collect(),
            })
            .collect();
        Links {
            tasks,
            site_tasks: net.site_ranges.clone(),
            crews: task_crews(plan, tl),
        }
    }

    /// The index of the site of task row `t`.
    pub fn site_of(&self, t: usize) -> usize {
        self.tasks[t].key.site.ix()
    }
}

/// Each task row's crew as an index into the plan's crews: the one place
/// the timeline's crew IDs are read back.
pub fn task_crews(plan: &Plan, tl: &Timeline) -> Vec<Option<CrewIx>> {
    let crews = IdIndex::crews(plan);
    tl.tasks
        .iter()
        .map(|t| t.crew.as_deref().and_then(|c| crews.crew(c)))
        .collect()
}
