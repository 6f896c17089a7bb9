//! A `Document` as Markdown (GitHub-flavoured tables) for wikis and
//! repositories. Charts are referenced by relative path; every text from a
//! plan is escaped so it can neither break a table nor inject markup.

use std::fmt::Write;

use super::doc::{Block, Document, Table};
use super::escape::md;

pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&doc.title));
    let _ = writeln!(out, "_{}_\n", md(&doc.subtitle));
    let _ = writeln!(out, "**{}**\n", md(&doc.headline));
    for section in &doc.sections {
        let _ = writeln!(out, "## {}\n", md(&section.title));
        for block in &section.blocks {
            block_md(&mut out, block);
            out.push('\n');
        }
    }
    out
}

fn block_md(out: &mut String, block: &Block) {
    match block {
        Block::Para(text) => {
            let _ = writeln!(out, "{}", md(text));
        }
        Block::List(items) => {
            for item in items {
                let _ = writeln!(out, "- {}", md(item));
            }
        }
        Block::Table(t) => table_md(out, t),
        Block::Charts(charts) => {
            for c in charts {
                // Chart paths are our own file names, never plan text.
                let _ = writeln!(
                    out,
                    "![{}: {}]({})\n\n*{}.* {}\n",
                    md(&c.caption),
                    md(&c.summary),
                    c.path,
                    md(&c.caption),
                    md(&c.summary)
                );
            }
        }
    }
}

fn table_md(out: &mut String, t: &Table) {
    let head: Vec<String> = t.header.iter().map(|h| md(h)).collect();
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let rule: Vec<&str> = t
        .numeric
        .iter()
        .map(|&n| if n { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "|{}|", rule.join("|"));
    for row in &t.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c = md(c);
                // Bold the first cell of a flagged row: visible in any renderer.
                if row.flagged && i == 0 && !c.is_empty() {
                    format!("**{c}**")
                } else {
                    c
                }
            })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}
