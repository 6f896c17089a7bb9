//! `verify`: placeholder until its issue lands.

use super::{CliError, VerifyArgs};

pub fn run(_args: &VerifyArgs, _quiet: bool) -> Result<(), CliError> {
    Err(CliError::Internal("`verify` is not built yet".into()))
}
