//! `manifest.json`: the last file of every bundle, naming each other file
//! the run wrote with its SHA-256 and the command that made it. A bundle
//! whose files do not match it is mixed (a run was stopped part-way, or
//! files were copied in from another run), and the commands that read a
//! published timeline refuse it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::CliError;

/// The manifest's file name, in the output folder.
pub const MANIFEST: &str = "manifest.json";
/// The value of its `format` field.
pub const FORMAT: &str = "removal-timeline-manifest/1";
/// Largest manifest read (a national programme's bundle names a few
/// thousand files).
pub const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;

/// `{"format": …, "command": [ARGS…], "files": {"PATH": "SHA256", …}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `FORMAT`.
    pub format: String,
    /// The command line that wrote the bundle, program name first.
    pub command: Vec<String>,
    /// Every other file of the bundle: its path relative to the folder
    /// (`/` separators) and the SHA-256 of its bytes, in lower-case hex.
    pub files: BTreeMap<String, String>,
}

impl Manifest {
    /// The manifest of a bundle written by this process.
    pub fn new(files: BTreeMap<String, String>) -> Manifest {
        let command = std::iter::once("removal-timeline".to_string())
            .chain(
                std::env::args_os()
                    .skip(1)
                    .map(|a| a.to_string_lossy().into_owned()),
            )
            .collect();
        Manifest {
            format: FORMAT.into(),
            command,
            files,
        }
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut b = serde_json::to_vec_pretty(self).unwrap_or_default();
        b.push(b'\n');
        b
    }

    /// The manifest at `path`, if there is one of ours (a `manifest.json`
    /// of another program, or an unreadable one, is not).
    pub fn read(path: &Path) -> Option<Manifest> {
        let bytes = crate::read::bytes(path, MAX_MANIFEST_BYTES).ok()?;
        serde_json::from_slice::<Manifest>(&bytes)
            .ok()
            .filter(|m| m.format == FORMAT)
    }

    /// The files under `dir` that do not match: `PATH (missing)` or
    /// `PATH (changed)`, in path order.
    pub fn mismatches(&self, dir: &Path) -> Vec<String> {
        let mut bad = Vec::new();
        for (rel, want) in &self.files {
            let inside = Path::new(rel)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            let path = dir.join(rel);
            match sha256_file(&path) {
                _ if !inside => bad.push(format!("{rel} (not a path inside the folder)")),
                Ok(got) if &got == want => {}
                Ok(_) => bad.push(format!("{rel} (changed)")),
                Err(_) => bad.push(format!("{rel} (missing)")),
            }
        }
        bad
    }

    /// The command, as a user would type it again.
    pub fn command_line(&self) -> String {
        let quote = |a: &String| {
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_alphanumeric() || "-_./=:,+@%".contains(c));
            if plain {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        };
        self.command.iter().map(quote).collect::<Vec<_>>().join(" ")
    }
}

/// A writer that hashes what passes through it.
pub struct Hashing<W: Write> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Hashing<W> {
    pub fn new(inner: W) -> Hashing<W> {
        Hashing {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Flushes and returns the SHA-256 of everything written, in hex.
    pub fn finish(mut self) -> std::io::Result<String> {
        self.inner.flush()?;
        Ok(format!("{:x}", self.hasher.finalize()))
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The SHA-256 of a regular file (anything else is an error, never opened).
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut file = std::fs::File::open(path)?;
    let mut h = Hashing::new(std::io::sink());
    std::io::copy(&mut file, &mut h)?;
    h.finish()
}

/// Refuses a published file (a timeline) that belongs to a mixed bundle:
/// the manifest in its folder (or the one above, for `compare`'s
/// `timelines/`) names it, and some file of that bundle does not match.
/// A file no manifest names is not part of a bundle and is not checked.
pub fn check_bundle(file: &Path) -> Result<(), CliError> {
    let parent = file.parent().filter(|p| !p.as_os_str().is_empty());
    let (Ok(mut dir), Some(name)) = (
        std::fs::canonicalize(parent.unwrap_or(Path::new("."))),
        file.file_name(),
    ) else {
        return Ok(());
    };
    let mut rel: Vec<String> = vec![name.to_string_lossy().into_owned()];
    for _ in 0..2 {
        if let Some(m) = Manifest::read(&dir.join(MANIFEST)) {
            let key: Vec<&str> = rel.iter().rev().map(String::as_str).collect();
            if m.files.contains_key(&key.join("/")) {
                return mixed(file, &dir, &m);
            }
        }
        let Some(up) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            break;
        };
        rel.push(up);
        dir = match dir.parent() {
            Some(p) => p.to_path_buf(),
            None => break,
        };
    }
    Ok(())
}

/// `Ok` when every file matches `m`, else the error a user can act on.
fn mixed(file: &Path, dir: &Path, m: &Manifest) -> Result<(), CliError> {
    let bad = m.mismatches(dir);
    if bad.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = bad.iter().take(5).map(String::as_str).collect();
    let more = if bad.len() > 5 {
        format!(" and {} more", bad.len() - 5)
    } else {
        String::new()
    };
    let message = format!(
        "the bundle in {} is mixed: {} file(s) do not match its {MANIFEST} \
         ({}{more}), so this timeline may not be the one its charts and reports show \
         (a run writing there was probably stopped part-way). Run the command that wrote it \
         again to make the folder whole: {}",
        dir.display(),
        bad.len(),
        shown.join(", "),
        m.command_line()
    );
    // The file as a whole is at fault, so the error points at its start.
    Err(crate::plan::Diagnostics::one(file.to_path_buf(), 1, 1, message).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_has_the_documented_form() {
        let m = Manifest {
            format: FORMAT.into(),
            command: vec![
                "removal-timeline".into(),
                "schedule".into(),
                "my plan.json".into(),
            ],
            files: [("a/b.png".to_string(), "00".to_string())].into(),
        };
        let v: serde_json::Value = serde_json::from_slice(&m.to_json()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "format": "removal-timeline-manifest/1",
                "command": ["removal-timeline", "schedule", "my plan.json"],
                "files": {"a/b.png": "00"}
            })
        );
        assert_eq!(m.command_line(), "removal-timeline schedule 'my plan.json'");
    }

    #[test]
    fn a_mixed_bundle_is_refused_and_a_whole_one_accepted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("timeline.json"), "t").unwrap();
        std::fs::write(dir.path().join("gantt.png"), "g").unwrap();
        let files = ["timeline.json", "gantt.png"]
            .iter()
            .map(|n| (n.to_string(), sha256_file(&dir.path().join(n)).unwrap()))
            .collect();
        std::fs::write(dir.path().join(MANIFEST), Manifest::new(files).to_json()).unwrap();
        let t = dir.path().join("timeline.json");
        assert!(check_bundle(&t).is_ok());
        std::fs::write(dir.path().join("gantt.png"), "new").unwrap();
        let Err(CliError::Input(msg)) = check_bundle(&t) else {
            panic!("a mixed bundle must be refused");
        };
        assert!(msg.contains("is mixed: 1 file(s) do not match"), "{msg}");
        assert!(msg.contains("gantt.png (changed)"), "{msg}");
        // A file the manifest does not name is not checked.
        std::fs::write(dir.path().join("copy.json"), "t").unwrap();
        assert!(check_bundle(&dir.path().join("copy.json")).is_ok());
    }
}
