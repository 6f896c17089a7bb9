//! The `removal-timeline` binary: parse, run, print the error once, exit.

use clap::Parser;
use removal_timeline::cli::{self, Cli, CliError};
use std::io::Write;

fn main() {
    // A bug must read as one line, not a panic trace.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        // Never panic here (a closed stderr would abort the process).
        let _ = writeln!(
            std::io::stderr(),
            "removal-timeline: internal error (a bug, please report it): {msg}{place}"
        );
    }));
    let args = Cli::parse();
    let code = match std::panic::catch_unwind(|| cli::run(&args)) {
        Ok(Ok(())) => cli::EXIT_OK,
        Ok(Err(e)) => {
            if !matches!(e, CliError::OutputClosed) {
                cli::print_err(&e.to_string());
            }
            e.exit_code()
        }
        Err(_) => cli::EXIT_BUG,
    };
    std::process::exit(code);
}
