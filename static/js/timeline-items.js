// What both timeline views draw for an event or a count: built as DOM nodes with textContent,
// so a title or a lane name (both typed by editors) can never become markup.

export function shortCount(count) {
  if (count < 1000) return String(count);
  if (count < 10000) return `${(count / 1000).toFixed(1).replace(/\.0$/, "")}k`;
  return `${Math.round(count / 1000)}k`;
}

function span(className, text) {
  const node = document.createElement("span");
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function statusNote(item) {
  if (item.awaiting_confirmation) return "awaiting confirmation";
  return item.status === "held" ? "" : item.status;
}

// An event's label: the kind's shape, the status on a line of its own (so a long title can
// neither hide it nor be pushed out of view by it), then the title, which wraps.
export function itemContent(item) {
  const label = span("item-label");
  label.dataset.slug = item.slug;
  label.dataset.date = item.start;
  const head = span("item-head");
  const icon = span("kind-icon");
  icon.setAttribute("aria-hidden", "true");
  head.append(icon, span("item-date", item.date_label));
  const note = statusNote(item);
  if (note) head.append(span("item-note", note));
  label.append(head, span("item-title", item.title));
  return label;
}

// A lane's name for vis-timeline's label column, as text.
export function laneLabel(lane) {
  return span("lane-name", lane.name);
}

export function itemClasses(item) {
  const classes = [`kind-${item.kind}`, `status-${item.status}`];
  if (["scheduled", "tentative", "postponed"].includes(item.status)) classes.push("is-planned");
  if (item.awaiting_confirmation) classes.push("is-awaiting");
  if (item.status === "cancelled") classes.push("is-cancelled");
  return classes.join(" ");
}
