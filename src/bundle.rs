//! Everything `schedule` and `replan` publish, as named bytes. Producers are
//! pure; the CLI writes the files (atomically).

use crate::plan::Plan;
use crate::timeline::Timeline;

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

/// What a publisher needs: the plan, the timeline, and when re-planning the
/// baseline it replaces.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub plan: &'a Plan,
    pub timeline: &'a Timeline,
    pub baseline: Option<&'a Timeline>,
}
