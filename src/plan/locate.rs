//! Where each value sits in the source text.
//!
//! serde_json tells where a syntax or type error is, but not where a value
//! that deserialized fine lives, and validation errors must point at the
//! offending value. So a small scanner reads the (already syntax-checked)
//! text once more and keeps, for every value, its byte offset and, for
//! objects, each key with its offset. It also refuses duplicate keys, which
//! serde_json silently accepts for maps. It is iterative, so no nesting depth
//! can overflow the stack.

/// One JSON value: where it starts and, for containers, its children.
#[derive(Debug, Clone)]
pub struct Node {
    /// Byte offset of the value's first character.
    pub pos: usize,
    /// Byte offset just after the value's last character.
    pub end: usize,
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Scalar,
    Array(Vec<Node>),
    /// Members in file order: key, byte offset of the key, value.
    Object(Vec<(String, usize, Node)>),
}

/// One step of a JSON path: `.key` or `[index]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    K(&'a str),
    I(usize),
}

/// `sites[3].region`
pub fn path_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::K(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::I(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// `sites[1] ("bravo").cleared_only`: the path, with each array entry
/// that has an ID named by it (`name_of` gives the ID of the entry at a
/// path), so that a manager finds the entry by its ID, not its index.
pub fn named_path_string<'a>(
    path: &[Seg<'a>],
    name_of: impl Fn(&[Seg<'a>]) -> Option<String>,
) -> String {
    let mut s = String::new();
    for (i, seg) in path.iter().enumerate() {
        match seg {
            Seg::K(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::I(n) => {
                s.push_str(&format!("[{n}]"));
                // A message about the ID itself quotes it already.
                let about_id = matches!(path.get(i + 1..), Some([Seg::K("id" | "task")]));
                if about_id {
                    continue;
                }
                if let Some(name) = name_of(&path[..=i]) {
                    s.push_str(&format!(" ({name:?})"));
                }
            }
        }
    }
    s
}

/// Longest ID quoted in a message; a longer one is cut (it is still
/// located by line and column).
const MAX_NAME_CHARS: usize = 60;

/// A duplicate key: its name and byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub key: String,
    pub pos: usize,
}

/// The scanned text: the tree of values and a line index.
#[derive(Debug, Clone)]
pub struct Located<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    pub root: Node,
}

impl<'t> Located<'t> {
    /// Scans `text`, which must already be valid JSON (serde_json checked
    /// it). Returns the tree and every duplicate key found.
    pub fn scan(text: &'t str) -> (Located<'t>, Vec<Duplicate>) {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut scanner = Scanner {
            b: text.as_bytes(),
            i: 0,
            text,
            dups: Vec::new(),
        };
        let root = scanner.document();
        (
            Located {
                text,
                line_starts,
                root,
            },
            scanner.dups,
        )
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, pos: usize) -> (usize, usize) {
        line_col_in(self.text, &self.line_starts, pos)
    }

    /// Byte offset of a 1-based line and byte column, as serde_json reports them.
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        (start + col.saturating_sub(1)).min(self.text.len())
    }

    /// Byte offset of the value at `path`; where the path leaves the tree
    /// (a missing field), the deepest value found on the way.
    pub fn value_pos(&self, path: &[Seg]) -> usize {
        self.find(path).0
    }

    /// Byte offset of the key of the last step of `path` (an object
    /// member), else of the value.
    pub fn key_pos(&self, path: &[Seg]) -> usize {
        let (v, k) = self.find(path);
        k.unwrap_or(v)
    }

    /// The JSON path (as text) and position of the innermost value or key
    /// around byte offset `at`: where serde_json reported an error.
    pub fn path_at(&self, at: usize) -> (String, usize) {
        let mut path = String::new();
        let mut node = &self.root;
        let mut pos = node.pos;
        loop {
            let next = match &node.kind {
                Kind::Scalar => None,
                Kind::Array(items) => items
                    .iter()
                    .enumerate()
                    .find(|(_, n)| n.pos <= at && at < n.end.max(n.pos + 1))
                    .map(|(i, n)| {
                        let name = self
                            .node_name(n)
                            .map(|id| format!(" ({id:?})"))
                            .unwrap_or_default();
                        (format!("[{i}]{name}"), n, n.pos)
                    }),
                Kind::Object(members) => members
                    .iter()
                    .find(|(_, kp, n)| *kp <= at && at < n.end.max(n.pos + 1))
                    .map(|(k, kp, n)| {
                        let seg = if path.is_empty() {
                            k.clone()
                        } else {
                            format!(".{k}")
                        };
                        // Inside the key itself (an unknown field): point at the key.
                        let p = if at < n.pos { *kp } else { n.pos };
                        (seg, n, p)
                    }),
            };
            match next {
                Some((seg, n, p)) => {
                    path.push_str(&seg);
                    pos = p;
                    if p != n.pos {
                        return (path, pos);
                    }
                    node = n;
                }
                None => return (path, pos),
            }
        }
    }

    /// The ID of the object at `path`: its `id` member, or a progress
    /// entry's `task`, when that is a string.
    pub fn name_at(&self, path: &[Seg]) -> Option<String> {
        self.node_name(self.node(path)?)
    }

    fn node_name(&self, node: &Node) -> Option<String> {
        let Kind::Object(members) = &node.kind else {
            return None;
        };
        let (_, _, v) = members
            .iter()
            .rev()
            .find(|(k, _, _)| k == "id")
            .or_else(|| members.iter().rev().find(|(k, _, _)| k == "task"))?;
        let text = self.text.get(v.pos..v.end)?;
        let name: String = serde_json::from_str::<String>(text).ok()?;
        Some(if name.chars().count() > MAX_NAME_CHARS {
            let cut: String = name.chars().take(MAX_NAME_CHARS).collect();
            format!("{cut}…")
        } else {
            name
        })
    }

    /// The value at `path` exactly, if the tree has it.
    fn node(&self, path: &[Seg]) -> Option<&Node> {
        let mut node = &self.root;
        for seg in path {
            node = match (seg, &node.kind) {
                (Seg::K(k), Kind::Object(members)) => {
                    &members.iter().rev().find(|(name, _, _)| name == k)?.2
                }
                (Seg::I(i), Kind::Array(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Byte offset of the key at `keys` (object keys from the root); where
    /// the path leaves the tree, of the deepest key found on the way (the
    /// root's start when none is).
    pub fn deepest_key_pos(&self, keys: &[&str]) -> usize {
        let mut node = &self.root;
        let mut at = node.pos;
        for k in keys {
            let Kind::Object(members) = &node.kind else {
                break;
            };
            match members.iter().rev().find(|(name, _, _)| name == k) {
                Some((_, kp, n)) => {
                    at = *kp;
                    node = n;
                }
                None => break,
            }
        }
        at
    }

    fn find(&self, path: &[Seg]) -> (usize, Option<usize>) {
        let mut node = &self.root;
        let mut key = None;
        for seg in path {
            let next = match (seg, &node.kind) {
                (Seg::K(k), Kind::Object(members)) => members
                    .iter()
                    .rev()
                    .find(|(name, _, _)| name == k)
                    .map(|(_, kp, n)| (n, Some(*kp))),
                (Seg::I(i), Kind::Array(items)) => items.get(*i).map(|n| (n, None)),
                _ => None,
            };
            match next {
                Some((n, k)) => {
                    node = n;
                    key = k;
                }
                None => return (node.pos, None),
            }
        }
        (node.pos, key)
    }
}

/// Deepest nesting of arrays and objects a plan may use. serde_json's own
/// limit does not apply when it only checks syntax, and a deep tree would
/// overflow the stack when dropped.
pub const MAX_DEPTH: usize = 128;

/// The byte offset of the first bracket nested deeper than `MAX_DEPTH`.
pub fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// 1-based line and column (in characters) of a byte offset, given the
/// offsets where lines start.
pub fn line_col_in(text: &str, line_starts: &[usize], pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let line = line_starts.partition_point(|&s| s <= pos).max(1);
    let start = line_starts[line - 1];
    let col = text
        .get(start..pos)
        .map(|s| s.chars().count())
        .unwrap_or(pos - start);
    (line, col + 1)
}

struct Scanner<'t> {
    b: &'t [u8],
    i: usize,
    text: &'t str,
    dups: Vec<Duplicate>,
}

/// An open container while scanning.
enum Frame {
    Array(usize, Vec<Node>),
    Object(usize, Vec<(String, usize, Node)>, Option<(String, usize)>),
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> u8 {
        self.b.get(self.i).copied().unwrap_or(0)
    }

    /// Skips a string starting at the quote; returns its decoded text.
    fn string(&mut self) -> String {
        let start = self.i;
        self.i += 1;
        let mut escaped = false;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => {
                    escaped = true;
                    self.i += 2;
                }
                b'"' => {
                    self.i += 1;
                    break;
                }
                _ => self.i += 1,
            }
        }
        let raw = self
            .text
            .get(start..self.i.min(self.b.len()))
            .unwrap_or("\"\"");
        if escaped {
            serde_json::from_str(raw).unwrap_or_default()
        } else {
            raw.get(1..raw.len().saturating_sub(1))
                .unwrap_or("")
                .to_string()
        }
    }

    fn scalar_end(&mut self) {
        while self.i < self.b.len()
            && !matches!(
                self.b[self.i],
                b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'
            )
        {
            self.i += 1;
        }
    }

    /// Reads one value's start: a scalar becomes a node, a container opens a frame.
    fn value(&mut self, stack: &mut Vec<Frame>) -> Option<Node> {
        self.ws();
        let pos = self.i;
        match self.peek() {
            b'[' => {
                self.i += 1;
                stack.push(Frame::Array(pos, Vec::new()));
                None
            }
            b'{' => {
                self.i += 1;
                stack.push(Frame::Object(pos, Vec::new(), None));
                None
            }
            b'"' => {
                self.string();
                Some(Node {
                    pos,
                    end: self.i,
                    kind: Kind::Scalar,
                })
            }
            _ => {
                self.scalar_end();
                Some(Node {
                    pos,
                    end: self.i,
                    kind: Kind::Scalar,
                })
            }
        }
    }

    fn document(&mut self) -> Node {
        let mut stack: Vec<Frame> = Vec::new();
        let mut done = self.value(&mut stack);
        loop {
            if let Some(node) = done.take() {
                match stack.last_mut() {
                    None => return node,
                    Some(Frame::Array(_, items)) => items.push(node),
                    Some(Frame::Object(_, members, pending)) => {
                        let (key, kp) = pending.take().unwrap_or_default();
                        if members.iter().any(|(k, _, _)| *k == key) {
                            self.dups.push(Duplicate {
                                key: key.clone(),
                                pos: kp,
                            });
                        }
                        members.push((key, kp, node));
                    }
                }
            }
            self.ws();
            if self.i >= self.b.len() {
                // Only reachable on text serde_json refused; close what is open.
                let frame = match stack.pop() {
                    Some(f) => f,
                    None => {
                        return Node {
                            pos: 0,
                            end: 0,
                            kind: Kind::Scalar,
                        }
                    }
                };
                done = Some(close(frame, self.i));
                continue;
            }
            match self.peek() {
                b',' => {
                    self.i += 1;
                }
                b']' | b'}' => {
                    self.i += 1;
                    if let Some(frame) = stack.pop() {
                        done = Some(close(frame, self.i));
                    }
                    continue;
                }
                _ => {}
            }
            self.ws();
            let in_object = matches!(stack.last(), Some(Frame::Object(_, _, None)));
            if in_object && self.peek() == b'"' {
                let kp = self.i;
                let key = self.string();
                self.ws();
                if self.peek() == b':' {
                    self.i += 1;
                }
                if let Some(Frame::Object(_, _, pending)) = stack.last_mut() {
                    *pending = Some((key, kp));
                }
            }
            if matches!(self.peek(), b']' | b'}') {
                continue;
            }
            let before = self.i;
            done = self.value(&mut stack);
            if done.is_none() && self.i == before {
                // Malformed text: make progress rather than loop.
                self.i += 1;
            }
        }
    }
}

fn close(frame: Frame, end: usize) -> Node {
    match frame {
        Frame::Array(pos, items) => Node {
            pos,
            end,
            kind: Kind::Array(items),
        },
        Frame::Object(pos, members, _) => Node {
            pos,
            end,
            kind: Kind::Object(members),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_located_in_a_scenario_text() {
        let text = "{\n  \"name\": \"x\",\n  \"sites\": {\n    \"site-1\": {\"devices\": {}},\n    \"site-13\": {}\n  }\n}";
        let (loc, _) = Located::scan(text);
        let at = |keys: &[&str]| loc.line_col(loc.deepest_key_pos(keys));
        assert_eq!(at(&["sites", "site-13"]), (5, 5));
        assert_eq!(at(&["sites", "site-1", "devices"]), (4, 16));
        // A path that leaves the text points at the deepest key found.
        assert_eq!(at(&["sites", "nope"]), (3, 3));
        assert_eq!(at(&["nope"]), (1, 1));
    }

    #[test]
    fn finds_values_keys_and_duplicates() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c\": 2, \"c\": 3\n}";
        let (loc, dups) = Located::scan(text);
        let p = loc.value_pos(&[Seg::K("a"), Seg::I(1), Seg::K("b")]);
        assert_eq!(loc.line_col(p), (2, 18));
        assert_eq!(loc.line_col(loc.key_pos(&[Seg::K("a")])), (2, 3));
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].key, "c");
        assert_eq!(loc.line_col(dups[0].pos), (3, 11));
        // A missing field points at its object.
        let p = loc.value_pos(&[Seg::K("a"), Seg::I(1), Seg::K("zz")]);
        assert_eq!(loc.line_col(p), (2, 12));
        assert_eq!(
            path_string(&[Seg::K("a"), Seg::I(1), Seg::K("b")]),
            "a[1].b"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // The loader lets serde_json refuse nesting deeper than 128 first;
        // the scanner itself must still not recurse.
        let text = format!("{}{}", "[".repeat(2_000), "]".repeat(2_000));
        let (loc, _) = Located::scan(&text);
        assert_eq!(loc.root.pos, 0);
    }

    #[test]
    fn escaped_keys_are_decoded() {
        let (loc, _) = Located::scan(r#"{"a\u0062": 1}"#);
        assert_eq!(loc.value_pos(&[Seg::K("ab")]), 12);
    }
}
