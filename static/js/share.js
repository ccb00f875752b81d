// Sharing from the timeline page: the Embed snippet and the <link rel="alternate"> exports
// follow what is shown (filters and window), without reloading the page.

// What an embed keeps of the address (app/timeline/sharing.py: EMBED_PARAMS).
const VIEW_PARAMS = new Set([
  "kind", "status", "actor", "place", "series", "tag", "q", "from", "to",
  "lanes", "start", "end", "event",
]);

function escapeAttribute(text) {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// The same snippet the server writes (app/timeline/sharing.py: iframe).
function snippet(textarea) {
  const kept = new URLSearchParams();
  for (const [name, value] of new URLSearchParams(window.location.search)) {
    if (VIEW_PARAMS.has(name) && value) kept.append(name, value);
  }
  const query = kept.toString();
  const src = `${textarea.dataset.base}/embed${query ? `?${query}` : ""}`;
  return `<iframe src="${escapeAttribute(src)}" width="800" height="600" `
    + `title="${escapeAttribute(textarea.dataset.title)}" loading="lazy"></iframe>`;
}

// The head's alternates point where the (swapped-in) download links point.
function refreshAlternates() {
  for (const link of document.querySelectorAll("link[rel=alternate][data-export]")) {
    const shown = document.querySelector(`#take-away a[data-export="${link.dataset.export}"]`);
    if (shown) link.setAttribute("href", shown.getAttribute("href"));
  }
}

function start() {
  const textarea = document.getElementById("embed-snippet");
  const details = document.getElementById("embed");
  if (!textarea || !details) return;
  const refresh = () => {
    textarea.value = snippet(textarea);
  };
  details.addEventListener("toggle", refresh);
  textarea.addEventListener("focus", () => {
    refresh();
    textarea.select();
  });
  // The timeline writes its window into the address after each move; the filter form
  // swaps the results (and their download links) in and then pushes the new address.
  let timer = null;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  };
  for (const name of ["pointerup", "keyup", "wheel", "popstate"]) window.addEventListener(name, soon);
  const results = document.getElementById("results");
  if (results) {
    new MutationObserver(() => {
      refresh();
      refreshAlternates();
    }).observe(results.parentElement, { childList: true });
  }
}

start();
