//! The layer rule, read from the code: `chart/` and `report/` never import
//! `network`, `schedule`, `status` or `risk`; nothing under `plan/`, `schedule/`, `network/`
//! or `timeline/` imports a module above it; rows are found by index: no
//! map keyed by a string ID outside a few named boundary files, and no
//! search by ID or name on the publishing side; phases are
//! matched as the plan's `Phase`, never as text; every colour is written
//! once, in `src/palette.rs`; no source file
//! is over 1,000 lines; in-source tests follow one convention. The rules
//! themselves are written in `src/lib.rs` and docs/architecture.md; the
//! page's tables of the rule, of the modules, of the files that join by
//! ID and of the exit codes are checked here too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What each lower stage may import (besides itself), lowest first.
const BELOW: &[(&str, &[&str])] = &[
    ("plan", &["units", "read"]),
    ("schedule", &["units"]),
    ("network", &["units", "plan", "schedule"]),
    (
        "timeline",
        &["units", "plan", "schedule", "network", "words"],
    ),
    ("odds", &["units", "plan", "words"]),
    ("palette", &["plan"]),
    ("artifact", &["units", "plan", "timeline", "odds", "words"]),
];

/// What the renderers never import.
const NOT_FOR_RENDERERS: &[&str] = &["network", "schedule", "status", "risk"];
const RENDERERS: &[&str] = &["chart", "report"];

/// Test-only helpers every stage's tests may use: not a layer.
const TEST_ONLY: &[&str] = &["proptest_seed"];

const MAX_LINES: usize = 1_000;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src reads") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Every file under `src/` whose name ends in one of `exts`, in path order:
/// its path from `src/` (with `/`) and its text.
fn sources(exts: &[&str]) -> Vec<(String, String)> {
    let mut all = Vec::new();
    files(&src(), &mut all);
    all.sort();
    all.iter()
        .filter(|p| {
            p.extension()
                .is_some_and(|e| exts.contains(&e.to_str().unwrap_or("")))
        })
        .map(|p| {
            let file = p.strip_prefix(src()).unwrap().display().to_string();
            (file.replace('\\', "/"), std::fs::read_to_string(p).unwrap())
        })
        .collect()
}

/// `src/FILE:LINE: line` for each line of code (comments after `//` cut)
/// that `hit` finds, in the files of `exts` that `skip` does not pass over.
fn code_lines_where(
    exts: &[&str],
    skip: impl Fn(&str) -> bool,
    hit: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut found = Vec::new();
    for (file, text) in sources(exts).iter().filter(|(f, _)| !skip(f)) {
        for (n, line) in text.lines().enumerate() {
            if hit(line.split("//").next().unwrap_or("")) {
                found.push(format!("src/{file}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

/// The top-level module a file belongs to: `src/plan/check.rs` → `plan`,
/// `src/verify.rs` → `verify`.
fn module_of(rel: &Path) -> String {
    let first = rel.components().nth(1).expect("under src");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// The crate modules a Rust file names (`crate::NAME`), comments left out.
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn every_stage_imports_only_what_is_below_it() {
    let mut all = Vec::new();
    files(&src(), &mut all);
    all.sort();
    let root = src().parent().unwrap().to_path_buf();
    let mut broken = Vec::new();
    for path in all
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let rel = path.strip_prefix(&root).unwrap();
        let module = module_of(rel);
        let text = std::fs::read_to_string(path).unwrap();
        let file = rel.to_string_lossy().replace('\\', "/");
        for name in imports(&text) {
            if name == module || TEST_ONLY.contains(&name.as_str()) {
                continue;
            }
            let allowed = match BELOW.iter().find(|(m, _)| *m == module) {
                Some((_, below)) => below.contains(&name.as_str()),
                None if RENDERERS.contains(&module.as_str()) => {
                    !NOT_FOR_RENDERERS.contains(&name.as_str())
                }
                None => true,
            };
            if allowed {
                continue;
            }
            broken.push(format!("{file} imports crate::{name}"));
        }
    }
    assert!(
        broken.is_empty(),
        "layer rule broken:\n{}",
        broken.join("\n")
    );
}

/// The publishing side: what renders the timeline and its plan.
const PUBLISHERS: &[&str] = &["chart", "page", "report", "status"];

/// Whether a line of code declares a map keyed by a borrowed string
/// (`HashMap<&str, …>`, `BTreeMap<&'a str, …>`, `HashMap<&String, …>`):
/// a join by string ID.
fn keyed_by_str(code: &str) -> bool {
    ["HashMap<", "BTreeMap<"].iter().any(|map| {
        code.match_indices(map).any(|(i, _)| {
            let rest = code[i + map.len()..].trim_start();
            let Some(rest) = rest.strip_prefix('&') else {
                return false;
            };
            let mut rest = rest.trim_start();
            if let Some(r) = rest.strip_prefix('\'') {
                rest = r
                    .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    .trim_start();
            }
            ["str", "String"].iter().any(|s| {
                rest.strip_prefix(s).is_some_and(|r| {
                    !r.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                })
            })
        })
    })
}

#[test]
fn a_map_keyed_by_a_string_id_is_seen() {
    assert!(keyed_by_str("let m: HashMap<&str, usize> = x;"));
    assert!(keyed_by_str("fn f<'a>() -> BTreeMap<&'a str, Vec<u8>> {"));
    assert!(keyed_by_str("std::collections::HashMap<& str, &SiteRow>"));
    assert!(keyed_by_str("let olds: HashMap<&String, &T> = x;"));
    assert!(!keyed_by_str("let m: BTreeMap<String, Roll> = x;"));
    assert!(!keyed_by_str("let m: HashMap<&Stringly, usize> = x;"));
    assert!(!keyed_by_str("let m: HashMap<&SiteIx, usize> = x;"));
    assert!(!keyed_by_str("let m: HashMap<&strange::Key, usize> = x;"));
}

/// The files that may key a map by a string ID, each with why: where
/// IDs come in from outside and nothing typed exists yet. Everywhere else
/// rows are found by index.
const JOINS_BY_ID: &[(&str, &str)] = &[
    (
        "timeline/by_id.rs",
        "the one join of lists by ID: another timeline's rows, IDs read from a file",
    ),
    (
        "plan/progress.rs",
        "progress import: a finding points at its task's first record in the file",
    ),
    (
        "verify/programme.rs",
        "verify, written apart: a timeline's crew rows grouped by the crew ID they name",
    ),
    (
        "generate.rs",
        "builds raw plans, before any typed index exists",
    ),
];

/// A timeline's rows are found in its plan and in each other by index
/// (`timeline::Links`, `artifact::Context`), built once where the timeline
/// is made; another timeline (a baseline, a committed one) is joined by ID
/// only through `timeline/by_id.rs` (`by_site_id` for the publishers,
/// `pair` for the diff and the re-plan), and IDs read from a file are
/// found in a plan through its `IdIndex`. So no map keyed by a string ID
/// is built anywhere else but the few files of `JOINS_BY_ID`.
#[test]
fn rows_are_found_by_index_not_by_string_id() {
    let mut found = Vec::new();
    let mut allowed_used = BTreeSet::new();
    for (file, text) in sources(&["rs"]) {
        let allowed = JOINS_BY_ID.iter().any(|(f, _)| *f == file);
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if !keyed_by_str(code) {
                continue;
            }
            if allowed {
                allowed_used.insert(file.clone());
            } else {
                found.push(format!("src/{file}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    // An allowed file that no longer joins by ID leaves the list.
    let listed: BTreeSet<String> = JOINS_BY_ID.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(
        allowed_used, listed,
        "JOINS_BY_ID names a file that has no such map"
    );
    assert!(
        found.is_empty(),
        "maps keyed by a string ID outside the boundary files of JOINS_BY_ID \
         (look rows up by index through `Links`/`Context`, another timeline's \
         through `timeline::pair`/`by_site_id`, IDs from a file through \
         `timeline::IdIndex`):\n{}",
        found.join("\n")
    );
}

/// Whether a line of code searches a list for a row by its ID or name:
/// an iterator's `find`, `position` or `any` whose closure compares a
/// row's `id`, `name`, `site`, `tier`, `region` or `crew` (`.find(|t| t.id
/// == tier_id)`, `.position(|c| Some(&c.id) == t.crew.as_ref())`).
fn searches_by_id(code: &str) -> bool {
    const SEARCHES: [&str; 5] = [
        ".find(|",
        ".position(|",
        ".rposition(|",
        ".find_map(|",
        ".any(|",
    ];
    const FIELDS: [&str; 6] = ["id", "name", "site", "tier", "region", "crew"];
    SEARCHES.iter().any(|search| {
        code.match_indices(search).any(|(i, _)| {
            let body = &code[i + search.len()..];
            let compares = body.contains("==") || body.contains("!=");
            compares
                && FIELDS.iter().any(|f| {
                    let field = format!(".{f}");
                    body.match_indices(&field).any(|(j, _)| {
                        !body[j + field.len()..]
                            .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    })
                })
        })
    })
}

#[test]
fn a_search_by_id_is_seen() {
    assert!(searches_by_id(".find(|t| t.id == tier_id)"));
    assert!(searches_by_id(
        "let p = m.tiers.iter().find(|p| p.id == tier.id) else {"
    ));
    assert!(searches_by_id(
        "if let Some(ix) = plan.tiers.iter().position(|t| t.id == site.tier) {"
    ));
    assert!(searches_by_id(
        ".position(|c| Some(&c.id) == t.crew.as_ref());"
    ));
    assert!(searches_by_id(
        ".position(|x| x.name.as_deref() == Some(r)),"
    ));
    assert!(searches_by_id(
        "tl.sites.iter().any(|s| s.region != region)"
    ));
    assert!(!searches_by_id(".find(|d| d.chart == Chart::Tornado)"));
    assert!(!searches_by_id(
        ".position(|p| p.from <= day && day <= p.to)"
    ));
    assert!(!searches_by_id(".find(|t| t.identity == x)"));
    assert!(!searches_by_id("let ok = a.id == b.id;"));
}

/// The lines of `text` before its in-source tests (which may build rows
/// and look them up as they please).
fn before_tests(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .windows(2)
        .position(|w| w[0].trim() == "#[cfg(test)]" && w[1].trim_start().starts_with("mod tests"))
        .unwrap_or(lines.len());
    lines.into_iter().take(end).enumerate()
}

/// The renderers and the words they use find a row of the plan, the
/// timeline or the risk figures by index (`artifact::Context`,
/// `timeline::Links`, the typed indices of the plan), never by searching
/// a list for its ID or name.
#[test]
fn publishers_find_rows_by_index_not_by_search() {
    let mut all = vec![src().join("words.rs")];
    for m in PUBLISHERS {
        files(&src().join(m), &mut all);
    }
    all.sort();
    let mut found = Vec::new();
    for path in all
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        let file = path.strip_prefix(src()).unwrap().display().to_string();
        for (n, line) in before_tests(&text) {
            let code = line.split("//").next().unwrap_or("");
            if searches_by_id(code) {
                found.push(format!("src/{file}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "searches by ID or name on the publishing side (look rows up by \
         index through `Context`, `Links` or the plan's typed indices):\n{}",
        found.join("\n")
    );
}

/// The names of the phases as the timeline writes them.
const PHASE_NAMES: &[&str] = &[
    "survey",
    "procure",
    "install",
    "commission",
    "remove",
    "dispose",
];

/// Whether a line of code reads a phase from its text: compares a phase
/// to a phase name (`t.phase == "remove"`, `p.as_str() != "dispose"`),
/// matches on a name (`"remove" => …`) or parses one (`Phase::parse`).
fn reads_phase_from_text(code: &str) -> bool {
    if code.contains("Phase::parse(") {
        return true;
    }
    PHASE_NAMES.iter().any(|name| {
        let quoted = format!("\"{name}\"");
        code.contains(&quoted)
            && (code.to_lowercase().contains("phase")
                || code.trim_start().starts_with(&format!("{quoted} =>")))
    })
}

#[test]
fn a_phase_read_from_text_is_seen() {
    assert!(reads_phase_from_text(".filter(|t| t.phase == \"remove\")"));
    assert!(reads_phase_from_text(
        "if row.phase.as_str() != \"procure\" {"
    ));
    assert!(reads_phase_from_text(
        "        \"dispose\" => \"disposal\","
    ));
    assert!(reads_phase_from_text("let p = Phase::parse(&t.phase)?;"));
    assert!(!reads_phase_from_text(
        ".filter(|t| t.phase == Phase::Remove)"
    ));
    assert!(!reads_phase_from_text("let name = \"removed\"; // phase"));
}

/// Phases travel as the plan's `Phase` from the task network to every
/// writer: a timeline row's `phase` is typed, written and read as its name
/// by serde alone. Only `plan/` (which owns the names and parses a plan's
/// `SITE/PHASE` text) and `generate` (which writes plans as JSON text)
/// spell a phase's name; no other code compares a phase to one or parses
/// one back.
#[test]
fn phases_are_matched_as_a_type_not_as_text() {
    let found = code_lines_where(
        &["rs"],
        |file| file.starts_with("plan/") || file == "generate.rs",
        reads_phase_from_text,
    );
    assert!(
        found.is_empty(),
        "a phase read from its name (match on `plan::Phase` instead):\n{}",
        found.join("\n")
    );
}

/// Whether a line of code writes a colour's value: a plotters colour or a
/// palette `Rgb` made from numbers (`RGBColor(0x22, …)`, `[0xF4, 0xF8,
/// 0xFC]` as an `Rgb`).
fn writes_a_colour(code: &str) -> bool {
    let from_numbers = |at: &str| {
        code.match_indices(at).any(|(i, _)| {
            code[i + at.len()..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
        })
    };
    // `[a, b, c]` of three number literals.
    let triple = code.match_indices('[').any(|(i, _)| {
        let inner = code[i + 1..].split(']').next().unwrap_or("");
        let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
        parts.len() == 3
            && parts.iter().all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_hexdigit() || c == 'x' || c == '_')
            })
    });
    from_numbers("RGBColor(")
        || from_numbers("RGBAColor(")
        || (code.contains("Rgb") && triple)
        || hex_colour(code)
}

/// A CSS or spreadsheet colour spelled out: `#` and three or six hex
/// digits, not followed by another letter or digit.
fn hex_colour(code: &str) -> bool {
    code.match_indices('#').any(|(i, _)| {
        let rest = &code[i + 1..];
        let digits = rest.chars().take_while(char::is_ascii_hexdigit).count();
        let after = rest[digits..].chars().next();
        matches!(digits, 3 | 6) && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

#[test]
fn a_colour_written_as_numbers_is_seen() {
    assert!(writes_a_colour(
        "pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);"
    ));
    assert!(writes_a_colour("const GREY: Rgb = [85, 85, 85];"));
    assert!(writes_a_colour("let c = RGBAColor( 1, 2, 3, 0.5);"));
    assert!(!writes_a_colour(
        "pub const INK: RGBColor = rgb(palette::INK);"
    ));
    assert!(!writes_a_colour("RGBColor(mix(c.0), mix(c.1), mix(c.2))"));
    assert!(!writes_a_colour("let v: Vec<Rgb> = xs[0..2].to_vec();"));
    assert!(writes_a_colour(
        r##"Format::new().set_background_color("#E8EEF4")"##
    ));
    assert!(writes_a_colour("th { background: #f0f0f0; }"));
    assert!(writes_a_colour("color: #555;"));
    assert!(!writes_a_colour("#[derive(Debug)]"));
    assert!(!writes_a_colour(r##"set_num_format("#,##0")"##));
    assert!(!writes_a_colour("&#39; and #1234 and #abcdefg"));
}

/// Every colour anything publishes is written once, in `src/palette.rs`:
/// the charts convert it (`chart::style`), the page writes it as CSS
/// variables (`page::palette`, which `page.css` uses), the report and the
/// spreadsheets spell it as hex from there, and no other source, style
/// sheet or script spells a colour's numbers, so they can never drift
/// apart.
#[test]
fn colours_are_written_once_in_the_palette() {
    let found = code_lines_where(
        &["rs", "css", "js", "html"],
        |file| file == "palette.rs",
        writes_a_colour,
    );
    assert!(
        found.is_empty(),
        "a colour written outside src/palette.rs (add it there and use it):\n{}",
        found.join("\n")
    );
}

#[test]
fn no_source_file_is_over_a_thousand_lines() {
    let mut all = Vec::new();
    files(&src(), &mut all);
    let long: Vec<String> = all
        .iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(p).ok()?.lines().count();
            (n > MAX_LINES).then(|| format!("{}: {n} lines", p.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// In-source tests: a module's unit tests are its child module `tests`
/// (`proptests` for property tests), under `#[cfg(test)]` — inline at the
/// end of a file module (`foo.rs`, also when its children live in `foo/`),
/// or a file of its own beside the others of a folder module
/// (`foo/tests.rs`, declared in `foo/mod.rs`). Never placed with `#[path]`,
/// and no other `#[cfg(test)]` module but the shared test helpers of
/// `TEST_HELPERS`.
#[test]
fn in_source_tests_follow_one_convention() {
    let mut broken = Vec::new();
    for (file, text) in sources(&["rs"]) {
        broken.extend(test_modules(&file, &text));
    }
    assert!(
        broken.is_empty(),
        "in-source tests off the convention:\n{}",
        broken.join("\n")
    );
}

/// What in `text` (the file `file` under `src/`) breaks the convention.
fn test_modules(file: &str, text: &str) -> Vec<String> {
    let folder_module = file.ends_with("mod.rs");
    let mut broken = Vec::new();
    let mut previous = "";
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("").trim();
        let at = format!("{file}:{}", i + 1);
        if code.starts_with("#[path") {
            broken.push(format!("{at}: a module placed with #[path]"));
        }
        let declared = code
            .trim_start_matches("pub(crate) ")
            .strip_prefix("mod ")
            .map(|rest| rest.trim_end_matches(['{', ';', ' ']));
        let test_module = matches!(declared, Some("tests" | "proptests"));
        if test_module && previous != "#[cfg(test)]" {
            broken.push(format!("{at}: a test module without #[cfg(test)]"));
        }
        if test_module && folder_module && code.ends_with('{') {
            broken.push(format!(
                "{at}: a folder module's tests inline (use tests.rs)"
            ));
        }
        if let Some(name) = declared.filter(|_| previous == "#[cfg(test)]") {
            if !test_module && !TEST_HELPERS.contains(&name) {
                broken.push(format!(
                    "{at}: a test module named {name} (name it tests or proptests)"
                ));
            }
        }
        let out_of_line = declared.is_some() && code.ends_with(';');
        if previous == "#[cfg(test)]" && out_of_line && !folder_module {
            broken.push(format!(
                "{at}: a file module's tests out of line (inline them)"
            ));
        }
        if !code.is_empty() {
            previous = code;
        }
    }
    broken
}

/// `#[cfg(test)]` modules that are not one module's tests but helpers
/// several modules' tests share: the property tests' pinned seed, and the
/// re-planning tests' plan.
const TEST_HELPERS: [&str; 2] = ["proptest_seed", "testplan"];

#[test]
fn the_test_convention_check_catches_each_way_off_it() {
    let path = "#[cfg(test)]\n#[path = \"x_tests.rs\"]\nmod tests;\n";
    assert_eq!(test_modules("replan/x.rs", path).len(), 2);
    let bare = "mod tests {\n}\n";
    assert_eq!(test_modules("a.rs", bare).len(), 1);
    let inline = "#[cfg(test)]\nmod tests {\n}\n";
    assert!(test_modules("a.rs", inline).is_empty());
    assert_eq!(test_modules("a/mod.rs", inline).len(), 1);
    let outside = "#[cfg(test)]\nmod tests;\n";
    assert!(test_modules("a/mod.rs", outside).is_empty());
    assert_eq!(test_modules("a.rs", outside).len(), 1);
    let named = "#[cfg(test)]\nmod scan_tests {\n}\n";
    assert_eq!(test_modules("a.rs", named).len(), 1);
    let named_file = "#[cfg(test)]\nmod scan_tests;\n";
    assert_eq!(test_modules("a/mod.rs", named_file).len(), 1);
    let helper = "#[cfg(test)]\npub(crate) mod proptest_seed {\n}\n";
    assert!(test_modules("lib.rs", helper).is_empty());
}

/// The reader of imports sees what the code names, and not what a comment
/// mentions.
#[test]
fn imports_are_read_from_code_not_comments() {
    let text = "use crate::plan::Plan;\n// crate::chart in a comment\nlet x = crate::units::Money(1); // crate::report\n";
    let got: Vec<String> = imports(text).into_iter().collect();
    assert_eq!(got, ["plan", "units"]);
}

/// docs/architecture.md, the page that states these rules in words.
fn architecture_page() -> String {
    let path = src().parent().unwrap().join("docs/architecture.md");
    std::fs::read_to_string(path).expect("docs/architecture.md reads")
}

/// The rows of the first table after `heading` in `page`: cells, trimmed,
/// without the header row and the rule under it.
fn table_after(page: &str, heading: &str) -> Vec<Vec<String>> {
    let at = page
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in docs/architecture.md"));
    page[at..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

/// The module names a cell lists: each `` `name` `` in it.
fn names_in(cell: &str) -> BTreeSet<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The page's import rule is the one this test enforces, row for row.
#[test]
fn the_architecture_page_states_the_import_rule_checked_here() {
    let page = architecture_page();
    let rows = table_after(&page, "## The import rule");
    let stated: Vec<(String, BTreeSet<String>)> = rows
        .iter()
        .map(|r| {
            let module = names_in(&r[0]).into_iter().next().expect("a module");
            (module, names_in(&r[1]))
        })
        .collect();
    let checked: Vec<(String, BTreeSet<String>)> = BELOW
        .iter()
        .map(|(m, below)| (m.to_string(), below.iter().map(|b| b.to_string()).collect()))
        .collect();
    assert_eq!(stated, checked);
    let renderers = format!(
        "{} never import {}",
        RENDERERS
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(" and "),
        NOT_FOR_RENDERERS
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    );
    let words = page.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains(&renderers), "the page must say: {renderers}");
    let lines = format!(
        "No source file is over {} lines",
        removal_timeline::words::int(MAX_LINES as u64)
    );
    assert!(words.contains(&lines), "the page must say: {lines}");
}

/// The page's table of the files that join by ID is `JOINS_BY_ID`, row
/// for row.
#[test]
fn the_architecture_page_lists_the_files_that_join_by_id() {
    let rows = table_after(&architecture_page(), "## Where IDs are joined");
    let stated: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            let file = names_in(&r[0]).into_iter().next().expect("a file");
            (file, r[1].replace('`', ""))
        })
        .collect();
    let checked: Vec<(String, String)> = JOINS_BY_ID
        .iter()
        .map(|(f, why)| (f.to_string(), why.to_string()))
        .collect();
    assert_eq!(stated, checked);
}

/// The page's list of modules is every top-level module of `src/`, each
/// once, and nothing else.
#[test]
fn the_architecture_page_lists_every_module() {
    let mut on_disk = BTreeSet::new();
    for e in std::fs::read_dir(src()).expect("src reads") {
        let p = e.expect("entry").path();
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        let rust = p.is_dir() || p.extension().is_some_and(|x| x == "rs");
        if rust && name != "lib" && name != "main" {
            on_disk.insert(name);
        }
    }
    let rows = table_after(&architecture_page(), "## Every module");
    let listed: Vec<String> = rows.iter().flat_map(|r| names_in(&r[0])).collect();
    let unique: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(
        listed.len(),
        unique.len(),
        "a module listed twice: {listed:?}"
    );
    assert_eq!(unique, on_disk, "docs/architecture.md, \"Every module\"");
}

/// The page's exit codes are the CLI's: each code once, with its meaning.
#[test]
fn the_architecture_page_gives_the_clis_exit_codes() {
    use removal_timeline::cli::{EXIT_BUG, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
    let rows = table_after(&architecture_page(), "## Errors and exit codes");
    let stated: Vec<(i32, &str)> = rows
        .iter()
        .map(|r| (r[0].parse().expect("a code"), r[1].as_str()))
        .collect();
    let codes: Vec<i32> = stated.iter().map(|s| s.0).collect();
    assert_eq!(codes, [EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_BUG]);
    for (code, word) in [
        (EXIT_OK, "success"),
        (EXIT_INPUT, "input"),
        (EXIT_USAGE, "usage"),
        (EXIT_BUG, "bug"),
    ] {
        let meaning = stated.iter().find(|s| s.0 == code).unwrap().1;
        assert!(meaning.contains(word), "{code}: {meaning}");
    }
}
