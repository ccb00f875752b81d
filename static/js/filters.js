// Filters without reloading: the form is a plain GET form; with JavaScript its results (list,
// counts, "Upcoming") are fetched and swapped in place, and the address keeps every filter.

const SEARCH_DELAY = 400;

function rememberOpen(form) {
  return new Set([...form.querySelectorAll("details[open]")].map((d) => d.dataset.facet));
}

function focusKey(element) {
  if (!element || !element.name) return null;
  return { name: element.name, value: element.type === "checkbox" ? element.value : null };
}

function restoreFocus(form, key) {
  if (!key) return;
  const selector = key.value === null
    ? `[name="${CSS.escape(key.name)}"]`
    : `[name="${CSS.escape(key.name)}"][value="${CSS.escape(key.value)}"]`;
  const target = form.querySelector(selector);
  if (target) target.focus();
}

export function enhanceFilters({ form, onApplied, windowParams }) {
  let controller = null;
  let timer = null;

  // On a phone the choices would push the timeline off the first screen: start them closed.
  if (window.matchMedia("(max-width: 40rem)").matches) {
    for (const details of form.querySelectorAll("details[data-facet]")) {
      if (!details.querySelector("input:checked")) details.open = false;
    }
  }

  async function apply(url, push) {
    if (controller) controller.abort();
    controller = new AbortController();
    let html;
    try {
      const response = await fetch(url, { headers: { Accept: "text/html" }, signal: controller.signal });
      html = await response.text();
    } catch (error) {
      if (error.name === "AbortError") return;
      throw error;
    }
    const next = new DOMParser().parseFromString(html, "text/html");
    const open = rememberOpen(form);
    const focused = form.contains(document.activeElement) ? focusKey(document.activeElement) : null;
    const facets = next.querySelector("#filters .facet-row");
    if (facets) {
      form.querySelector(".facet-row").replaceWith(facets);
      for (const details of form.querySelectorAll("details[data-facet]")) {
        if (open.has(details.dataset.facet)) details.open = true;
      }
    }
    for (const id of ["from", "to"]) {
      const error = next.querySelector(`#error-${id}`);
      const current = form.querySelector(`#error-${id}`);
      if (current) current.remove();
      const input = form.querySelector(`#filter-${id}`);
      if (error) {
        input.after(error);
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", `error-${id}`);
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    }
    document.querySelector("#results").replaceWith(next.querySelector("#results"));
    document.querySelector("#result-count").textContent = next.querySelector("#result-count").textContent;
    document.title = next.title;
    if (push) window.history.pushState(null, "", url);
    restoreFocus(form, focused);
    onApplied(next.querySelector("#timeline"));
  }

  function currentUrl() {
    const data = new FormData(form);
    const query = new URLSearchParams();
    for (const [name, value] of data) {
      if (value === "" || name === "start" || name === "end") continue;
      query.append(name, value);
    }
    for (const [name, value] of Object.entries(windowParams())) query.set(name, value);
    const text = query.toString();
    return `/${text ? `?${text}` : ""}`;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply(currentUrl(), true);
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "q") return;
    apply(currentUrl(), true);
  });
  form.addEventListener("input", (event) => {
    if (event.target.name !== "q") return;
    clearTimeout(timer);
    timer = setTimeout(() => apply(currentUrl(), true), SEARCH_DELAY);
  });
  window.addEventListener("popstate", () => {
    window.location.reload();
  });
}
