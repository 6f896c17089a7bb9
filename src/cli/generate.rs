//! `generate`: placeholder until its issue lands.

use super::{CliError, GenerateArgs};

pub fn run(_args: &GenerateArgs, _quiet: bool) -> Result<(), CliError> {
    Err(CliError::Internal("`generate` is not built yet".into()))
}
