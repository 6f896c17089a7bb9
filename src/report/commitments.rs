//! What the programme answers for beyond deadlines: the public targets (a
//! compliance table: target, date, required, forecast, met or missed by how
//! much) and progress by owner. Both name no site, so the public bundle
//! carries them as well as the office's report.

use super::doc::{Block, Section, Table};
use crate::plan::Plan;
use crate::timeline::Timeline;
use crate::words;

/// The compliance table; `None` when the plan has no targets.
pub fn targets_section(plan: &Plan, tl: &Timeline) -> Option<Section> {
    if tl.targets.is_empty() {
        return None;
    }
    let mut t = Table::new(
        &[
            "Target",
            "Applies to",
            "By",
            "Required",
            "Forecast",
            "Result",
        ],
        &[false, false, false, true, true, false],
    );
    for (row, target) in tl.targets.iter().zip(&plan.targets) {
        let name = target
            .name
            .as_ref()
            .map(|n| format!("{n} ({})", row.id))
            .unwrap_or_else(|| row.id.clone());
        let mut scope = Vec::new();
        if let Some(tier) = target.tier {
            scope.push(format!("tier {}", plan.tiers[tier.ix()].id));
        }
        if let Some(o) = target.owner {
            let owner = &plan.owners[o.ix()];
            scope.push(owner.name.clone().unwrap_or_else(|| owner.id.clone()));
        }
        let applies = if scope.is_empty() {
            "all sites".to_string()
        } else {
            scope.join(", ")
        };
        let share = format!(
            "{} of {} devices",
            words::pct(row.required, row.devices),
            words::int(row.devices)
        );
        let result = if row.met {
            "met".to_string()
        } else {
            let short = row.required - row.removed;
            format!(
                "missed by {} ({} of those required)",
                words::count(short, "device", "devices"),
                words::pct(short, row.required)
            )
        };
        t.push(
            vec![
                name,
                format!("{applies}: {share}"),
                words::date(row.by),
                words::int(row.required),
                words::int(row.removed),
                result,
            ],
            !row.met,
        );
    }
    Some(Section {
        title: "Public targets".into(),
        blocks: vec![
            Block::Para(
                "Each target: the devices that must be removed by its date, and how many the \
                 timeline removes by then (a device counts when its removal package finishes)."
                    .into(),
            ),
            Block::Table(t),
        ],
    })
}

/// Sites, devices, late sites and removal complete by owner; `None` when
/// the plan names no owners.
pub fn owners_section(plan: &Plan, tl: &Timeline) -> Option<Section> {
    if plan.owners.is_empty() {
        return None;
    }
    #[derive(Default)]
    struct Row {
        sites: u64,
        devices: u64,
        late: u64,
        undated: u64,
        last: Option<chrono::NaiveDate>,
    }
    // One row per owner in plan order, then one for sites without one.
    let mut rows: Vec<Option<Row>> = (0..=plan.owners.len()).map(|_| None).collect();
    for (i, s) in tl.sites.iter().enumerate() {
        let owner = plan.sites[i].owner.map_or(plan.owners.len(), |o| o.ix());
        let r = rows[owner].get_or_insert_with(Row::default);
        r.sites += 1;
        r.devices += s.devices;
        match s.late_days {
            None => r.undated += 1,
            Some(d) if d > 0 => r.late += 1,
            _ => {}
        }
        r.last = r.last.max(s.removal_complete);
    }
    let mut t = Table::new(
        &[
            "Owner",
            "Sites",
            "Devices",
            "Late",
            "No date",
            "Removal complete",
        ],
        &[false, true, true, true, true, false],
    );
    let mut push = |label: String, r: &Row| {
        t.push(
            vec![
                label,
                words::int(r.sites),
                words::int(r.devices),
                words::int(r.late),
                words::int(r.undated),
                words::opt_date(r.last),
            ],
            r.late + r.undated > 0,
        );
    };
    for (o, r) in plan.owners.iter().zip(&rows) {
        if let Some(r) = r {
            push(o.name.clone().unwrap_or_else(|| o.id.clone()), r);
        }
    }
    if let Some(Some(r)) = rows.last() {
        push("No owner given".into(), r);
    }
    Some(Section {
        title: "By owner".into(),
        blocks: vec![Block::Table(t)],
    })
}
