// timeline.html, part 1 of 3: the data, dates and words, the page's state
// (kept in the URL fragment, so a view can be bookmarked or sent), and the
// filters. No library and no network: everything here is plain DOM and
// JavaScript that current browsers run from file://.
//
// Every text from the plan reaches the page through `text()` / textContent,
// never innerHTML, so a site called `<img onerror=...>` stays text.
'use strict';

const D = JSON.parse(document.getElementById('page-data').textContent);
const SITES = D.sites;
const TASKS = D.tasks;
const NS = SITES.id.length;
const DAY_MS = 86400000;
const [Y0, M0, D0] = D.start.split('-').map(Number);
const START_MS = Date.UTC(Y0, M0 - 1, D0);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const STATUS = ['done', 'in progress', 'planned', 'not scheduled'];
const UNIT = D.unit;
const UNITS = D.unit === 'tier' ? 'tiers' : 'sites';

// ---- dates -------------------------------------------------------------

/** The calendar date of day `d` (days after the plan's start), in UTC. */
function dateOf(d) { return new Date(START_MS + d * DAY_MS); }
/** The day number of a UTC date. */
function dayOf(y, m, dd) { return Math.round((Date.UTC(y, m, dd) - START_MS) / DAY_MS); }
/** `5 Jan 2026`: fixed words, so the page reads the same in every locale. */
function fmtDate(d) {
  if (d === null || d === undefined) return '–';
  const t = dateOf(d);
  return t.getUTCDate() + ' ' + MONTHS[t.getUTCMonth()] + ' ' + t.getUTCFullYear();
}
/** Financial years run 1 April to 31 March: `FY 2026/27`. */
function fyOf(d) {
  const t = dateOf(d);
  const y = t.getUTCMonth() >= 3 ? t.getUTCFullYear() : t.getUTCFullYear() - 1;
  return y;
}
function fyLabel(y) { return 'FY ' + y + '/' + String((y + 1) % 100).padStart(2, '0'); }

// ---- words -------------------------------------------------------------

function int(n) { return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
function money(v) { return v === null || v === undefined ? '–' : D.currency + ' ' + int(v); }
function shortMoney(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return D.currency + ' ' + (v / 1e6).toFixed(a >= 1e8 ? 0 : 1) + 'm';
  if (a >= 1e3) return D.currency + ' ' + (v / 1e3).toFixed(0) + 'k';
  return D.currency + ' ' + int(v);
}
function plural(n, one, many) { return int(n) + ' ' + (n === 1 ? one : many); }
function siteLabel(i) {
  const n = SITES.name[i];
  return n ? n + ' (' + SITES.id[i] + ')' : SITES.id[i];
}
function tierName(t) { return D.tiers[t] ? D.tiers[t].name : '?'; }
function regionName(r) { return r === null || !D.regions[r] ? '' : D.regions[r].name; }
/** Site `i`'s owner index, or null (also when the plan names no owners). */
function ownerOf(i) { return D.owners.length ? SITES.owner[i] : null; }
/** Late sites' causes as fragment keys: the timeline's `late_category` values. */
const CAUSE_IDS = D.cause_ids;
function causeWords(i) { const c = SITES.cause[i]; return c === null || c === undefined ? '' : D.causes[c]; }
function ownerName(o) { return o === null || !D.owners[o] ? '' : D.owners[o].name; }
function taskName(t) {
  const p = D.phases[TASKS.phase[t]];
  const k = TASKS.package[t];
  return p + (k === null ? '' : ' ' + k);
}
/** Late state in words, never by colour alone. */
function lateWords(i) {
  const l = SITES.late[i];
  if (D.risk && SITES.at_risk[i]) return 'on time but at risk: ' + Math.round(SITES.on_time[i] * 100) + '% likely to stay so';
  if (l === null) return 'not yet scheduled';
  if (l > 0) return plural(l, 'day', 'days') + ' late';
  return SITES.deadline[i] === null ? 'no deadline' : 'on time';
}

/** A new element with optional class and text (never markup). */
function el(tag, cls, txt) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (txt !== undefined && txt !== null) e.textContent = txt;
  return e;
}

// ---- per-site facts, computed once ---------------------------------------

const FACTS = (() => {
  const first = new Int32Array(NS), last = new Int32Array(NS);
  const mainCrew = new Int32Array(NS).fill(-1);
  const search = new Array(NS);
  for (let i = 0; i < NS; i++) {
    let lo = Infinity, hi = -Infinity;
    const work = new Map();
    for (let t = SITES.first_task[i]; t < SITES.first_task[i + 1]; t++) {
      const s = TASKS.start[t], f = TASKS.finish[t];
      if (s !== null) { lo = Math.min(lo, s); hi = Math.max(hi, f); }
      const c = TASKS.crew[t];
      if (c !== null) work.set(c, (work.get(c) || 0) + (f - s + 1));
    }
    first[i] = lo === Infinity ? -1 : lo;
    last[i] = hi === -Infinity ? -1 : hi;
    // The crew that does most of the site's work groups it under `crew`.
    let best = -1, most = -1;
    for (const [c, n] of work) if (n > most || (n === most && c < best)) { best = c; most = n; }
    mainCrew[i] = best;
    search[i] = (SITES.id[i] + '\u0000' + SITES.name[i]).toLowerCase();
  }
  return { first, last, mainCrew, search };
})();

/** The status filters: what each keeps. */
const STATUS_FILTERS = [
  ['', 'All ' + UNITS, () => true],
  ['late', 'Late', i => SITES.late[i] > 0],
  ['unscheduled', 'Not yet scheduled', i => SITES.late[i] === null],
  ['problems', 'Late or not scheduled', i => SITES.late[i] === null || SITES.late[i] > 0],
  ['ontime', 'On time', i => SITES.late[i] === 0],
];
if (D.risk) STATUS_FILTERS.push(['risk', 'At risk (on time, under 80% likely to stay so)', i => SITES.at_risk[i]]);

// ---- state ---------------------------------------------------------------

/** What the user has chosen; mirrored in the URL fragment. */
const state = {
  view: 'gantt', group: D.groupings[0], zoom: 'month', filter: '', tier: '', region: '',
  owner: '', cause: '', crew: '', phase: '', q: '', period: '', expand: new Set(), expandAll: false,
  collapsed: new Set(), list: false,
};

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  const pick = (k, ok) => { const v = p.get(k); return v !== null && ok(v) ? v : state[k]; };
  state.view = pick('view', v => ['gantt', 'crews', 'money'].includes(v));
  if (D.public && state.view !== 'gantt') state.view = 'gantt';
  state.group = pick('group', v => D.groupings.includes(v));
  state.zoom = pick('zoom', v => ['week', 'month', 'quarter', 'fy'].includes(v));
  state.filter = pick('filter', v => STATUS_FILTERS.some(f => f[0] === v));
  state.tier = pick('tier', v => D.tiers.some(t => t.id === v));
  state.region = pick('region', v => D.regions.some(r => r.id === v));
  state.owner = pick('owner', v => D.owners.some(o => o.id === v));
  state.cause = pick('cause', v => CAUSE_IDS.includes(v));
  state.crew = pick('crew', v => D.crews.some(c => c.id === v));
  state.phase = pick('phase', v => D.phases.includes(v));
  state.q = pick('q', () => true);
  state.period = pick('period', v => /^\d+$/.test(v) && +v < D.periods.length);
  const ex = p.get('expand');
  state.expandAll = ex === 'all';
  state.expand = new Set();
  if (ex && ex !== 'all') {
    const want = new Set(ex.split(','));
    for (let i = 0; i < NS; i++) if (want.has(SITES.id[i])) state.expand.add(i);
  }
  state.list = p.get('list') === '1';
}

function writeHash() {
  const p = new URLSearchParams();
  for (const k of ['view', 'group', 'zoom', 'filter', 'tier', 'region', 'owner', 'cause', 'crew', 'phase', 'q', 'period']) {
    if (state[k] !== '' && state[k] !== DEFAULTS[k]) p.set(k, state[k]);
  }
  if (state.expandAll) p.set('expand', 'all');
  else if (state.expand.size && state.expand.size <= 50) {
    p.set('expand', [...state.expand].map(i => SITES.id[i]).join(','));
  }
  if (state.list) p.set('list', '1');
  const h = p.toString();
  history.replaceState(null, '', h ? '#' + h : location.pathname + location.search);
}
const DEFAULTS = { view: 'gantt', group: D.groupings[0], zoom: 'month' };

// ---- filters -------------------------------------------------------------

function indexOfId(list, id) { return list.findIndex(x => x.id === id); }

/** The sites (indices) that pass every filter, in plan order. */
function filtered() {
  const keep = STATUS_FILTERS.find(f => f[0] === state.filter)[2];
  const tier = state.tier ? indexOfId(D.tiers, state.tier) : -1;
  const region = state.region ? indexOfId(D.regions, state.region) : -1;
  const owner = state.owner ? indexOfId(D.owners, state.owner) : -1;
  const cause = state.cause ? CAUSE_IDS.indexOf(state.cause) : -1;
  const crew = state.crew ? indexOfId(D.crews, state.crew) : -1;
  const phase = state.phase ? D.phases.indexOf(state.phase) : -1;
  const q = state.q.trim().toLowerCase();
  const per = state.period === '' ? null : D.periods[+state.period];
  const out = [];
  for (let i = 0; i < NS; i++) {
    if (!keep(i)) continue;
    if (tier >= 0 && SITES.tier[i] !== tier) continue;
    if (region >= 0 && SITES.region[i] !== region) continue;
    if (owner >= 0 && ownerOf(i) !== owner) continue;
    if (cause >= 0 && SITES.cause[i] !== cause) continue;
    if (q && !FACTS.search[i].includes(q)) continue;
    if ((crew >= 0 || phase >= 0 || per) && !taskMatch(i, crew, phase, per)) continue;
    out.push(i);
  }
  return out;
}

/** Whether site `i` has a task done by `crew`, of `phase` and not yet done,
 *  or committing money in budget period `per` (each when given). */
function taskMatch(i, crew, phase, per) {
  let c = crew < 0, p = phase < 0, m = !per;
  for (let t = SITES.first_task[i]; t < SITES.first_task[i + 1]; t++) {
    if (!c && TASKS.crew[t] === crew) c = true;
    if (!p && TASKS.phase[t] === phase && TASKS.status[t] !== 0) p = true;
    if (!m && TASKS.cost[t] > 0 && TASKS.start[t] >= per.from && TASKS.start[t] <= per.to) m = true;
  }
  return c && p && m;
}

/** Whether task `t` is drawn under the current filters (phase, crew). */
function taskShown(t) {
  if (state.phase && D.phases[TASKS.phase[t]] !== state.phase) return false;
  if (state.crew && (TASKS.crew[t] === null || D.crews[TASKS.crew[t]].id !== state.crew)) return false;
  return true;
}
