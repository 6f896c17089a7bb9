// timeline.html, part 2 of 3: the chart. Rows (groups, sites, their tasks;
// or regions and crews in the crew view) are a plain array; only the rows
// in view, plus a few either side, are in the document at any time, and
// only the bars inside the visible days, so 10,000 sites scroll as
// smoothly as 10.

const ROW_H = 26;
/** The time axis: two bands of ticks, then one lane of flags per 17 px. */
const TICKS_H = 38, LANE_H = 18;
const LABEL_W = 330;
const OVERSCAN = 8;
/** Pixels per day at each zoom. */
const ZOOMS = { week: 18, month: 4.5, quarter: 1.6, fy: 0.55 };

const $ = id => document.getElementById(id);
const scroller = $('scroller'), sizer = $('sizer'), headEl = $('head');
const linesEl = $('lines'), rowsEl = $('rows');

/** Task index → site index, and each crew's tasks by start. */
const SITE_OF = new Int32Array(TASKS.phase.length);
for (let i = 0; i < NS; i++) {
  for (let t = SITES.first_task[i]; t < SITES.first_task[i + 1]; t++) SITE_OF[t] = i;
}
const CREW_TASKS = D.crews.map(() => []);
for (let t = 0; t < TASKS.phase.length; t++) {
  if (TASKS.crew[t] !== null) CREW_TASKS[TASKS.crew[t]].push(t);
}
CREW_TASKS.forEach(l => l.sort((a, b) => TASKS.start[a] - TASKS.start[b] || a - b));

/** The chart's geometry: pixels per day and the first day drawn. */
const geo = { ppd: ZOOMS.month, t0: 0, t1: 0, width: 0, head: TICKS_H + LANE_H + 1 };
/** The rows of the current view, and which one has the keyboard focus. */
let rows = [];
let focusRow = 0;
/** Sites passing the filters, as a lookup by site. */
let shown = new Uint8Array(NS);

function x(d) { return LABEL_W + (d - geo.t0) * geo.ppd; }
function isoDate(d) { return dateOf(d).toISOString().slice(0, 10); }

// ---- rows --------------------------------------------------------------

/** The group of site `i` under the current grouping: [sort key, label]. */
function groupOf(i) {
  switch (state.group) {
    case 'tier': { const t = SITES.tier[i]; return [t, D.tiers[t].name === D.tiers[t].id ? 'Tier ' + D.tiers[t].id : D.tiers[t].name + ' (' + D.tiers[t].id + ')']; }
    case 'region': { const r = SITES.region[i]; return [r === null ? 1e9 : r, r === null ? 'No region' : regionName(r)]; }
    case 'owner': { const o = ownerOf(i); return [o === null ? 1e9 : o, o === null ? 'No owner named' : ownerName(o)]; }
    case 'crew': { const c = FACTS.mainCrew[i]; return [c < 0 ? 1e9 : c, c < 0 ? 'No crew (no crew work scheduled)' : 'Crew ' + D.crews[c].id + ' · ' + regionName(D.crews[c].region)]; }
    default: return [0, ''];
  }
}

/** Gantt rows for the filtered sites: group headers, sites, expanded tasks. */
function ganttRows(sites) {
  const out = [];
  if (state.group === 'none') {
    for (const i of sites) pushSite(out, i, 1);
    return out;
  }
  const groups = new Map();
  for (const i of sites) {
    const [k, label] = groupOf(i);
    if (!groups.has(k)) groups.set(k, { k: 'g', key: k, label, sites: [] });
    groups.get(k).sites.push(i);
  }
  const keys = [...groups.keys()].sort((a, b) => a - b);
  keys.forEach((k, gi) => {
    const g = groups.get(k);
    g.pos = gi + 1; g.size = keys.length;
    g.open = !state.collapsed.has(state.group + ':' + k);
    summarise(g);
    out.push(g);
    if (g.open) g.sites.forEach((i, n) => pushSite(out, i, 2, n + 1, g.sites.length));
  });
  return out;
}

function pushSite(out, i, level, pos, size) {
  const open = state.expandAll || state.expand.has(i);
  out.push({ k: 's', i, level, open, pos: pos || out.length + 1, size: size || NS });
  if (!open) return;
  const n = SITES.first_task[i + 1] - SITES.first_task[i];
  for (let t = SITES.first_task[i]; t < SITES.first_task[i + 1]; t++) {
    out.push({ k: 't', t, i, level: level + 1, pos: t - SITES.first_task[i] + 1, size: n });
  }
}

/** A group's span, late count and devices, for its header row. */
function summarise(g) {
  let lo = Infinity, hi = -Infinity, late = 0, unsched = 0, dev = 0;
  for (const i of g.sites) {
    if (FACTS.first[i] >= 0) { lo = Math.min(lo, FACTS.first[i]); hi = Math.max(hi, FACTS.last[i]); }
    if (SITES.late[i] > 0) late++;
    if (SITES.late[i] === null) unsched++;
    dev += SITES.devices[i];
  }
  Object.assign(g, { lo, hi, late, unsched, devices: dev });
}

/** Crew view rows: regions, then their crews, showing the filtered sites' tasks. */
function crewRows() {
  const out = [];
  const region = state.region ? indexOfId(D.regions, state.region) : -1;
  D.regions.forEach((r, ri) => {
    if (region >= 0 && ri !== region) return;
    const crews = [];
    D.crews.forEach((c, ci) => {
      if (c.region !== ri || (state.crew && c.id !== state.crew)) return;
      const tasks = CREW_TASKS[ci].filter(t => shown[SITE_OF[t]] && phaseOk(t));
      crews.push({ k: 'c', c: ci, tasks, level: 2 });
    });
    if (!crews.length) return;
    const g = { k: 'r', label: r.name, n: crews.length, level: 1, open: !state.collapsed.has('crews:' + ri), key: ri };
    g.tasks = crews.reduce((a, c) => a + c.tasks.length, 0);
    out.push(g);
    if (g.open) crews.forEach((c, n) => { c.pos = n + 1; c.size = crews.length; out.push(c); });
  });
  return out;
}

function phaseOk(t) { return !state.phase || D.phases[TASKS.phase[t]] === state.phase; }

// ---- geometry and the time axis -----------------------------------------

function layout() {
  geo.ppd = ZOOMS[state.zoom];
  let lo = 0;
  for (let i = 0; i < NS; i++) if (FACTS.first[i] >= 0 && FACTS.first[i] < lo) lo = FACTS.first[i];
  // Start at the first of the month, end a month after the last day.
  const a = dateOf(lo);
  geo.t0 = dayOf(a.getUTCFullYear(), a.getUTCMonth(), 1);
  const b = dateOf(D.end);
  geo.t1 = dayOf(b.getUTCFullYear(), b.getUTCMonth() + 2, 1);
  geo.width = LABEL_W + (geo.t1 - geo.t0) * geo.ppd;
  sizer.style.width = geo.width + 'px';
  drawAxis();
  sizer.style.setProperty('--head', geo.head + 'px');
  sizer.style.height = (geo.head + rows.length * ROW_H) + 'px';
}

/** Tick marks: [day, label, strong] for the lower and upper bands. */
function ticks() {
  const lower = [], upper = [];
  const a = dateOf(geo.t0), y0 = a.getUTCFullYear();
  for (let y = y0 - 1; ; y++) {
    if (dayOf(y, 0, 1) > geo.t1) break;
    for (let m = 0; m < 12; m++) {
      const d = dayOf(y, m, 1);
      if (d < geo.t0 || d > geo.t1) continue;
      const fy = m === 3;
      if (state.zoom === 'week' || state.zoom === 'month') {
        lower.push([d, state.zoom === 'week' ? MONTHS[m] + ' ' + y : MONTHS[m], fy]);
      } else if (state.zoom === 'quarter' && m % 3 === 0) {
        lower.push([d, 'Q' + (((m - 3 + 12) % 12) / 3 + 1), fy]);
      } else if (state.zoom === 'fy' && m % 3 === 0) {
        lower.push([d, MONTHS[m], fy]);
      }
      if (state.zoom === 'week') continue;
      if (state.zoom === 'month' ? m === 0 : false) upper.push([d, String(y), false]);
      if (fy && state.zoom !== 'month') upper.push([d, fyLabel(y), true]);
    }
  }
  if (state.zoom === 'week') {
    // Mondays, labelled with the day of the month.
    let d = geo.t0 + ((8 - dateOf(geo.t0).getUTCDay()) % 7);
    for (; d <= geo.t1; d += 7) {
      const t = dateOf(d);
      upper.push([d, 'w/c ' + t.getUTCDate() + ' ' + MONTHS[t.getUTCMonth()], false]);
    }
    return { upper: lower, lower: upper.map(u => [u[0], u[1].slice(4), false]) };
  }
  if (state.zoom === 'month') {
    for (let y = y0; dayOf(y, 3, 1) <= geo.t1; y++) {
      const d = dayOf(y, 3, 1);
      if (d >= geo.t0) upper.push([d, fyLabel(y), true]);
    }
  }
  return { upper, lower };
}

function drawAxis() {
  headEl.replaceChildren();
  linesEl.replaceChildren();
  const corner = el('div', 'corner');
  corner.append(el('span', 'corner-title', state.view === 'crews' ? 'Crew' : UNIT === 'tier' ? 'Tier' : 'Site'));
  corner.append(el('span', 'corner-sub', state.view === 'crews' ? 'tasks' : 'removal · deadline'));
  headEl.append(corner);
  const { upper, lower } = ticks();
  const band = (list, cls) => list.forEach(([d, label, strong]) => {
    const t = el('div', cls + (strong ? ' strong' : ''), label);
    t.style.left = x(d) + 'px';
    headEl.append(t);
  });
  band(upper, 'tick up');
  band(lower, 'tick low');
  for (const [d, , strong] of lower) {
    const l = el('div', 'vline' + (strong ? ' fy' : ''));
    l.style.left = x(d) + 'px';
    linesEl.append(l);
  }
  for (const [d, , strong] of upper) {
    if (!strong) continue;
    const l = el('div', 'vline fy');
    l.style.left = x(d) + 'px';
    linesEl.append(l);
  }
  // Lines across the chart with a flag in the axis: deadlines (dashed),
  // the status date (solid) and targets (dotted, met or missed in words).
  const marks = MARKS.slice().sort((a, b) => a.day - b.day);
  // Each flag takes the first lane where it clears the flags before it.
  const lanes = [];
  for (const m of marks) {
    const l = el('div', 'vline ' + m.cls);
    l.style.left = x(m.day) + 'px';
    linesEl.append(l);
    const f = el('div', 'flag ' + m.cls, m.flag);
    f.title = m.words;
    const left = x(m.day);
    let lane = lanes.findIndex(right => right < left);
    if (lane < 0) { lane = lanes.length; lanes.push(0); }
    lanes[lane] = left + 10 + m.flag.length * 6.3;
    f.style.left = left + 'px';
    f.style.top = (TICKS_H + lane * LANE_H) + 'px';
    headEl.append(f);
  }
  geo.head = TICKS_H + Math.max(1, lanes.length) * LANE_H + 1;
}

/** The marked days: {day, cls, flag (short text in the axis), words}. */
const MARKS = (() => {
  const out = D.deadlines.map(m => ({ day: m.day, cls: 'deadline', flag: m.label, words: m.label + ': ' + fmtDate(m.day) }));
  if (D.status !== null) {
    const words = 'Status date ' + fmtDate(D.status);
    out.push({ day: D.status, cls: 'status', flag: '▼ ' + words, words: words + ': work before it is as reported' });
  }
  for (const t of D.targets) {
    out.push({ day: t.day, cls: 'target' + (t.met ? ' met' : ' missed'), flag: (t.met ? '✓ ' : '✗ ') + t.id + (t.met ? ' met' : ' missed'), words: 'Target ' + t.words });
  }
  return out;
})();

// ---- painting the rows in view -------------------------------------------

let painted = { from: -1, to: -1, left: -1, key: '' };

function paint(force) {
  const top = scroller.scrollTop, h = scroller.clientHeight;
  const from = Math.max(0, Math.floor((top - geo.head) / ROW_H) - OVERSCAN);
  const to = Math.min(rows.length, Math.ceil((top + h) / ROW_H) + OVERSCAN);
  const left = scroller.scrollLeft;
  // Bars are cut to the days in view, with a screen's width either side.
  const span = scroller.clientWidth;
  const dLo = geo.t0 + (left - span) / geo.ppd, dHi = geo.t0 + (left + 2 * span) / geo.ppd;
  const band = Math.floor(left / Math.max(1, span));
  // The days in view, for the tests and for anyone reading the DOM.
  const day0 = geo.t0 + left / geo.ppd;
  document.body.dataset.viewFrom = isoDate(Math.ceil(day0));
  document.body.dataset.viewTo = isoDate(Math.floor(day0 + (span - LABEL_W) / geo.ppd));
  if (!force && from === painted.from && to === painted.to && band === painted.left) return;
  painted = { from, to, left: band };
  const frag = document.createDocumentFragment();
  for (let r = from; r < to; r++) frag.append(rowEl(r, dLo, dHi));
  const had = document.activeElement && document.activeElement.parentNode === rowsEl;
  rowsEl.replaceChildren(frag);
  if (had) focusEl(false);
}

function rowEl(r, dLo, dHi) {
  const row = rows[r];
  const e = el('div', 'row k-' + row.k);
  e.style.top = (geo.head + r * ROW_H) + 'px';
  e.style.width = geo.width + 'px';
  e.dataset.r = r;
  e.setAttribute('role', 'treeitem');
  e.setAttribute('aria-level', row.level || 1);
  if (row.pos) { e.setAttribute('aria-posinset', row.pos); e.setAttribute('aria-setsize', row.size); }
  e.tabIndex = r === focusRow ? 0 : -1;
  e.id = 'row-' + r;
  const label = el('div', 'label');
  label.style.paddingLeft = (6 + ((row.level || 1) - 1) * 16) + 'px';
  e.append(label);
  BUILD[row.k](row, e, label, dLo, dHi);
  e.setAttribute('aria-label', describe(row));
  return e;
}

function inView(s, f, dLo, dHi) { return f >= dLo && s <= dHi; }

function bar(e, s, f, cls, t) {
  const b = el('div', 'bar ' + cls);
  b.style.left = x(s) + 'px';
  b.style.width = Math.max(2, (f - s + 1) * geo.ppd) + 'px';
  if (t !== undefined) b.dataset.t = t;
  e.append(b);
  return b;
}

function mark(e, d, cls, txt) {
  const m = el('div', 'mark ' + cls, txt);
  m.style.left = x(d) + 'px';
  e.append(m);
}

/** Row builders by kind: group, site, task, region, crew. */
const BUILD = {
  g(row, e, label) {
    e.setAttribute('aria-expanded', row.open);
    label.append(el('span', 'tw', row.open ? '▾' : '▸'));
    label.append(el('span', 'name', row.label));
    const bits = [plural(row.sites.length, UNIT, UNITS)];
    if (row.late) bits.push(row.late + ' late');
    if (row.unsched) bits.push(row.unsched + ' not scheduled');
    label.append(el('span', 'meta', bits.join(' · ')));
    if (row.lo <= row.hi) bar(e, row.lo, row.hi, 'span');
  },
  s(row, e, label, dLo, dHi) {
    const i = row.i;
    e.setAttribute('aria-expanded', row.open);
    label.append(el('span', 'tw', row.open ? '▾' : '▸'));
    label.append(el('span', 'name', SITES.name[i] ? SITES.id[i] + ' · ' + SITES.name[i] : SITES.id[i]));
    const late = SITES.late[i];
    if (late === null && SITES.devices[i] > 0) label.append(el('span', 'badge unsched', '✕ not scheduled'));
    else if (late > 0) label.append(el('span', 'badge late', '▲ ' + late + ' d late'));
    else if (D.risk && SITES.at_risk[i]) label.append(el('span', 'badge risk', '◔ at risk ' + Math.round(SITES.on_time[i] * 100) + '%'));
    if (late > 0 || late === null) e.classList.add('is-late');
    if (D.public) {
      // A tier's phases overlap: one bar for its whole span reads better;
      // its phases are its rows.
      if (FACTS.first[i] >= 0) bar(e, FACTS.first[i], FACTS.last[i], 'span');
      if (SITES.deadline[i] !== null) mark(e, SITES.deadline[i], 'dl', '');
      if (SITES.done[i] !== null) mark(e, SITES.done[i], 'done-mark', '◆');
      return;
    }
    let bs = Infinity;
    for (let t = SITES.first_task[i]; t < SITES.first_task[i + 1]; t++) {
      const s = TASKS.start[t], f = TASKS.finish[t];
      if (TASKS.base_start[t] !== null) bs = Math.min(bs, TASKS.base_start[t]);
      if (s === null || !inView(s, f, dLo, dHi)) continue;
      bar(e, s, f, taskClass(t), t);
    }
    if (D.baseline && SITES.base_done[i] !== null && bs <= SITES.base_done[i]) {
      bar(e, bs, SITES.base_done[i], 'base');
    }
    if (SITES.deadline[i] !== null) mark(e, SITES.deadline[i], 'dl', '');
    if (SITES.done[i] !== null) mark(e, SITES.done[i], 'done-mark', '◆');
    if (late === null && SITES.devices[i] > 0) {
      const at = FACTS.last[i] >= 0 ? FACTS.last[i] + 2 : Math.max(0, D.status || 0);
      mark(e, at, 'unsched-text', 'not scheduled');
    }
  },
  t(row, e, label) {
    const t = row.t;
    label.append(el('span', 'name', taskName(t)));
    label.append(el('span', 'meta', STATUS[TASKS.status[t]] + (TASKS.crew[t] !== null ? ' · ' + D.crews[TASKS.crew[t]].id : '')));
    if (TASKS.base_start[t] !== null && D.baseline) bar(e, TASKS.base_start[t], TASKS.base_finish[t], 'base');
    if (TASKS.start[t] !== null) bar(e, TASKS.start[t], TASKS.finish[t], taskClass(t), t);
    else mark(e, Math.max(0, D.status || 0), 'unsched-text', 'not scheduled');
  },
  r(row, e, label) {
    e.setAttribute('aria-expanded', row.open);
    label.append(el('span', 'tw', row.open ? '▾' : '▸'));
    label.append(el('span', 'name', row.label));
    label.append(el('span', 'meta', plural(row.n, 'crew', 'crews') + ' · ' + plural(row.tasks, 'task', 'tasks')));
  },
  c(row, e, label, dLo, dHi) {
    const c = D.crews[row.c];
    label.append(el('span', 'name', c.id));
    label.append(el('span', 'meta', (c.cleared ? 'cleared · ' : '') + plural(row.tasks.length, 'task', 'tasks')));
    for (const t of row.tasks) {
      const s = TASKS.start[t], f = TASKS.finish[t];
      if (!inView(s, f, dLo, dHi)) continue;
      const b = bar(e, s, f, taskClass(t), t);
      if ((f - s + 1) * geo.ppd > 60) b.textContent = SITES.id[SITE_OF[t]];
    }
  },
};

/** A bar's classes: its phase (colour and letter), status (pattern), and
 *  whether the crew and phase filters dim it. */
function taskClass(t) {
  let c = 'task p' + TASKS.phase[t] + ' s' + TASKS.status[t];
  if (state.view === 'gantt' && !taskShown(t)) c += ' dim';
  return c;
}

/** The text alternative of a row: everything its bars show, in words. */
function describe(row) {
  switch (row.k) {
    case 'g': return row.label + ': ' + plural(row.sites.length, UNIT, UNITS) + ', ' + row.late + ' late, ' + row.unsched + ' not scheduled; ' + (row.lo <= row.hi ? fmtDate(row.lo) + ' to ' + fmtDate(row.hi) : 'no dates') + (row.open ? '' : ' (collapsed)');
    case 's': { const i = row.i; return siteLabel(i) + ': ' + tierName(SITES.tier[i]) + (SITES.region[i] !== null ? ', ' + regionName(SITES.region[i]) : '') + (ownerOf(i) !== null ? ', ' + ownerName(ownerOf(i)) : '') + ', ' + plural(SITES.devices[i], 'device', 'devices') + '; removal complete ' + fmtDate(SITES.done[i]) + ', deadline ' + fmtDate(SITES.deadline[i]) + (D.baseline ? '; ' + D.grey + ' ' + fmtDate(SITES.base_done[i]) : '') + '; ' + lateWords(i) + (causeWords(i) ? ', held back most by ' + causeWords(i) : '') + (SITES.reason[i] ? '. ' + SITES.reason[i] : ''); }
    case 't': { const t = row.t; return taskName(t) + ' at ' + SITES.id[row.i] + ': ' + STATUS[TASKS.status[t]] + ', ' + fmtDate(TASKS.start[t]) + ' to ' + fmtDate(TASKS.finish[t]) + (TASKS.crew[t] !== null ? ', crew ' + D.crews[TASKS.crew[t]].id : ''); }
    case 'r': return row.label + ': ' + plural(row.n, 'crew', 'crews');
    case 'c': return 'Crew ' + D.crews[row.c].id + ': ' + plural(row.tasks.length, 'task', 'tasks') + (row.tasks.length ? ', ' + fmtDate(TASKS.start[row.tasks[0]]) + ' to ' + fmtDate(Math.max(...row.tasks.map(t => TASKS.finish[t]))) : '');
  }
  return '';
}
