//! Writing a bundle into an output folder, whole or not at all.
//!
//! One run holds the folder's lock (`.removal-timeline.lock`, an `flock`)
//! from `OutDir::open` to the end, so two runs never mix their files. Each
//! file is staged as a temporary file in the folder as soon as it is made
//! (so a big bundle is never held in memory whole), hashed on the way;
//! `commit` then renames every file into place, removes the files of the
//! previous bundle that the new one does not have, and writes
//! `manifest.json` last. Until the manifest is written, the folder's old
//! manifest no longer matches its files, so a run killed part-way leaves a
//! bundle that `verify`, `diff` and `replan` refuse as mixed, never one
//! that passes for whole; the next run into the folder removes what the
//! killed one left. Files the bundle does not name are never touched, and
//! no input is ever replaced.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use fs4::fs_std::FileExt;

use super::manifest::{self, Manifest, MANIFEST};
use super::CliError;
use crate::artifact::{Artifact, Sink, WriteCause, WriteError};

/// Set to an artifact's path (`timeline.csv`) to make staging it fail:
/// how the tests show that a failed run keeps the previous bundle.
pub const ENV_FAIL_WRITE: &str = "REMOVAL_TIMELINE_TEST_FAIL_WRITE";

/// Set to a number N to make the run stop dead (as if killed) after its
/// Nth rename: how the tests show that a bundle left half-renamed is
/// refused as mixed and made whole by the next run.
pub const ENV_STOP_AFTER_RENAMES: &str = "REMOVAL_TIMELINE_TEST_STOP_AFTER_RENAMES";

/// The lock file: held (`flock`) by the run writing into the folder.
pub const LOCK: &str = ".removal-timeline.lock";
/// Temporary files: `.removal-timeline-*.tmp`, in the folder itself.
const TMP_PREFIX: &str = ".removal-timeline-";
const TMP_SUFFIX: &str = ".tmp";
/// The paths a committing run is about to rename into place, written
/// before the first rename: if the run is killed, the next one knows
/// which of them to remove.
const JOURNAL: &str = ".removal-timeline-pending.tmp";

/// An output folder held for one run.
pub struct OutDir {
    dir: PathBuf,
    inputs: Vec<PathBuf>,
    /// Files of earlier bundles (the old manifest, a killed run's
    /// journal): removed at commit unless the new bundle has them.
    previous: BTreeSet<String>,
    /// Staged by several rendering threads at once.
    staged: std::sync::Mutex<Vec<Staged>>,
    fail: Option<String>,
    /// Held until the run ends; dropping it releases the lock.
    _lock: fs::File,
}

/// One file made and on disk, waiting to be renamed into place.
struct Staged {
    rel: String,
    /// Closed once written: a national bundle stages tens of thousands of
    /// files, more than a process may hold open.
    tmp: tempfile::TempPath,
    sha256: String,
}

impl OutDir {
    /// Creates `dir` if needed, takes its lock (a second run fails at once
    /// with a clear message), and removes the temporary files a killed run
    /// left. `inputs` are the files this run reads: no output may replace
    /// one, and none is ever removed.
    pub fn open(dir: &Path, inputs: &[&Path]) -> Result<OutDir, CliError> {
        let shown = dir.display();
        if dir.exists() && !dir.is_dir() {
            return Err(CliError::Input(format!(
                "cannot write to {shown}: it is a file, not a folder; choose another --out folder"
            )));
        }
        fs::create_dir_all(dir).map_err(|e| {
            fail(
                "",
                WriteCause::of_io(&e, WriteCause::CreateDir),
                format!("cannot create the folder {shown}: {e}"),
            )
        })?;
        let lock = lock(dir)?;
        let mut previous = BTreeSet::new();
        if let Some(m) = Manifest::read(&dir.join(MANIFEST)) {
            previous.extend(m.files.into_keys());
        }
        previous.extend(read_journal(&dir.join(JOURNAL)));
        remove_temporaries(dir);
        Ok(OutDir {
            dir: dir.to_path_buf(),
            inputs: inputs.iter().map(|p| p.to_path_buf()).collect(),
            previous,
            staged: Default::default(),
            fail: std::env::var(ENV_FAIL_WRITE).ok(),
            _lock: lock,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stages one file of the bundle.
    pub fn add(&self, a: &Artifact) -> Result<(), WriteError> {
        self.add_streamed(&a.path, |w| w.write_all(&a.bytes))
    }

    /// Stages one file of the bundle, written by `write` straight to disk.
    pub fn add_streamed(
        &self,
        rel: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        let target = target(&self.dir, rel)?;
        if self.fail.as_deref() == Some(rel) {
            return Err(fail(
                rel,
                WriteCause::Write,
                format!(
                    "cannot write {}: failure injected by {ENV_FAIL_WRITE}",
                    target.display()
                ),
            ));
        }
        let (tmp, sha256) = stage(&self.dir, write).map_err(|e| {
            fail(
                rel,
                WriteCause::of_io(&e, WriteCause::Write),
                format!("cannot write {}: {e}", target.display()),
            )
        })?;
        let mut staged = self.staged.lock().unwrap_or_else(|p| p.into_inner());
        staged.push(Staged {
            rel: rel.to_string(),
            tmp: tmp.into_temp_path(),
            sha256,
        });
        Ok(())
    }

    /// Puts the staged bundle in place: refuses (before any rename) an
    /// output that would replace an input or a folder; renames each file;
    /// removes the previous bundle's files the new one does not have;
    /// writes `manifest.json` last.
    pub fn commit(self) -> Result<(), CliError> {
        let OutDir {
            dir,
            inputs,
            previous,
            staged,
            _lock,
            ..
        } = self;
        let mut staged = staged.into_inner().unwrap_or_else(|p| p.into_inner());
        // Files arrive in the order the threads finish them; rename in
        // path order.
        staged.sort_by(|a, b| a.rel.cmp(&b.rel));
        let mut targets = staged
            .iter()
            .map(|s| target(&dir, &s.rel))
            .collect::<Result<Vec<_>, _>>()?;
        targets.push(dir.join(MANIFEST));
        refuse_inputs(&targets, &inputs)?;
        refuse_folders(&targets)?;
        targets.pop();
        let new: BTreeSet<String> = staged.iter().map(|s| s.rel.clone()).collect();
        write_journal(&dir, &new)?;
        let mut files = std::collections::BTreeMap::new();
        let stop: Option<usize> = std::env::var(ENV_STOP_AFTER_RENAMES)
            .ok()
            .and_then(|v| v.parse().ok());
        for (i, (s, path)) in staged.into_iter().zip(&targets).enumerate() {
            if stop == Some(i) {
                std::process::exit(137);
            }
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| {
                    fail(
                        &s.rel,
                        WriteCause::of_io(&e, WriteCause::CreateDir),
                        format!("cannot create the folder {}: {e}", parent.display()),
                    )
                })?;
            }
            s.tmp.persist(path).map_err(|e| {
                fail(
                    &s.rel,
                    WriteCause::of_io(&e.error, WriteCause::Rename),
                    format!("cannot write {}: {}", path.display(), e.error),
                )
            })?;
            files.insert(s.rel, s.sha256);
        }
        for old in previous.difference(&new) {
            remove_old(&dir, old, &inputs);
        }
        let m = Manifest::new(files);
        let (tmp, _) = stage(&dir, |w| w.write_all(&m.to_json())).map_err(|e| {
            fail(
                MANIFEST,
                WriteCause::of_io(&e, WriteCause::Write),
                format!("cannot write {MANIFEST}: {e}"),
            )
        })?;
        tmp.persist(dir.join(MANIFEST)).map_err(|e| {
            fail(
                MANIFEST,
                WriteCause::of_io(&e.error, WriteCause::Rename),
                format!("cannot write {}: {}", dir.join(MANIFEST).display(), e.error),
            )
        })?;
        sync_folder(&dir);
        let _ = fs::remove_file(dir.join(JOURNAL));
        Ok(())
    }
}

impl Sink for OutDir {
    fn write(
        &self,
        path: &str,
        body: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        self.add_streamed(path, body)
    }
}

/// Writes every artifact under `dir` as one bundle (see `OutDir`).
pub fn write_all(dir: &Path, artifacts: &[Artifact], inputs: &[&Path]) -> Result<(), CliError> {
    let out = OutDir::open(dir, inputs)?;
    for a in artifacts {
        out.add(a)?;
    }
    out.commit()
}

/// Takes the folder's lock, or says who holds it.
fn lock(dir: &Path) -> Result<fs::File, CliError> {
    let path = dir.join(LOCK);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| CliError::Input(format!("cannot create {}: {e}", path.display())))?;
    match file.try_lock_exclusive() {
        Ok(true) => Ok(file),
        Ok(false) => Err(CliError::Input(format!(
            "another removal-timeline run is writing to {}; wait for it to finish, \
             or choose another --out folder",
            dir.display()
        ))),
        Err(e) => Err(CliError::Input(format!(
            "cannot lock {}: {e}",
            path.display()
        ))),
    }
}

/// The file an artifact goes to; artifact paths are relative and stay
/// inside the output folder.
fn target(dir: &Path, rel: &str) -> Result<PathBuf, WriteError> {
    let p = Path::new(rel);
    let inside = !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if !inside || rel == MANIFEST || rel.starts_with(TMP_PREFIX) {
        return Err(fail(
            rel,
            WriteCause::Path,
            format!("artifact path {rel:?} leaves the output folder or is reserved"),
        ));
    }
    Ok(dir.join(p))
}

/// A file of the bundle (`rel`; empty for the folder itself) that could
/// not be written, and why.
fn fail(rel: &str, cause: WriteCause, message: String) -> WriteError {
    WriteError {
        path: rel.into(),
        cause,
        message,
    }
}

/// Whether two paths name the same file (the same inode, so a link or a
/// second name for an input is caught too).
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        fs::canonicalize(a).ok() == fs::canonicalize(b).ok()
    }
}

/// An output that would replace one of the inputs is refused.
fn refuse_inputs(targets: &[PathBuf], inputs: &[PathBuf]) -> Result<(), CliError> {
    for t in targets {
        if let Some(input) = inputs.iter().find(|i| same_file(t, i)) {
            return Err(CliError::Input(format!(
                "cannot write {}: it is an input file ({}); choose another --out folder \
                 (nothing was written)",
                t.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// An output whose place is taken by a folder is refused before anything
/// is renamed (renaming a file onto a folder fails).
fn refuse_folders(targets: &[PathBuf]) -> Result<(), CliError> {
    match targets.iter().find(|t| t.is_dir()) {
        Some(t) => Err(CliError::Input(format!(
            "cannot write {}: it is a folder; move it away or choose another --out folder",
            t.display()
        ))),
        None => Ok(()),
    }
}

/// Writes a temporary file in `dir` with `write`, flushed to disk, and
/// returns it with the SHA-256 of what was written.
fn stage(
    dir: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<(tempfile::NamedTempFile, String)> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TMP_PREFIX).suffix(TMP_SUFFIX);
    // Temporary files are private (0600) by default; published files should
    // get the permissions any new file gets (0666 less the user's umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    let sha256 = {
        let mut w = manifest::Hashing::new(std::io::BufWriter::new(tmp.as_file_mut()));
        write(&mut w)?;
        w.finish()?
    };
    tmp.as_file().sync_all()?;
    Ok((tmp, sha256))
}

/// Records the paths about to be renamed into place.
fn write_journal(dir: &Path, paths: &BTreeSet<String>) -> Result<(), CliError> {
    let body = serde_json::to_vec(paths).unwrap_or_default();
    let failed = |e: std::io::Error, otherwise| {
        let cause = WriteCause::of_io(&e, otherwise);
        fail(
            JOURNAL,
            cause,
            format!("cannot write in {}: {e}", dir.display()),
        )
    };
    let (tmp, _) = stage(dir, |w| w.write_all(&body)).map_err(|e| failed(e, WriteCause::Write))?;
    tmp.persist(dir.join(JOURNAL))
        .map_err(|e| failed(e.error, WriteCause::Rename))?;
    Ok(())
}

/// The paths a killed run had started to rename, if it left its journal.
fn read_journal(path: &Path) -> Vec<String> {
    crate::read::bytes(path, manifest::MAX_MANIFEST_BYTES)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Removes the temporary files (and journal) a killed run left in `dir`.
/// Only called with the lock held, so none belongs to a live run.
fn remove_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let is_tmp = name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX);
        if is_tmp && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Removes one file of an earlier bundle (never an input, never a folder).
fn remove_old(dir: &Path, rel: &str, inputs: &[PathBuf]) {
    let Ok(path) = target(dir, rel) else {
        return;
    };
    let is_file = fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
    if is_file && !inputs.iter().any(|i| same_file(&path, i)) {
        let _ = fs::remove_file(&path);
    }
}

/// Flushes the folder's entries (the renames) to disk where the system
/// allows it; a failure here loses nothing already written.
fn sync_folder(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(path: &str, text: &str) -> Artifact {
        Artifact::new(path, text.as_bytes().to_vec())
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[cfg(unix)]
    #[test]
    fn published_files_get_the_permissions_of_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("plain"), b"x").unwrap();
        write_all(dir.path(), &[art("report.md", "x")], &[]).unwrap();
        let mode = |n: &str| {
            let m = fs::metadata(dir.path().join(n)).unwrap();
            m.permissions().mode() & 0o777
        };
        assert_eq!(mode("report.md"), mode("plain"));
    }

    #[test]
    fn writes_files_folders_and_the_manifest_and_leaves_others_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a/b");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("mine.txt"), "keep").unwrap();
        fs::write(out.join("timeline.json"), "old").unwrap();
        write_all(
            &out,
            &[art("timeline.json", "new"), art("public/x.csv", "x")],
            &[],
        )
        .unwrap();
        assert_eq!(
            fs::read_to_string(out.join("timeline.json")).unwrap(),
            "new"
        );
        assert_eq!(fs::read_to_string(out.join("public/x.csv")).unwrap(), "x");
        assert_eq!(fs::read_to_string(out.join("mine.txt")).unwrap(), "keep");
        assert_eq!(
            names(&out),
            [LOCK, MANIFEST, "mine.txt", "public", "timeline.json"],
            "no temporary files left"
        );
        let m = Manifest::read(&out.join(MANIFEST)).unwrap();
        assert_eq!(
            m.files.keys().collect::<Vec<_>>(),
            ["public/x.csv", "timeline.json"]
        );
        // SHA-256 of "x".
        assert_eq!(
            m.files["public/x.csv"],
            "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
        );
        assert!(m.mismatches(&out).is_empty());
    }

    #[test]
    fn files_of_a_larger_older_bundle_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let pages = |n: usize| -> Vec<Artifact> {
            (1..=n)
                .map(|i| art(&format!("gantt-{i:02}.png"), "p"))
                .collect()
        };
        write_all(dir.path(), &pages(3), &[]).unwrap();
        fs::write(dir.path().join("gantt-09.png"), "mine").unwrap();
        write_all(dir.path(), &pages(1), &[]).unwrap();
        assert_eq!(
            names(dir.path()),
            [LOCK, "gantt-01.png", "gantt-09.png", MANIFEST]
        );
    }

    #[test]
    fn a_killed_runs_leftovers_are_removed_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        write_all(dir.path(), &[art("a", "1")], &[]).unwrap();
        // A run killed after renaming b into place: its journal and a
        // staged file remain, and the manifest still names only a.
        fs::write(dir.path().join("b"), "2").unwrap();
        fs::write(dir.path().join(JOURNAL), r#"["a","b"]"#).unwrap();
        fs::write(dir.path().join(".removal-timeline-x1.tmp"), "").unwrap();
        let m = Manifest::read(&dir.path().join(MANIFEST)).unwrap();
        assert!(m.mismatches(dir.path()).is_empty(), "a alone matches");
        write_all(dir.path(), &[art("c", "3")], &[]).unwrap();
        assert_eq!(names(dir.path()), [LOCK, "c", MANIFEST]);
    }

    #[test]
    fn a_second_run_into_a_locked_folder_fails_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutDir::open(dir.path(), &[]).unwrap();
        let Err(CliError::Input(m)) = OutDir::open(dir.path(), &[]) else {
            panic!("the second run must fail");
        };
        assert!(
            m.contains("another removal-timeline run is writing to"),
            "{m}"
        );
        drop(first);
        assert!(OutDir::open(dir.path(), &[]).is_ok());
    }

    #[test]
    fn a_failure_before_renaming_keeps_the_old_outputs() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("timeline.json"), "old").unwrap();
        // A folder where the second file goes is found before any rename.
        fs::create_dir(dir.path().join("x.json")).unwrap();
        let r = write_all(
            dir.path(),
            &[art("timeline.json", "new"), art("x.json", "x")],
            &[],
        );
        assert!(matches!(r, Err(CliError::Input(_))));
        assert_eq!(
            fs::read_to_string(dir.path().join("timeline.json")).unwrap(),
            "old"
        );
        assert_eq!(names(dir.path()), [LOCK, "timeline.json", "x.json"]);
    }

    /// Each failure carries its cause, and the cause decides the exit
    /// code: a full disk is the user's to clear (1), a renderer that failed
    /// or a path of the program's own that escapes is a bug (3).
    #[test]
    fn a_failed_write_carries_its_cause_to_the_exit_code() {
        use crate::artifact::Collect;
        use std::io::{Error, ErrorKind};
        let dir = tempfile::tempdir().unwrap();
        let out = OutDir::open(dir.path(), &[]).unwrap();
        let full = out
            .write("a.csv", &mut |_| Err(Error::from(ErrorKind::StorageFull)))
            .unwrap_err();
        assert_eq!(
            (full.cause, full.path.as_str()),
            (WriteCause::DiskFull, "a.csv")
        );
        assert_eq!(CliError::from(full).exit_code(), 1);
        let other = out
            .write("b.csv", &mut |_| Err(Error::other("no")))
            .unwrap_err();
        assert_eq!(other.cause, WriteCause::Write);
        assert_eq!(CliError::from(other).exit_code(), 1);
        let escaping = out.put(art("../evil", "x")).unwrap_err();
        assert_eq!(escaping.cause, WriteCause::Path);
        assert_eq!(CliError::from(escaping).exit_code(), 3);
        let render = Collect::default()
            .write("c.csv", &mut |_| Err(Error::other("bug")))
            .unwrap_err();
        assert_eq!(render.cause, WriteCause::Render);
        assert_eq!(CliError::from(render).exit_code(), 3);
    }

    #[test]
    fn inputs_and_escaping_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("timeline.json");
        fs::write(&plan, "plan").unwrap();
        let r = write_all(dir.path(), &[art("timeline.json", "x")], &[&plan]);
        assert!(matches!(r, Err(CliError::Input(_))));
        assert_eq!(fs::read_to_string(&plan).unwrap(), "plan");
        let r = write_all(dir.path(), &[art("../evil", "x")], &[]);
        assert!(matches!(r, Err(CliError::Internal(_))));
        assert_eq!(names(dir.path()), [LOCK, "timeline.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn an_input_reached_by_another_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let sites = dir.path().join("sites.csv");
        fs::write(&sites, "id\n").unwrap();
        fs::hard_link(&sites, dir.path().join("timeline.csv")).unwrap();
        let r = write_all(dir.path(), &[art("timeline.csv", "x")], &[&sites]);
        assert!(matches!(r, Err(CliError::Input(_))));
        assert_eq!(fs::read_to_string(&sites).unwrap(), "id\n");
    }
}
