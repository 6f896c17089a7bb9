//! Everything `schedule` and `replan` publish, as named bytes. Producers are
//! pure; the CLI writes the files (atomically), and only after every
//! artifact has rendered, so a failure leaves the output folder untouched.

use crate::plan::Plan;
use crate::timeline::{build, csv, Timeline};

/// One output file: a path relative to the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Artifact {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Artifact {
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> Artifact {
        Artifact {
            path: path.into(),
            bytes,
        }
    }
}

/// What a publisher needs: the plan, the timeline, and when re-planning the
/// baseline it replaces.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub plan: &'a Plan,
    pub timeline: &'a Timeline,
    pub baseline: Option<&'a Timeline>,
}

/// An artifact could not be rendered; nothing is written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("could not render {artifact}: {message}")]
pub struct PublishError {
    pub artifact: String,
    pub message: String,
}

/// Renders every published file, in a stable order.
pub fn publish(ctx: &Context) -> Result<Vec<Artifact>, PublishError> {
    let timeline = crate::report::with_late_reasons(ctx.plan, ctx.timeline);
    let ctx = &Context {
        timeline: &timeline,
        ..*ctx
    };
    let mut out = vec![
        Artifact::new("timeline.json", build::to_json(ctx.timeline)),
        Artifact::new("timeline.csv", csv::to_csv(ctx.timeline)),
    ];
    // The reports embed the charts, so the charts are drawn first.
    let chart_err = |e: crate::chart::ChartError| PublishError {
        artifact: "charts".into(),
        message: e.to_string(),
    };
    let mut charts = crate::chart::render_all(ctx).map_err(chart_err)?;
    charts.extend(crate::chart::render_public(ctx).map_err(chart_err)?);
    let reports = crate::report::render_all(ctx, &charts).map_err(|e| PublishError {
        artifact: "reports".into(),
        message: e.to_string(),
    })?;
    out.append(&mut charts);
    out.extend(reports);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
