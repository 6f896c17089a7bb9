//! `generate`: print a synthetic plan (see `crate::generate`) on stdout.

use std::io::Write;

use super::{CliError, GenerateArgs};

pub fn run(args: &GenerateArgs, _quiet: bool) -> Result<(), CliError> {
    if args.sites == 0 {
        return Err(CliError::Input(
            "generate: --sites must be at least 1".into(),
        ));
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
