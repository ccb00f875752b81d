// The page's state lives in its address: filters, lanes, the visible window and the selection.

export function params() {
  return new URLSearchParams(window.location.search);
}

// Change some parameters in place (null removes one); `push` adds a history entry.
export function update(changes, push = false) {
  const next = params();
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === "") next.delete(name);
    else next.set(name, value);
  }
  const query = next.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ""}`;
  if (push) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}

export function isoDay(date) {
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function parseDay(text) {
  const [year, month, day] = text.split("-").map(Number);
  const date = new Date(2000, month - 1, day);
  // Not `new Date(year, …)`: it reads years 0 to 99 as 1900 to 1999.
  date.setFullYear(year, month - 1, day);
  return date;
}

export function addDays(date, days) {
  const copy = new Date(date.getTime());
  copy.setDate(copy.getDate() + days);
  return copy;
}
