// spreadbus dashboard: one WebSocket to the gateway (/ws on this port),
// channels "spreads" and "status"; reconnects by itself with backoff.
'use strict';

const HISTORY_MS = 15 * 60 * 1000; // what the chart keeps and shows at most
const MIN_SPAN_MS = 60 * 1000;      // ... and at least, while the page is young
const RENDER_MS = 200;              // the table and chart redraw at most 5 times a second
const BACKOFF_MIN_MS = 500, BACKOFF_MAX_MS = 10000;

const state = {
  ws: null,
  backoffMs: BACKOFF_MIN_MS,
  spreads: new Map(),   // symbol -> latest update (the Redis JSON object)
  history: new Map(),   // symbol -> [[ts_ms, spread_bps], ...]
  selected: null,
  dirty: false,
  renderedAt: 0,
};

const $ = (id) => document.getElementById(id);

function setConn(kind, text, detail) {
  $('conn-dot').className = 'dot ' + kind;
  $('conn-state').textContent = text;
  $('conn-detail').textContent = detail || '';
  document.body.dataset.conn = kind;
}

function connect() {
  // a gateway with [gateway] token: open the page as /?token=... and it is passed on
  const token = new URLSearchParams(location.search).get('token');
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws' +
    (token ? '?token=' + encodeURIComponent(token) : '');
  setConn('', 'connecting', url.replace(/token=[^&]*/, 'token=…'));
  const ws = new WebSocket(url);
  state.ws = ws;
  ws.onopen = () => {
    state.backoffMs = BACKOFF_MIN_MS;
    setConn('live', 'live', '');
    ws.send(JSON.stringify({ op: 'subscribe', channels: ['spreads', 'status'], id: 'dashboard' }));
  };
  ws.onmessage = (ev) => {
    let msg;
    try { msg = JSON.parse(ev.data); } catch (e) { return; }
    if (msg.channel === 'spreads') onSpread(msg.data);
    else if (msg.channel === 'status') onStatus(msg.data);
    else if (msg.op === 'error') console.warn('gateway:', msg.error);
  };
  ws.onclose = () => {
    if (state.ws !== ws) return;
    const wait = Math.round(state.backoffMs * (0.75 + Math.random() * 0.5));
    state.backoffMs = Math.min(state.backoffMs * 2, BACKOFF_MAX_MS);
    setConn('down', 'disconnected', 'reconnecting in ' + (wait / 1000).toFixed(1) + ' s');
    setTimeout(connect, wait);
  };
  ws.onerror = () => ws.close();
}

// ---- spreads ----

// schema 2 (README section 4): the best pair's fields are there while the
// symbol has a fresh pair
const hasPair = (d) => d.pairs > 0;

function onSpread(d) {
  const prev = state.spreads.get(d.symbol);
  state.spreads.set(d.symbol, { data: d, prev: prev ? prev.data : null, updates: (prev ? prev.updates : 0) + 1 });
  if (hasPair(d)) {
    const h = state.history.get(d.symbol) || [];
    h.push([d.ts_recv_ns / 1e6, d.spread_bps]);
    const cutoff = Date.now() - HISTORY_MS;
    while (h.length && h[0][0] < cutoff) h.shift();
    state.history.set(d.symbol, h);
  }
  if (!state.selected) state.selected = d.symbol;
  state.dirty = true;
}

function fmtNum(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  return Number(v).toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function fmtPrice(v) {
  if (v === null || v === undefined) return '–';
  return String(v);
}

function cell(tr, i, text, cls, changed) {
  let td = tr.children[i];
  if (!td) { td = document.createElement('td'); tr.appendChild(td); }
  if (td.textContent !== text) {
    td.textContent = text;
    if (changed) { td.classList.remove('flash'); void td.offsetWidth; td.classList.add('flash'); }
  }
  td.className = (cls || '') + (td.classList.contains('flash') ? ' flash' : '');
}

function renderTable() {
  const rows = [...state.spreads.values()].sort((a, b) => {
    const x = hasPair(a.data) ? a.data.spread_bps : -Infinity, y = hasPair(b.data) ? b.data.spread_bps : -Infinity;
    return y - x;
  });
  const tbody = document.querySelector('#spreads tbody');
  $('no-spreads').style.display = rows.length ? 'none' : '';
  rows.forEach((r, idx) => {
    const d = r.data;
    let tr = tbody.querySelector('tr[data-symbol="' + d.symbol + '"]');
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.symbol = d.symbol;
      tr.onclick = () => { state.selected = d.symbol; state.dirty = true; };
    }
    if (tbody.children[idx] !== tr) tbody.insertBefore(tr, tbody.children[idx] || null);
    tr.classList.toggle('selected', d.symbol === state.selected);
    const w = d.window || {};
    const bps = hasPair(d) ? d.spread_bps : null;
    cell(tr, 0, d.symbol);
    cell(tr, 1, hasPair(d) ? d.buy : '–');
    cell(tr, 2, hasPair(d) ? fmtPrice(d.ask) : '–', 'num', true);
    cell(tr, 3, hasPair(d) ? d.sell : '–');
    cell(tr, 4, hasPair(d) ? fmtPrice(d.bid) : '–', 'num', true);
    cell(tr, 5, fmtNum(bps, 2), 'num spread ' + (bps > 0 ? 'pos' : bps < 0 ? 'neg' : ''), true);
    cell(tr, 6, fmtNum(w.mean, 2), 'num');
    cell(tr, 7, fmtNum(w.p50, 2), 'num');
    cell(tr, 8, fmtNum(w.p95, 2), 'num');
    cell(tr, 9, String(r.updates), 'num');
  });
}

// ---- chart ----

function renderChart() {
  const canvas = $('chart');
  const dpr = window.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || 900, cssH = canvas.clientHeight || 300;
  if (canvas.width !== Math.round(cssW * dpr)) { canvas.width = Math.round(cssW * dpr); canvas.height = Math.round(cssH * dpr); }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  const sym = state.selected;
  const pts = (sym && state.history.get(sym)) || [];
  const now = Date.now();
  // the time axis grows with what the page has seen, up to 15 minutes
  const spanMs = Math.min(HISTORY_MS, Math.max(MIN_SPAN_MS, pts.length ? now - pts[0][0] : 0));
  const spanMin = spanMs / 60000;
  $('chart-symbol').textContent = sym ? sym + ' · last ' + (spanMin < 2 ? Math.round(spanMs / 1000) + ' s' : Math.round(spanMin) + ' min') + ', bps' : '';
  const latest = sym && state.spreads.get(sym);
  const w = latest && latest.data.window && latest.data.window.count ? latest.data.window : null;
  canvas.dataset.points = String(pts.length);
  if (!pts.length && !w) return;

  const pad = { l: 56, r: 12, t: 10, b: 24 };
  const t0 = now - spanMs;
  let lo = Infinity, hi = -Infinity;
  for (const [, v] of pts) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (w) { lo = Math.min(lo, w.min); hi = Math.max(hi, w.max); }
  if (lo === hi) { lo -= 1; hi += 1; }
  const span = hi - lo; lo -= span * 0.08; hi += span * 0.08;
  const X = (t) => pad.l + (t - t0) / spanMs * (cssW - pad.l - pad.r);
  const Y = (v) => pad.t + (hi - v) / (hi - lo) * (cssH - pad.t - pad.b);

  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#8896a7';
  ctx.strokeStyle = '#263140';
  ctx.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const v = lo + (hi - lo) * i / 4, y = Y(v);
    ctx.beginPath(); ctx.moveTo(pad.l, y); ctx.lineTo(cssW - pad.r, y); ctx.stroke();
    ctx.fillText(v.toFixed(2), 6, y + 4);
  }
  for (let i = 0; i <= 3; i++) {
    const ago = spanMs * i / 3, x = X(now - ago);
    const label = !i ? 'now' : spanMs < 120000 ? '-' + Math.round(ago / 1000) + ' s' : '-' + Math.round(ago / 60000) + ' min';
    ctx.fillText(label, Math.min(x - 14, cssW - 30), cssH - 6);
  }
  if (w) {
    ctx.fillStyle = 'rgba(88, 166, 255, 0.18)';
    ctx.fillRect(pad.l, Y(w.max), cssW - pad.l - pad.r, Y(w.min) - Y(w.max));
    const hline = (v, color, dash) => {
      ctx.strokeStyle = color; ctx.setLineDash(dash); ctx.beginPath();
      ctx.moveTo(pad.l, Y(v)); ctx.lineTo(cssW - pad.r, Y(v)); ctx.stroke(); ctx.setLineDash([]);
    };
    hline(w.mean, '#e3b341', []);
    if (w.p50 !== null) hline(w.p50, '#8b949e', [4, 4]);
    if (w.p95 !== null) hline(w.p95, '#8b949e', [2, 3]);
  }
  if (pts.length) {
    ctx.strokeStyle = '#58a6ff'; ctx.lineWidth = 1.5; ctx.beginPath();
    pts.forEach(([t, v], i) => (i ? ctx.lineTo(X(t), Y(v)) : ctx.moveTo(X(t), Y(v))));
    ctx.stroke();
    const [t, v] = pts[pts.length - 1];
    ctx.fillStyle = '#58a6ff'; ctx.beginPath(); ctx.arc(X(t), Y(v), 3, 0, 2 * Math.PI); ctx.fill();
  }
}

// ---- exchanges ----

function onStatus(d) {
  const box = $('exchanges');
  const now = d.ts_ns / 1e6;
  for (const e of d.exchanges) {
    let card = box.querySelector('[data-exchange="' + e.exchange + '"]');
    if (!card) {
      card = document.createElement('div');
      card.className = 'card';
      card.dataset.exchange = e.exchange;
      card.innerHTML = '<div class="name"><span class="dot"></span><span></span></div><div class="meta"><span></span><span></span></div>';
      box.appendChild(card);
    }
    const ok = e.connection === 'streaming' && (e.state === 'running' || e.state === 'degraded');
    const down = e.state === 'exited' || e.connection === 'backoff' || e.connection === 'idle';
    card.querySelector('.dot').className = 'dot ' + (ok ? 'live' : down ? 'down' : '');
    card.querySelector('.name span:last-child').textContent = e.exchange;
    const age = e.last_message_ns ? Math.max(0, (now - e.last_message_ns / 1e6) / 1000) : null;
    const meta = card.querySelectorAll('.meta span');
    meta[0].textContent = e.connection + (e.messages_per_s !== null ? ' · ' + e.messages_per_s.toFixed(1) + ' msg/s' : '');
    meta[1].textContent = age === null ? 'no data yet' : 'last ' + (age < 1 ? '<1' : age.toFixed(0)) + ' s ago';
  }
}

function frame(ts) {
  if (state.dirty && ts - state.renderedAt >= RENDER_MS) {
    state.dirty = false;
    state.renderedAt = ts;
    renderTable();
    renderChart();
  }
  requestAnimationFrame(frame);
}

setInterval(() => { state.dirty = true; }, 1000); // the time axis moves on
requestAnimationFrame(frame);
connect();
