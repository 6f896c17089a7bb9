//! Writing published files safely: every file is written whole or not at
//! all (a temporary file in the same folder, then a rename), folders are
//! created as needed, nothing we did not produce is touched or deleted, and
//! the inputs are never overwritten.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use super::CliError;
use crate::artifact::Artifact;

/// Set to an artifact's path (`timeline.csv`) to make staging it fail:
/// how the tests show that a failed run keeps the previous bundle.
pub const ENV_FAIL_WRITE: &str = "REMOVAL_TIMELINE_TEST_FAIL_WRITE";

/// Writes every artifact under `dir`. All files are first written to
/// temporary files beside their targets; only when all of them are on disk
/// are they renamed into place, so a failure part-way leaves every earlier
/// output as it was. `inputs` are files that must never be replaced.
///
/// The renames themselves are one per file: each file is always whole, and
/// the only failure left between the first and the last rename is the
/// file system failing under us (a target that is a folder is found
/// before any rename). A run killed part-way can leave
/// `.removal-timeline-*.tmp` files beside the outputs, never a torn one.
pub fn write_all(dir: &Path, artifacts: &[Artifact], inputs: &[&Path]) -> Result<(), CliError> {
    let targets: Vec<PathBuf> = artifacts
        .iter()
        .map(|a| target(dir, &a.path))
        .collect::<Result<_, _>>()?;
    refuse_inputs(&targets, inputs)?;
    refuse_folders(&targets)?;
    let fail = std::env::var(ENV_FAIL_WRITE).ok();
    let mut staged = Vec::with_capacity(artifacts.len());
    for (a, path) in artifacts.iter().zip(&targets) {
        if fail.as_deref() == Some(a.path.as_str()) {
            return Err(CliError::Input(format!(
                "cannot write {}: failure injected by {ENV_FAIL_WRITE}",
                path.display()
            )));
        }
        staged.push(stage(path, &a.bytes)?);
    }
    for (tmp, path) in staged.into_iter().zip(&targets) {
        tmp.persist(path).map_err(|e| {
            CliError::Input(format!("cannot write {}: {}", path.display(), e.error))
        })?;
    }
    Ok(())
}

/// The file an artifact goes to; artifact paths are relative and stay
/// inside the output folder.
fn target(dir: &Path, rel: &str) -> Result<PathBuf, CliError> {
    let p = Path::new(rel);
    let inside = !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if !inside {
        return Err(CliError::Internal(format!(
            "artifact path {rel:?} leaves the output folder"
        )));
    }
    Ok(dir.join(p))
}

/// An output that would replace one of the inputs is refused.
fn refuse_inputs(targets: &[PathBuf], inputs: &[&Path]) -> Result<(), CliError> {
    for input in inputs {
        let Ok(input) = fs::canonicalize(input) else {
            continue;
        };
        for t in targets {
            if fs::canonicalize(t).is_ok_and(|t| t == input) {
                return Err(CliError::Input(format!(
                    "{} is an input file; choose another --out folder so it is not overwritten",
                    t.display()
                )));
            }
        }
    }
    Ok(())
}

/// An output whose place is taken by a folder is refused before anything
/// is written (renaming a file onto a folder fails).
fn refuse_folders(targets: &[PathBuf]) -> Result<(), CliError> {
    match targets.iter().find(|t| t.is_dir()) {
        Some(t) => Err(CliError::Input(format!(
            "cannot write {}: it is a folder; move it away or choose another --out folder",
            t.display()
        ))),
        None => Ok(()),
    }
}

/// Writes `bytes` to a temporary file in `path`'s folder (created if
/// needed), flushed to disk, ready to be renamed onto `path`.
fn stage(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, CliError> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let err = |what: &str, e: std::io::Error| {
        CliError::Input(format!("cannot {what} {}: {e}", folder.display()))
    };
    fs::create_dir_all(folder).map_err(|e| err("create folder", e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".removal-timeline-").suffix(".tmp");
    // Temporary files are private (0600) by default; published files should
    // get the permissions any new file gets (0666 less the user's umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder
        .tempfile_in(folder)
        .map_err(|e| err("write in", e))?;
    tmp.write_all(bytes).map_err(|e| err("write in", e))?;
    tmp.as_file().sync_all().map_err(|e| err("write in", e))?;
    Ok(tmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(path: &str, text: &str) -> Artifact {
        Artifact::new(path, text.as_bytes().to_vec())
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
    fn writes_files_and_folders_and_leaves_others_alone() {
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
        let names: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 3, "no temporary files left: {names:?}");
    }

    #[test]
    fn a_failure_before_renaming_keeps_the_old_outputs() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("timeline.json"), "old").unwrap();
        // A file where a folder must go makes staging the second artifact fail.
        fs::write(dir.path().join("public"), "a file").unwrap();
        let r = write_all(
            dir.path(),
            &[art("timeline.json", "new"), art("public/x", "x")],
            &[],
        );
        assert!(matches!(r, Err(CliError::Input(_))));
        assert_eq!(
            fs::read_to_string(dir.path().join("timeline.json")).unwrap(),
            "old"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
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
    }
}
