//! The task network: a validated plan expanded into the tasks of the plan
//! format's table and their precedence (workflow order within a site, and
//! the plan's dependencies between sites).
//!
//! petgraph is used inside this module only; the rest of the program sees
//! `TaskIx` and `Edge`.

pub mod check;
pub mod lower;
pub mod reach;

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{HashMap, VecDeque};

use crate::plan::{Phase, PhaseRef, Plan, Site, SiteIx, TaskKey};
use crate::units::{Hundredths, Money};

/// Index into `Network::tasks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskIx(pub u32);

impl TaskIx {
    pub fn ix(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    /// Occupies one crew on working days of the site.
    Crew,
    /// Runs on calendar days with no crew (procurement, disposal).
    Elapsed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub key: TaskKey,
    /// `SITE/PHASE` or `SITE/PHASE/K`.
    pub id: String,
    pub kind: TaskKind,
    /// Working days (crew) or calendar days (elapsed), at least 1.
    pub duration: u32,
    pub devices: u64,
    /// The cost that does not depend on the crew: Σ count × unit_cost for
    /// procurement, Σ count × disposal_cost for disposal, 0 for crew tasks
    /// (whose cost is the crew's day rate × duration).
    pub cost: Money,
}

/// `to` starts at the earliest on the day after `from` finishes, plus `lag` calendar days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: TaskIx,
    pub to: TaskIx,
    pub lag: u32,
}

/// A cycle through dependencies and the workflow, as task indices in order
/// (the first task is not repeated at the end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle(pub Vec<TaskIx>);

impl Cycle {
    /// The task IDs on the cycle, in order.
    pub fn ids(&self, plan: &Plan) -> Vec<String> {
        let keys: Vec<TaskKey> = (0..plan.sites.len())
            .flat_map(|s| site_tasks(plan, SiteIx::from(s), &plan.sites[s]))
            .flatten()
            .map(|t| t.key)
            .collect();
        self.0
            .iter()
            .filter_map(|t| keys.get(t.ix()))
            .map(|k| plan.task_id(*k))
            .collect()
    }
}

/// The expanded plan. `tasks` are in timeline order: by site in plan order,
/// then workflow order (survey, procure, install packages, commission,
/// removal packages, dispose).
#[derive(Debug, Clone)]
pub struct Network {
    pub tasks: Vec<Task>,
    /// Every precedence, workflow and dependency alike, in a stable order.
    pub edges: Vec<Edge>,
    /// `site_tasks[s]`: the range of `tasks` belonging to site `s`.
    pub site_ranges: Vec<std::ops::Range<usize>>,
}

impl Network {
    /// The tasks of one site, in workflow order.
    pub fn site_tasks(&self, site: SiteIx) -> std::ops::Range<usize> {
        self.site_ranges[site.ix()].clone()
    }

    /// The tasks of one phase of a site (all packages of a packaged phase).
    pub fn phase_tasks(&self, r: PhaseRef) -> Vec<TaskIx> {
        self.site_tasks(r.site)
            .filter(|&i| self.tasks[i].key.phase == r.phase)
            .map(|i| TaskIx(i as u32))
            .collect()
    }

    /// The task with this key, if the plan generates it.
    pub fn find(&self, key: TaskKey) -> Option<TaskIx> {
        self.site_tasks(key.site)
            .find(|&i| self.tasks[i].key == key)
            .map(|i| TaskIx(i as u32))
    }

    /// The removal packages of a site: its removal is complete when they all are.
    pub fn removal_tasks(&self, site: SiteIx) -> Vec<TaskIx> {
        self.phase_tasks(PhaseRef {
            site,
            phase: Phase::Remove,
        })
    }

    /// For each task, its incoming edges (in edge order).
    pub fn predecessors(&self) -> Vec<Vec<Edge>> {
        let mut preds = vec![Vec::new(); self.tasks.len()];
        for e in &self.edges {
            preds[e.to.ix()].push(*e);
        }
        preds
    }
}

/// Expands a validated plan. Fails only on a cycle.
pub fn build(plan: &Plan) -> Result<Network, Cycle> {
    let mut tasks = Vec::new();
    let mut edges = Vec::new();
    let mut site_ranges = Vec::with_capacity(plan.sites.len());
    for (s, site) in plan.sites.iter().enumerate() {
        let first = tasks.len();
        let phases = site_tasks(plan, SiteIx::from(s), site);
        // Workflow: every task of a phase before every task of the next
        // phase that exists; tasks within a phase are independent.
        let mut prev: Vec<TaskIx> = Vec::new();
        for phase_tasks in phases {
            let ixs: Vec<TaskIx> = (tasks.len()..tasks.len() + phase_tasks.len())
                .map(|i| TaskIx(i as u32))
                .collect();
            for &p in &prev {
                for &t in &ixs {
                    edges.push(Edge {
                        from: p,
                        to: t,
                        lag: 0,
                    });
                }
            }
            tasks.extend(phase_tasks);
            prev = ixs;
        }
        site_ranges.push(first..tasks.len());
    }
    let mut net = Network {
        tasks,
        edges,
        site_ranges,
    };
    for d in &plan.dependencies {
        let from = net.phase_tasks(d.from);
        let to = net.phase_tasks(d.to);
        for &f in &from {
            for &t in &to {
                net.edges.push(Edge {
                    from: f,
                    to: t,
                    lag: d.lag_days,
                });
            }
        }
    }
    match find_cycle(&net) {
        Some(c) => Err(c),
        None => Ok(net),
    }
}

/// One device type's share of a package: how many, and the hours each takes.
struct Share {
    count: u64,
    hours: Hundredths,
}

/// The tasks of one site, grouped by phase in workflow order; absent phases
/// are left out.
fn site_tasks(plan: &Plan, s: SiteIx, site: &Site) -> Vec<Vec<Task>> {
    let all = site.device_count();
    if all == 0 {
        return Vec::new();
    }
    let wf = &plan.workflow;
    let types = &plan.device_types;
    let replaced: Vec<_> = site
        .devices
        .iter()
        .filter(|(t, n)| *n > 0 && types[t.ix()].replace)
        .copied()
        .collect();
    let n_replaced: u64 = replaced.iter().map(|&(_, n)| n).sum();
    let task = |phase: Phase, package: Option<u32>, kind, duration, devices, cost| {
        let key = TaskKey {
            site: s,
            phase,
            package,
        };
        Task {
            key,
            id: plan.task_id(key),
            kind,
            duration,
            devices,
            cost,
        }
    };
    let mut phases = Vec::new();
    if wf.survey_days > 0 {
        phases.push(vec![task(
            Phase::Survey,
            None,
            TaskKind::Crew,
            wf.survey_days,
            all,
            Money::ZERO,
        )]);
    }
    if n_replaced > 0 {
        let lead = replaced
            .iter()
            .map(|(t, _)| types[t.ix()].lead_time_days)
            .max()
            .unwrap_or(0)
            .max(1);
        let cost = plan.procurement_cost(site);
        phases.push(vec![task(
            Phase::Procure,
            None,
            TaskKind::Elapsed,
            lead,
            n_replaced,
            cost,
        )]);
        let install = replaced.iter().map(|(t, n)| Share {
            count: *n,
            hours: types[t.ix()].install_hours,
        });
        phases.push(packages(plan, install, |k, devices, duration| {
            task(
                Phase::Install,
                Some(k),
                TaskKind::Crew,
                duration,
                devices,
                Money::ZERO,
            )
        }));
        if wf.commission_days > 0 {
            phases.push(vec![task(
                Phase::Commission,
                None,
                TaskKind::Crew,
                wf.commission_days,
                n_replaced,
                Money::ZERO,
            )]);
        }
    }
    let remove = site.devices.iter().map(|(t, n)| Share {
        count: *n,
        hours: types[t.ix()].remove_hours,
    });
    phases.push(packages(plan, remove, |k, devices, duration| {
        task(
            Phase::Remove,
            Some(k),
            TaskKind::Crew,
            duration,
            devices,
            Money::ZERO,
        )
    }));
    if wf.disposal_days > 0 {
        let cost = plan.disposal_cost(site);
        phases.push(vec![task(
            Phase::Dispose,
            None,
            TaskKind::Elapsed,
            wf.disposal_days,
            all,
            cost,
        )]);
    }
    phases
}

/// Splits devices (already in device type ID order) into packages of at
/// most `package_size`, calling `make(k, devices, duration)` for package k.
fn packages(
    plan: &Plan,
    shares: impl Iterator<Item = Share>,
    make: impl Fn(u32, u64, u32) -> Task,
) -> Vec<Task> {
    let size = u64::from(plan.workflow.package_size.max(1));
    let per_day = plan.workflow.hours_per_day.0.max(1) as i128;
    let mut out = Vec::new();
    let (mut devices, mut hours) = (0u64, 0i128);
    let flush = |devices: u64, hours: i128, out: &mut Vec<Task>| {
        // ⌈hours ÷ hours_per_day⌉ in exact hundredths, at least one day.
        let days = ((hours + per_day - 1) / per_day).clamp(1, u32::MAX as i128) as u32;
        let k = out.len() as u32 + 1;
        out.push(make(k, devices, days));
    };
    for share in shares {
        let mut left = share.count;
        while left > 0 {
            let take = left.min(size - devices);
            devices += take;
            hours += take as i128 * share.hours.0 as i128;
            left -= take;
            if devices == size {
                flush(devices, hours, &mut out);
                (devices, hours) = (0, 0);
            }
        }
    }
    if devices > 0 {
        flush(devices, hours, &mut out);
    }
    out
}

/// The first cycle, if any: in the strongly connected component holding the
/// lowest task index that lies on a cycle, the shortest way from that task
/// back to itself. Iterative throughout (chains can be very long).
fn find_cycle(net: &Network) -> Option<Cycle> {
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(net.tasks.len(), net.edges.len());
    for _ in &net.tasks {
        g.add_node(());
    }
    for e in &net.edges {
        g.add_edge(NodeIndex::new(e.from.ix()), NodeIndex::new(e.to.ix()), ());
    }
    let scc = kosaraju_scc(&g)
        .into_iter()
        .filter(|c| c.len() > 1)
        .min_by_key(|c| c.iter().map(|n| n.index()).min())?;
    let members: std::collections::HashSet<usize> = scc.iter().map(|n| n.index()).collect();
    let start = *members.iter().min()?;
    // Breadth-first search inside the component from `start` back to it.
    let mut succ: HashMap<usize, Vec<usize>> = HashMap::new();
    for e in &net.edges {
        if members.contains(&e.from.ix()) && members.contains(&e.to.ix()) {
            succ.entry(e.from.ix()).or_default().push(e.to.ix());
        }
    }
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for &m in succ.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
            if m == start {
                let mut path = vec![n];
                let mut cur = n;
                while cur != start {
                    cur = parent[&cur];
                    path.push(cur);
                }
                path.reverse();
                return Some(Cycle(path.into_iter().map(|i| TaskIx(i as u32)).collect()));
            }
            if let std::collections::hash_map::Entry::Vacant(v) = parent.entry(m) {
                v.insert(n);
                queue.push_back(m);
            }
        }
    }
    None
}

#[cfg(test)]
pub(crate) mod tests;
