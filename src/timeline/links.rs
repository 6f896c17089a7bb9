//! The task network as the publishing side reads it, without the graph:
//! every task of the timeline (in the same order) with its typed key, its
//! kind and table duration, and its predecessors with their lags. Made
//! once, from the network the timeline was built from, and handed to the
//! renderers with the timeline, so none of them rebuilds the network.

use std::ops::Range;

use crate::network::{Network, TaskKind};
use crate::plan::TaskKey;

/// The tasks and their precedence links.
#[derive(Debug, Clone, PartialEq)]
pub struct Links {
    /// In timeline order: by site in plan order, then workflow order.
    pub tasks: Vec<LinkedTask>,
    /// `site_tasks[s]`: the range of `tasks` belonging to site `s`.
    pub site_tasks: Vec<Range<usize>>,
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
    pub fn new(net: &Network) -> Links {
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
        }
    }
}
