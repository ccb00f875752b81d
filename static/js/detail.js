// The panel beside the timeline: the selected event's date, place, people, summary, images and
// sources.
// Built with textContent only, so an event's text can never become markup.

function el(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.text !== undefined) node.textContent = options.text;
  if (options.className) node.className = options.className;
  for (const [name, value] of Object.entries(options.attrs || {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

function row(label, ...content) {
  return el("p", {}, [el("span", { className: "detail-label", text: `${label}: ` }), ...content]);
}

function link(href, text) {
  return el("a", { text, attrs: { href } });
}

export function statusText(event) {
  if (event.awaiting_confirmation) return `${event.status} · awaiting confirmation`;
  return event.status === "held" ? "" : event.status;
}

// An event's images as figures, as templates/_partials/media.html draws them on the pages.
export function figures(media) {
  if (!media || !media.length) return null;
  const box = el("div", { className: "figures" });
  for (const image of media) {
    const img = el("img", {
      attrs: { src: image.url, alt: image.alt, width: String(image.width), height: String(image.height), loading: "lazy", decoding: "async" },
    });
    const figure = el("figure", { className: "event-figure" }, [img]);
    if (image.caption || image.credit) {
      const caption = el("figcaption");
      if (image.caption) caption.append(el("span", { className: "caption", text: image.caption }));
      if (image.caption && image.credit) caption.append(" · ");
      if (image.credit) caption.append(el("span", { className: "credit", text: image.credit }));
      figure.append(caption);
    }
    box.append(figure);
  }
  return box;
}

export function renderDetail(panel, event, onClose) {
  panel.replaceChildren();
  const close = el("button", {
    className: "detail-close",
    text: "×",
    attrs: { type: "button", "aria-label": "Close the event details" },
  });
  close.addEventListener("click", onClose);
  const kind = el("span", { className: `kind kind-${event.kind}` }, [
    el("span", { className: "kind-icon", attrs: { "aria-hidden": "true" } }),
    event.kind.charAt(0).toUpperCase() + event.kind.slice(1),
  ]);
  const meta = el("p", { className: "event-meta" }, [kind]);
  const status = statusText(event);
  if (status) {
    const cls = event.awaiting_confirmation ? "status-awaiting" : `status-${event.status}`;
    meta.append(" ", el("span", { className: `status ${cls}`, text: status }));
  }
  const heading = el("h2", { attrs: { id: "detail-title" } }, [
    link(`/events/${encodeURIComponent(event.slug)}`, event.title),
  ]);
  panel.append(close, meta, heading);
  panel.append(row("Date", el("time", { text: event.date_label, attrs: { datetime: event.start_date } })));
  if (event.place) {
    panel.append(row("Place", link(`/places/${encodeURIComponent(event.place.slug)}`, event.place.name)));
  }
  const people = event.participants.filter((p) => p.role !== "mentioned");
  if (people.length) {
    const who = el("span");
    people.forEach((p, index) => {
      if (index) who.append(", ");
      who.append(link(`/actors/${encodeURIComponent(p.actor.slug)}`, p.actor.name));
      if (!["party", "speaker"].includes(p.role)) who.append(` (${p.role})`);
    });
    panel.append(row("Who", who));
  }
  if (event.summary) panel.append(el("p", { text: event.summary }));
  const images = figures(event.media);
  if (images) panel.append(images);
  if (event.sources.length) {
    const list = el("ul", { attrs: { "aria-label": "Sources" } });
    for (const source of event.sources) {
      const item = el("li");
      if (source.quote) {
        item.append(el("q", { text: source.quote }));
        if (source.speaker) item.append(` — ${source.speaker.name}`);
        item.append(el("br"));
      }
      item.append(link(source.url, source.publisher));
      if (source.published_on) item.append(`, ${source.published_on}`);
      list.append(item);
    }
    panel.append(el("p", { className: "detail-label", text: `${event.sources.length} source${event.sources.length === 1 ? "" : "s"}` }), list);
  } else {
    panel.append(el("p", { className: "note", text: "No source cited yet." }));
  }
  panel.append(el("p", {}, [link(`/events/${encodeURIComponent(event.slug)}`, "Open the event page →")]));
  panel.setAttribute("aria-labelledby", "detail-title");
  panel.hidden = false;
}
