'use strict';
// The status page's drawings: a timeline of sessions and a traffic chart, as inline SVG built
// element by element (every text goes in as a text node, never as markup). No library.
const charts = (() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const HOUR = 3600e3;
  const DAY = 24 * HOUR;

  function el(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, String(v)));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function titled(node, text) {
    node.appendChild(el('title', {}, text));
    return node;
  }

  function clock(ms) {
    return new Date(ms).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  }

  function duration(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 120) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + String(s % 60).padStart(2, '0') + ' s';
    if (s < 2 * 86400) return Math.floor(s / 3600) + ' h ' + String(Math.floor(s % 3600 / 60)).padStart(2, '0') + ' min';
    return Math.floor(s / 86400) + ' d ' + Math.floor(s % 86400 / 3600) + ' h';
  }

  function bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  /** A time as the API's ISO-8601 text or as epoch milliseconds (the timeline's spans). */
  function ms(time) { return typeof time === 'number' ? time : Date.parse(time); }

  function endOf(session, now) { return session.end ? ms(session.end) : now; }

  /** Where the axis is labelled: every 6 hours for a day, every local midnight for a week. */
  function ticks(from, to) {
    const out = [];
    const step = to - from > 2 * DAY ? DAY : 6 * HOUR;
    const first = new Date(from);
    if (step === DAY) first.setHours(24, 0, 0, 0); else first.setHours(Math.ceil((first.getHours() + 1) / 6) * 6, 0, 0, 0);
    for (let t = first.getTime(); t < to; ) {
      const d = new Date(t);
      out.push({ t, label: step === DAY ? d.toLocaleDateString([], { weekday: 'short', day: 'numeric' })
        : String(d.getHours()).padStart(2, '0') + ':00' });
      if (step === DAY) d.setDate(d.getDate() + 1); else d.setHours(d.getHours() + 6);
      t = d.getTime();
    }
    return out;
  }

  /**
   * Sessions between from and to (ms) as one lane: the lane's background is idle time, each session a
   * bar (an open one reaches to now), each endpoint change a mark above its bar. compact leaves out the axis.
   */
  function timeline(sessions, from, to, width, options) {
    const compact = !!(options && options.compact);
    const now = Math.min(Date.now(), to);
    const lane = compact ? 14 : 22, top = compact ? 0 : 6, height = compact ? lane : top + lane + 18;
    const x = t => (Math.min(Math.max(t, from), to) - from) / (to - from) * width;
    const svg = el('svg', { class: 'timeline' + (compact ? ' compact' : ''), width, height,
      viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
    if (compact) svg.setAttribute('preserveAspectRatio', 'none'); // no text in it: it may stretch to its cell
    svg.appendChild(titled(el('rect', { class: 'idle', x: 0, y: top, width, height: lane }), 'not connected'));
    for (const s of sessions) {
      const start = ms(s.start), end = endOf(s, now);
      if (end < from || start > to) continue;
      const x1 = Math.min(x(start), width - 3), w = Math.max(3, x(end) - x1);
      const bar = el('rect', { class: 'span' + (s.end ? '' : ' open'), x: x1, y: top, width: w, height: lane,
        'data-session': s.id, 'data-open': String(!s.end) });
      titled(bar, clock(start) + ' – ' + (s.end ? clock(end) : 'now') + ' (' + duration((end - start) / 1000) + ')'
        + (s.endReason ? ', ' + s.endReason : '') + (s.endpoint ? ', from ' + s.endpoint : ''));
      svg.appendChild(bar);
      (s.endpoints || []).slice(1).forEach(change => {
        const t = Date.parse(change.time);
        if (t < from || t > to) return;
        const mx = x(t);
        svg.appendChild(titled(el('path', { class: 'roam', d: 'M' + (mx - 4) + ' ' + top + 'h8l-4 ' + (compact ? 5 : 7) + 'z' }),
          'roamed to ' + change.endpoint + ' at ' + clock(t)));
      });
    }
    if (!compact) {
      for (const tick of ticks(from, to)) {
        const tx = x(tick.t);
        svg.appendChild(el('line', { class: 'tick', x1: tx, x2: tx, y1: top, y2: top + lane + 4 }));
        if (tx < width - 30) svg.appendChild(el('text', { class: 'label', x: tx + 2, y: height - 2 }, tick.label));
      }
    }
    return svg;
  }

  /** Bytes received and sent per session, oldest left, at most the newest count sessions. */
  function traffic(sessions, width, count) {
    const shown = sessions.slice(0, count).reverse();
    const height = 90, base = 72;
    const max = Math.max(1, ...shown.map(s => Math.max(s.rxBytes || 0, s.txBytes || 0)));
    const svg = el('svg', { class: 'traffic', width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
    svg.appendChild(el('line', { class: 'axis', x1: 0, x2: width, y1: base, y2: base }));
    svg.appendChild(el('text', { class: 'label', x: 2, y: 10 }, bytes(max)));
    const slot = width / Math.max(shown.length, 1);
    const bar = Math.max(1, Math.min(14, slot / 2 - 1));
    shown.forEach((s, i) => {
      const left = i * slot + slot / 2 - bar;
      [['rx', s.rxBytes || 0, 'received'], ['tx', s.txBytes || 0, 'sent']].forEach(([kind, n, word], j) => {
        const h = Math.max(n > 0 ? 1 : 0, n / max * (base - 14));
        svg.appendChild(titled(el('rect', { class: kind, x: left + j * bar, y: base - h, width: bar, height: h }),
          clock(Date.parse(s.start)) + ': ' + bytes(n) + ' ' + word));
      });
    });
    if (shown.length) {
      svg.appendChild(el('text', { class: 'label', x: 2, y: height - 4 }, clock(Date.parse(shown[0].start))));
      svg.appendChild(el('text', { class: 'label', x: width - 2, y: height - 4, 'text-anchor': 'end' },
        clock(Date.parse(shown[shown.length - 1].start))));
    }
    return svg;
  }

  return { timeline, traffic, duration, bytes, ms, HOUR, DAY };
})();
