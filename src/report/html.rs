//! A `Document` as one self-contained HTML page: styles inline, charts as
//! `data:` PNG images, no script and no external reference, so it can be
//! published or mailed as it is and printed on A4.

use std::fmt::Write;

use base64::Engine;

use super::doc::{Block, Document, Table};
use super::escape::html;

/// The page's styles; `$name` stands for a colour of `palette`, filled in
/// by `style`.
const STYLE: &str = r#"
body { font-family: "Noto Sans", "Helvetica Neue", Arial, sans-serif; color: $ink;
  max-width: 1200px; margin: 0 auto; padding: 24px; line-height: 1.4; font-size: 14px; }
h1 { font-size: 26px; margin: 0 0 4px; }
.subtitle { color: $muted; margin: 0 0 16px; }
.headline { font-size: 20px; font-weight: 600; border-left: 6px solid $bar;
  background: $headline; padding: 12px 16px; margin: 0 0 20px; }
h2 { font-size: 19px; border-bottom: 1px solid $heading; padding-bottom: 4px; margin-top: 28px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 12.5px; }
th, td { border: 1px solid $rule; padding: 3px 7px; vertical-align: top; }
th { background: $table-head; text-align: left; }
td.n, th.n { text-align: right; white-space: nowrap; }
td.d { white-space: nowrap; }
tr.late td { background: $late; }
tr.late td:first-child { font-weight: 600; }
figure { margin: 12px 0 20px; }
figure img { max-width: 100%; height: auto; border: 1px solid $figure; }
figcaption { color: $muted; font-size: 12px; }
ul { padding-left: 20px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5px; }
  .headline { font-size: 15px; }
  table { font-size: 9px; }
  thead { display: table-header-group; }
  tr, figure, img { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr.late td { background: $late !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// `STYLE` with its colours.
fn style() -> String {
    use crate::palette::{self as p, css_hex};
    [
        ("$ink", p::PAPER_INK),
        ("$muted", p::PAPER_MUTED),
        ("$bar", p::BLUE),
        ("$headline", p::HEADLINE_BG),
        ("$heading", p::HEADING_RULE),
        ("$rule", p::TABLE_RULE),
        ("$table-head", p::TABLE_HEAD),
        ("$late", p::LATE_ROW),
        ("$figure", p::FIGURE_RULE),
    ]
    .iter()
    .fold(STYLE.to_string(), |css, (name, c)| {
        css.replace(name, &css_hex(*c))
    })
}

pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", html(&doc.title));
    let _ = writeln!(out, "<style>{}</style>\n</head>\n<body>", style());
    let _ = writeln!(out, "<h1>{}</h1>", html(&doc.title));
    let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", html(&doc.subtitle));
    let _ = writeln!(out, "<p class=\"headline\">{}</p>", html(&doc.headline));
    for section in &doc.sections {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", html(&section.title));
        for block in &section.blocks {
            block_html(&mut out, block);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn block_html(out: &mut String, block: &Block) {
    match block {
        Block::Para(text) => {
            let _ = writeln!(out, "<p>{}</p>", html(text));
        }
        Block::List(items) => {
            out.push_str("<ul>\n");
            for item in items {
                let _ = writeln!(out, "<li>{}</li>", html(item));
            }
            out.push_str("</ul>\n");
        }
        Block::Table(t) => table_html(out, t),
        Block::Charts(charts) => {
            let b64 = base64::engine::general_purpose::STANDARD;
            for c in charts {
                let _ = writeln!(
                    out,
                    "<figure><img alt=\"{}: {}\" src=\"data:image/png;base64,{}\"><figcaption><strong>{}.</strong> {}</figcaption></figure>",
                    html(&c.caption),
                    html(&c.summary),
                    b64.encode(&c.png),
                    html(&c.caption),
                    html(&c.summary)
                );
            }
        }
    }
}

fn table_html(out: &mut String, t: &Table) {
    let class = |i: usize| {
        if t.nowrap.get(i).copied().unwrap_or(false) && !t.numeric.get(i).copied().unwrap_or(false)
        {
            return " class=\"d\"";
        }
        if t.numeric.get(i).copied().unwrap_or(false) {
            " class=\"n\""
        } else {
            ""
        }
    };
    out.push_str("<table>\n<thead><tr>");
    for (i, h) in t.header.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", class(i), html(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str(if row.flagged {
            "<tr class=\"late\">"
        } else {
            "<tr>"
        });
        for (i, c) in row.cells.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(i), html(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}
