//! Public targets: checked against the plan's tiers and owners, so that a
//! target always counts something a programme manager can recognise.

use super::at::At;
use super::check::Checker;
use super::locate::Seg;
use super::model::{OwnerIx, Plan, Target, TierIx};
use super::raw::RawPlan;
use super::values::{self, Ids};

/// The plan's targets, in plan order; every problem reported at its value.
pub fn check(
    raw: &RawPlan,
    top: At,
    plan: &Plan,
    tiers: &Ids,
    owners: &Ids,
    c: &mut Checker,
) -> Vec<Target> {
    let mut ids = Ids::new("target");
    let mut out = Vec::with_capacity(raw.targets.len());
    for (i, t) in raw.targets.iter().enumerate() {
        let f = |k| [Seg::K("targets"), Seg::I(i), Seg::K(k)];
        c.id(&top, &f("id"), &mut ids, &t.id);
        c.name(&top, &f("name"), &t.name);
        let by = c.date(&top, &f("by"), &t.by);
        let share = t.share.unwrap_or(1.0);
        if !(share > 0.0 && share <= 1.0) {
            let m = format!(
                "{} is not a share: give a number above 0 and at most 1 (0.65 for 65%)",
                values::show(share)
            );
            c.err(&top, &f("share"), &m);
        }
        let tier = t
            .tier
            .as_ref()
            .and_then(|id| c.ok(&top, &f("tier"), tiers.get(id)));
        let owner = t.owner.as_ref().and_then(|id| {
            if owners.is_empty() {
                let m = format!("owner {id:?} is not in `owners`, which the plan does not give");
                c.err(&top, &f("owner"), &m);
                return None;
            }
            c.ok(&top, &f("owner"), owners.get(id))
        });
        let target = Target {
            id: t.id.clone(),
            name: t.name.clone(),
            by: by.unwrap_or(plan.start),
            share,
            tier: tier.map(TierIx::from),
            owner: owner.map(OwnerIx::from),
        };
        if let Some(by) = by.filter(|&d| d < plan.start) {
            let m = format!(
                "{by} is before the programme starts ({}): the target will be missed",
                plan.start
            );
            c.warn(&top, &f("by"), &m);
        }
        let resolved = t.tier.is_none() == tier.is_none() && t.owner.is_none() == owner.is_none();
        if resolved && plan.target_devices(&target) == 0 {
            let m = format!(
                "target {:?} counts no device: no site with devices matches its tier and owner",
                t.id
            );
            c.warn(&top, &f("id"), &m);
        }
        out.push(target);
    }
    out
}
