'use strict';
// The status page: the peers from /api/peers, kept current by /api/events (server-sent events).
// No build step: plain browser JavaScript, same-origin requests (the login cookie goes along).
const rows = new Map(); // interface + ' ' + publicKey -> peer as /api/peers shows it
const body = document.querySelector('#peers tbody');
const labels = ['Name', 'Interface', 'State', 'Connected since', 'Last handshake', 'Received', 'Sent', 'Endpoint'];

function keyOf(iface, publicKey) { return iface + ' ' + publicKey; }

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

function when(iso) {
  if (!iso) return '—';
  const t = new Date(iso);
  const today = t.toDateString() === new Date().toDateString();
  const ago = Math.max(0, Math.round((Date.now() - t.getTime()) / 1000));
  const span = ago < 120 ? ago + ' s' : ago < 7200 ? Math.round(ago / 60) + ' min' : Math.round(ago / 3600) + ' h';
  return (today ? t.toLocaleTimeString() : t.toLocaleString()) + ' (' + span + ' ago)';
}

function render() {
  const peers = [...rows.values()].sort((a, b) =>
    (a.interfaceName + a.publicKey).localeCompare(b.interfaceName + b.publicKey));
  body.replaceChildren(...peers.map(rowOf));
  const up = peers.filter(p => p.connected).length;
  document.getElementById('summary').textContent = up + ' of ' + peers.length + ' peers connected';
  document.getElementById('empty').hidden = peers.length > 0;
}

function rowOf(p) {
  const tr = document.createElement('tr');
  tr.dataset.key = p.publicKey;
  tr.dataset.state = p.connected ? 'connected' : 'disconnected';
  if (p.flash) tr.className = 'flash';
  const cells = [p.name || p.publicKey.slice(0, 10) + '…', p.interfaceName, p.connected ? 'connected' : 'disconnected',
    p.connected ? when(p.connectedSince) : '—', when(p.lastHandshake), bytes(p.rxBytes), bytes(p.txBytes), p.endpoint || '—'];
  cells.forEach((text, i) => {
    const td = document.createElement('td');
    td.dataset.label = labels[i];
    td.textContent = text;
    if (i === 0) { td.className = 'name'; td.title = p.publicKey; }
    if (i === 2) td.className = 'state ' + (p.connected ? 'up' : 'down');
    if (i === 5 || i === 6) td.className = 'number';
    tr.appendChild(td);
  });
  return tr;
}

async function load() {
  const response = await fetch('api/peers', { credentials: 'same-origin', cache: 'no-store' });
  if (response.status === 401 || response.status === 403) { location.href = "login"; return; }
  const peers = await response.json();
  rows.clear();
  peers.forEach(p => rows.set(keyOf(p.interfaceName, p.publicKey), p));
  render();
}

// An event carries the peer as the webhook JSON does; the row changes at once.
function apply(event) {
  const key = keyOf(event.interface, event.peer.publicKey);
  const before = rows.get(key) || { interfaceName: event.interface, publicKey: event.peer.publicKey, allowedIps: [] };
  const p = Object.assign({}, before, {
    name: event.peer.name, endpoint: event.peer.endpoint, lastHandshake: event.peer.lastHandshake,
    rxBytes: event.peer.rxBytes, txBytes: event.peer.txBytes, flash: true,
  });
  if (event.event === 'peer.connected') { p.connected = true; p.connectedSince = event.time; }
  if (event.event === 'peer.disconnected') {
    p.connected = false; p.connectedSince = null;
    if (event.reason === 'removed' || event.reason === 'interface-down') { rows.delete(key); render(); return; }
  }
  rows.set(key, p);
  render();
  delete p.flash; // the next render does not flash it again
}

function listen() {
  const stream = new EventSource('api/events');
  const badge = document.getElementById('stream');
  stream.onopen = () => { badge.textContent = 'live'; badge.className = 'stream on'; load(); };
  stream.onmessage = message => apply(JSON.parse(message.data));
  // EventSource reconnects by itself; a reload of the list follows each reconnect (onopen)
  stream.onerror = () => { badge.textContent = 'reconnecting'; badge.className = 'stream off'; };
}

load().then(listen);
// counters and "ago" texts age without events: the list is read again now and then
setInterval(load, 30000);
