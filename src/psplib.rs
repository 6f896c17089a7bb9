//! PSPLIB single-mode RCPSP instances (`.sm`): reading them, lowering them
//! into the same scheduling problem plans lower into, checking a schedule
//! independently of the engine, and reading reference makespans.
//!
//! Lowering: one activity per job on a continuous calendar, one group per
//! activity, one pool per renewable resource, zero-lag precedences. The
//! makespan is the start of the super-sink (duration 0).

use crate::schedule::{self, Problem};
use std::collections::BTreeMap;
use std::fmt;

/// A single-mode instance as the file gives it (jobs 0-based here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub durations: Vec<i32>,
    /// Direct successors of each job.
    pub successors: Vec<Vec<usize>>,
    /// Capacity of each renewable resource.
    pub capacities: Vec<i32>,
    /// `demands[job][resource]`.
    pub demands: Vec<Vec<i32>>,
}

/// Where a file is malformed: line and column (1-based) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl ParseError {
    /// The error located in `file`, as every input error is shown.
    pub fn at(self, file: &std::path::Path) -> crate::plan::Diagnostics {
        crate::plan::Diagnostics::one(file.to_path_buf(), self.line, self.col, self.message)
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

/// A rule a schedule breaks (`Instance::check`); jobs and resources are
/// numbered from 1, as in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    #[error("{starts} starts for {jobs} jobs")]
    Count { starts: usize, jobs: usize },
    #[error("job {job} starts before 0")]
    Early { job: usize },
    #[error("job {job} starts at {start} before its predecessor {predecessor} ends at {end}")]
    Precedence {
        job: usize,
        start: i32,
        predecessor: usize,
        end: i32,
    },
    #[error("resource {resource} is used {used} > {capacity} at time {time}")]
    Overload {
        resource: usize,
        used: i64,
        capacity: i32,
        time: usize,
    },
}

/// The lines of a file with their numbers, read front to back.
struct Lines<'a> {
    lines: Vec<(usize, &'a str)>,
    at: usize,
}

impl<'a> Lines<'a> {
    fn err(&self, line: usize, col: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            line,
            col,
            message: message.into(),
        }
    }

    fn eof(&self, what: &str) -> ParseError {
        let last = self.lines.last().map_or(1, |l| l.0);
        self.err(last, 1, format!("the file ends before {what}"))
    }

    /// Moves past the line starting with `head`; returns the rest of it.
    fn seek(&mut self, head: &str) -> Result<(usize, &'a str), ParseError> {
        while let Some(&(n, l)) = self.lines.get(self.at) {
            self.at += 1;
            if let Some(rest) = l.trim_start().strip_prefix(head) {
                return Ok((n, rest));
            }
        }
        Err(self.eof(&format!("the section `{head}`")))
    }

    fn next(&mut self, what: &str) -> Result<(usize, &'a str), ParseError> {
        let r = self
            .lines
            .get(self.at)
            .copied()
            .ok_or_else(|| self.eof(what))?;
        self.at += 1;
        Ok(r)
    }
}

/// Integers of a line, with their columns.
fn ints(line: usize, text: &str, skip: usize) -> Result<Vec<(usize, i64)>, ParseError> {
    let mut out = Vec::new();
    let mut col = skip;
    for tok in text.split_inclusive(char::is_whitespace) {
        let word = tok.trim();
        if !word.is_empty() {
            let c = col + (tok.len() - tok.trim_start().len()) + 1;
            let v = word.parse::<i64>().map_err(|_| ParseError {
                line,
                col: c,
                message: format!("expected a whole number, found `{word}`"),
            })?;
            out.push((c, v));
        }
        col += tok.len();
    }
    Ok(out)
}

/// The number after the colon of a `label : value` line.
fn value_after_colon(line: usize, text: &str) -> Result<i64, ParseError> {
    let colon = text.find(':').ok_or(ParseError {
        line,
        col: 1,
        message: "expected `:`".into(),
    })?;
    let nums = ints(
        line,
        text[colon + 1..].split_whitespace().next().unwrap_or(""),
        colon + 1,
    )?;
    nums.first().map(|&(_, v)| v).ok_or(ParseError {
        line,
        col: colon + 2,
        message: "expected a number after `:`".into(),
    })
}

fn count(line: usize, col: usize, v: i64, what: &str) -> Result<usize, ParseError> {
    if (0..=1_000_000).contains(&v) {
        Ok(v as usize)
    } else {
        Err(ParseError {
            line,
            col,
            message: format!("{what} must be between 0 and 1000000, found {v}"),
        })
    }
}

/// Reads a PSPLIB `.sm` file.
pub fn parse(text: &str) -> Result<Instance, ParseError> {
    let mut ls = Lines {
        lines: text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect(),
        at: 0,
    };
    let (n_line, rest) = ls.seek("jobs (incl. supersource/sink )")?;
    let jobs = count(
        n_line,
        1,
        value_after_colon(n_line, rest)?,
        "the number of jobs",
    )?;
    if jobs < 2 {
        return Err(ls.err(
            n_line,
            1,
            "an instance needs at least the super-source and super-sink",
        ));
    }
    let (r_line, rest) = ls.seek("- renewable")?;
    let resources = count(
        r_line,
        1,
        value_after_colon(r_line, rest)?,
        "the number of resources",
    )?;

    ls.seek("PRECEDENCE RELATIONS:")?;
    ls.next("the precedence header")?;
    let mut successors = vec![Vec::new(); jobs];
    for (j, succ) in successors.iter_mut().enumerate() {
        let (n, l) = ls.next("every job's successors")?;
        let v = ints(n, l, 0)?;
        if v.len() < 3 || v[0].1 != j as i64 + 1 {
            return Err(ls.err(
                n,
                1,
                format!(
                    "expected job {}: number, modes, successor count, successors",
                    j + 1
                ),
            ));
        }
        let k = count(n, v[2].0, v[2].1, "the successor count")?;
        if v.len() != 3 + k {
            return Err(ls.err(
                n,
                v[2].0,
                format!("job {} lists {} successors, not {k}", j + 1, v.len() - 3),
            ));
        }
        for &(c, s) in &v[3..] {
            if s < 1 || s > jobs as i64 || s == j as i64 + 1 {
                return Err(ls.err(n, c, format!("successor {s} is not another job 1..{jobs}")));
            }
            succ.push(s as usize - 1);
        }
    }

    ls.seek("REQUESTS/DURATIONS:")?;
    ls.next("the requests header")?;
    ls.next("the requests rule line")?;
    let mut durations = Vec::with_capacity(jobs);
    let mut demands = Vec::with_capacity(jobs);
    for j in 0..jobs {
        let (n, l) = ls.next("every job's duration and requests")?;
        let v = ints(n, l, 0)?;
        if v.len() != 3 + resources || v[0].1 != j as i64 + 1 {
            return Err(ls.err(
                n,
                1,
                format!(
                    "expected job {}: number, mode, duration and {resources} requests",
                    j + 1
                ),
            ));
        }
        durations.push(count(n, v[2].0, v[2].1, "a duration")? as i32);
        let mut d = Vec::with_capacity(resources);
        for &(c, q) in &v[3..] {
            d.push(count(n, c, q, "a request")? as i32);
        }
        demands.push(d);
    }

    ls.seek("RESOURCEAVAILABILITIES:")?;
    ls.next("the availabilities header")?;
    let (n, l) = ls.next("the availabilities")?;
    let v = ints(n, l, 0)?;
    if v.len() != resources {
        return Err(ls.err(
            n,
            1,
            format!("expected {resources} availabilities, found {}", v.len()),
        ));
    }
    let capacities = v
        .iter()
        .map(|&(c, q)| count(n, c, q, "a capacity").map(|x| x as i32))
        .collect::<Result<_, _>>()?;
    let inst = Instance {
        durations,
        successors,
        capacities,
        demands,
    };
    if let Some(j) = inst.cycle_member() {
        return Err(ls.err(
            n_line,
            1,
            format!("the precedences form a cycle through job {}", j + 1),
        ));
    }
    Ok(inst)
}

impl Instance {
    /// A job on a precedence cycle, if there is one (Kahn's algorithm).
    fn cycle_member(&self) -> Option<usize> {
        let n = self.durations.len();
        let mut indeg = vec![0usize; n];
        for s in self.successors.iter().flatten() {
            indeg[*s] += 1;
        }
        let mut ready: Vec<usize> = (0..n).filter(|&j| indeg[j] == 0).collect();
        let mut done = 0;
        while let Some(j) = ready.pop() {
            done += 1;
            for &s in &self.successors[j] {
                indeg[s] -= 1;
                if indeg[s] == 0 {
                    ready.push(s);
                }
            }
        }
        (done < n).then(|| (0..n).find(|&j| indeg[j] > 0).unwrap_or(0))
    }

    /// The instance as a scheduling problem (see the module doc).
    pub fn to_problem(&self) -> Problem {
        Problem::single_mode(
            &self.durations,
            &self.demands,
            &self.successors,
            &self.capacities,
        )
    }

    /// Every job's start from a solution, or `None` if a job is unscheduled.
    pub fn starts(&self, sol: &schedule::Solution) -> Option<Vec<i32>> {
        sol.activities
            .iter()
            .map(|r| r.as_ref().ok().map(|p| p.start))
            .collect()
    }

    /// The makespan of a schedule: the latest finish (the super-sink's start).
    pub fn makespan(&self, starts: &[i32]) -> i32 {
        starts
            .iter()
            .zip(&self.durations)
            .map(|(s, d)| s + d)
            .max()
            .unwrap_or(0)
    }

    /// Checks a schedule from first principles: every start ≥ 0, every
    /// precedence (a successor starts at or after its predecessor's end),
    /// and every resource's capacity at every time unit. Independent of the
    /// engine, so that a bug there cannot hide here.
    pub fn check(&self, starts: &[i32]) -> Result<(), CheckError> {
        let n = self.durations.len();
        if starts.len() != n {
            return Err(CheckError::Count {
                starts: starts.len(),
                jobs: n,
            });
        }
        if let Some(j) = (0..n).find(|&j| starts[j] < 0) {
            return Err(CheckError::Early { job: j + 1 });
        }
        for j in 0..n {
            for &s in &self.successors[j] {
                if starts[s] < starts[j] + self.durations[j] {
                    return Err(CheckError::Precedence {
                        job: s + 1,
                        start: starts[s],
                        predecessor: j + 1,
                        end: starts[j] + self.durations[j],
                    });
                }
            }
        }
        let end = self.makespan(starts).max(0) as usize;
        for (r, &cap) in self.capacities.iter().enumerate() {
            let mut use_at = vec![0i64; end + 1];
            for ((&s, &d), dem) in starts.iter().zip(&self.durations).zip(&self.demands) {
                for t in s..s + d {
                    use_at[t as usize] += dem[r] as i64;
                }
            }
            if let Some(t) = (0..=end).find(|&t| use_at[t] > cap as i64) {
                return Err(CheckError::Overload {
                    resource: r + 1,
                    used: use_at[t],
                    capacity: cap,
                    time: t,
                });
            }
        }
        Ok(())
    }
}

/// A reference value for an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// The proven optimum: deviation is measured from it.
    Optimum(i32),
    /// Bounds: deviation is measured from the critical-path bound `cp_lb`;
    /// `lb` is the best lower bound when better than it.
    Bounds {
        lb: Option<i32>,
        ub: i32,
        cp_lb: i32,
    },
}

impl Reference {
    /// What deviation is measured from.
    pub fn base(&self) -> i32 {
        match *self {
            Reference::Optimum(v) => v,
            Reference::Bounds { cp_lb, .. } => cp_lb,
        }
    }

    /// Whether a makespan is proven optimal (it meets a lower bound).
    pub fn is_optimal(&self, makespan: i32) -> bool {
        match *self {
            Reference::Optimum(v) => makespan == v,
            Reference::Bounds { lb, cp_lb, .. } => makespan <= lb.unwrap_or(cp_lb).max(cp_lb),
        }
    }

    /// Percentage above the base.
    pub fn deviation_pct(&self, makespan: i32) -> f64 {
        let b = self.base().max(1) as f64;
        (makespan as f64 - b) / b * 100.0
    }
}

/// Reads `problem,optimum` or `problem,lb,ub,cp_lb` (problem names with or
/// without `.sm`); keys are instance stems. Errors name the line (the
/// column is the line's start: a CSV reader does not give the field's).
pub fn parse_reference(text: &str) -> Result<BTreeMap<String, Reference>, ParseError> {
    let at = |line: usize, message: String| ParseError {
        line,
        col: 1,
        message,
    };
    let mut rd = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rd
        .headers()
        .map_err(|e| at(1, e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    let bounds = match header.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["problem", "optimum"] => false,
        ["problem", "lb", "ub", "cp_lb"] => true,
        _ => {
            return Err(at(
                1,
                format!(
                    "expected the header `problem,optimum` or `problem,lb,ub,cp_lb`, found `{}`",
                    header.join(",")
                ),
            ))
        }
    };
    let mut out = BTreeMap::new();
    for (i, rec) in rd.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| at(line, e.to_string()))?;
        let num = |k: usize| -> Result<Option<i32>, ParseError> {
            let s = rec.get(k).unwrap_or("");
            if s.is_empty() {
                return Ok(None);
            }
            s.parse::<i32>()
                .map(Some)
                .map_err(|_| at(line, format!("`{s}` is not a whole number")))
        };
        let need =
            |k: usize, what: &str| num(k)?.ok_or_else(|| at(line, format!("missing {what}")));
        let name = rec.get(0).unwrap_or("").trim_end_matches(".sm").to_string();
        let r = if bounds {
            Reference::Bounds {
                lb: num(1)?,
                ub: need(2, "ub")?,
                cp_lb: need(3, "cp_lb")?,
            }
        } else {
            Reference::Optimum(need(1, "optimum")?)
        };
        out.insert(name, r);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "\
jobs (incl. supersource/sink ):  4
RESOURCES
  - renewable                 :  1   R
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
REQUESTS/DURATIONS:
jobnr. mode duration  R 1
------------------------------------------------------------------------
  1      1     0       0
  2      1     3       2
  3      1     2       2
  4      1     0       0
RESOURCEAVAILABILITIES:
  R 1
    3
";

    #[test]
    fn parses_and_lowers_a_tiny_instance() {
        let inst = parse(TINY).unwrap();
        assert_eq!(inst.durations, vec![0, 3, 2, 0]);
        assert_eq!(inst.successors, vec![vec![1, 2], vec![3], vec![3], vec![]]);
        assert_eq!(inst.capacities, vec![3]);
        let p = inst.to_problem();
        assert_eq!(p.activities.len(), 4);
        assert_eq!(p.precedences.len(), 4);
        let sol = schedule::solve(&p, &schedule::SearchOptions::default());
        let starts = inst.starts(&sol).unwrap();
        inst.check(&starts).unwrap();
        // The two jobs cannot overlap (2 + 2 > 3): makespan 5.
        assert_eq!(inst.makespan(&starts), 5);
        assert_eq!(sol.score.finish, 5);
    }

    #[test]
    fn errors_point_at_the_line_and_column() {
        let bad = TINY.replace("  3      1     2       2", "  3      1     x       2");
        let e = parse(&bad).unwrap_err();
        assert_eq!((e.line, e.col), (15, 16), "{e}");
        let e = parse(&TINY.replace(
            "   2        1          1           4",
            "   2        1          1           9",
        ))
        .unwrap_err();
        assert_eq!(e.line, 7);
        assert!(e.message.contains("successor 9"), "{e}");
        let head: String = TINY.lines().take(8).map(|l| format!("{l}\n")).collect();
        let e = parse(&head).unwrap_err();
        assert!(e.message.contains("ends before"), "{e}");
        let cyc = TINY.replace(
            "   4        1          0",
            "   4        1          1           2",
        );
        assert!(parse(&cyc).unwrap_err().message.contains("cycle"));
    }

    #[test]
    fn the_checker_finds_faults() {
        let inst = parse(TINY).unwrap();
        assert!(inst.check(&[0, 0, 3, 5]).is_ok());
        assert!(matches!(
            inst.check(&[0, 0, 0, 3]),
            Err(CheckError::Overload { resource: 1, .. })
        ));
        let e = inst.check(&[0, 0, 3, 4]).unwrap_err();
        assert!(matches!(e, CheckError::Precedence { .. }), "{e}");
        assert!(e.to_string().contains("predecessor"), "{e}");
    }

    #[test]
    fn references_of_both_kinds() {
        let r = parse_reference("problem,optimum\nj301_1.sm,43\n").unwrap();
        assert_eq!(r["j301_1"], Reference::Optimum(43));
        let r = parse_reference("problem,lb,ub,cp_lb\nj1201_1.sm,,110,100\n").unwrap();
        let b = r["j1201_1"];
        assert_eq!(b.base(), 100);
        assert!((b.deviation_pct(110) - 10.0).abs() < 1e-9);
        assert!(!b.is_optimal(105));
        assert!(parse_reference("a,b\n").is_err());
        let e = parse_reference("problem,optimum\nx,y\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 1));
        assert_eq!(e.message, "`y` is not a whole number");
    }
}
