'use strict';
// Marks in the peers table's state cell (README, "Expectations: always-on, roaming, quotas"): a peer
// down (always-on without a handshake for its grace), over a quota threshold, stale, never connected.
// Read from api/expectations with the list; added as a row decorator of status.js.
const expectationMarks = new Map(); // interface + ' ' + publicKey -> marks as api/expectations shows them

function expectationLabels(m) {
  const labels = [];
  if (m.down) labels.push(['down', 'always-on, no handshake for its grace', '#8a1c1c']);
  if (m.quotaPercent) labels.push(['quota ' + m.quotaPercent + ' %', 'traffic this period past ' + m.quotaPercent + ' % of its quota',
    m.quotaPercent >= 100 ? '#8a1c1c' : '#8a5a00']);
  if (m.neverConnected) labels.push(['never connected', 'no handshake since wgmon first saw it, for stale-after', '#555']);
  else if (m.stale) labels.push(['stale', 'no handshake for stale-after', '#555']);
  return labels;
}

rowDecorators.push((tr, p) => {
  const m = expectationMarks.get(keyOf(p.interfaceName, p.publicKey));
  if (!m) return;
  const cell = tr.querySelector('td.state');
  expectationLabels(m).forEach(([text, title, color]) => {
    const mark = document.createElement('span');
    mark.className = 'expect-mark';
    mark.textContent = text;
    mark.title = title;
    mark.style.marginLeft = '0.4em';
    mark.style.padding = '0 0.3em';
    mark.style.border = '1px solid ' + color;
    mark.style.borderRadius = '3px';
    mark.style.color = color;
    mark.style.fontWeight = 'normal';
    mark.style.fontSize = '0.85em';
    cell.appendChild(mark);
  });
});

async function loadExpectations() {
  try {
    const response = await fetch('api/expectations', { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) return;
    const marks = await response.json();
    expectationMarks.clear();
    marks.forEach(m => expectationMarks.set(keyOf(m.interfaceName, m.publicKey), m));
    render();
  } catch (e) {
    // the peers table says when wgmon cannot be reached
  }
}
loadExpectations();
setInterval(loadExpectations, 30000);
