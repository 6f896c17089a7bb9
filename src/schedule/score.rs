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
                continue;
            }
            if let Some(dl) = m.deadline {
                if day > dl {
                    let late = (day - dl) as i64;
                    sc.late_milestones += 1;
                    sc.late_days += late;
                    let k = m.class as usize;
                    if sc.classes.len() <= k {
                        sc.classes.resize(k + 1, ClassScore::default());
                    }
                    sc.classes[k].late += 1;
                    sc.classes[k].late_days += late;
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
