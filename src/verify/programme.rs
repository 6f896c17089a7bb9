//! The rules about the programme as a whole: precedence between tasks,
//! one task per crew a day, the budget periods, each site's row and the
//! summary.

use super::*;

impl Checker<'_> {
    /// Rule 3, and "blocked by" naming the first unscheduled predecessor.
    pub(super) fn precedence(&mut self, net: &Network, spans: &[Option<Span>]) {
        let preds = net.predecessors();
        for (t, edges) in preds.iter().enumerate() {
            let row = &self.tl.tasks[t];
            let first_unscheduled = edges
                .iter()
                .map(|e| e.from.ix())
                .filter(|&f| spans[f].is_none())
                .min();
            match (spans[t], first_unscheduled) {
                (Some(_), Some(f)) if row.status == Status::Planned => self.push(
                    &row.id,
                    Rule::Precedence,
                    format!(
                        "scheduled although its predecessor {} is not",
                        net.tasks[f].id
                    ),
                ),
                (None, Some(f)) => {
                    // Work held back because a task *after* it failed (the
                    // site is rolled back whole) blocks nothing: the failing
                    // task keeps its own reason.
                    // It names the first unscheduled predecessor in task
                    // order, or the first one not merely held back.
                    let first_genuine = edges
                        .iter()
                        .map(|e| e.from.ix())
                        .filter(|&p| spans[p].is_none() && !held_back(&self.tl.tasks[p]))
                        .min();
                    let want = format!("blocked by {}", net.tasks[f].id);
                    let ok = |p: usize| {
                        row.reason.as_deref() == Some(&*format!("blocked by {}", net.tasks[p].id))
                    };
                    if first_genuine.is_some_and(|g| !ok(f) && !ok(g)) {
                        self.push(
                            &row.id,
                            Rule::Precedence,
                            format!("reason should be \"{want}\""),
                        );
                    }
                }
                _ => {}
            }
            let Some(me) = spans[t].filter(|_| row.status == Status::Planned) else {
                continue;
            };
            for e in edges {
                let Some(p) = spans[e.from.ix()] else {
                    continue;
                };
                let earliest = add_days(p.finish, 1 + e.lag as i64);
                if me.start < earliest {
                    self.push(
                        &row.id,
                        Rule::Precedence,
                        format!(
                            "starts {}, before {earliest} ({} finishes {}, lag {})",
                            me.start,
                            net.tasks[e.from.ix()].id,
                            p.finish,
                            e.lag
                        ),
                    );
                }
            }
        }
    }

    /// Rule 5: a crew's tasks never overlap on days the schedule decides
    /// (planned work, and in-progress work after the status date).
    pub(super) fn crews(&mut self, net: &Network, spans: &[Option<Span>]) {
        let mut by_crew: BTreeMap<&str, Vec<(NaiveDate, NaiveDate, usize)>> = BTreeMap::new();
        for (t, row) in self.tl.tasks.iter().enumerate() {
            let (Some(span), Some(crew)) = (spans[t], row.crew.as_deref()) else {
                continue;
            };
            if net.tasks[t].kind != TaskKind::Crew {
                continue;
            }
            let from = match (row.status, self.plan.status_date) {
                (Status::Planned, _) => span.start,
                (Status::InProgress, Some(sd)) => span.start.max(add_days(sd, 1)),
                _ => continue,
            };
            if from <= span.finish {
                by_crew
                    .entry(crew)
                    .or_default()
                    .push((from, span.finish, t));
            }
        }
        for (crew, mut list) in by_crew {
            list.sort();
            let mut last: Option<(NaiveDate, usize)> = None;
            for (from, to, t) in list {
                if let Some((_, other)) = last.filter(|(end, _)| from <= *end) {
                    self.push(
                        &self.tl.tasks[t].id.clone(),
                        Rule::Crew,
                        format!(
                            "crew {crew} is also on {} on {from}",
                            self.tl.tasks[other].id
                        ),
                    );
                }
                if last.is_none_or(|(end, _)| to > end) {
                    last = Some((to, t));
                }
            }
        }
    }

    /// Rule 6, with actual costs that already break a rule tolerated as long
    /// as no planned cost is added under it.
    pub(super) fn budget(&mut self, spans: &[Option<Span>]) {
        let Some(b) = &self.plan.budget else { return };
        let n = b.periods.len();
        let mut actual = vec![0i128; n];
        let mut planned = vec![0i128; n];
        for (t, row) in self.tl.tasks.iter().enumerate() {
            let (Some(span), Some(cost)) = (spans[t], row.cost.and_then(Money::from_f64)) else {
                continue;
            };
            if cost.0 == 0 {
                continue;
            }
            let period = b
                .periods
                .iter()
                .position(|p| p.from <= span.start && span.start <= p.to);
            let is_planned = row.status == Status::Planned;
            match period {
                Some(j) if is_planned => planned[j] += cost.0 as i128,
                Some(j) => actual[j] += cost.0 as i128,
                None if is_planned => self.push(
                    &row.id,
                    Rule::Budget,
                    format!(
                        "commits {cost} on {}, outside every budget period",
                        span.start
                    ),
                ),
                None => {}
            }
        }
        let (mut cum_a, mut cum_p, mut cum_amount) = (0i128, 0i128, 0i128);
        for (j, p) in b.periods.iter().enumerate() {
            let (a, pl, amount) = if b.carry_over {
                cum_a += actual[j];
                cum_p += planned[j];
                cum_amount += p.amount.0 as i128;
                (cum_a, cum_p, cum_amount)
            } else {
                (actual[j], planned[j], p.amount.0 as i128)
            };
            let broken_by_actuals = a > amount;
            if a + pl > amount && (!broken_by_actuals || pl > 0) {
                let scope = if b.carry_over {
                    "up to and including"
                } else {
                    "in"
                };
                self.push(
                    &format!("budget {}–{}", p.from, p.to),
                    Rule::Budget,
                    format!(
                        "{} committed {scope} this period ({} actual, {} planned), {} available",
                        cents(a + pl),
                        cents(a),
                        cents(pl),
                        cents(amount)
                    ),
                );
            }
        }
    }

    /// Site rows; returns each site's removal complete day as recomputed.
    pub(super) fn sites(&mut self, net: &Network) -> Vec<Option<NaiveDate>> {
        let plan = self.plan;
        let rows = &self.tl.sites;
        if rows.len() != plan.sites.len() {
            self.push(
                "timeline",
                Rule::Sites,
                format!(
                    "{} site rows, the plan has {}",
                    rows.len(),
                    plan.sites.len()
                ),
            );
        }
        let mut rcs = Vec::with_capacity(plan.sites.len());
        for (s, site) in plan.sites.iter().enumerate() {
            let s = SiteIx::from(s);
            let removal = net.removal_tasks(s);
            let finishes: Option<Vec<NaiveDate>> = removal
                .iter()
                .map(|t| {
                    let r = &self.tl.tasks[t.ix()];
                    r.finish.filter(|_| r.status != Status::Unscheduled)
                })
                .collect();
            let rc = finishes.and_then(|f| f.into_iter().max());
            rcs.push(rc);
            let deadline = plan.site_deadline(s);
            let late = match (removal.is_empty(), rc) {
                (true, _) => Some(0),
                (false, None) => None,
                (false, Some(rc)) => Some(deadline.map_or(0, |d| (rc - d).num_days().max(0))),
            };
            let want = SiteRow {
                id: site.id.clone(),
                tier: plan.tiers[site.tier.ix()].id.clone(),
                region: plan.regions[site.region.ix()].id.clone(),
                devices: site.device_count(),
                removal_complete: rc,
                deadline,
                late_days: late,
                late_reason: None,
                late_category: None,
                owner: plan.owner_id(s).map(str::to_string),
            };
            match rows.get(s.ix()) {
                Some(got) => {
                    let got_cmp = SiteRow {
                        late_reason: None,
                        late_category: None,
                        ..got.clone()
                    };
                    if got_cmp != want {
                        self.push(
                            &site.id,
                            Rule::Sites,
                            format!("row is {got_cmp:?}, expected {want:?}"),
                        );
                    } else if late == Some(0) && got.late_category.is_some() {
                        self.push(
                            &site.id,
                            Rule::Sites,
                            "late_category is set on a site that is not late".into(),
                        );
                    }
                }
                None => self.push(&site.id, Rule::Sites, "missing from the site rows".into()),
            }
        }
        rcs
    }

    pub(super) fn summary(&mut self, net: &Network, rcs: &[Option<NaiveDate>]) {
        let plan = self.plan;
        let tasks = &self.tl.tasks;
        let scheduled = |r: &&TaskRow| r.status != Status::Unscheduled;
        let cost_of = |r: &TaskRow| r.cost.and_then(Money::from_f64).unwrap_or(Money::ZERO);
        let mut total = Money::ZERO;
        let mut stranded = Money::ZERO;
        let mut exposure = 0.0;
        let (mut late, mut sites_unsched, mut devices_unsched) = (0u64, 0u64, 0u64);
        for (s, site) in plan.sites.iter().enumerate() {
            let si = SiteIx::from(s);
            let spent: Money = net
                .site_tasks(si)
                .map(|t| &tasks[t])
                .filter(scheduled)
                .map(cost_of)
                .sum();
            total += spent;
            let has_removal = !net.removal_tasks(si).is_empty();
            match rcs[s] {
                Some(rc) => {
                    let days = (rc - plan.start).num_days() + 1;
                    exposure += plan.tiers[site.tier.ix()].weight
                        * site.device_count() as f64
                        * days as f64;
                    if plan.site_deadline(si).is_some_and(|d| rc > d) {
                        late += 1;
                    }
                }
                None if has_removal => {
                    sites_unsched += 1;
                    devices_unsched += site.device_count();
                    stranded += spent;
                }
                None => {}
            }
        }
        let got = &self.tl.summary;
        let mut check = |name: &str, ok: bool, got: String, want: String| {
            if !ok {
                self.out.push(Violation {
                    subject: "summary".into(),
                    rule: Rule::Summary,
                    detail: format!("{name} is {got}, expected {want}"),
                });
            }
        };
        let finish = tasks
            .iter()
            .filter(scheduled)
            .filter_map(|t| t.finish)
            .max();
        let rc = rcs.iter().flatten().max().copied();
        check(
            "finish",
            got.finish == finish,
            format!("{:?}", got.finish),
            format!("{finish:?}"),
        );
        check(
            "removal_complete",
            got.removal_complete == rc,
            format!("{:?}", got.removal_complete),
            format!("{rc:?}"),
        );
        check(
            "total_cost",
            Money::from_f64(got.total_cost) == Some(total),
            got.total_cost.to_string(),
            total.to_string(),
        );
        check(
            "stranded_cost",
            Money::from_f64(got.stranded_cost) == Some(stranded),
            got.stranded_cost.to_string(),
            stranded.to_string(),
        );
        let close = (got.exposure - exposure).abs() <= 1e-9 * exposure.abs().max(1.0);
        check(
            "exposure",
            close,
            got.exposure.to_string(),
            exposure.to_string(),
        );
        let unscheduled = tasks
            .iter()
            .filter(|t| t.status == Status::Unscheduled)
            .count() as u64;
        let counts = [
            ("sites", got.sites, plan.sites.len() as u64),
            ("sites_late", got.sites_late, late),
            ("tasks", got.tasks, net.tasks.len() as u64),
            ("unscheduled", got.unscheduled, unscheduled),
            ("sites_unscheduled", got.sites_unscheduled, sites_unsched),
            (
                "devices_unscheduled",
                got.devices_unscheduled,
                devices_unsched,
            ),
        ];
        for (name, g, w) in counts {
            check(name, g == w, g.to_string(), w.to_string());
        }
    }
}
