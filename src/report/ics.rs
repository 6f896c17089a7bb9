//! `timeline.ics`: an iCalendar (RFC 5545) feed people can subscribe to:
//! one all-day event per crew visit (each dated crew task: site, crew,
//! task, the days it spans), for site managers booking access; one per
//! site's removal complete day, marked `LATE` in its summary when the site
//! misses its deadline; and one per deadline (the programme's, each
//! tier's, each site's own).
//!
//! Deterministic: UIDs come from IDs (which the plan format limits to
//! `A-Z a-z 0-9 - _ .`), and DTSTAMP from the data (the status date, else the
//! programme start), never from the clock. SEQUENCE is the number of days
//! from the programme start to the status date (0 for a first schedule),
//! so each re-plan, reported as of a later day, carries a higher sequence
//! and calendar programs replace the events they hold instead of
//! duplicating or ignoring them. Lines end in CRLF and are folded at 75
//! octets without splitting a UTF-8 character.

use chrono::NaiveDate;

use super::escape::ics_text;
use crate::artifact::Context;
use crate::plan::Site;
use crate::timeline::Status;
use crate::timeline::TaskRow;
use crate::words;
use std::io::{self, Write};

const PRODID: &str = "-//removal-timeline//removal-timeline 1//EN";
const UID_DOMAIN: &str = "removal-timeline.invalid";

/// The feed, in memory (tests; the bundle streams it with `render_to`).
pub fn render(ctx: &Context) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing to memory cannot fail.
    let _ = render_to(ctx, &mut bytes);
    bytes
}

/// Writes the feed to `w` as it goes: a national programme has a million
/// crew visits, too many to hold as text first.
pub fn render_to(ctx: &Context, w: &mut dyn Write) -> io::Result<()> {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    let stamp = Stamp {
        day: tl.status_date.unwrap_or(tl.start),
        sequence: sequence(plan.start, tl.status_date),
    };
    let mut out = Ics {
        w: io::BufWriter::new(w),
    };
    out.line("BEGIN:VCALENDAR")?;
    out.line("VERSION:2.0")?;
    out.line(&format!("PRODID:{PRODID}"))?;
    out.line("CALSCALE:GREGORIAN")?;
    out.line(&format!("X-WR-CALNAME:{}", ics_text(&plan.name)))?;
    for (i, t) in tl.tasks.iter().enumerate() {
        if let Some(ev) = visit(ctx, i, t) {
            out.event(&ev, stamp)?;
        }
    }
    for (s, site) in tl.sites.iter().zip(&plan.sites) {
        if let Some(done) = s.removal_complete {
            let name = site_name(site);
            let late = match s.late_days {
                Some(n) if n > 0 => format!("LATE by {} — ", words::count(n as u64, "day", "days")),
                _ => String::new(),
            };
            let mut desc = format!(
                "{}, {} devices.",
                words::tier_label(&plan.tiers[site.tier.ix()]),
                words::int(s.devices)
            );
            if let Some(r) = &s.late_reason {
                desc.push_str(&format!(" Late: {r}"));
            }
            let ev = Event {
                uid: format!("removal-{}", s.id),
                day: done,
                last: done,
                summary: format!("{late}Removal complete: {name}"),
                description: desc,
            };
            out.event(&ev, stamp)?;
        }
    }
    for ev in deadlines(ctx) {
        out.event(&ev, stamp)?;
    }
    out.line("END:VCALENDAR")?;
    out.w.flush()
}

struct Event {
    uid: String,
    /// First and last day (all-day events; DTEND is the day after `last`).
    day: NaiveDate,
    last: NaiveDate,
    summary: String,
    description: String,
}

/// What every event of one publication shares.
#[derive(Debug, Clone, Copy)]
struct Stamp {
    day: NaiveDate,
    sequence: i64,
}

/// SEQUENCE for a publication: days from the programme start to the status
/// date, so a later re-plan always counts higher; 0 without a status date.
fn sequence(start: NaiveDate, status: Option<NaiveDate>) -> i64 {
    status.map_or(0, |s| (s - start).num_days().max(0))
}

/// The event of a dated crew task (task row `i`): the days a crew is on
/// site.
fn visit(ctx: &Context, i: usize, t: &TaskRow) -> Option<Event> {
    let plan = ctx.plan;
    let (Some(from), Some(to), Some(crew)) = (t.start, t.finish, t.crew.as_deref()) else {
        return None;
    };
    if t.status == Status::Unscheduled {
        return None;
    }
    let site = &ctx.timeline.sites[ctx.links.site_of(i)];
    let plan_site = ctx.task_site(i);
    let name = site_name(plan_site);
    let what = match t.package {
        Some(p) => format!("{} package {p}", t.phase.as_str()),
        None => t.phase.as_str().to_string(),
    };
    let mut summary = format!("{what} at {name}, crew {crew}");
    if let Some(n) = site.late_days.filter(|n| *n > 0) {
        summary = format!(
            "{summary} (site LATE by {})",
            words::count(n as u64, "day", "days")
        );
    }
    let mut desc = format!(
        "Crew {crew} on site for task {} ({}): {} to {}, {} of work, {} devices. Status: {}.",
        t.id,
        what,
        words::date(from),
        words::date(to),
        words::count(t.duration as u64, "working day", "working days"),
        words::int(t.devices),
        t.status.as_str().replace('_', " "),
    );
    desc.push_str(&format!(
        " Site: {}, {}.",
        words::tier_label(&plan.tiers[plan_site.tier.ix()]),
        words::region_label(&plan.regions[plan_site.region.ix()])
    ));
    Some(Event {
        uid: format!("visit-{}", t.id.replace('/', "-")),
        day: from,
        last: to,
        summary,
        description: desc,
    })
}

/// `Name (id)` where the site has a name, else its ID.
fn site_name(site: &Site) -> String {
    match &site.name {
        Some(n) => format!("{n} ({})", site.id),
        None => site.id.clone(),
    }
}

/// The programme's deadline, each tier's, and each site's own.
fn deadlines(ctx: &Context) -> Vec<Event> {
    let plan = ctx.plan;
    let mut out = Vec::new();
    if let Some(d) = plan.deadline {
        out.push(Event {
            uid: "deadline-programme".into(),
            day: d,
            last: d,
            summary: format!("Deadline: {}", plan.name),
            description: "Every site's removal complete.".into(),
        });
    }
    for t in &plan.tiers {
        if let Some(d) = t.deadline {
            let label = words::tier_label(t);
            out.push(Event {
                uid: format!("deadline-tier-{}", t.id),
                day: d,
                last: d,
                summary: format!("Deadline: {label} sites"),
                description: format!("Removal complete at every {label} site."),
            });
        }
    }
    for s in &plan.sites {
        if let (Some(d), true) = (s.deadline, s.device_count() > 0) {
            out.push(Event {
                uid: format!("deadline-site-{}", s.id),
                day: d,
                last: d,
                summary: format!("Deadline: {}", site_name(s)),
                description: "Removal complete at this site.".into(),
            });
        }
    }
    out
}

struct Ics<W: Write> {
    w: W,
}

impl<W: Write> Ics<W> {
    fn event(&mut self, ev: &Event, stamp: Stamp) -> io::Result<()> {
        let next = ev.last.succ_opt().unwrap_or(ev.last);
        self.line("BEGIN:VEVENT")?;
        self.line(&format!("UID:{}@{UID_DOMAIN}", ev.uid))?;
        self.line(&format!("DTSTAMP:{}T000000Z", stamp.day.format("%Y%m%d")))?;
        self.line(&format!("SEQUENCE:{}", stamp.sequence))?;
        self.line(&format!("DTSTART;VALUE=DATE:{}", ev.day.format("%Y%m%d")))?;
        self.line(&format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")))?;
        self.line(&format!("SUMMARY:{}", ics_text(&ev.summary)))?;
        self.line(&format!("DESCRIPTION:{}", ics_text(&ev.description)))?;
        self.line("TRANSP:TRANSPARENT")?;
        self.line("END:VEVENT")
    }

    /// One content line, folded: no physical line longer than 75 octets.
    fn line(&mut self, text: &str) -> io::Result<()> {
        let mut width = 0;
        for c in text.chars() {
            let n = c.len_utf8();
            if width + n > 75 {
                self.w.write_all(b"\r\n ")?;
                width = 1;
            }
            let mut buf = [0u8; 4];
            self.w.write_all(c.encode_utf8(&mut buf).as_bytes())?;
            width += n;
        }
        self.w.write_all(b"\r\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut ics = Ics { w: Vec::new() };
        let text = format!("SUMMARY:{}", "é".repeat(100));
        ics.line(&text).unwrap();
        let out = String::from_utf8(ics.w).expect("never splits a character");
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{text}\r\n"));
    }
}
