//! Everything `schedule` and `replan` publish, as named bytes. Producers are
//! pure; the CLI writes the files (atomically), and only after every
//! artifact has rendered, so a failure leaves the output folder untouched.
//! Rendering runs on a few threads (`artifact::run_ordered`) with a fixed result
//! order, so the bytes do not depend on the machine.

use crate::artifact::{run_ordered, Artifact, Context};
use crate::chart::Charts;
use crate::page::Audience;
use crate::report::{timeline_csv, Export};
use crate::timeline::build;

/// An artifact could not be rendered; nothing is written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("could not render {artifact}: {message}")]
pub struct PublishError {
    pub artifact: String,
    pub message: String,
}

/// Renders every published file, in a stable order.
///
/// The work is split into independent jobs (each export, each chart, each
/// Gantt page) run on a few threads; only the reports that embed charts
/// wait for the charts. Every job's bytes depend only on its input, so the
/// result is the same whatever the number of threads.
pub fn publish(ctx: &Context) -> Result<Vec<Artifact>, PublishError> {
    let office = Charts::office(ctx);
    let public = Charts::public(ctx);
    // The exports are the longest single jobs, so they start first.
    let mut work: Vec<Work> = Export::ALL.into_iter().map(Work::Export).collect();
    work.extend([Work::Json, Work::Csv]);
    work.extend(Audience::ALL.map(Work::Page));
    work.extend((0..office.len()).map(Work::Office));
    work.extend((0..public.len()).map(Work::Public));
    let chart_err = |e: crate::chart::ChartError| PublishError {
        artifact: "charts".into(),
        message: e.to_string(),
    };
    let report_err = |e: crate::report::ReportError| PublishError {
        artifact: "reports".into(),
        message: e.to_string(),
    };
    let done = run_ordered(work.len(), |i| match work[i] {
        Work::Json => Ok(vec![Artifact::new(
            "timeline.json",
            build::to_json(ctx.timeline),
        )]),
        Work::Csv => Ok(vec![Artifact::new(
            "timeline.csv",
            timeline_csv::to_csv(ctx.timeline),
        )]),
        Work::Export(e) => e.render(ctx).map(|a| vec![a]).map_err(report_err),
        Work::Page(a) => Ok(vec![a.render(ctx)]),
        Work::Office(c) => office.draw(c).map_err(chart_err),
        Work::Public(c) => public.draw(c).map_err(chart_err),
    });
    let (mut out, mut charts) = (Vec::new(), Vec::new());
    for (w, arts) in work.iter().zip(done) {
        match w {
            Work::Office(_) | Work::Public(_) => charts.extend(arts?),
            _ => out.extend(arts?),
        }
    }
    // The reports embed the charts, so they come last.
    out.extend(crate::report::render_documents(ctx, &charts));
    out.append(&mut charts);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// One job of `publish`.
#[derive(Debug, Clone, Copy)]
enum Work {
    Json,
    Csv,
    Export(Export),
    Page(Audience),
    Office(usize),
    Public(usize),
}
