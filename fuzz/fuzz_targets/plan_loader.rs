//! Fuzz target: any bytes as a plan file (and, after a 0xFF byte, as the
//! `sites.csv` beside it). Loading must return a plan or located errors;
//! a panic, a hang or an out-of-memory is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// One folder per process holding `plan.json` and `sites.csv`.
fn folder() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary folder"))
        .path()
}

fuzz_target!(|data: &[u8]| {
    let (plan, csv) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let dir = folder();
    std::fs::write(dir.join("sites.csv"), csv).expect("write sites.csv");
    let path = dir.join("plan.json");
    std::fs::write(&path, plan).expect("write plan.json");
    match removal_timeline::load::plan_file(&path) {
        Ok(_) => {}
        Err(diags) => {
            // Every error is located in a real file at line ≥ 1, col ≥ 1.
            assert!(!diags.0.is_empty());
            for d in &diags.0 {
                assert!(d.line >= 1 && d.col >= 1, "{d}");
            }
        }
    }
});
