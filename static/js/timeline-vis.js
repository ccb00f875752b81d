// The horizontal timeline (vis-timeline), for screens wide enough to read one: each event is a
// box whose edge stands on its date, in its lane's row, its title wrapped, never cut.
import { addDays, parseDay } from "./url.js";
import { itemClasses, itemContent, laneLabel, shortCount } from "./timeline-items.js";

const DAY = 24 * 60 * 60 * 1000;
// Beyond this many events in a window, crowded ones gather into clusters; below it every
// event is drawn, so "Fit all" on a small timeline shows every title.
const CLUSTER_ABOVE = 40;
const CLUSTER = { maxItems: 3, showStipes: false, titleTemplate: "{count} events: zoom in to see them" };

export function visView(el, { start, end, animation, onRange, onSelect, onBucket }) {
  const items = new window.vis.DataSet();
  const groups = new window.vis.DataSet();
  el.replaceChildren();
  const timeline = new window.vis.Timeline(el, items, {
    start,
    end,
    zoomMin: 2 * DAY,
    // As wide as the calendar the data can hold, so "Fit all" fits an event centuries away.
    zoomMax: 10000 * 365 * DAY,
    zoomKey: "ctrlKey",
    horizontalScroll: false,
    stack: true,
    showCurrentTime: true,
    selectable: true,
    multiselect: false,
    orientation: { axis: "top", item: "top" },
    margin: { item: { horizontal: 6, vertical: 6 }, axis: 6 },
    groupOrder: (a, b) => a.order - b.order,
    tooltip: { followMouse: false },
    // Short month names above the days, so the month at the right edge is not cut.
    format: { majorLabels: { weekday: "MMM YYYY", day: "MMM YYYY", week: "MMM YYYY" } },
  });
  let placing = false;
  // Placing is measured, so it is done again (once per frame at most) whenever vis-timeline
  // redraws, boxes come or go, or a box or the frame changes size (a title laid out late, a
  // font, a resized window).
  let queued = false;
  function schedule() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(() => {
      queued = false;
      placeLabels();
    });
  }
  const sized = new WeakSet();
  const resized = new ResizeObserver(schedule);
  const added = new MutationObserver(schedule);
  added.observe(el, { childList: true, subtree: true });
  function watch(node) {
    if (sized.has(node)) return;
    sized.add(node);
    resized.observe(node);
  }

  // A box drawn off its date, as when vis-timeline measured it before its title was laid
  // out, is given back to vis-timeline to measure again: once for each width it takes.
  const remeasured = new WeakMap();
  function misplaced(box, align, x, left) {
    const r = box.getBoundingClientRect();
    const edge = (align === "right" ? r.right : r.left) - left;
    if (Math.abs(edge - x) <= 3 || remeasured.get(box) === r.width) return false;
    remeasured.set(box, r.width);
    return true;
  }

  // A box starts at its date and reads rightwards; one whose title would run past the right
  // edge ends at its date instead. Either way its marked edge is the date.
  function placeLabels() {
    if (placing) return;
    const range = timeline.getWindow();
    const span = range.end - range.start;
    const center = el.querySelector(".vis-panel.vis-center");
    if (center) watch(center);
    const width = center ? center.clientWidth : el.clientWidth;
    if (!span || !width) return;
    const boxes = new Map();
    for (const label of el.querySelectorAll(".vis-item [data-slug]")) {
      boxes.set(label.dataset.slug, label.closest(".vis-item"));
    }
    const left = center ? center.getBoundingClientRect().left : el.getBoundingClientRect().left;
    const changes = [];
    for (const row of items.get({ filter: (r) => Boolean(r.event) })) {
      const box = boxes.get(row.id);
      if (!box) continue;
      watch(box);
      const x = ((row.start - range.start) / span) * width;
      const wide = box.offsetWidth;
      // Where it fits on neither side, it reads towards the wider side.
      let align = x + wide <= width - 2 || (x - wide < 0 && width - x >= x) ? "left" : "right";
      // An event whose date is out of view is kept wholly out of view, never half drawn.
      if (x < 0) align = "right";
      else if (x > width) align = "left";
      if (align !== row.align || misplaced(box, align, x, left)) {
        changes.push({ id: row.id, align, className: `${row.baseClass} anchor-${align}` });
      }
    }
    if (changes.length) {
      placing = true;
      items.update(changes);
      placing = false;
    }
  }

  function eventRows(data, grouped) {
    const rows = [];
    for (const item of data.items) {
      const baseClass = itemClasses(item);
      rows.push({
        id: item.slug,
        event: item,
        content: itemContent(item),
        start: parseDay(item.start),
        type: "box",
        align: "left",
        baseClass,
        className: `${baseClass} anchor-left`,
        group: grouped ? item.lane : undefined,
      });
      // A range is shaded across its days in its lane, behind the box that names it.
      if (item.end) {
        rows.push({
          id: `span:${item.slug}`,
          content: "",
          start: parseDay(item.start),
          end: addDays(parseDay(item.end), 1),
          type: "background",
          className: `event-span kind-${item.kind}`,
          group: grouped ? item.lane : undefined,
        });
      }
    }
    return rows;
  }

  function bucketRows(data, grouped) {
    const most = Math.max(1, ...data.buckets.map((bucket) => bucket.count));
    return data.buckets.map((bucket) => ({
      id: `bucket:${bucket.start}:${bucket.lane || ""}`,
      bucket,
      content: shortCount(bucket.count),
      title: `${bucket.count.toLocaleString("en")} events`,
      start: parseDay(bucket.start),
      end: parseDay(bucket.end),
      type: "range",
      className: `bucket density-${Math.ceil((5 * bucket.count) / most)}`,
      group: grouped ? bucket.lane : undefined,
    }));
  }

  timeline.on("select", ({ items: chosen }) => {
    const row = chosen[0] && items.get(chosen[0]);
    if (!row) return;
    if (row.bucket) {
      timeline.setSelection([]);
      onBucket(row.bucket);
      return;
    }
    if (row.event) onSelect(row.id);
  });
  timeline.on("rangechanged", onRange);
  timeline.on("changed", schedule);

  return {
    getWindow() {
      const range = timeline.getWindow();
      return { start: range.start, end: range.end };
    },
    setWindow(from, to) {
      timeline.setWindow(from, to, { animation });
    },
    moveTo(date) {
      timeline.moveTo(date, { animation });
    },
    zoom(direction) {
      if (direction > 0) timeline.zoomIn(0.5, { animation });
      else timeline.zoomOut(0.5, { animation });
    },
    draw(data, selected) {
      const grouped = data.groups.length > 0;
      if (grouped) {
        groups.clear();
        groups.add(data.groups.map((lane, order) => ({ id: lane.id, content: laneLabel(lane), order })));
        timeline.setGroups(groups);
      } else {
        timeline.setGroups(null);
      }
      items.clear();
      items.add(data.aggregated ? bucketRows(data, grouped) : eventRows(data, grouped));
      // Counts sit side by side in one row per lane; single events stack, and cluster only
      // when there are too many to read one by one.
      const cluster = !data.aggregated && data.items.length > CLUSTER_ABOVE ? CLUSTER : false;
      timeline.setOptions({ stack: !data.aggregated, cluster });
      this.select(selected);
    },
    select(slug) {
      timeline.setSelection(slug && items.get(slug) ? [slug] : []);
    },
    events() {
      return items.get({ filter: (row) => Boolean(row.event), order: (a, b) => a.start - b.start });
    },
    slotFor() {
      return null;
    },
    layout() {
      timeline.redraw();
    },
    destroy() {
      resized.disconnect();
      added.disconnect();
      timeline.destroy();
      el.replaceChildren();
    },
  };
}
