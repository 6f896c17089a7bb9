//! The publishing side's shared vocabulary, on the ground floor below both
//! the renderers (`chart`, `report`) and the code that runs them
//! (`bundle`): an artifact (a path and its bytes), what every renderer is
//! given, and the fixed-order thread pool the jobs run on.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::odds::SiteRisk;
use crate::plan::{Crew, Plan, Site};
use crate::timeline::{Links, SiteRow, TaskRow, Timeline};

/// One output file: a path relative to the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Artifact {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Artifact {
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> Artifact {
        Artifact {
            path: path.into(),
            bytes,
        }
    }
}

/// A file a sink could not take: which one, what kind of failure it was
/// (`cause`, which decides the exit code), and the sink's own account of
/// why (for the output folder: the path on disk and the system's reason).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct WriteError {
    /// The artifact's path in the bundle.
    pub path: String,
    /// The kind of failure, apart from the message.
    pub cause: WriteCause,
    /// The whole message, naming the file.
    pub message: String,
}

/// Why a file could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteCause {
    /// Its bytes could not be made: the renderer writing it failed (a bug).
    Render,
    /// Its path leaves the output folder or is one the folder reserves (a
    /// bug: artifact paths are the program's own).
    Path,
    /// A folder to hold it could not be created.
    CreateDir,
    /// Its bytes could not be written to disk.
    Write,
    /// The disk, or the user's quota on it, is full.
    DiskFull,
    /// Written, but it could not be put in place under its name.
    Rename,
}

impl WriteCause {
    /// The cause of a failed system call made for `otherwise`: a full disk
    /// is told apart, whatever the call was.
    pub fn of_io(e: &std::io::Error, otherwise: WriteCause) -> WriteCause {
        use std::io::ErrorKind;
        match e.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => WriteCause::DiskFull,
            _ => otherwise,
        }
    }

    /// Whether the program is at fault (exit 3), not the machine it wrote
    /// to (exit 1: the user can free space or choose another folder).
    pub fn is_bug(self) -> bool {
        matches!(self, WriteCause::Render | WriteCause::Path)
    }
}

/// Where published files go as soon as each is made, so that a large
/// bundle is never held in memory whole: the output folder (the CLI), or
/// a list (`Collect`, for tests). Called from several threads.
pub trait Sink: Sync {
    /// Takes one file, which `body` writes piece by piece.
    fn write(
        &self,
        path: &str,
        body: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError>;

    /// Takes one whole file.
    fn put(&self, a: Artifact) -> Result<(), WriteError> {
        self.write(&a.path, &mut |w| w.write_all(&a.bytes))
    }
}

/// A sink that keeps every file in memory.
#[derive(Debug, Default)]
pub struct Collect(pub std::sync::Mutex<Vec<Artifact>>);

impl Collect {
    /// The files, by path.
    pub fn into_sorted(self) -> Vec<Artifact> {
        let mut v = self.0.into_inner().unwrap_or_else(|p| p.into_inner());
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }
}

impl Sink for Collect {
    fn write(
        &self,
        path: &str,
        body: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        let mut bytes = Vec::new();
        body(&mut bytes).map_err(|e| WriteError {
            path: path.into(),
            cause: WriteCause::Render,
            message: format!("cannot render {path}: {e}"),
        })?;
        let mut v = self.0.lock().unwrap_or_else(|p| p.into_inner());
        v.push(Artifact::new(path, bytes));
        Ok(())
    }
}

/// What a publisher needs: the plan, the timeline and its task links
/// (the network as the renderers read it, never rebuilt, with the typed
/// indices that tie the timeline's rows to the plan), and when
/// re-planning the baseline it replaces.
///
/// The timeline, its plan, its links and its risk figures share their
/// positions: site row `s` is plan site `s` and risk site `s`, task row
/// `t` is link `t` (see `timeline::links`), so a renderer finds one in
/// another by index, never by ID. Only the baseline and the committed
/// timeline, another run's timeline perhaps of a plan with other sites,
/// are joined by ID, through `timeline::ById`.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub plan: &'a Plan,
    pub timeline: &'a Timeline,
    pub links: &'a Links,
    pub baseline: Option<&'a Timeline>,
    /// What `schedule --risk N` found: reports then say how sure the
    /// timeline is. Its sites are the plan's, in plan order.
    pub risk: Option<&'a crate::odds::Risk>,
    /// The timeline the programme committed to (`--committed`), drawn and
    /// reported against when given.
    pub committed: Option<&'a Timeline>,
}

impl<'a> Context<'a> {
    /// Site `s`'s row of the timeline and its record in the plan.
    pub fn site(&self, s: usize) -> (&'a SiteRow, &'a Site) {
        (&self.timeline.sites[s], &self.plan.sites[s])
    }

    /// Site `s`'s task rows, in workflow order.
    pub fn site_tasks(&self, s: usize) -> &'a [TaskRow] {
        &self.timeline.tasks[self.links.site_tasks[s].clone()]
    }

    /// The plan's record of the site of task row `t`.
    pub fn task_site(&self, t: usize) -> &'a Site {
        &self.plan.sites[self.links.site_of(t)]
    }

    /// The crew task row `t` is assigned to, if any.
    pub fn task_crew(&self, t: usize) -> Option<&'a Crew> {
        self.links.crews[t].map(|c| &self.plan.crews[c.ix()])
    }

    /// The risk figures of site `s`, with risk.
    pub fn site_risk(&self, s: usize) -> Option<&'a SiteRisk> {
        self.risk.map(|r| &r.sites[s])
    }
}

/// Runs `job(0)` … `job(n - 1)` on up to four threads, each thread taking
/// the next job when it finishes one, and returns the results in job
/// order, so the output does not depend on the threads or their timing.
/// A panic in a job is a bug and is passed on.
pub fn run_ordered<T: Send>(n: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .clamp(1, 4)
        .min(n);
    if threads <= 1 {
        return (0..n).map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            return mine;
                        }
                        mine.push((i, job(i)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_by_key(|d| d.0);
    done.into_iter().map(|d| d.1).collect()
}
