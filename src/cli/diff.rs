//! `diff`: placeholder until its issue lands.

use super::{CliError, DiffArgs};

pub fn run(_args: &DiffArgs, _quiet: bool) -> Result<(), CliError> {
    Err(CliError::Internal("`diff` is not built yet".into()))
}
