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
pub mod ics;
pub mod markdown;
pub mod milestones;
pub mod model;
pub mod mspdi;
pub mod public;
pub mod timeline_csv;
pub mod why;
pub mod words;
pub mod xlsx;

use crate::artifact::{Artifact, Context};
use std::collections::HashMap;

use crate::network;
use crate::plan::Plan;
use crate::timeline::Timeline;

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
    let filled;
    let ctx = if needs_reasons(ctx.timeline) {
        filled = with_late_reasons(ctx.plan, ctx.timeline);
        &Context {
            timeline: &filled,
            ..*ctx
        }
    } else {
        ctx
    };
    let mut docs = render_documents(ctx, charts).into_iter();
    let mut exports = Export::ALL
        .iter()
        .map(|e| e.render(ctx))
        .collect::<Result<Vec<_>, _>>()?;
    let milestones = exports.pop();
    // The office's documents, the exports, then the public folder.
    let mut out: Vec<Artifact> = docs.by_ref().take(2).collect();
    out.extend(exports);
    out.extend(docs);
    out.extend(milestones);
    Ok(out)
}

/// The reports that show the charts: `report.html`, `report.md` and their
/// public versions. The timeline's late sites must have their reasons
/// (`with_late_reasons`).
pub fn render_documents(ctx: &Context, charts: &[Artifact]) -> Vec<Artifact> {
    let reasons: Vec<Option<String>> = ctx
        .timeline
        .sites
        .iter()
        .map(|s| s.late_reason.clone())
        .collect();
    let full = model::document(ctx, charts, &reasons);
    let public = public::document(ctx, charts);
    vec![
        Artifact::new("report.html", html::render(&full).into_bytes()),
        Artifact::new("report.md", markdown::render(&full).into_bytes()),
        Artifact::new("public/report.html", html::render(&public).into_bytes()),
        Artifact::new("public/report.md", markdown::render(&public).into_bytes()),
    ]
}

/// The documents that do not show charts, each rendered on its own (the
/// bundle renders them on other threads while the charts are drawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Xlsx,
    Ics,
    ProjectXml,
    PublicMilestones,
}

impl Export {
    /// Longest to render first.
    pub const ALL: [Export; 4] = [
        Export::Xlsx,
        Export::Ics,
        Export::ProjectXml,
        Export::PublicMilestones,
    ];

    /// The late sites' reasons must be filled (`with_late_reasons`).
    pub fn render(self, ctx: &Context) -> Result<Artifact, ReportError> {
        Ok(match self {
            Export::Xlsx => Artifact::new("timeline.xlsx", xlsx::render(ctx)?),
            Export::Ics => Artifact::new("timeline.ics", ics::render(ctx)),
            Export::ProjectXml => Artifact::new("project.xml", mspdi::render(ctx)?),
            Export::PublicMilestones => {
                Artifact::new("public/milestones.csv", public::milestones_csv(ctx)?)
            }
        })
    }
}

/// Whether a late or unscheduled site lacks its reason (a timeline read
/// back from an older run, or built without `with_late_reasons`).
fn needs_reasons(tl: &Timeline) -> bool {
    tl.sites.iter().any(|s| {
        s.late_reason.is_none()
            && s.devices > 0
            && (s.removal_complete.is_none() || s.late_days.is_some_and(|d| d > 0))
    })
}

/// The timeline with `sites[].late_reason` filled for every late or
/// unscheduled site (a reason already given is kept).
pub fn with_late_reasons(plan: &Plan, timeline: &Timeline) -> Timeline {
    let mut timeline = timeline.clone();
    let Ok(network) = network::build(plan) else {
        return timeline;
    };
    let reasons = late_reasons(plan, &network, &timeline);
    let by_id: HashMap<&str, Option<String>> = plan
        .sites
        .iter()
        .map(|s| s.id.as_str())
        .zip(reasons)
        .collect();
    for site in &mut timeline.sites {
        if site.late_reason.is_none() {
            site.late_reason = by_id.get(site.id.as_str()).cloned().flatten();
        }
    }
    timeline
}
