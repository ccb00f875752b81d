// The interactive timeline on `/`: draws the window it shows (fetched from /api/v1/timeline),
// keeps filters, lanes, window and selection in the address, and moves by mouse, touch and keys.
// Wide screens get the horizontal timeline (timeline-vis.js), phones the vertical one
// (timeline-vertical.js); both take the same data, keys and buttons.
import { renderDetail } from "./detail.js";
import { enhanceFilters } from "./filters.js";
import { verticalView } from "./timeline-vertical.js";
import { visView } from "./timeline-vis.js";
import { addDays, isoDay, params, parseDay, update } from "./url.js";

const DAY = 24 * 60 * 60 * 1000;
const LOAD_DELAY = 200;
const FIRST_DAY = parseDay("0001-01-01");
const LAST_DAY = parseDay("9999-12-31");
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
const animation = reducedMotion ? false : { duration: 300, easingFunction: "easeInOutQuad" };
// Where a horizontal timeline stops being readable: below it, the vertical one.
const narrow = window.matchMedia("(max-width: 40rem)");

function initialWindow(el) {
  const given = params();
  if (given.get("start") && given.get("end")) {
    return [parseDay(given.get("start")), parseDay(given.get("end"))];
  }
  return extentWindow(el) || [addDays(new Date(), -30), addDays(new Date(), 30)];
}

// Every matching event, with a margin so the first and last are not drawn on the frame.
function extentWindow(el) {
  if (!el.dataset.first || !el.dataset.last) return null;
  const first = parseDay(el.dataset.first);
  const last = addDays(parseDay(el.dataset.last), 1);
  const pad = Math.max((last - first) * 0.06, DAY);
  return [new Date(first.getTime() - pad), new Date(last.getTime() + pad)];
}

function nearestButton(label, event, arrow) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "nearest";
  button.dataset.slug = event.slug;
  const text = document.createElement("span");
  text.textContent = `${label}: ${event.title}`;
  const when = document.createElement("span");
  when.className = "nearest-date";
  when.textContent = event.date_label;
  button.append(arrow === "left" ? "← " : "", text, " · ", when, arrow === "right" ? " →" : "");
  return button;
}

function start() {
  const el = document.getElementById("timeline");
  if (!el || !window.vis) return;
  const panel = document.getElementById("event-detail");
  const status = document.getElementById("timeline-status");
  const nearby = document.getElementById("timeline-nearest");
  const layout = el.closest(".timeline-and-detail");
  let loadController = null;
  let loadTimer = null;
  let selected = params().get("event");
  let data = null;
  // The window query last sent, so the same window is not fetched twice in a row.
  let asked = null;
  // The nearest events when the window shown is empty.
  let around = { before: null, after: null };
  let view = null;

  el.tabIndex = 0;
  el.setAttribute("role", "group");
  el.setAttribute("aria-roledescription", "timeline");
  el.setAttribute("aria-label", "Timeline. Left and right arrow keys move between events; Enter opens one; plus and minus zoom.");
  document.querySelector(".timeline-toolbar").hidden = false;
  document.querySelector(".timeline-help").hidden = false;

  function lanes() {
    return params().get("lanes") || "party";
  }

  function windowParams() {
    const range = view.getWindow();
    return { lanes: lanes(), start: isoDay(range.start), end: isoDay(range.end) };
  }

  function makeView(from, to) {
    // The details go back beside the timeline before a view redraws what may hold them.
    layout.append(panel);
    const hooks = {
      start: from,
      end: to,
      today: el.dataset.today,
      animation,
      onRange: rangeChanged,
      onSelect: showEvent,
      onBucket: (bucket) => view.setWindow(parseDay(bucket.start), parseDay(bucket.end)),
    };
    view = narrow.matches ? verticalView(el, hooks) : visView(el, hooks);
    el.dataset.view = narrow.matches ? "vertical" : "horizontal";
  }

  async function load() {
    const range = view.getWindow();
    // Ask for a little more than is shown, so a short pan finds its events already there.
    const span = range.end - range.start;
    const from = new Date(range.start.getTime() - span * 0.25);
    const to = new Date(range.end.getTime() + span * 0.25 + DAY);
    const query = windowQuery(from, to);
    // vis-timeline tells of the window it was made with too, a moment later: asked once.
    if (query === asked) return;
    asked = query;
    if (loadController) loadController.abort();
    loadController = new AbortController();
    el.setAttribute("aria-busy", "true");
    if (!status.textContent) status.textContent = "Loading the timeline…";
    try {
      const response = await fetch(query, { signal: loadController.signal });
      if (!response.ok) {
        asked = null;
        status.textContent = "The timeline could not load this stretch of time.";
        return;
      }
      data = await response.json();
    } catch (error) {
      if (error.name === "AbortError") return;
      asked = null;
      status.textContent = "The timeline could not load this stretch of time.";
      return;
    } finally {
      el.removeAttribute("aria-busy");
    }
    draw();
  }

  function draw() {
    layout.append(panel);
    view.draw(data, selected);
    placePanel();
    nearby.replaceChildren();
    nearby.hidden = true;
    around = { before: null, after: null };
    if (data.aggregated) {
      const per = { day: "day", month: "month", year: "year" }[data.granularity];
      status.textContent = `${data.total.toLocaleString("en")} events here: counted per ${per}. Zoom in, or choose a count, to see them one by one.`;
      return;
    }
    // The answer covers a margin around the window; the count is of what the window shows.
    const range = view.getWindow();
    const shown = data.items.filter((item) => lastDay(item) > range.start && parseDay(item.start) < range.end);
    status.textContent = `${shown.length.toLocaleString("en")} event${shown.length === 1 ? "" : "s"} in this stretch of time.`;
    if (shown.length === 0) showNearest(range);
  }

  function lastDay(item) {
    return addDays(parseDay(item.end || item.start), 1);
  }

  function windowQuery(from, to) {
    const query = new URLSearchParams(el.dataset.query.replace(/^\?/, ""));
    // The margin asked for around the window stays within the calendar dates can name.
    query.set("start", isoDay(from < FIRST_DAY ? FIRST_DAY : from));
    query.set("end", isoDay(to > LAST_DAY ? LAST_DAY : to));
    query.set("lanes", lanes());
    return `${el.dataset.api}?${query}`;
  }

  // The events closest to an empty window, as the API names them. The answer drawn covers a
  // margin around the window, so when that margin holds events the window itself is asked.
  async function nearest(range) {
    if (data.total === 0) return { before: data.before, after: data.after };
    const after = parseDay(isoDay(range.end)) < range.end ? addDays(parseDay(isoDay(range.end)), 1) : range.end;
    const response = await fetch(windowQuery(range.start, after));
    if (!response.ok) return { before: null, after: null };
    const exact = await response.json();
    return { before: exact.before, after: exact.after };
  }

  // An empty stretch says where the nearest events are, and goes there in one click (or ← →).
  async function showNearest(range) {
    const drawn = data;
    const found = await nearest(range);
    if (data !== drawn) return;
    around = found;
    const { before, after } = found;
    if (!before && !after) {
      status.textContent = "0 events in this stretch of time, and none outside it.";
      return;
    }
    const parts = [];
    // "the next after it: around Jan 22, 2026" reads whatever the label's precision.
    if (before) parts.push(`the last before it: ${before.date_label}`);
    if (after) parts.push(`the next after it: ${after.date_label}`);
    status.textContent = `0 events in this stretch of time: ${parts.join("; ")}.`;
    for (const [label, event, arrow] of [["Earlier", before, "left"], ["Later", after, "right"]]) {
      if (!event) continue;
      const button = nearestButton(label, event, arrow);
      button.addEventListener("click", () => goTo(event));
      nearby.append(button);
    }
    nearby.hidden = false;
  }

  // Bring an event outside the window into view, keeping the zoom, and select it.
  function goTo(event) {
    const range = view.getWindow();
    const span = Math.max(range.end - range.start, 4 * DAY);
    const first = parseDay(event.start);
    const last = addDays(parseDay(event.end || event.start), 1);
    const middle = (first.getTime() + last.getTime()) / 2;
    const wide = Math.max(span, (last - first) * 1.2);
    view.setWindow(new Date(middle - wide / 2), new Date(middle + wide / 2));
    selected = event.slug;
    showEvent(event.slug);
    el.focus({ preventScroll: true });
  }

  // The address and the filter form hold the window shown, so a reload or a share keeps it.
  function keepWindow() {
    update(windowParams());
    const form = document.getElementById("filters");
    for (const name of ["start", "end"]) {
      let input = form.querySelector(`input[type=hidden][name=${name}]`);
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        form.append(input);
      }
      input.value = windowParams()[name];
    }
  }

  function rangeChanged() {
    keepWindow();
    scheduleLoad();
  }

  function scheduleLoad() {
    clearTimeout(loadTimer);
    loadTimer = setTimeout(load, LOAD_DELAY);
  }

  function placePanel() {
    const slot = selected && !panel.hidden ? view.slotFor(selected) : null;
    if (slot) slot.append(panel);
    else if (panel.parentElement !== layout) layout.append(panel);
  }

  function closeDetail() {
    selected = null;
    panel.hidden = true;
    layout.append(panel);
    layout.classList.remove("has-detail");
    view.select(null);
    view.layout();
    update({ event: null });
    markListed(null);
  }

  function markListed(slug) {
    for (const card of document.querySelectorAll("#event-list article.is-selected")) card.classList.remove("is-selected");
    if (slug) {
      const card = document.querySelector(`#event-list article[data-slug="${CSS.escape(slug)}"]`);
      if (card) card.classList.add("is-selected");
    }
  }

  async function showEvent(slug) {
    selected = slug;
    view.select(slug);
    update({ event: slug });
    markListed(slug);
    const response = await fetch(`/api/v1/events/${encodeURIComponent(slug)}`);
    if (!response.ok) return null;
    const event = await response.json();
    if (selected !== slug) return event;
    renderDetail(panel, event, closeDetail);
    layout.classList.add("has-detail");
    placePanel();
    view.layout();
    return event;
  }

  function step(direction) {
    const list = view.events();
    const range = view.getWindow();
    const inView = list.some((row) => lastDay(row.event) > range.start && row.start < range.end);
    if (!inView && data && !data.aggregated) {
      const target = direction > 0 ? around.after : around.before;
      if (target) goTo(target);
      return;
    }
    if (!list.length) return;
    let index = list.findIndex((row) => row.id === selected);
    if (index === -1) {
      const middle = (range.start.getTime() + range.end.getTime()) / 2;
      index = direction > 0 ? list.findIndex((row) => row.start.getTime() >= middle) : list.findLastIndex((row) => row.start.getTime() <= middle);
      if (index === -1) index = direction > 0 ? 0 : list.length - 1;
    } else {
      index = Math.min(list.length - 1, Math.max(0, index + direction));
    }
    const row = list[index];
    view.select(row.id);
    if (!narrow.matches) view.moveTo(row.start);
    // On a phone the chosen event may be a screen away: bring it (and its details) into view.
    showEvent(row.id).then(() => view.slotFor(row.id)?.scrollIntoView({ block: "nearest" }));
  }

  el.addEventListener("keydown", (event) => {
    // Keys work on the timeline itself and, on a phone, on an event's title inside it
    // (where Enter stays the button's own: it opens the details).
    const onTitle = event.target !== el && event.target.closest(".item-title");
    if (event.target !== el && !onTitle) return;
    const keys = {
      ArrowRight: () => step(1),
      ArrowLeft: () => step(-1),
      "+": () => view.zoom(1),
      "=": () => view.zoom(1),
      "-": () => view.zoom(-1),
      Escape: () => closeDetail(),
    };
    if (!onTitle) {
      keys.Enter = () => { if (selected) window.location.assign(`/events/${encodeURIComponent(selected)}`); };
    }
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  const actions = {
    "zoom-in": () => view.zoom(1),
    "zoom-out": () => view.zoom(-1),
    fit: () => {
      const range = extentWindow(el);
      if (range) view.setWindow(range[0], range[1]);
    },
    today: () => view.moveTo(parseDay(el.dataset.today)),
  };
  for (const button of document.querySelectorAll(".timeline-toolbar [data-action]")) {
    button.addEventListener("click", () => actions[button.dataset.action]());
  }

  // Turning a phone, or resizing a window across the width, swaps the view and keeps the window.
  narrow.addEventListener("change", () => {
    const range = view.getWindow();
    view.destroy();
    makeView(range.start, range.end);
    if (data) draw();
    scheduleLoad();
  });

  enhanceFilters({
    form: document.getElementById("filters"),
    windowParams: () => {
      const { start: from, end: to } = windowParams();
      return { start: from, end: to };
    },
    onApplied(next) {
      if (next) {
        el.dataset.query = next.dataset.query;
        el.dataset.first = next.dataset.first;
        el.dataset.last = next.dataset.last;
      }
      load();
    },
  });

  const [windowStart, windowEnd] = initialWindow(el);
  makeView(windowStart, windowEnd);
  keepWindow();
  if (selected) {
    showEvent(selected).then((event) => {
      if (event && !(params().get("start") && params().get("end"))) {
        view.moveTo(parseDay(event.start_date));
      }
    });
  }
  load();
}

start();
