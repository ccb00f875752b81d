// The story view, enhanced: ← and → step to the previous and next event, and each step (by
// key or by its link) swaps in the next page's story without reloading the page, changes the
// address, moves focus to the event's heading and announces the event to screen readers.
// Without this script every step is a plain link, and works the same.

const announce = document.getElementById("story-announce");

function stepLink(rel) {
  return document.querySelector(`.story-steps a[rel="${rel}"]`);
}

function typing(target) {
  return target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]");
}

async function show(url, { push = true } = {}) {
  let html;
  try {
    const response = await fetch(url, { headers: { Accept: "text/html" } });
    if (!response.ok) throw new Error(String(response.status));
    html = await response.text();
  } catch {
    window.location.assign(url); // let the browser show what the server says
    return;
  }
  const next = new DOMParser().parseFromString(html, "text/html");
  const fresh = next.querySelector("[data-story-step]");
  const current = document.querySelector("[data-story-step]");
  if (!fresh || !current) {
    window.location.assign(url);
    return;
  }
  current.replaceWith(document.adoptNode(fresh));
  for (const rel of ["prev", "next"]) {
    const link = document.head.querySelector(`link[rel="${rel}"]`);
    const wanted = next.head.querySelector(`link[rel="${rel}"]`);
    if (link) link.remove();
    if (wanted) document.head.append(document.adoptNode(wanted));
  }
  document.title = next.title;
  if (push) history.pushState({ story: true }, "", url);
  enhance();
  const heading = document.getElementById("story-title");
  const position = document.getElementById("story-position");
  heading?.focus();
  if (announce && heading) {
    const date = document.querySelector(".story-date time")?.textContent ?? "";
    announce.textContent = `${position?.textContent ?? ""}: ${heading.textContent}, ${date}`;
  }
}

function enhance() {
  const keys = document.querySelector(".story-keys");
  if (keys) keys.hidden = false;
  for (const link of document.querySelectorAll(".story-steps a[rel], .story-strip a, .story-quick a")) {
    link.addEventListener("click", (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      show(link.href);
    });
  }
}

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || typing(event.target)) return;
  const rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
  const link = rel && stepLink(rel);
  if (!link) return;
  event.preventDefault();
  show(link.href);
});

window.addEventListener("popstate", () => show(window.location.href, { push: false }));

if (document.querySelector("[data-story-step]")) {
  history.replaceState({ story: true }, "");
  enhance();
}
