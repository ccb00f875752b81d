// The vertical timeline, for phones: the window's events top to bottom on one line, month by
// month, each with its marker on the line, its date, its lane and its whole title.
import { addDays, parseDay } from "./url.js";
import { itemClasses, shortCount, statusNote } from "./timeline-items.js";

const MONTH = new Intl.DateTimeFormat("en", { month: "long", year: "numeric" });
const DAY_LABEL = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", year: "numeric" });
const YEAR = new Intl.DateTimeFormat("en", { year: "numeric" });

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

function monthKey(date) {
  return `${date.getFullYear()}-${date.getMonth()}`;
}

export function verticalView(el, { start, end, today, onRange, onSelect, onBucket }) {
  let shown = { start, end };
  let rows = [];
  el.replaceChildren();
  el.classList.add("is-vertical");

  function setWindow(from, to) {
    shown = { start: from, end: to };
    onRange();
  }

  function entry(item, lanes) {
    const li = node("li", `vtl-entry ${itemClasses(item)}`);
    li.dataset.slug = item.slug;
    const marker = node("span", "vtl-marker kind-icon");
    marker.setAttribute("aria-hidden", "true");
    const when = node("p", "vtl-when");
    const time = node("time", "item-date", item.date_label);
    time.dateTime = item.start;
    when.append(time);
    if (item.lane && lanes.has(item.lane)) when.append(node("span", "vtl-lane", lanes.get(item.lane)));
    const note = statusNote(item);
    if (note) when.append(node("span", "item-note", note));
    const title = node("button", "item-title", item.title);
    title.type = "button";
    title.addEventListener("click", () => onSelect(item.slug));
    li.append(marker, when, title);
    return li;
  }

  function bucketEntry(bucket) {
    const li = node("li", "vtl-bucket");
    const first = parseDay(bucket.start);
    const label = { day: DAY_LABEL, month: MONTH, year: YEAR }[bucket.granularity].format(first);
    const button = node("button", "", `${label}: ${shortCount(bucket.count)} events`);
    button.type = "button";
    button.title = `${bucket.count.toLocaleString("en")} events: show them`;
    button.addEventListener("click", () => onBucket(bucket));
    li.append(button);
    return li;
  }

  // Months as headed lists; today's place marked where it falls among them.
  function render(list, lanes, build, dayOf) {
    const todayDay = parseDay(today);
    let month = null;
    let ol = null;
    let todayShown = !(todayDay >= shown.start && todayDay < shown.end);
    const open = (date) => {
      month = monthKey(date);
      el.append(node("h3", "vtl-month", MONTH.format(date)));
      ol = node("ol", "vtl");
      el.append(ol);
    };
    for (const row of list) {
      const day = dayOf(row);
      if (!todayShown && todayDay < day) {
        if (monthKey(todayDay) !== month) open(todayDay);
        ol.append(node("li", "vtl-today", `Today, ${DAY_LABEL.format(todayDay)}`));
        todayShown = true;
      }
      if (monthKey(day) !== month) open(day);
      ol.append(build(row, lanes));
    }
    if (!todayShown) {
      if (monthKey(todayDay) !== month) open(todayDay);
      ol.append(node("li", "vtl-today", `Today, ${DAY_LABEL.format(todayDay)}`));
    }
  }

  return {
    getWindow: () => ({ ...shown }),
    setWindow,
    moveTo(date) {
      const half = (shown.end - shown.start) / 2;
      setWindow(new Date(date.getTime() - half), new Date(date.getTime() + half));
    },
    zoom(direction) {
      const middle = (shown.start.getTime() + shown.end.getTime()) / 2;
      const half = ((shown.end - shown.start) / 2) * (direction > 0 ? 0.5 : 2);
      setWindow(new Date(middle - Math.max(half, 864e5)), new Date(middle + Math.max(half, 864e5)));
    },
    draw(data, selected) {
      el.replaceChildren();
      const lanes = new Map(data.groups.map((lane) => [lane.id, lane.name]));
      // Only what the window holds: the API answers a little more, for the wide view's panning.
      const inside = (first, after) => after > shown.start && first < shown.end;
      if (data.aggregated) {
        rows = [];
        // One count per period: a phone has no room for a row per lane.
        const periods = new Map();
        for (const b of data.buckets) {
          if (!inside(parseDay(b.start), parseDay(b.end))) continue;
          const sum = periods.get(b.start) || { ...b, lane: null, count: 0, granularity: data.granularity };
          sum.count += b.count;
          periods.set(b.start, sum);
        }
        render([...periods.values()], lanes, bucketEntry, (b) => parseDay(b.start));
      } else {
        rows = data.items
          .filter((item) => inside(parseDay(item.start), addDays(parseDay(item.end || item.start), 1)))
          .map((item) => ({ id: item.slug, event: item, start: parseDay(item.start) }));
        render(rows.map((row) => row.event), lanes, entry, (item) => parseDay(item.start));
      }
      if (!el.querySelector(".vtl-entry, .vtl-bucket")) {
        const last = addDays(shown.end, -1);
        el.prepend(node("p", "vtl-empty", `No events from ${DAY_LABEL.format(shown.start)} to ${DAY_LABEL.format(last)}.`));
      }
      this.select(selected);
    },
    select(slug) {
      for (const li of el.querySelectorAll(".vtl-entry.is-selected")) li.classList.remove("is-selected");
      const li = slug && el.querySelector(`.vtl-entry[data-slug="${CSS.escape(slug)}"]`);
      if (li) li.classList.add("is-selected");
    },
    events: () => rows,
    // The details open under the chosen event, not a screen further down.
    slotFor(slug) {
      return el.querySelector(`.vtl-entry[data-slug="${CSS.escape(slug)}"]`);
    },
    layout() {},
    destroy() {
      el.classList.remove("is-vertical");
      el.replaceChildren();
    },
  };
}
