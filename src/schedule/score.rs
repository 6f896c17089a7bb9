//! A pass's score: the objective's keys (`Score`) read from where the
//! pass placed each milestone's and target's activities.

use super::problem::*;
use super::sgs::{Engine, State};

impl Engine<'_> {
    /// Scores the pass's results.
    pub(crate) fn score(&self, st: &State) -> Score {
        let obj = &self.p.objective;
        let mut sc = Score {
            kind: obj.kind,
            classes: vec![ClassScore::default(); obj.classes],
            ..Score::default()
        };
        let mut finish = 0;
        for pl in st.result.iter().flatten().flatten() {
            finish = finish.max(pl.finish + 1);
        }
        sc.finish = finish;
        for m in &obj.milestones {
            let mut day = Time::MIN;
            let mut reached = true;
            for a in &m.activities {
                match st.result[a.ix()] {
                    Some(Ok(pl)) => day = day.max(pl.finish),
                    _ => reached = false,
                }
            }
            if !reached {
                sc.unscheduled_weight += m.unscheduled_weight;
                let c = class_of(&mut sc.classes, m.class);
                c.unscheduled_weight += m.unscheduled_weight;
                c.unscheduled += 1;
                continue;
            }
            if let Some(dl) = m.deadline {
                if day > dl {
                    let late = (day - dl) as i64;
                    sc.late_milestones += 1;
                    sc.late_days += late;
                    let c = class_of(&mut sc.classes, m.class);
                    c.late += 1;
                    c.late_days += late;
                }
            }
            sc.exposure += m.weight * (day as f64 + 1.0);
        }
        for t in &obj.targets {
            let removed: u64 = t
                .packages
                .iter()
                .filter(|(a, _)| matches!(st.result[a.ix()], Some(Ok(pl)) if pl.finish <= t.by))
                .map(|&(_, d)| d)
                .sum();
            if removed < t.required {
                sc.targets_missed += 1;
                sc.target_shortfall += t.required - removed;
            }
        }
        sc
    }
}

/// Class `k`'s entry, made when the objective did not count it.
fn class_of(classes: &mut Vec<ClassScore>, k: u32) -> &mut ClassScore {
    let k = k as usize;
    if classes.len() <= k {
        classes.resize(k + 1, ClassScore::default());
    }
    &mut classes[k]
}
