//! Telling why a site is late: the causes found along the chain, largest
//! first, put into one sentence a programme manager can read.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{aggregate_waits, min_days, Cause, Hold, Sched};
use crate::plan::SiteIx;
use crate::timeline::SiteRow;
use crate::words::{self, capitalise, join_and};

impl Sched<'_> {
    /// The causes worth telling, in the order they happened, as a sentence.
    pub(super) fn tell(&self, late: SiteIx, row: &SiteRow, chain: &[Cause]) -> String {
        let told = self.told(late, chain);
        if told.is_empty() {
            return self.no_wait_words(chain, row);
        }
        capitalise(&told.join("; then "))
    }

    /// The causes worth telling, in the order they happened: the three
    /// largest delays, with any dependency, `not_before`, status date or
    /// work under way.
    pub(super) fn told(&self, late: SiteIx, chain: &[Cause]) -> Vec<String> {
        let mut told: Vec<(NaiveDate, i64, String)> = Vec::new();
        for (hold, days, from, task) in aggregate_waits(chain, |t| self.site_of(t)) {
            if days >= min_days(&hold) {
                told.push((from, days, self.wait_words(&hold, days, task, late)));
            }
        }
        for c in chain {
            match *c {
                Cause::LeadTime { days, from, site } if days >= 7 => {
                    told.push((
                        from,
                        days,
                        format!(
                            "{days}-day lead time for {}{}",
                            self.lead_types(site),
                            self.at_other(site, late)
                        ),
                    ));
                }
                _ => {}
            }
        }
        // Keep the three largest delays, then tell them in time order.
        told.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        told.truncate(3);
        for c in chain {
            match *c {
                Cause::Dependency {
                    from_task,
                    finish,
                    lag,
                } => {
                    let t = &self.net.tasks[from_task];
                    let other = &self.plan.sites[t.key.site.ix()].id;
                    let lag = if lag > 0 {
                        format!(" plus {lag} days")
                    } else {
                        String::new()
                    };
                    let text = format!(
                        "waited for {} at {other} (a dependency), done {}{lag}",
                        t.key.phase.words(),
                        words::date(finish)
                    );
                    told.push((finish, i64::MAX, text));
                }
                Cause::NotBefore(d) => told.push((
                    d,
                    i64::MAX,
                    format!("not allowed to start before {}", words::date(d)),
                )),
                Cause::StatusDate(d) => told.push((
                    d,
                    i64::MAX,
                    format!("re-planned from the status date {}", words::date(d)),
                )),
                Cause::UnderWay { task, since } => {
                    let phase = self.net.tasks[task].key.phase.words();
                    told.push((
                        since,
                        i64::MAX,
                        format!("{phase} under way since {}", words::date(since)),
                    ));
                }
                _ => {}
            }
        }
        told.sort_by_key(|t| t.0);
        told.into_iter().map(|t| t.2).collect()
    }

    /// ` at SITE` when a cause lies at another site than the late one.
    fn at_other(&self, site: SiteIx, late: SiteIx) -> String {
        if site == late {
            String::new()
        } else {
            format!(" at {}", self.plan.sites[site.ix()].id)
        }
    }

    fn wait_words(&self, hold: &Hold, days: i64, task: usize, site: SiteIx) -> String {
        let at = if self.site_of(task) == site {
            String::new()
        } else {
            format!("at {}, ", self.plan.sites[self.site_of(task).ix()].id)
        };
        let waited = format!("{at}waited {}", words::count(days as u64, "day", "days"));
        let s = &self.plan.sites[self.site_of(task).ix()];
        match hold {
            Hold::CrewsBusy(blockers) => {
                let cleared = if s.cleared_only { "cleared " } else { "" };
                let region = &self.plan.regions[s.region.ix()];
                let region = region.name.as_deref().unwrap_or(&region.id);
                format!(
                    "{waited} for {cleared}crews in {region}, busy {}",
                    self.blocker_words(blockers, self.site_of(task), site)
                )
            }
            Hold::Budget(short) => {
                format!("{waited} for money: {}", self.money_words(short, site))
            }
            Hold::Blackout(b) => format!(
                "{waited} for the site's blackout {} – {}",
                words::date(b.from),
                words::date(b.to)
            ),
            Hold::CrewWindow(Some(d)) => {
                format!("{waited} for a crew available from {}", words::date(*d))
            }
            Hold::CrewWindow(None) => {
                format!("{waited} for a crew whose availability covers the work")
            }
            Hold::Unexplained | Hold::Calendar | Hold::OwnWork => {
                format!("{waited} for crews or money freed later in the schedule")
            }
        }
    }

    /// "at Tier 1 sites a, b and Tier 2 site c", largest tiers first.
    fn blocker_words(&self, blockers: &[usize], own: SiteIx, late: SiteIx) -> String {
        let mut by_site: BTreeMap<SiteIx, usize> = BTreeMap::new();
        for &t in blockers {
            *by_site.entry(self.site_of(t)).or_default() += 1;
        }
        let own_busy = by_site.remove(&own).is_some();
        let mut sites: Vec<(SiteIx, usize)> = by_site.into_iter().collect();
        let tier = |s: SiteIx| self.plan.sites[s.ix()].tier;
        sites.sort_by(|a, b| {
            tier(a.0)
                .cmp(&tier(b.0))
                .then(b.1.cmp(&a.1))
                .then(a.0.cmp(&b.0))
        });
        const NAMED: usize = 3;
        let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
        for &(s, _) in sites.iter().take(NAMED) {
            let site = &self.plan.sites[s.ix()];
            let label = words::tier_short(&self.plan.tiers[site.tier.ix()].id);
            match groups.last_mut() {
                Some(g) if g.0 == label => g.1.push(&site.id),
                _ => groups.push((label, vec![&site.id])),
            }
        }
        let mut parts: Vec<String> = groups
            .into_iter()
            .map(|(label, ids)| {
                let noun = if ids.len() == 1 { "site" } else { "sites" };
                format!("{label} {noun} {}", ids.join(", "))
            })
            .collect();
        if sites.len() > NAMED {
            let more = sites.len() - NAMED;
            parts.push(format!(
                "{more} more {}",
                if more == 1 { "site" } else { "sites" }
            ));
        }
        let mut text = if parts.is_empty() {
            String::new()
        } else {
            format!("at {}", join_and(&parts))
        };
        if own_busy {
            let own = if own == late {
                "with this site's own packages"
            } else {
                "with that site's own packages"
            };
            text = if text.is_empty() {
                own.to_string()
            } else {
                format!("{text} and {own}")
            };
        }
        text
    }

    /// The replaced device types with the longest lead time at a site.
    fn lead_types(&self, site: SiteIx) -> String {
        let types = &self.plan.device_types;
        let replaced: Vec<_> = self.plan.sites[site.ix()]
            .devices
            .iter()
            .filter(|(t, n)| *n > 0 && types[t.ix()].replace)
            .map(|(t, _)| &types[t.ix()])
            .collect();
        let max = replaced.iter().map(|t| t.lead_time_days).max().unwrap_or(0);
        let names: Vec<String> = replaced
            .iter()
            .filter(|t| t.lead_time_days == max)
            .map(|t| t.name.clone().unwrap_or_else(|| t.id.clone()))
            .collect();
        format!("replacement {}", join_and(&names))
    }

    /// No wait worth telling: the work itself is longer than the time allowed.
    fn no_wait_words(&self, chain: &[Cause], row: &SiteRow) -> String {
        let first = chain
            .iter()
            .filter_map(|c| match c {
                Cause::Wait { from, .. } | Cause::LeadTime { from, .. } => Some(*from),
                _ => None,
            })
            .min();
        let first = first.unwrap_or(self.plan.start);
        let done = row.removal_complete.unwrap_or(first);
        let span = (done - first).num_days() + 1;
        format!(
            "The work itself takes {} from {} and cannot finish by the deadline {}",
            words::count(span.max(0) as u64, "day", "days"),
            words::date(first),
            words::opt_date(row.deadline)
        )
    }
}
