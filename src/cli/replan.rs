//! `replan`: placeholder until its issue lands.

use super::{CliError, ReplanArgs};

pub fn run(_args: &ReplanArgs, _quiet: bool) -> Result<(), CliError> {
    Err(CliError::Internal("`replan` is not built yet".into()))
}
