//! `generate`: print a synthetic plan (see `crate::generate`) on stdout.

use std::io::Write;

use super::{CliError, GenerateArgs};
use crate::generate::MAX_SITES;

pub fn run(args: &GenerateArgs, _quiet: bool) -> Result<(), CliError> {
    if args.sites == 0 || args.sites > MAX_SITES {
        return Err(CliError::Input(format!(
            "generate: --sites {}: give a number from 1 to {MAX_SITES}",
            args.sites
        )));
    }
    let plan = crate::generate::generate(args.sites, args.seed);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    serde_json::to_writer_pretty(&mut out, &plan)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush())
        .map_or_else(|e| super::stdout_result(Err(e)), Ok)
}
