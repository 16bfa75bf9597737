'use strict';
// The status page: the peers from /api/peers, kept current by /api/events (server-sent events), in a
// table that sorts by a click on a header and filters by the text box; a click on a peer opens its
// history (sessionHistory in history.js). No build step: plain browser JavaScript, same-origin requests (the login
// cookie goes along). Every text from the server goes in as textContent.
const rows = new Map(); // interface + ' ' + publicKey -> peer as /api/peers shows it
const body = document.querySelector('#peers tbody');
const labels = ['Name', 'Interface', 'State', 'Connected since', 'Last handshake', 'Received', 'Sent', 'Endpoint', 'Last 24 hours'];
const order = { column: 'interface', descending: false };
const filter = document.getElementById('filter');
/**
 * Functions (tr, peer) that other parts of the page add to a row after it is built (a marker in
 * the state cell, say); each adds its own element and leaves the cells' texts alone.
 */
const rowDecorators = [];

function keyOf(iface, publicKey) { return iface + ' ' + publicKey; }

function when(iso) {
  if (!iso) return '—';
  const t = new Date(iso);
  const today = t.toDateString() === new Date().toDateString();
  const ago = Math.max(0, Math.round((Date.now() - t.getTime()) / 1000));
  const span = ago < 120 ? ago + ' s' : ago < 7200 ? Math.round(ago / 60) + ' min' : Math.round(ago / 3600) + ' h';
  return (today ? t.toLocaleTimeString() : t.toLocaleString()) + ' (' + span + ' ago)';
}

const sortKeys = {
  name: p => (p.name || p.publicKey).toLowerCase(),
  interface: p => p.interfaceName + ' ' + p.publicKey,
  state: p => (p.connected ? 0 : 1),
  since: p => (p.connected && p.connectedSince ? Date.parse(p.connectedSince) : 0),
  handshake: p => (p.lastHandshake ? Date.parse(p.lastHandshake) : 0),
  rx: p => p.rxBytes,
  tx: p => p.txBytes,
  endpoint: p => p.endpoint || '',
};

function compare(a, b) {
  const ka = sortKeys[order.column](a), kb = sortKeys[order.column](b);
  const c = typeof ka === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
  const tie = (a.interfaceName + a.publicKey).localeCompare(b.interfaceName + b.publicKey);
  return (order.descending ? -c : c) || tie;
}

function matches(p, words) {
  const text = [p.name, p.publicKey, p.interfaceName, p.endpoint, p.connected ? 'connected' : 'disconnected']
    .filter(Boolean).join(' ').toLowerCase();
  return words.every(word => text.includes(word));
}

function render() {
  const all = [...rows.values()];
  const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const peers = all.filter(p => matches(p, words)).sort(compare);
  body.replaceChildren(...peers.map(rowOf));
  const up = all.filter(p => p.connected).length;
  document.getElementById('summary').textContent = up + ' of ' + all.length + ' peers connected';
  document.getElementById('shown').textContent = words.length ? peers.length + ' of ' + all.length + ' shown' : '';
  document.getElementById('empty').hidden = all.length > 0;
  document.getElementById('sort').value = order.column;
  document.querySelectorAll('#peers th[data-sort]').forEach(th => {
    th.setAttribute('aria-sort', th.dataset.sort !== order.column ? 'none' : order.descending ? 'descending' : 'ascending');
  });
}

function rowOf(p) {
  const tr = document.createElement('tr');
  tr.dataset.key = p.publicKey;
  tr.dataset.state = p.connected ? 'connected' : 'disconnected';
  if (p.flash) tr.className = 'flash';
  const cells = [p.name || p.publicKey.slice(0, 10) + '…', p.interfaceName, p.connected ? 'connected' : 'disconnected',
    p.connected ? when(p.connectedSince) : '—', when(p.lastHandshake), charts.bytes(p.rxBytes), charts.bytes(p.txBytes), p.endpoint || '—'];
  cells.forEach((text, i) => {
    const td = document.createElement('td');
    td.dataset.label = labels[i];
    td.textContent = text;
    if (i === 0) { td.className = 'name'; td.title = p.publicKey; }
    if (i === 2) td.className = 'state ' + (p.connected ? 'up' : 'down');
    if (i === 5 || i === 6) td.className = 'number';
    tr.appendChild(td);
  });
  const lane = document.createElement('td');
  lane.dataset.label = labels[8];
  lane.className = 'history-only lane';
  const svg = sessionHistory.lane(p, 120);
  if (svg) lane.appendChild(svg);
  tr.appendChild(lane);
  tr.tabIndex = 0;
  tr.addEventListener('click', () => sessionHistory.open(p));
  tr.addEventListener('keydown', e => { if (e.key === 'Enter') sessionHistory.open(p); });
  rowDecorators.forEach(decorate => decorate(tr, p));
  return tr;
}

async function load() {
  const response = await fetch('api/peers', { credentials: 'same-origin', cache: 'no-store' });
  if (response.status === 401 || response.status === 403) { location.href = "login"; return; }
  const peers = await response.json();
  rows.clear();
  peers.forEach(p => rows.set(keyOf(p.interfaceName, p.publicKey), p));
  render();
  sessionHistory.redraw();
}

// An event carries the peer as the webhook JSON does; the row changes at once.
function apply(event) {
  if (!event.peer) return; // handshake.failed is about a source address, not a peer's row
  const key = keyOf(event.interface, event.peer.publicKey);
  const before = rows.get(key) || { interfaceName: event.interface, publicKey: event.peer.publicKey, allowedIps: [] };
  const p = Object.assign({}, before, {
    name: event.peer.name, endpoint: event.peer.endpoint, lastHandshake: event.peer.lastHandshake,
    rxBytes: event.peer.rxBytes, txBytes: event.peer.txBytes, flash: true,
  });
  if (event.event === 'peer.connected') { p.connected = true; p.connectedSince = event.time; }
  if (event.event === 'peer.disconnected') {
    p.connected = false; p.connectedSince = null;
    if (event.reason === 'removed' || event.reason === 'interface-down') { rows.delete(key); sessionHistory.onEvent(event); render(); return; }
  }
  rows.set(key, p);
  sessionHistory.onEvent(event);
  render();
  delete p.flash; // the next render does not flash it again
}

function listen() {
  const stream = new EventSource('api/events');
  const badge = document.getElementById('stream');
  stream.onopen = () => { badge.textContent = 'live'; badge.className = 'stream on'; load(); sessionHistory.reload(); };
  stream.onmessage = message => apply(JSON.parse(message.data));
  // EventSource reconnects by itself; a reload of the list follows each reconnect (onopen)
  stream.onerror = () => { badge.textContent = 'reconnecting'; badge.className = 'stream off'; };
}

document.querySelectorAll('#peers th[data-sort]').forEach(th => {
  th.tabIndex = 0;
  const sortBy = () => {
    order.descending = order.column === th.dataset.sort ? !order.descending : false;
    order.column = th.dataset.sort;
    render();
  };
  th.addEventListener('click', sortBy);
  th.addEventListener('keydown', e => { if (e.key === 'Enter') sortBy(); });
});
filter.addEventListener('input', render);
document.getElementById('sort').addEventListener('change', e => { order.column = e.target.value; order.descending = false; render(); });

sessionHistory.start(render);
load().then(listen);
// counters and "ago" texts age without events: the list is read again now and then
setInterval(load, 30000);
