//! `validate`: placeholder until its issue lands.

use super::{CliError, ValidateArgs};

pub fn run(_args: &ValidateArgs, _quiet: bool) -> Result<(), CliError> {
    Err(CliError::Internal("`validate` is not built yet".into()))
}

pub fn schema() -> Result<(), CliError> {
    Err(CliError::Internal("`schema` is not built yet".into()))
}
