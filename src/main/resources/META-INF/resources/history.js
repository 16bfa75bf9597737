'use strict';
// Session history on the status page: a 24-hour lane per peer in the table (GET /api/sessions/timeline:
// every session of every peer as numbers, none cut), and for the peer opened (GET /api/sessions), its
// 24-hour and 7-day timelines, a traffic chart and its sessions. Events from the stream change the
// sessions held here at once (a session that ends shows as ended without a reload); the opened peer's
// rows are then read again for the store's figures. The 24-hour lanes are read when the stream
// (re)opens and follow the events after that.
const sessionHistory = (() => {
  const PAGE = 1000;
  const ENDS_KEPT = 1000;
  const reasons = { idle: 'idle', removed: 'removed', 'interface-down': 'interface down', 'wgmon-restart-gap': 'wgmon restart (end not exact)' };
  const state = {
    available: null,      // null: not asked yet; false: no store (or history failing); true
    day: new Map(),       // interface + ' ' + publicKey -> sessions of the last 24 hours, newest first
    opened: null,         // { interfaceName, publicKey, name, sessions, more }
    ended: new Map(),     // session id -> { end, endReason, rxBytes, txBytes } from a disconnect event
    reread: null,
  };
  let onChange = () => {};
  const panel = document.getElementById('history');
  const note = document.getElementById('history-note');

  class HistoryError extends Error {
    constructor(message, status) { super(message); this.status = status; }
  }

  function noStore(error) { return error instanceof HistoryError && error.status === 404; }

  async function sessions(query, path) {
    const response = await fetch('api/sessions' + (path || '') + '?' + new URLSearchParams(query), { credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401 || response.status === 403) { location.href = 'login'; throw new HistoryError('logged out'); }
    if (!response.ok) {
      let error = 'HTTP ' + response.status;
      try { error = (await response.json()).error || error; } catch (notJson) { /* the status says enough */ }
      throw new HistoryError(error, response.status);
    }
    return response.json();
  }

  /** Sessions overlapping the time from then to now (an open one overlaps it), newest start first. */
  async function read(from, query, pages) {
    const byId = new Map();
    let cursor = null, more = false;
    for (let page = 0; page < pages; page++) {
      const answer = await sessions(Object.assign({ from: new Date(from).toISOString(), limit: PAGE }, query, cursor ? { cursor } : {}));
      answer.sessions.forEach(s => byId.set(s.id, s));
      cursor = answer.next;
      if (!cursor) break;
      more = page === pages - 1;
    }
    return { sessions: [...byId.values()].map(withLocalEnd), more };
  }

  /** A disconnect seen on the stream wins over a row read before it was written. */
  function withLocalEnd(s) {
    const ended = state.ended.get(s.id);
    if (!ended) return s;
    if (s.end) { state.ended.delete(s.id); return s; }
    return Object.assign({}, s, ended, { durationSeconds: Math.max(0, (Date.parse(ended.end) - charts.ms(s.start)) / 1000) });
  }

  function failed(error) {
    state.available = false;
    const text = String(error.message || error);
    note.textContent = noStore(error)
      ? 'History needs a store: set wgmon.store.dir (WGMON_STORE_DIR) to keep sessions; the live view works without it.'
      : 'History unavailable: ' + text;
    note.hidden = false;
    document.body.classList.add('no-history');
    panel.hidden = true;
    onChange();
  }

  /** Every peer's sessions of the last 24 hours, as lanes: { start, end } in ms, the open one with its id. */
  async function readDay() {
    try {
      const to = Date.now(), from = to - charts.DAY;
      const answer = await sessions({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }, '/timeline');
      const origin = Date.parse(answer.from);
      state.day.clear();
      answer.peers.forEach(peer => {
        const lane = [];
        if (peer.open) lane.push(withLocalEnd({ id: peer.open.id, start: origin + peer.open.start * 1000, end: null }));
        for (let i = peer.spans.length - 2; i >= 0; i -= 2) {
          lane.push({ start: origin + peer.spans[i] * 1000, end: origin + peer.spans[i + 1] * 1000 });
        }
        state.day.set(peer.interface + ' ' + peer.publicKey, lane);
      });
      state.available = true;
      note.hidden = true;
      document.body.classList.remove('no-history');
      onChange();
    } catch (error) {
      failed(error);
    }
  }

  async function readOpened() {
    const peer = state.opened;
    if (!peer) return;
    try {
      const answer = await read(Date.now() - 7 * charts.DAY, { peer: peer.publicKey, interface: peer.interfaceName }, 1);
      if (state.opened !== peer) return;
      peer.sessions = answer.sessions;
      peer.more = answer.more;
      draw();
    } catch (error) {
      if (noStore(error)) failed(error);
      else if (state.opened === peer) document.getElementById('history-status').textContent = 'History unavailable: ' + error.message;
    }
  }

  function rereadOpened() {
    clearTimeout(state.reread);
    state.reread = setTimeout(readOpened, 1000);
  }

  /** The lane for a row of the peer table; null when there is no history to show. */
  function lane(peer, width) {
    if (!state.available) return null;
    const now = Date.now();
    return charts.timeline(state.day.get(peer.interfaceName + ' ' + peer.publicKey) || [], now - charts.DAY, now, width, { compact: true });
  }

  function open(peer) {
    if (state.available === false) return;
    state.opened = { interfaceName: peer.interfaceName, publicKey: peer.publicKey, name: peer.name, sessions: null, more: false };
    panel.hidden = false;
    draw();
    readOpened();
    panel.scrollIntoView({ block: 'nearest' });
  }

  function close() {
    state.opened = null;
    panel.hidden = true;
    onChange();
  }

  function cell(tr, label, text, className) {
    const td = document.createElement('td');
    td.dataset.label = label;
    td.textContent = text;
    if (className) td.className = className;
    tr.appendChild(td);
  }

  function draw() {
    const peer = state.opened;
    if (!peer) return;
    panel.dataset.key = peer.publicKey;
    document.getElementById('history-title').textContent = 'History of ' + (peer.name || peer.publicKey);
    const status = document.getElementById('history-status');
    const list = document.querySelector('#sessions tbody');
    const now = Date.now();
    const width = Math.max(240, Math.floor(panel.clientWidth) - 32);
    const day = document.getElementById('timeline-day');
    const week = document.getElementById('timeline-week');
    const chart = document.getElementById('traffic');
    if (!peer.sessions) {
      status.textContent = 'loading…';
      return;
    }
    const inWeek = peer.sessions;
    const connected = inWeek.reduce((sum, s) => sum + sessionSeconds(s, now, now - 7 * charts.DAY), 0);
    status.textContent = inWeek.length === 0 ? 'No sessions in the last 7 days.'
      : inWeek.length + (inWeek.length === 1 ? ' session' : ' sessions') + ' in the last 7 days, connected ' + charts.duration(connected)
        + (peer.more ? ' (the newest ' + inWeek.length + ' shown)' : '');
    day.replaceChildren(charts.timeline(inWeek, now - charts.DAY, now, width));
    week.replaceChildren(charts.timeline(inWeek, now - 7 * charts.DAY, now, width));
    chart.replaceChildren(charts.traffic(inWeek, width, 40));
    list.replaceChildren(...inWeek.map(s => {
      const tr = document.createElement('tr');
      tr.dataset.session = s.id;
      tr.dataset.open = String(!s.end);
      const start = Date.parse(s.start);
      cell(tr, 'Start', moment(start));
      cell(tr, 'End', s.end ? moment(Date.parse(s.end)) : 'connected', s.end ? '' : 'state up');
      cell(tr, 'Duration', charts.duration(s.end ? s.durationSeconds : (now - start) / 1000), 'number');
      cell(tr, 'End reason', s.endReason ? reasons[s.endReason] || s.endReason : '—');
      cell(tr, 'Received', charts.bytes(s.rxBytes || 0), 'number');
      cell(tr, 'Sent', charts.bytes(s.txBytes || 0), 'number');
      const roams = (s.endpoints || []).length - 1;
      cell(tr, 'Endpoint', (s.endpoint || '—') + (roams > 0 ? ' (roamed ' + roams + '×, last ' + s.endpoints[roams].endpoint + ')' : ''));
      return tr;
    }));
  }

  function moment(ms) {
    return new Date(ms).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function sessionSeconds(s, now, from) {
    const start = Math.max(Date.parse(s.start), from);
    const end = s.end ? Date.parse(s.end) : now;
    return Math.max(0, (end - start) / 1000);
  }

  /** The event's session changed here at once: a connect opens one, a roam marks it, a disconnect ends it. */
  function patch(list, event) {
    const id = event.sessionId;
    const at = list.findIndex(s => s.id === id);
    if (event.event === 'peer.connected' && at < 0) {
      list.unshift({ id, interface: event.interface, publicKey: event.peer.publicKey, name: event.peer.name, start: event.time,
        end: null, durationSeconds: 0, endReason: null, rxBytes: 0, txBytes: 0, endpoint: event.peer.endpoint,
        endpoints: event.peer.endpoint ? [{ time: event.time, endpoint: event.peer.endpoint }] : [] });
      return;
    }
    if (at < 0) return;
    const s = Object.assign({}, list[at]);
    if (event.event === 'peer.roamed') s.endpoints = (s.endpoints || []).concat([{ time: event.time, endpoint: event.peer.endpoint }]);
    if (event.event === 'peer.disconnected') {
      Object.assign(s, state.ended.get(id));
      s.durationSeconds = Math.max(0, (charts.ms(s.end) - charts.ms(s.start)) / 1000);
    }
    list[at] = s;
  }

  function onEvent(event) {
    if (!state.available || !event.sessionId || !event.peer) return;
    if (event.event === 'peer.disconnected') {
      const ended = { end: event.time, endReason: event.reason || null };
      if (event.sessionRxBytes != null) Object.assign(ended, { rxBytes: event.sessionRxBytes, txBytes: event.sessionTxBytes });
      state.ended.set(event.sessionId, ended);
      if (state.ended.size > ENDS_KEPT) state.ended.delete(state.ended.keys().next().value);
    }
    const key = event.interface + ' ' + event.peer.publicKey;
    const dayAgo = Date.now() - charts.DAY;
    const day = (state.day.get(key) || []).filter(s => !s.end || charts.ms(s.end) > dayAgo);
    state.day.set(key, day);
    patch(day, event);
    const peer = state.opened;
    if (peer && peer.sessions && peer.interfaceName === event.interface && peer.publicKey === event.peer.publicKey) {
      patch(peer.sessions, event);
      draw();
      rereadOpened();
    }
    onChange();
  }

  document.getElementById('history-close').addEventListener('click', close);
  addEventListener('resize', () => draw());

  return {
    start(changed) { onChange = changed; },
    reload() { readDay(); readOpened(); },
    redraw: draw, // an open session's bar grows to now
    lane, open, onEvent,
  };
})();
