//! Everything `schedule` and `replan` publish, as named bytes handed to a
//! sink as each is made (the CLI's output folder stages them and puts the
//! bundle in place only when all have rendered, so a failure leaves the
//! folder untouched). Rendering runs on a few threads
//! (`artifact::run_ordered`); each file's bytes depend only on its input,
//! so they do not depend on the machine.

use crate::artifact::{run_ordered, Artifact, Collect, Context, Sink, WriteError};
use crate::chart::{Charts, Drawn};
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

/// Renders every published file, in a stable order, into memory (for
/// tests and benchmarks; the CLI streams with `publish_into`).
pub fn publish(ctx: &Context) -> Result<Vec<Artifact>, PublishError> {
    let all = Collect::default();
    publish_into(ctx, &all).map_err(|f| match f {
        PublishFailure::Render(e) => e,
        PublishFailure::Write(e) => PublishError {
            artifact: "bundle".into(),
            message: e.message,
        },
    })?;
    Ok(all.into_sorted())
}

/// Why `publish_into` stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum PublishFailure {
    /// A file could not be rendered: a bug.
    Render(PublishError),
    /// The sink could not take a file (a full disk).
    Write(WriteError),
}

/// Renders every published file and hands each to `sink` as soon as it is
/// made, so the bundle is never held in memory whole: timeline.json and
/// project.xml are written as they are serialised, and of the charts only
/// the images the reports embed are kept until the reports are rendered
/// (not the pages of a Gantt too long to embed).
///
/// The work is split into independent jobs (each export, each chart, each
/// Gantt page) run on a few threads; only the reports that embed charts
/// wait for the charts. Every job's bytes depend only on its input, so the
/// files are the same whatever the number of threads; only the order in
/// which the sink receives them varies.
pub fn publish_into(ctx: &Context, sink: &dyn Sink) -> Result<(), PublishFailure> {
    let office = Charts::office(ctx);
    let public = Charts::public(ctx);
    // The exports are the longest single jobs, so they start first.
    let mut work: Vec<Work> = Export::ALL.into_iter().map(Work::Export).collect();
    work.extend([Work::Json, Work::Csv]);
    work.extend(Audience::ALL.map(Work::Page));
    work.extend((0..office.len()).map(Work::Office));
    work.extend((0..public.len()).map(Work::Public));
    let render = |artifact: &str, message: String| {
        PublishFailure::Render(PublishError {
            artifact: artifact.into(),
            message,
        })
    };
    let embedded = std::sync::Mutex::new(Embedded::default());
    let done = run_ordered(work.len(), |i| -> Result<(), PublishFailure> {
        let arts = match work[i] {
            Work::Json => {
                return sink
                    .write("timeline.json", &mut |w| build::write_json(ctx.timeline, w))
                    .map_err(PublishFailure::Write)
            }
            Work::Export(Export::Ics) => {
                return sink
                    .write("timeline.ics", &mut |w| {
                        crate::report::ics::render_to(ctx, w)
                    })
                    .map_err(PublishFailure::Write)
            }
            Work::Export(Export::ProjectXml) => {
                let mut failed = None;
                let written = sink.write("project.xml", &mut |w| {
                    crate::report::mspdi::render_to(ctx, w).map_err(|e| {
                        failed = Some(e.to_string());
                        std::io::Error::other("could not render it")
                    })
                });
                return match (written, failed) {
                    (_, Some(m)) => Err(render("reports", m)),
                    (r, None) => r.map_err(PublishFailure::Write),
                };
            }
            Work::Csv => vec![Artifact::new(
                "timeline.csv",
                timeline_csv::to_csv(ctx.timeline),
            )],
            Work::Export(e) => vec![e
                .render(ctx)
                .map_err(|e| render("reports", e.to_string()))?],
            Work::Page(a) => vec![a.render(ctx)],
            Work::Office(c) => office
                .draw(c)
                .map_err(|e| render("charts", e.to_string()))?,
            Work::Public(c) => public
                .draw(c)
                .map_err(|e| render("charts", e.to_string()))?,
        };
        let chart = match work[i] {
            Work::Office(c) => Some(office.chart(c)),
            Work::Public(c) => Some(public.chart(c)),
            _ => None,
        };
        if let Some(drawn) = chart.and_then(|c| Drawn::of(c, &arts)) {
            let mut kept = embedded.lock().unwrap_or_else(|p| p.into_inner());
            kept.keep(drawn);
        }
        for a in arts {
            sink.put(a).map_err(PublishFailure::Write)?;
        }
        Ok(())
    });
    done.into_iter().collect::<Result<(), _>>()?;
    // The reports embed the charts, so they come last.
    let charts = embedded
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .charts;
    for a in crate::report::render_documents(ctx, &charts) {
        sink.put(a).map_err(PublishFailure::Write)?;
    }
    Ok(())
}

/// The charts the reports need, as they are drawn: every chart's kind
/// and PNG. A Gantt with more pages than the report embeds
/// (`report::model::MAX_GANTT_PAGES`) has its pages' bytes dropped, as the
/// report leaves them out.
#[derive(Default)]
struct Embedded {
    charts: Vec<Drawn>,
    pages: usize,
}

impl Embedded {
    fn keep(&mut self, mut d: Drawn) {
        let page = d.chart.is_gantt_page();
        self.pages += usize::from(page);
        let too_many = self.pages > crate::report::model::MAX_GANTT_PAGES;
        if too_many {
            for c in self.charts.iter_mut().filter(|c| c.chart.is_gantt_page()) {
                c.png.bytes = Vec::new();
            }
        }
        if page && too_many {
            d.png.bytes = Vec::new();
        }
        self.charts.push(d);
    }
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
