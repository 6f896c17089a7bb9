// timeline.html, part 3 of 3: details on hover and focus, the money view,
// the controls, the keyboard, and start-up.

const tip = $('tip');

// ---- details (hover and keyboard focus) ---------------------------------

/** Lines of [label, value] describing a row or a bar. */
function details(row, t) {
  if (t !== undefined && t !== null) return taskDetails(t);
  switch (row.k) {
    case 's': return siteDetails(row.i);
    case 't': return taskDetails(row.t);
    case 'g': return [[row.label, ''], [UNITS, int(row.sites.length)], ['Late', int(row.late)],
      ['Not scheduled', int(row.unsched)], ['Devices', int(row.devices)],
      ['Work', row.lo <= row.hi ? fmtDate(row.lo) + ' – ' + fmtDate(row.hi) : '–']];
    case 'c': return [['Crew ' + D.crews[row.c].id, ''], ['Region', regionName(D.crews[row.c].region)],
      ['Cleared', D.crews[row.c].cleared ? 'yes' : 'no'], ['Tasks shown', int(row.tasks.length)]];
    case 'r': return [[row.label, ''], ['Crews', int(row.n)], ['Tasks shown', int(row.tasks)]];
  }
  return [];
}

function siteDetails(i) {
  const out = [[siteLabel(i), ''], ['Tier', tierName(SITES.tier[i])]];
  if (SITES.region[i] !== null) out.push(['Region', regionName(SITES.region[i])]);
  if (ownerOf(i) !== null) out.push(['Owner', ownerName(ownerOf(i))]);
  out.push(['Devices', int(SITES.devices[i])]);
  if (FACTS.first[i] >= 0) out.push(['Work', fmtDate(FACTS.first[i]) + ' – ' + fmtDate(FACTS.last[i])]);
  out.push(['Removal complete', fmtDate(SITES.done[i])]);
  if (D.baseline) out.push([GREY, fmtDate(SITES.base_done[i])]);
  out.push(['Deadline', fmtDate(SITES.deadline[i])], ['Status', lateWords(i)]);
  if (!D.public) {
    let cost = 0;
    const crews = new Set();
    for (let t = SITES.first_task[i]; t < SITES.first_task[i + 1]; t++) {
      cost += TASKS.cost[t] || 0;
      if (TASKS.crew[t] !== null) crews.add(D.crews[TASKS.crew[t]].id);
    }
    out.push(['Cost', money(cost)], ['Crews', [...crews].join(', ') || '–']);
  }
  if (causeWords(i)) out.push(['Held back by', causeWords(i)]);
  if (SITES.reason[i]) out.push(['Why', SITES.reason[i]]);
  if (SITES.note[i]) out.push(['', SITES.note[i]]);
  return out;
}

function taskDetails(t) {
  const i = SITE_OF[t];
  const out = [[taskName(t) + ' · ' + siteLabel(i), ''], ['Status', STATUS[TASKS.status[t]]],
    ['Dates', TASKS.start[t] === null ? 'not scheduled' : fmtDate(TASKS.start[t]) + ' – ' + fmtDate(TASKS.finish[t])]];
  if (D.baseline && TASKS.base_start[t] !== null) out.push([GREY, fmtDate(TASKS.base_start[t]) + ' – ' + fmtDate(TASKS.base_finish[t])]);
  if (TASKS.crew[t] !== null) out.push(['Crew', D.crews[TASKS.crew[t]].id]);
  if (TASKS.devices[t]) out.push(['Devices', int(TASKS.devices[t])]);
  if (TASKS.cost[t] !== null) out.push(['Cost', money(TASKS.cost[t])]);
  const why = TASKS.reason[t];
  if (why) out.push(['Why', why]);
  if (SITES.late[i] > 0 && SITES.reason[i]) out.push(['Site late', SITES.reason[i]]);
  return out;
}

/** What the grey bars are, as a details label: `Committed` or `Baseline`. */
const GREY = D.grey === 'committed timeline' ? 'Committed' : 'Baseline';

function showTip(lines, px, py) {
  if (!lines.length) return hideTip();
  tip.replaceChildren();
  const [head, ...rest] = lines;
  tip.append(el('div', 'tip-head', head[0]));
  const dl = el('dl');
  for (const [k, v] of rest) { dl.append(el('dt', '', k), el('dd', '', v)); }
  tip.append(dl);
  tip.hidden = false;
  const w = tip.offsetWidth, h = tip.offsetHeight;
  tip.style.left = Math.max(4, Math.min(px + 14, innerWidth - w - 8)) + 'px';
  tip.style.top = (py + 18 + h > innerHeight ? Math.max(4, py - h - 10) : py + 18) + 'px';
}
function hideTip() { tip.hidden = true; }

rowsEl.addEventListener('mousemove', ev => {
  const r = ev.target.closest('.row');
  if (!r) return hideTip();
  const b = ev.target.closest('[data-t]');
  showTip(details(rows[+r.dataset.r], b ? +b.dataset.t : null), ev.clientX, ev.clientY);
});
rowsEl.addEventListener('mouseleave', hideTip);
scroller.addEventListener('scroll', () => { hideTip(); requestAnimationFrame(() => paint(false)); }, { passive: true });

// ---- keyboard -------------------------------------------------------------

function focusEl(scroll) {
  const e = document.getElementById('row-' + focusRow);
  if (!e) return;
  rowsEl.querySelectorAll('[tabindex="0"]').forEach(o => { if (o !== e) o.tabIndex = -1; });
  e.tabIndex = 0;
  e.focus({ preventScroll: true });
  if (scroll) {
    const b = e.getBoundingClientRect();
    showTip(details(rows[focusRow]), b.left + LABEL_W - 20, b.top);
  }
}

function moveTo(r) {
  if (!rows.length) return;
  focusRow = Math.max(0, Math.min(rows.length - 1, r));
  const top = geo.head + focusRow * ROW_H;
  if (top - geo.head < scroller.scrollTop) scroller.scrollTop = top - geo.head;
  else if (top + ROW_H > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + ROW_H - scroller.clientHeight;
  paint(true);
  focusEl(true);
}

function toggle(row, open) {
  if (row.k === 's') {
    if (open === undefined) open = !row.open;
    if (open) state.expand.add(row.i); else { state.expand.delete(row.i); state.expandAll = false; }
  } else if (row.k === 'g' || row.k === 'r') {
    const key = (row.k === 'g' ? state.group : 'crews') + ':' + row.key;
    if (open === undefined) open = !row.open;
    if (open) state.collapsed.delete(key); else state.collapsed.add(key);
  } else return;
  refresh(false);
}

function parentOf(r) {
  const lvl = rows[r].level || 1;
  for (let p = r - 1; p >= 0; p--) if ((rows[p].level || 1) < lvl) return p;
  return r;
}

rowsEl.addEventListener('keydown', ev => {
  const row = rows[focusRow];
  const page = Math.max(1, Math.floor(scroller.clientHeight / ROW_H) - 2);
  const keys = {
    ArrowDown: () => moveTo(focusRow + 1), ArrowUp: () => moveTo(focusRow - 1),
    PageDown: () => moveTo(focusRow + page), PageUp: () => moveTo(focusRow - page),
    Home: () => moveTo(0), End: () => moveTo(rows.length - 1),
    ArrowRight: () => (row.open === false ? toggle(row, true) : moveTo(focusRow + 1)),
    ArrowLeft: () => (row.open ? toggle(row, false) : moveTo(parentOf(focusRow))),
    Enter: () => activate(row), ' ': () => toggle(row),
    Escape: hideTip,
  };
  if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
});
rowsEl.addEventListener('click', ev => {
  const r = ev.target.closest('.row');
  if (!r) return;
  focusRow = +r.dataset.r;
  const b = ev.target.closest('[data-t]');
  if (b && state.view === 'crews') return openSite(SITE_OF[+b.dataset.t]);
  activate(rows[focusRow]);
});
document.addEventListener('keydown', ev => {
  if (ev.key === '/' && document.activeElement.tagName !== 'INPUT') { ev.preventDefault(); $('f-q').focus(); }
});

/** Enter or click: open or close a row; in the crew view, show the crew's sites. */
function activate(row) {
  if (row.k === 'c') {
    state.crew = D.crews[row.c].id;
    return setView('gantt');
  }
  toggle(row);
}

/** The Gantt, filtered to one site and with its tasks open. */
function openSite(i) {
  clearFilters();
  state.q = SITES.id[i];
  state.expand.add(i);
  setView('gantt');
}

// ---- money view -------------------------------------------------------------

function drawMoney(sites) {
  const box = $('view-money');
  box.replaceChildren();
  box.append(el('h2', '', 'Money committed per budget period'));
  if (!D.periods.length) {
    box.append(el('p', '', 'The plan sets no budget: money is taken as unlimited.'));
    return;
  }
  box.append(el('p', 'hint', 'A task’s whole cost is committed on its start day. The dark part of each bar is the ' +
    UNITS + ' now shown (' + int(sites.length) + ' of ' + int(NS) + '); the line is the period’s budget. ' +
    (D.carry_over ? 'Unspent money carries over to later periods.' : 'Unspent money does not carry over.') +
    ' Choose a period to see the ' + UNITS + ' that drew on it.'));
  const inShown = D.periods.map(() => 0);
  for (const i of sites) {
    for (let t = SITES.first_task[i]; t < SITES.first_task[i + 1]; t++) {
      const c = TASKS.cost[t];
      if (!(c > 0)) continue;
      const k = D.periods.findIndex(p => TASKS.start[t] >= p.from && TASKS.start[t] <= p.to);
      if (k >= 0) inShown[k] += c;
    }
  }
  const top = Math.max(...D.periods.map(p => Math.max(p.amount, p.committed)), 1);
  const list = el('ol', 'periods');
  D.periods.forEach((p, k) => {
    const li = el('li', 'period' + (String(k) === state.period ? ' chosen' : ''));
    const b = el('button', 'period-btn');
    b.type = 'button';
    const used = p.amount > 0 ? Math.floor(p.committed / p.amount * 100) : 0;
    const over = p.committed > p.amount;
    b.setAttribute('aria-label', fmtDate(p.from) + ' to ' + fmtDate(p.to) + ': ' + money(p.committed) + ' committed of ' +
      money(p.amount) + ' (' + used + '%); ' + money(inShown[k]) + ' by the ' + UNITS + ' shown. Show the ' + UNITS + ' that drew on it.');
    b.append(el('span', 'p-dates', fmtDate(p.from) + ' – ' + fmtDate(p.to) + ' · ' + fyLabel(fyOf(p.from))));
    const track = el('span', 'p-track');
    const all = el('span', 'p-all'); all.style.width = (p.committed / top * 100) + '%';
    const mine = el('span', 'p-mine'); mine.style.width = (inShown[k] / top * 100) + '%';
    const cap = el('span', 'p-cap'); cap.style.left = (p.amount / top * 100) + '%';
    track.append(all, mine, cap);
    b.append(track);
    b.append(el('span', 'p-figs' + (over ? ' over' : ''), money(p.committed) + ' of ' + money(p.amount) + ' · ' + used + '% used' +
      (over ? ' · OVER' : '') + (inShown[k] !== p.committed ? ' · shown: ' + money(inShown[k]) : '')));
    b.addEventListener('click', () => { state.period = String(k); setView('gantt'); });
    li.append(b);
    list.append(li);
  });
  box.append(list);
}

// ---- controls ---------------------------------------------------------------

function fill(select, items) {
  for (const [v, label] of items) {
    const o = el('option', '', label);
    o.value = v;
    select.append(o);
  }
}

function setupControls() {
  $('title').textContent = D.plan;
  const sub = [D.public ? 'Public timeline by tier' : 'Timeline of ' + plural(NS, 'site', 'sites'),
    'from ' + fmtDate(0)];
  if (D.status !== null) sub.push('status as of ' + fmtDate(D.status));
  if (D.baseline) sub.push('grey bars: the ' + D.grey);
  if (D.targets.length) {
    const missed = D.targets.filter(t => !t.met).map(t => t.id);
    sub.push(plural(D.targets.length, 'target', 'targets') + ': ' + int(D.targets.length - missed.length) + ' met' +
      (missed.length ? ', ' + int(missed.length) + ' missed (' + missed.join(', ') + ')' : ''));
  }
  $('subtitle').textContent = sub.join(' · ');
  const names = { tier: 'Tier', region: 'Region', crew: 'Main crew', owner: 'Owner', none: 'No grouping' };
  fill($('f-group'), D.groupings.map(g => [g, names[g] || g]));
  fill($('f-status'), STATUS_FILTERS.map(f => [f[0], f[1]]));
  fill($('f-tier'), D.tiers.map(t => [t.id, t.name === t.id ? t.id : t.id + ': ' + t.name]));
  fill($('f-region'), D.regions.map(r => [r.id, r.name]));
  fill($('f-owner'), D.owners.map(o => [o.id, o.name]));
  fill($('f-cause'), D.causes.map((c, k) => [CAUSE_IDS[k], c]));
  fill($('f-crew'), D.crews.map(c => [c.id, c.id]));
  fill($('f-phase'), D.phases.map(p => [p, p]));
  if (D.public) {
    document.querySelectorAll('.office, .tabs').forEach(e => { e.hidden = true; });
    $('b-expand').hidden = false;
  }
  if (D.groupings.length < 2) $('f-group').parentNode.hidden = true;
  if (!D.owners.length) $('f-owner').parentNode.hidden = true;
  const bind = (id, key, ev) => $(id).addEventListener(ev || 'change', () => { state[key] = $(id).value; refresh(true); });
  bind('f-group', 'group'); bind('f-status', 'filter'); bind('f-tier', 'tier'); bind('f-region', 'region');
  bind('f-owner', 'owner'); bind('f-cause', 'cause');
  bind('f-crew', 'crew'); bind('f-phase', 'phase'); bind('f-q', 'q', 'input');
  $('f-zoom').addEventListener('change', () => {
    // Keep the day at the left edge of the chart in place.
    const d = geo.t0 + scroller.scrollLeft / geo.ppd;
    state.zoom = $('f-zoom').value;
    refresh(false);
    scroller.scrollLeft = (d - geo.t0) * geo.ppd;
  });
  $('f-period-clear').addEventListener('click', () => { state.period = ''; refresh(true); });
  $('b-clear').addEventListener('click', () => { clearFilters(); refresh(true); });
  $('b-expand').addEventListener('click', () => {
    state.expandAll = !state.expandAll;
    if (!state.expandAll) state.expand.clear();
    refresh(false);
  });
  $('b-list').addEventListener('click', () => { state.list = !state.list; refresh(false); });
  document.querySelectorAll('.tabs button').forEach(b => b.addEventListener('click', () => setView(b.dataset.view)));
  addEventListener('hashchange', () => { readHash(); refresh(true); });
  addEventListener('resize', () => paint(true));
  drawLegend();
}

function clearFilters() {
  Object.assign(state, { filter: '', tier: '', region: '', owner: '', cause: '', crew: '', phase: '', q: '', period: '' });
}

function setView(v) { state.view = v; refresh(true); }

function syncControls() {
  for (const [id, key] of [['f-group', 'group'], ['f-zoom', 'zoom'], ['f-status', 'filter'], ['f-tier', 'tier'],
    ['f-region', 'region'], ['f-owner', 'owner'], ['f-cause', 'cause'], ['f-crew', 'crew'], ['f-phase', 'phase'], ['f-q', 'q']]) {
    if ($(id).value !== state[key]) $(id).value = state[key];
  }
  document.querySelectorAll('.tabs button').forEach(b => b.setAttribute('aria-pressed', b.dataset.view === state.view));
  $('f-period-chip').hidden = state.period === '';
  if (state.period !== '') {
    const p = D.periods[+state.period];
    $('f-period-text').textContent = 'Drew on budget ' + fmtDate(p.from) + ' – ' + fmtDate(p.to);
  }
  $('b-expand').textContent = state.expandAll ? 'Collapse all' : 'Expand all';
  $('b-list').setAttribute('aria-pressed', state.list);
  $('f-group').disabled = state.view !== 'gantt';
}

/** The legend: the forms and colours of the PNG Gantt (src/chart), and
 *  the page's own (status patterns, badges). */
function drawLegend() {
  const lg = $('legend');
  lg.append(el('span', 'lg-title', 'Phases:'));
  D.phases.forEach((p, k) => {
    const item = el('span', 'lg');
    item.append(el('span', 'sw task p' + k + ' s2'), document.createTextNode(p));
    lg.append(item);
  });
  const items = [['sw task p2 s0', 'done (hatched)'], ['sw task p2 s1', 'in progress (dotted end)'],
    ['', '◆ removal complete'], ['sw tick', 'site deadline'], ['sw dash', 'deadline'],
    ['sw late-row', '▲ late (days)'], ['', '✕ not scheduled']];
  if (D.status !== null) items.push(['sw solid', 'status date']);
  if (D.targets.length) items.push(['sw dots-met', 'target ✓ met'], ['sw dots-missed', 'target ✗ missed']);
  if (D.baseline) items.push(['sw base', D.grey]);
  for (const [cls, label] of items) {
    const item = el('span', 'lg');
    if (cls) item.append(el('span', cls));
    item.append(document.createTextNode(label));
    lg.append(item);
  }
  lg.append(el('span', 'lg keys', 'Keys: ↑ ↓ move, → ← open and close, Enter choose, / search'));
}

// ---- refresh and start ----------------------------------------------------------

let firstPaint = true;

/** Re-applies the state: filters, rows, axis, the rows in view, the hash. */
function refresh(resetFocus) {
  const sites = filtered();
  shown = new Uint8Array(NS);
  for (const i of sites) shown[i] = 1;
  syncControls();
  const chart = state.view !== 'money' && !state.list;
  $('view-chart').hidden = !chart;
  $('view-money').hidden = state.view !== 'money' || state.list;
  $('view-list').hidden = !state.list;
  rows = state.view === 'crews' ? crewRows() : ganttRows(sites);
  rowsEl.setAttribute('aria-label', state.view === 'crews' ? 'Crews and their tasks' : 'Sites by ' + state.group);
  if (resetFocus) { focusRow = 0; scroller.scrollTop = 0; }
  focusRow = Math.min(focusRow, Math.max(0, rows.length - 1));
  countLine(sites);
  if (chart) {
    layout();
    if (resetFocus) scrollToDays(sites);
    paint(true);
  }
  if (state.view === 'money' && !state.list) drawMoney(sites);
  if (state.list) {
    // As text content, so it is also what a saved or dumped page holds.
    $('list').textContent = state.view === 'crews'
      ? rows.filter(r => r.k === 'c').map(r => D.crews[r.c].id).join('\n')
      : sites.map(i => SITES.id[i]).join('\n');
  }
  writeHash();
  if (firstPaint) {
    firstPaint = false;
    document.body.dataset.firstScreenMs = Math.round(performance.now());
  }
  document.body.dataset.shown = sites.length;
}

/** After a filter, the chart scrolls to the shown rows' work: their first
 *  bar, or in a re-plan a month before the status date when they still
 *  have work after it, so a filter never leaves an empty stretch of time
 *  in view. */
function scrollToDays(sites) {
  let lo = Infinity, hi = -Infinity;
  for (const i of sites) {
    if (FACTS.first[i] >= 0) { lo = Math.min(lo, FACTS.first[i]); hi = Math.max(hi, FACTS.last[i]); }
  }
  if (state.view === 'crews') { lo = 0; hi = D.end; }
  if (lo > hi) return;
  const d = D.status !== null && hi > D.status ? Math.max(lo, D.status - 30) : lo;
  scroller.scrollLeft = Math.max(0, (d - 7 - geo.t0) * geo.ppd);
}

/** The finest of month, quarter and financial year that fits every day
 *  from the first bar to a month after the end into the chart's width. */
function fitZoom() {
  let lo = 0;
  for (let i = 0; i < NS; i++) if (FACTS.first[i] >= 0) lo = Math.min(lo, FACTS.first[i]);
  const days = D.end - lo + 62, w = scroller.clientWidth - LABEL_W;
  return ['month', 'quarter', 'fy'].find(z => days * ZOOMS[z] <= w) || 'fy';
}

function countLine(sites) {
  let late = 0, unsched = 0;
  for (const i of sites) { if (SITES.late[i] > 0) late++; else if (SITES.late[i] === null) unsched++; }
  const bits = ['Showing ' + int(sites.length) + ' of ' + plural(NS, UNIT, UNITS)];
  bits.push(int(late) + ' late', int(unsched) + ' not scheduled');
  if (state.view === 'crews') bits.push(plural(rows.filter(r => r.k === 'c').length, 'crew', 'crews'));
  $('count').textContent = bits.join(' · ');
}

/** `#bench=scroll` (benches/page.sh): scroll top to bottom in 100 steps,
 *  drawing each one at once, and record what a frame cost. */
function benchScroll() {
  const times = [];
  const max = scroller.scrollHeight - scroller.clientHeight;
  for (let k = 0; k <= 100; k++) {
    const t = performance.now();
    scroller.scrollTop = max * k / 100;
    paint(false);
    void rowsEl.offsetHeight; // lay the frame out, as the browser would before painting
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  document.body.dataset.scrollMsMedian = times[50].toFixed(2);
  document.body.dataset.scrollMsMax = times[100].toFixed(2);
}

// Read before the page rewrites the fragment to its own state.
const BENCH = new URLSearchParams(location.hash.slice(1)).get('bench');
// The public page has a handful of rows: it opens on the finest zoom that
// shows the whole programme at once.
if (D.public) DEFAULTS.zoom = state.zoom = fitZoom();
readHash();
setupControls();
// Opens on the shown rows' work, as after any filter.
refresh(true);
if (BENCH === 'scroll') benchScroll();
