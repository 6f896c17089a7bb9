//! The published bundle's documents: the programme office's report
//! (`report.html`, `report.md`), the formats offices work in
//! (`timeline.xlsx`, `timeline.ics`, `project.xml`), the publishable
//! `public/` folder, and the reason every late site is late (`why`).
//!
//! Pure: a plan and its timeline in, named bytes out. Every text that comes
//! from a plan is escaped for the format it lands in (`escape`).

pub mod doc;
pub mod escape;
pub mod html;
pub mod markdown;
pub mod milestones;
pub mod model;
pub mod public;
pub mod why;
pub mod words;

use crate::bundle::{Artifact, Context};
use crate::network;

pub use why::late_reasons;

/// Why a document could not be written. Each is a bug or a broken writer,
/// never the user's data: every plan that validates can be reported.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("writing CSV: {0}")]
    Csv(String),
    #[error("writing the spreadsheet: {0}")]
    Xlsx(String),
    #[error("writing XML: {0}")]
    Xml(String),
}

impl From<csv::Error> for ReportError {
    fn from(e: csv::Error) -> Self {
        ReportError::Csv(e.to_string())
    }
}

/// Every document of the bundle. `charts` are the chart artifacts (those
/// under `public/` from `chart::render_public`); the reports embed or link
/// their PNGs.
pub fn render_all(ctx: &Context, charts: &[Artifact]) -> Result<Vec<Artifact>, ReportError> {
    let reasons = reasons_for(ctx);
    let full = model::document(ctx, charts, &reasons);
    let public = public::document(ctx, charts);
    Ok(vec![
        Artifact::new("report.html", html::render(&full).into_bytes()),
        Artifact::new("report.md", markdown::render(&full).into_bytes()),
        Artifact::new("public/report.html", html::render(&public).into_bytes()),
        Artifact::new("public/report.md", markdown::render(&public).into_bytes()),
        Artifact::new("public/milestones.csv", public::milestones_csv(ctx)?),
    ])
}

/// The late reasons to show: those the timeline carries, else found here
/// (a timeline read back from an older run may carry none).
fn reasons_for(ctx: &Context) -> Vec<Option<String>> {
    let tl = ctx.timeline;
    let given: Vec<Option<String>> = tl.sites.iter().map(|s| s.late_reason.clone()).collect();
    let missing = tl.sites.iter().any(|s| {
        s.late_reason.is_none()
            && s.devices > 0
            && (s.removal_complete.is_none() || s.late_days.is_some_and(|d| d > 0))
    });
    if !missing {
        return given;
    }
    match network::build(ctx.plan) {
        Ok(net) => {
            let found = late_reasons(ctx.plan, &net, tl);
            given.into_iter().zip(found).map(|(g, f)| g.or(f)).collect()
        }
        Err(_) => given,
    }
}
