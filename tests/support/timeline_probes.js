// Measurements the timeline browser tests take in the page (evaluated there, not served).

// A title is drawn when some of it shows inside the timeline's frame (and inside
// vis-timeline's centre panel, which hides what lies beyond the window).
function shows(title) {
  const r = title.getBoundingClientRect();
  const frames = [document.querySelector('#timeline'), document.querySelector('#timeline .vis-panel.vis-center')];
  return frames.every((frame) => {
    if (!frame) return true;
    const b = frame.getBoundingClientRect();
    return r.right > b.left && r.left < b.right && r.bottom > b.top && r.top < b.bottom && r.width > 0;
  });
}

// The titles drawn in view.
function drawnTitles() {
  return [...document.querySelectorAll('#timeline .item-title')].filter(shows).map((t) => t.textContent.trim());
}

// Each drawn title that is cut, or drawn outside a box that clips it (its event's box,
// vis-timeline's panels, the timeline's frame), with where and why.
function unreadableTitles() {
  const frame = document.querySelector('#timeline');
  const problems = [];
  for (const title of [...frame.querySelectorAll('.item-title')].filter(shows)) {
    const node = { dataset: { slug: (title.closest('[data-slug]') || {dataset: {}}).dataset.slug || title.textContent } };
    const r = title.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) { problems.push([node.dataset.slug, 'not drawn']); continue; }
    if (title.scrollWidth > title.clientWidth + 1) problems.push([node.dataset.slug, 'cut', title.scrollWidth, title.clientWidth]);
    for (let up = title; up && up !== frame.parentElement; up = up.parentElement) {
      const style = getComputedStyle(up);
      const clips = up === frame || style.overflowX !== 'visible' || style.overflowY !== 'visible';
      if (!clips || up === title) continue;
      const b = up.getBoundingClientRect();
      if (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1) {
        const box = title.closest('.vis-item');
        problems.push([node.dataset.slug, 'outside', up.className, Math.round(r.left), Math.round(r.right), Math.round(b.left), Math.round(b.right), box ? box.className : '']);
        break;
      }
    }
  }
  return problems;
}

// Per drawn event: where its anchor stands and which lane row holds it; and any dot or
// stem drawn outside a lane row.
function places() {
  const out = {};
  const rows = [...document.querySelectorAll('#timeline .vis-foreground .vis-group')];
  const labels = [...document.querySelectorAll('#timeline .vis-labelset .vis-label')];
  for (const title of document.querySelectorAll('#timeline .vis-item .item-title')) {
    const box = title.closest('.vis-item');
    const slug = (title.closest('[data-slug]') || { dataset: {} }).dataset.slug || title.textContent;
    const r = box.getBoundingClientRect();
    const middle = (r.top + r.bottom) / 2;
    const row = rows.findIndex((g) => { const b = g.getBoundingClientRect(); return b.top <= r.top && r.bottom <= b.bottom; });
    out[slug] = {
      anchor: box.classList.contains('anchor-right') ? r.right : r.left,
      lane: row >= 0 && labels[row] ? labels[row].textContent.trim() : null,
      middle,
    };
  }
  const strays = [];
  for (const mark of document.querySelectorAll('#timeline .vis-item.vis-dot, #timeline .vis-item.vis-line')) {
    const m = mark.getBoundingClientRect();
    if (!m.width && !m.height) continue;
    const inside = rows.some((g) => { const b = g.getBoundingClientRect(); return b.top <= m.top && m.bottom <= b.bottom; });
    if (!inside) strays.push(mark.className);
  }
  const minor = [...document.querySelectorAll('#timeline .vis-time-axis .vis-text.vis-minor')]
    .map((t) => [t.textContent.trim(), t.getBoundingClientRect().left]);
  return { items: out, strays, minor };
}

// The vertical timeline's entries: date, lane, and whether the marker sits on the line
// beside the date.
function verticalPlaces() {
  return [...document.querySelectorAll('#timeline li[data-slug]')].map((li) => {
  const line = li.closest('ol').getBoundingClientRect();
  const marker = li.querySelector('.vtl-marker').getBoundingClientRect();
  const when = li.querySelector('time').getBoundingClientRect();
  const lane = li.querySelector('.vtl-lane');
  return {
    slug: li.dataset.slug,
    date: li.querySelector('time').getAttribute('datetime'),
    lane: lane ? lane.textContent : null,
    onLine: Math.abs((marker.left + marker.right) / 2 - (line.left + 1)) <= 2,
    besideDate: marker.top < when.bottom && marker.bottom > when.top,
  };
});
}

// Every status badge, and whether it overlaps its event's title.
function badges() {
  return [...document.querySelectorAll('#timeline .item-note')].map((note) => {
  const holder = note.closest('[data-slug]') || note.parentElement;
  const title = holder.querySelector('.item-title');
  const n = note.getBoundingClientRect();
  const t = title.getBoundingClientRect();
  const overlap = n.left < t.right && t.left < n.right && n.top < t.bottom && t.top < n.bottom;
  return { note: note.textContent, title: title.textContent, overlap, shown: n.width > 0 && t.width > 0 };
});
}
