// The interactive timeline on `/`: draws the window it shows (fetched from /api/v1/timeline),
// keeps filters, lanes, window and selection in the address, and moves by mouse, touch and keys.
import { renderDetail } from "./detail.js";
import { enhanceFilters } from "./filters.js";
import { addDays, isoDay, params, parseDay, update } from "./url.js";

const DAY = 24 * 60 * 60 * 1000;
const LOAD_DELAY = 200;
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
const animation = reducedMotion ? false : { duration: 300, easingFunction: "easeInOutQuad" };

const CLUSTER = { maxItems: 3, showStipes: false, titleTemplate: "{count} events: zoom in to see them" };

function shortCount(count) {
  if (count < 1000) return String(count);
  if (count < 10000) return `${(count / 1000).toFixed(1).replace(/\.0$/, "")}k`;
  return `${Math.round(count / 1000)}k`;
}

function itemContent(item) {
  const label = document.createElement("span");
  label.className = "item-label";
  const icon = document.createElement("span");
  icon.className = "kind-icon";
  icon.setAttribute("aria-hidden", "true");
  const title = document.createElement("span");
  title.className = "item-title";
  title.textContent = item.title;
  label.append(icon, title);
  if (item.awaiting_confirmation || item.status !== "held") {
    const note = document.createElement("span");
    note.className = "item-note";
    note.textContent = item.awaiting_confirmation ? "awaiting confirmation" : item.status;
    label.append(note);
  }
  return label;
}

function itemClasses(item) {
  const classes = [`kind-${item.kind}`, `status-${item.status}`];
  if (["scheduled", "tentative", "postponed"].includes(item.status)) classes.push("is-planned");
  if (item.awaiting_confirmation) classes.push("is-awaiting");
  if (item.status === "cancelled") classes.push("is-cancelled");
  return classes.join(" ");
}

function initialWindow(el) {
  const given = params();
  if (given.get("start") && given.get("end")) {
    return [parseDay(given.get("start")), parseDay(given.get("end"))];
  }
  return extentWindow(el) || [addDays(new Date(), -30), addDays(new Date(), 30)];
}

function extentWindow(el) {
  if (!el.dataset.first || !el.dataset.last) return null;
  const first = parseDay(el.dataset.first);
  const last = addDays(parseDay(el.dataset.last), 1);
  const pad = Math.max((last - first) * 0.08, 2 * DAY);
  return [new Date(first.getTime() - pad), new Date(last.getTime() + pad)];
}

function start() {
  const el = document.getElementById("timeline");
  if (!el || !window.vis) return;
  const panel = document.getElementById("event-detail");
  const status = document.getElementById("timeline-status");
  const layout = el.closest(".timeline-and-detail");
  const items = new window.vis.DataSet();
  const groups = new window.vis.DataSet();
  let loadController = null;
  let loadTimer = null;
  let selected = params().get("event");

  el.replaceChildren();
  el.tabIndex = 0;
  el.setAttribute("role", "group");
  el.setAttribute("aria-roledescription", "timeline");
  el.setAttribute("aria-label", "Timeline. Left and right arrow keys move between events; Enter opens one; plus and minus zoom.");
  document.querySelector(".timeline-toolbar").hidden = false;
  document.querySelector(".timeline-help").hidden = false;

  const [windowStart, windowEnd] = initialWindow(el);
  const timeline = new window.vis.Timeline(el, items, {
    start: windowStart,
    end: windowEnd,
    zoomMin: 2 * DAY,
    zoomMax: 200 * 365 * DAY,
    zoomKey: "ctrlKey",
    horizontalScroll: false,
    stack: true,
    showCurrentTime: true,
    selectable: true,
    multiselect: false,
    orientation: { axis: "top", item: "top" },
    margin: { item: { horizontal: 4, vertical: 6 } },
    cluster: CLUSTER,
    groupOrder: (a, b) => a.order - b.order,
    tooltip: { followMouse: false },
    xss: { disabled: false },
  });

  function lanes() {
    return params().get("lanes") || "party";
  }

  function windowParams() {
    const range = timeline.getWindow();
    return { lanes: lanes(), start: isoDay(range.start), end: isoDay(range.end) };
  }

  async function load() {
    const range = timeline.getWindow();
    // Ask for a little more than is shown, so a short pan finds its events already there.
    const span = range.end - range.start;
    const from = new Date(range.start.getTime() - span * 0.25);
    const to = new Date(range.end.getTime() + span * 0.25 + DAY);
    const query = new URLSearchParams(el.dataset.query.replace(/^\?/, ""));
    query.set("start", isoDay(from));
    query.set("end", isoDay(to));
    query.set("lanes", lanes());
    if (loadController) loadController.abort();
    loadController = new AbortController();
    el.setAttribute("aria-busy", "true");
    if (!status.textContent) status.textContent = "Loading the timeline…";
    let data;
    try {
      const response = await fetch(`${el.dataset.api}?${query}`, { signal: loadController.signal });
      if (!response.ok) {
        status.textContent = "The timeline could not load this stretch of time.";
        return;
      }
      data = await response.json();
    } catch (error) {
      if (error.name === "AbortError") return;
      status.textContent = "The timeline could not load this stretch of time.";
      return;
    } finally {
      el.removeAttribute("aria-busy");
    }
    draw(data);
  }

  function draw(data) {
    if (data.groups.length) {
      groups.clear();
      groups.add(data.groups.map((lane, order) => ({ id: lane.id, content: lane.name, order })));
      timeline.setGroups(groups);
    } else {
      timeline.setGroups(null);
    }
    const grouped = data.groups.length > 0;
    const most = Math.max(1, ...data.buckets.map((bucket) => bucket.count));
    const rows = data.aggregated
      ? data.buckets.map((bucket) => ({
          id: `bucket:${bucket.start}:${bucket.lane || ""}`,
          bucket,
          content: shortCount(bucket.count),
          title: `${bucket.count.toLocaleString("en")} events`,
          start: parseDay(bucket.start),
          end: parseDay(bucket.end),
          type: "range",
          className: `bucket density-${Math.ceil((5 * bucket.count) / most)}`,
          group: grouped ? bucket.lane : undefined,
        }))
      : data.items.map((item) => ({
          id: item.slug,
          event: item,
          content: itemContent(item),
          start: parseDay(item.start),
          end: item.end ? addDays(parseDay(item.end), 1) : undefined,
          type: item.end ? "range" : "box",
          className: itemClasses(item),
          group: grouped ? item.lane : undefined,
        }));
    items.clear();
    items.add(rows);
    // Counts sit side by side in one row per lane; single events stack and cluster.
    timeline.setOptions({ stack: !data.aggregated, cluster: data.aggregated ? false : CLUSTER });
    if (selected && items.get(selected)) timeline.setSelection([selected]);
    if (data.aggregated) {
      const per = { day: "day", month: "month", year: "year" }[data.granularity];
      status.textContent = `${data.total.toLocaleString("en")} events here: counted per ${per}. Zoom in, or choose a count, to see them one by one.`;
    } else {
      status.textContent = `${data.total.toLocaleString("en")} event${data.total === 1 ? "" : "s"} in this stretch of time.`;
    }
  }

  function scheduleLoad() {
    clearTimeout(loadTimer);
    loadTimer = setTimeout(load, LOAD_DELAY);
  }

  function closeDetail() {
    selected = null;
    panel.hidden = true;
    layout.classList.remove("has-detail");
    timeline.setSelection([]);
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
    update({ event: slug });
    markListed(slug);
    const response = await fetch(`/api/v1/events/${encodeURIComponent(slug)}`);
    if (!response.ok) return null;
    const event = await response.json();
    if (selected !== slug) return event;
    renderDetail(panel, event, closeDetail);
    layout.classList.add("has-detail");
    timeline.redraw();
    return event;
  }

  function events() {
    return items.get({ filter: (row) => Boolean(row.event), order: (a, b) => a.start - b.start });
  }

  function step(direction) {
    const list = events();
    if (!list.length) return;
    let index = list.findIndex((row) => row.id === selected);
    if (index === -1) {
      const middle = (timeline.getWindow().start.getTime() + timeline.getWindow().end.getTime()) / 2;
      index = direction > 0 ? list.findIndex((row) => row.start.getTime() >= middle) : list.findLastIndex((row) => row.start.getTime() <= middle);
      if (index === -1) index = direction > 0 ? 0 : list.length - 1;
    } else {
      index = Math.min(list.length - 1, Math.max(0, index + direction));
    }
    const row = list[index];
    timeline.setSelection([row.id]);
    timeline.moveTo(row.start, { animation });
    showEvent(row.id);
  }

  timeline.on("select", ({ items: chosen }) => {
    const id = chosen[0];
    if (!id) return;
    const row = items.get(id);
    if (!row) return;
    if (row.bucket) {
      timeline.setWindow(parseDay(row.bucket.start), parseDay(row.bucket.end), { animation });
      timeline.setSelection([]);
      return;
    }
    showEvent(id);
  });
  timeline.on("rangechanged", () => {
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
    scheduleLoad();
  });

  el.addEventListener("keydown", (event) => {
    if (event.target !== el) return;
    const keys = {
      ArrowRight: () => step(1),
      ArrowLeft: () => step(-1),
      "+": () => timeline.zoomIn(0.5, { animation }),
      "=": () => timeline.zoomIn(0.5, { animation }),
      "-": () => timeline.zoomOut(0.5, { animation }),
      Enter: () => { if (selected) window.location.assign(`/events/${encodeURIComponent(selected)}`); },
      Escape: () => closeDetail(),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  const actions = {
    "zoom-in": () => timeline.zoomIn(0.5, { animation }),
    "zoom-out": () => timeline.zoomOut(0.5, { animation }),
    fit: () => {
      const range = extentWindow(el);
      if (range) timeline.setWindow(range[0], range[1], { animation });
    },
    today: () => timeline.moveTo(parseDay(el.dataset.today), { animation }),
  };
  for (const button of document.querySelectorAll(".timeline-toolbar [data-action]")) {
    button.addEventListener("click", () => actions[button.dataset.action]());
  }

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

  if (selected) {
    showEvent(selected).then((event) => {
      if (event && !(params().get("start") && params().get("end"))) {
        timeline.moveTo(parseDay(event.start_date), { animation: false });
      }
    });
  }
  load();
}

start();
