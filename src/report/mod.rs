//! The published bundle's documents: the programme office's report
//! (`report.html`, `report.md`), the formats offices work in
//! (`timeline.xlsx`, `timeline.ics`, `project.xml`), the publishable
//! `public/` folder, and the timeline's CSV.
//!
//! Pure: a plan and its timeline in, named bytes out. Every text that comes
//! from a plan is escaped for the format it lands in (`escape`).

pub mod commitments;
pub mod committed;
pub mod doc;
pub mod escape;
pub mod html;
pub mod ics;
pub mod markdown;
pub mod milestones;
pub mod model;
pub mod mspdi;
pub mod public;
pub mod risk;
pub mod standing;
pub mod timeline_csv;
pub mod xlsx;

use crate::artifact::{Artifact, Context};

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

/// The reports that show the charts: `report.html`, `report.md` and their
/// public versions.
pub fn render_documents(ctx: &Context, charts: &[crate::chart::Drawn]) -> Vec<Artifact> {
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
