//! Reading input files, bounded: the one way every command reads a plan, a
//! CSV, a progress file, a timeline, a scenario, a manifest or a PSPLIB
//! instance. Only regular files are read (a FIFO would block for ever, a
//! device such as `/dev/zero` never ends), and never more than the limit,
//! whatever size the file system reports.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The path names something other than a regular file.
    NotAFile(&'static str),
    /// The file holds more than `limit` bytes (`size` when the file
    /// system says how many).
    TooBig { size: Option<u64>, limit: u64 },
    /// The operating system refused (missing file, no permission, …).
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotAFile(what) => {
                write!(f, "cannot read the file: it is {what}, not a regular file")
            }
            ReadError::TooBig {
                size: Some(size),
                limit,
            } => write!(
                f,
                "the file is {size} bytes, more than the limit of {limit}"
            ),
            ReadError::TooBig { size: None, limit } => {
                write!(f, "the file is more than the limit of {limit} bytes")
            }
            ReadError::Io(e) => write!(f, "cannot read the file: {e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// What a path names, when it is not a regular file; `None` for a file.
fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a file")
}

/// The bytes of the regular file at `path` (links followed), at most
/// `limit` of them. The type is checked before opening, so a FIFO is never
/// opened (which would wait for a writer), and again on the open file; the
/// read itself stops after `limit + 1` bytes, so a file that grows while
/// it is read cannot make it unbounded.
pub fn bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if let Some(what) = not_a_file(&meta) {
        return Err(ReadError::NotAFile(what));
    }
    if meta.len() > limit {
        return Err(ReadError::TooBig {
            size: Some(meta.len()),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if let Some(what) = not_a_file(&meta) {
        return Err(ReadError::NotAFile(what));
    }
    let mut out = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(ReadError::Io)?;
    if out.len() as u64 > limit {
        return Err(ReadError::TooBig { size: None, limit });
    }
    Ok(out)
}

/// `bytes`, as UTF-8 text (lossless: an invalid byte is an error naming
/// its line).
pub fn text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let b = bytes(path, limit)?;
    String::from_utf8(b).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&c| c == b'\n').count() + 1;
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("line {line} is not valid UTF-8 text"),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_file_within_the_limit_and_refuses_a_longer_one() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a");
        std::fs::write(&f, b"12345").unwrap();
        assert_eq!(bytes(&f, 5).unwrap(), b"12345");
        assert!(matches!(
            bytes(&f, 4),
            Err(ReadError::TooBig { limit: 4, .. })
        ));
        assert!(matches!(bytes(dir.path(), 9), Err(ReadError::NotAFile(_))));
        assert!(matches!(
            bytes(&dir.path().join("missing"), 9),
            Err(ReadError::Io(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        let e = bytes(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read the file: it is a device, not a regular file"
        );
    }
}
