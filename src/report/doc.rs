//! The report as plain data: sections of paragraphs, lists, tables and
//! charts, with raw (unescaped) text. `markdown` and `html` render the same
//! document, so the two always carry the same content; each escapes as its
//! format needs.

/// A whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub subtitle: String,
    /// The headline in words, shown first and larger.
    pub headline: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(String),
    List(Vec<String>),
    Table(Table),
    /// Chart images, by path relative to the report's folder.
    Charts(Vec<ChartRef>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartRef {
    /// Relative to the folder the report is written in.
    pub path: String,
    pub caption: String,
    /// What the chart shows and says, in a sentence or two: printed beside
    /// it and given as its alternative text.
    pub summary: String,
    /// PNG bytes, for the self-contained HTML.
    pub png: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub header: Vec<String>,
    /// Right-aligned (numeric) columns.
    pub numeric: Vec<bool>,
    /// Columns kept on one line (dates, short codes); empty: none.
    pub nowrap: Vec<bool>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub cells: Vec<String>,
    /// Drawn emphasised (a late or unscheduled site).
    pub flagged: bool,
}

impl Table {
    pub fn new(header: &[&str], numeric: &[bool]) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            numeric: numeric.to_vec(),
            nowrap: Vec::new(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, cells: Vec<String>, flagged: bool) {
        self.rows.push(Row { cells, flagged });
    }
}
