//! `psplib PATH...`: run the scheduling core on PSPLIB instances, one line
//! per instance and a summary line; every schedule is checked before it is
//! counted or written. With `--out`, the start times are written as one
//! bundle with its `manifest.json`, like every other output folder.

use super::output::OutDir;
use super::{CliError, PsplibArgs};
use crate::psplib::{self, Reference};
use crate::schedule::{self, SearchOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(args: &PsplibArgs, _quiet: bool) -> Result<(), CliError> {
    let files = instance_files(&args.paths)?;
    let reference = match &args.reference {
        Some(path) => {
            let text = read(path)?;
            psplib::parse_reference(&text).map_err(|e| e.at(path))?
        }
        None => BTreeMap::new(),
    };
    // The instances and the reference are inputs: no output may replace one.
    let inputs: Vec<&Path> = files
        .iter()
        .map(|p| p.as_path())
        .chain(args.reference.as_deref())
        .collect();
    let out = match &args.out {
        Some(dir) => Some(OutDir::open(dir, &inputs)?),
        None => None,
    };
    let opts = SearchOptions {
        schedules: args.schedules.max(1),
        seed: args.seed,
        ..SearchOptions::default()
    };
    let mut totals = Totals::default();
    for path in &files {
        let name = stem(path);
        let text = read(path)?;
        let inst = psplib::parse(&text).map_err(|e| e.at(path))?;
        let t0 = Instant::now();
        let sol = schedule::solve(&inst.to_problem(), &opts);
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        let starts = inst
            .starts(&sol)
            .ok_or_else(|| CliError::Internal(format!("{name}: a job was left unscheduled")))?;
        inst.check(&starts)
            .map_err(|e| CliError::Internal(format!("{name}: invalid schedule: {e}")))?;
        let makespan = inst.makespan(&starts);
        if let Some(out) = &out {
            let body = serde_json::json!({ "makespan": makespan, "starts": starts });
            out.add_streamed(&format!("{name}.json"), |w| writeln!(w, "{body}"))?;
        }
        let r = reference.get(&name).copied();
        say(&totals.add(&name, makespan, r, sol.schedules, ms))?;
    }
    // Written whole, with its manifest, once every instance is solved.
    if let Some(out) = out {
        out.commit()?;
    }
    if let Some(line) = totals.best_known_line() {
        say(&line)?;
    }
    say(&totals.summary())
}

/// Prints a line; a closed pipe (`| head`) ends the command quietly.
fn say(line: &str) -> Result<(), CliError> {
    use std::io::Write;
    super::stdout_result(writeln!(std::io::stdout().lock(), "{line}"))
}

/// Running sums for the summary line.
#[derive(Debug, Default)]
struct Totals {
    instances: usize,
    with_ref: usize,
    dev_sum: f64,
    optimal: usize,
    ms_sum: f64,
    /// Deviation of the best known makespans (bounds references only).
    ub_dev_sum: f64,
    with_ub: usize,
}

impl Totals {
    fn add(
        &mut self,
        name: &str,
        makespan: i32,
        r: Option<Reference>,
        schedules: u64,
        ms: f64,
    ) -> String {
        self.instances += 1;
        self.ms_sum += ms;
        let (reference, dev) = match r {
            Some(r) => {
                let dev = r.deviation_pct(makespan);
                self.with_ref += 1;
                self.dev_sum += dev;
                self.optimal += r.is_optimal(makespan) as usize;
                if let Reference::Bounds { ub, .. } = r {
                    self.ub_dev_sum += r.deviation_pct(ub);
                    self.with_ub += 1;
                }
                (r.base().to_string(), format!("{dev:.2}"))
            }
            None => ("-".into(), "-".into()),
        };
        format!("{name} makespan={makespan} reference={reference} dev_pct={dev} schedules={schedules} ms={ms:.1}")
    }

    fn best_known_line(&self) -> Option<String> {
        (self.with_ub > 0).then(|| {
            format!(
                "best known (ub) avg_dev_pct={:.3} on the same instances",
                self.ub_dev_sum / self.with_ub as f64
            )
        })
    }

    fn summary(&self) -> String {
        let avg_dev = if self.with_ref > 0 {
            self.dev_sum / self.with_ref as f64
        } else {
            0.0
        };
        let avg_ms = if self.instances > 0 {
            self.ms_sum / self.instances as f64
        } else {
            0.0
        };
        format!(
            "instances={} avg_dev_pct={avg_dev:.3} optimal={} avg_ms={avg_ms:.1}",
            self.instances, self.optimal
        )
    }
}

/// The `.sm` files named, folders expanded (sorted, not recursive).
fn instance_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let rd = std::fs::read_dir(p)
                .map_err(|e| CliError::Input(format!("{}: {e}", p.display())))?;
            let mut found: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "sm"))
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(CliError::Input(format!(
                    "{}: no .sm files in this folder",
                    p.display()
                )));
            }
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Largest instance or reference file read: the largest PSPLIB files
/// are tens of kilobytes.
const MAX_PSPLIB_BYTES: u64 = 64 * 1024 * 1024;

fn read(path: &Path) -> Result<String, CliError> {
    crate::read::text(path, MAX_PSPLIB_BYTES)
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
}

fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}
