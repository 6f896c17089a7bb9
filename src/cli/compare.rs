//! `compare`: placeholder until its issue lands.

use super::{CliError, CompareArgs};

pub fn run(_args: &CompareArgs, _quiet: bool) -> Result<(), CliError> {
    Err(CliError::Internal("`compare` is not built yet".into()))
}
