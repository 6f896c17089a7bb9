//! The interactive timeline page, `timeline.html` (and the tier-level
//! `public/timeline.html`): one self-contained HTML file that opens from
//! `file://` on an air-gapped laptop. Pure: a plan and its timeline in,
//! bytes out.
//!
//! The data is embedded as JSON in a `<script type="application/json">`
//! element; the script and styles are inlined from `page.js`, `page.css`
//! and `views.js` (kept as files so they can be read and reviewed). A
//! Content-Security-Policy forbids every request, so even a bug cannot
//! reach the network; the script inserts every plan text with
//! `textContent`, never as markup. See docs/timeline-page.md.

pub mod data;
pub mod palette;
pub mod public;

use crate::artifact::{Artifact, Context};
use crate::report::escape;

pub use data::PageData;

const TEMPLATE: &str = include_str!("page.html");
const CSS: &str = include_str!("page.css");
const JS: [&str; 3] = [
    include_str!("page.js"),
    include_str!("gantt.js"),
    include_str!("views.js"),
];

/// Which of the two pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// `timeline.html`: every site and task, crews and money.
    Office,
    /// `public/timeline.html`: tiers and phases only.
    Public,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Office, Audience::Public];

    pub fn path(self) -> &'static str {
        match self {
            Audience::Office => "timeline.html",
            Audience::Public => "public/timeline.html",
        }
    }

    /// The page's data for this audience.
    pub fn data(self, ctx: &Context) -> PageData {
        match self {
            Audience::Office => {
                let mut d = data::office(ctx);
                if let Some(r) = ctx.risk {
                    data::add_risk(&mut d, r);
                }
                d
            }
            Audience::Public => public::public(ctx),
        }
    }

    /// The page as a published file.
    pub fn render(self, ctx: &Context) -> Artifact {
        Artifact::new(self.path(), html(&self.data(ctx)).into_bytes())
    }
}

/// The whole page for `data`.
pub fn html(data: &PageData) -> String {
    let title = if data.public {
        format!("{} – public timeline", data.plan)
    } else {
        format!("{} – timeline", data.plan)
    };
    let mut out = String::with_capacity(TEMPLATE.len() + CSS.len() + 200_000);
    // Substituted in one pass, so a placeholder inside the data is never
    // replaced again.
    let mut rest = TEMPLATE;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let end = at + rest[at..].find("}}").map_or(2, |e| e + 2);
        match &rest[at..end] {
            "{{TITLE}}" => out.push_str(&escape::html(&title)),
            "{{CSS}}" => {
                out.push_str(&palette::css());
                out.push_str(CSS);
            }
            "{{DATA}}" => out.push_str(&json_for_script(data)),
            "{{JS}}" => JS.iter().for_each(|js| out.push_str(js)),
            other => out.push_str(other),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// JSON that can sit inside a `<script>` element: `<`, `>` and `&` are
/// written as `\u003c` and so on, so neither `</script` nor `<!--` can
/// appear, and U+2028/U+2029 are escaped for old parsers. `JSON.parse`
/// reads it back unchanged.
pub fn json_for_script(data: &PageData) -> String {
    // Serialising plain data with string keys cannot fail.
    let json = serde_json::to_string(data).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len() + json.len() / 50);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
