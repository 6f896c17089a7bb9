//! `schedule`: placeholder until its issue lands.

use super::{CliError, ScheduleArgs};

pub fn run(_args: &ScheduleArgs, _quiet: bool) -> Result<(), CliError> {
    Err(CliError::Internal("`schedule` is not built yet".into()))
}
