//! `psplib`: placeholder until its issue lands.

use super::{CliError, PsplibArgs};

pub fn run(_args: &PsplibArgs, _quiet: bool) -> Result<(), CliError> {
    Err(CliError::Internal("`psplib` is not built yet".into()))
}
