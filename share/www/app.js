// SPDX-License-Identifier: Apache-2.0
//
// app.js — the vigil hub dashboard.  Asks for an API token (kept in
// sessionStorage, i.e. this tab only; a "#token=..." URL fragment is taken
// once and removed from the address bar), then reads GET /stats?days=N and
// GET /indicators?value=X with "Authorization: Bearer <token>" — the same
// API and the same access rules as any client: the page never sees what
// the token may not see.  Everything inserted into the page is built with
// createElement/textContent (never innerHTML with data), so names and
// values from the hub cannot inject markup.  No external URL, no build.
'use strict';

(function () {
  const KEY = 'vigil-hub-token';
  const SVGNS = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

  // ---- token ------------------------------------------------------------
  function fragmentParams() {
    const h = window.location.hash.replace(/^#/, '');
    const out = {};
    for (const part of h.split('&')) {
      if (!part) continue;
      const i = part.indexOf('=');
      const k = decodeURIComponent(i < 0 ? part : part.slice(0, i));
      out[k] = i < 0 ? '' : decodeURIComponent(part.slice(i + 1));
    }
    return out;
  }
  const frag = fragmentParams();
  if (frag.token) {
    sessionStorage.setItem(KEY, frag.token);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  const token = () => sessionStorage.getItem(KEY);

  // ---- API ----------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, msg) { super(msg); this.status = status; }
  }
  async function api(path) {
    const r = await fetch(path, {
      headers: { 'Authorization': 'Bearer ' + token(), 'Accept': 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
    });
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) {
      const msg = body && typeof body.error === 'string' ? body.error : 'HTTP ' + r.status;
      throw new ApiError(r.status, msg);
    }
    return body;
  }

  // ---- DOM helpers (text only) ---------------------------------------------
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function svg(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs) e.setAttribute(k, String(attrs[k]));
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : 0; }
  function str(v) { return v === undefined || v === null ? '' : String(v); }
  function fillTable(id, rows, cells) {
    const tb = $(id).querySelector('tbody');
    clear(tb);
    if (!rows.length) {
      const tr = el('tr');
      const td = el('td', 'nothing to show', 'empty');
      td.colSpan = $(id).querySelectorAll('thead th').length;
      tr.appendChild(td);
      tb.appendChild(tr);
      return;
    }
    for (const r of rows) {
      const tr = el('tr');
      for (const c of cells(r)) {
        if (c instanceof Node) {
          const td = el('td');
          td.appendChild(c);
          tr.appendChild(td);
        } else {
          tr.appendChild(el('td', c));
        }
      }
      tb.appendChild(tr);
    }
  }

  // ---- the chart: one SVG bar per day of the period --------------------------
  function dayKey(d) { return d.toISOString().slice(0, 10); }
  function drawChart(byDay, days) {
    const box = $('chart');
    clear(box);
    const counts = new Map();
    let last = dayKey(new Date());
    for (const r of Array.isArray(byDay) ? byDay : []) {
      const k = str(r.day).slice(0, 10);
      counts.set(k, (counts.get(k) || 0) + num(r.count));
      if (k > last) last = k;
    }
    const end = new Date(last + 'T00:00:00Z');
    const series = [];
    for (let i = days - 1; i >= 0; i--) {
      const d = new Date(end.getTime() - i * 86400000);
      const k = dayKey(d);
      series.push({ day: k, count: counts.get(k) || 0 });
    }
    const max = Math.max(1, ...series.map((s) => s.count));
    const W = 720, H = 220, L = 40, B = 24, T = 10;
    const bw = (W - L) / series.length;
    const g = svg('svg', { id: 'chart-svg', viewBox: `0 0 ${W} ${H}`, role: 'img',
                           'aria-label': 'sightings per day', 'data-days': series.length });
    g.appendChild(svg('line', { x1: L, y1: H - B, x2: W, y2: H - B, class: 'axis' }));
    for (const frac of [0, 0.5, 1]) {
      const y = H - B - (H - B - T) * frac;
      g.appendChild(svg('line', { x1: L - 4, y1: y, x2: W, y2: y, class: 'grid' }));
      const t = svg('text', { x: L - 6, y: y + 4, class: 'ylabel' });
      t.textContent = String(Math.round(max * frac));
      g.appendChild(t);
    }
    series.forEach((s, i) => {
      const h = (H - B - T) * (s.count / max);
      const r = svg('rect', { class: 'bar', x: (L + i * bw + 1).toFixed(1),
                              y: (H - B - h).toFixed(1), width: Math.max(1, bw - 2).toFixed(1),
                              height: h.toFixed(1), 'data-day': s.day, 'data-count': s.count });
      const tip = svg('title', {});
      tip.textContent = `${s.day}: ${s.count}`;
      r.appendChild(tip);
      g.appendChild(r);
      if (i === 0 || i === series.length - 1 || i % Math.ceil(series.length / 6) === 0) {
        const t = svg('text', { x: (L + i * bw + bw / 2).toFixed(1), y: H - 6, class: 'xlabel' });
        t.textContent = s.day.slice(5);
        g.appendChild(t);
      }
    });
    box.appendChild(g);
    const total = series.reduce((a, s) => a + s.count, 0);
    box.appendChild(el('p', `${total} sightings in ${series.length} days`, 'caption'));
  }

  // horizontal bars (HTML) for a breakdown
  function drawBars(id, rows, labelKey) {
    const box = $(id);
    clear(box);
    rows = Array.isArray(rows) ? rows : [];
    if (!rows.length) { box.appendChild(el('p', 'nothing to show', 'empty')); return; }
    const max = Math.max(1, ...rows.map((r) => num(r.count)));
    for (const r of rows) {
      const row = el('div', null, 'hbar');
      row.appendChild(el('span', str(r[labelKey]) || '(none)', 'hlabel'));
      const track = el('span', null, 'htrack');
      const fill = el('span', null, 'hfill');
      fill.style.width = (100 * num(r.count) / max).toFixed(1) + '%';
      track.appendChild(fill);
      row.appendChild(track);
      row.appendChild(el('span', num(r.count), 'hcount'));
      box.appendChild(row);
    }
  }

  function freshBadge(fresh) {
    return el('span', fresh ? 'up to date' : 'stale', fresh ? 'badge ok' : 'badge stale');
  }

  // ---- loading ---------------------------------------------------------------
  function showLogin(msg) {
    $('main').hidden = true;
    $('login').hidden = false;
    $('logout').hidden = true;
    $('login-msg').textContent = msg || '';
    $('who').textContent = '';
  }

  async function loadStats() {
    const days = parseInt($('days').value, 10) || 30;
    $('status').textContent = 'loading…';
    let st;
    try {
      st = await api('/stats?days=' + days);
    } catch (e) {
      if (e.status === 401) { sessionStorage.removeItem(KEY); showLogin('Token refused: ' + e.message); }
      else $('status').textContent = 'Cannot load statistics: ' + e.message;
      return false;
    }
    $('login').hidden = true;
    $('main').hidden = false;
    $('logout').hidden = false;
    drawChart(st.sightings_by_day, days);
    fillTable('top', Array.isArray(st.top_indicators) ? st.top_indicators : [], (r) => [
      str(r.indicator), str(r.type), num(r.sightings), num(r.orgs), num(r.provinces),
      str(r.first_seen), str(r.last_seen)]);
    drawBars('by-province', st.by_province, 'province');
    drawBars('by-class', st.by_device_class, 'device_class');
    fillTable('feeds', Array.isArray(st.feeds) ? st.feeds : [], (r) => [
      str(r.name), num(r.seq), str(r.published)]);
    const sensors = Array.isArray(st.sensors) ? st.sensors : [];
    fillTable('sensors', sensors, (r) => [
      str(r.sensor), str(r.org), str(r.feed), num(r.seq), str(r.last_pull), freshBadge(!!r.fresh)]);
    const stale = sensors.filter((s) => !s.fresh).length;
    $('status').textContent = stale ? `${stale} sensor(s) have not pulled the latest feed` : '';
    document.body.setAttribute('data-loaded', 'stats');
    return true;
  }

  function indicatorLabel(r) {
    const o = r.object && typeof r.object === 'object' ? r.object : {};
    return str(o.name) || str(o.pattern) || str(r.id);
  }

  async function search(value) {
    const msg = $('search-msg');
    const tb = $('results').querySelector('tbody');
    clear(tb);
    if (!value) { msg.textContent = ''; return; }
    msg.textContent = 'searching…';
    let res;
    try {
      res = await api('/indicators?value=' + encodeURIComponent(value));
    } catch (e) {
      msg.textContent = 'Search failed: ' + e.message;
      return;
    }
    const rows = Array.isArray(res.indicators) ? res.indicators : [];
    msg.textContent = `${rows.length} indicator(s) for "${value}"`;
    fillTable('results', rows, (r) => {
      const s = r.sightings && typeof r.sightings === 'object' ? r.sightings : {};
      const by = Array.isArray(s.by_org) ? s.by_org : [];
      return [indicatorLabel(r), str(r.tlp), str(r.owner), str(r.collection), num(s.count),
        num(s.orgs), num(s.provinces), str(s.last_seen),
        by.map((b) => `${str(b.org)} (${num(b.count)})`).join(', ')];
    });
    document.body.setAttribute('data-searched', String(rows.length));
  }

  // ---- wiring ----------------------------------------------------------------
  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const t = $('token').value.trim();
    if (!t) return;
    sessionStorage.setItem(KEY, t);
    $('token').value = '';
    await loadStats();
  });
  $('logout').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    showLogin('Logged out.');
  });
  $('refresh').addEventListener('click', loadStats);
  $('days').addEventListener('change', loadStats);
  $('search-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    search($('q').value.trim());
  });

  (async () => {
    if (frag.days && ['7', '30', '90'].includes(frag.days)) $('days').value = frag.days;
    if (!token()) { showLogin(''); document.body.setAttribute('data-loaded', 'login'); return; }
    if (await loadStats() && frag.q) {
      $('q').value = frag.q;
      await search(frag.q);
    }
    document.body.setAttribute('data-ready', '1');
  })();
})();
