// Enhances the event form: pickers search as you type, focus goes where the editor is
// working, and leaving with unsaved changes asks first. The form works without this file.

const DELAY_MS = 150;

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// Refills the input's <datalist> with what the server finds, so the browser's own
// suggestion list (keyboard and screen reader friendly) shows the matches.
function enhancePicker(input) {
  const kind = input.dataset.picker;
  const list = input.list;
  if (!kind || !list) return;
  let controller = null;
  const search = debounce(async () => {
    const q = input.value.trim();
    if (q.length < 2) return;
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`/editing/lookup/${kind}?q=${encodeURIComponent(q)}`, {
        headers: { Accept: "application/json" },
        signal: controller.signal,
        credentials: "same-origin",
      });
      // Signed out meanwhile (the answer is the sign-in page): keep the list as it is.
      const type = response.headers.get("content-type") || "";
      if (!response.ok || !type.includes("application/json")) return;
      const { items } = await response.json();
      const options = items.map((item) => {
        const option = document.createElement("option");
        option.value = item.value;
        option.textContent = item.label;
        return option;
      });
      if (options.length) list.replaceChildren(...options);
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  }, DELAY_MS);
  input.addEventListener("input", search);
}

// A name that is not in the list and a "create new" box: tick it for the editor when they
// type into the new-actor details, so what they typed there is used.
function linkCreateBoxes(form) {
  for (const details of form.querySelectorAll("details.new-record")) {
    const box = details.querySelector('input[type="checkbox"]');
    for (const field of details.querySelectorAll("input:not([type=checkbox]), select")) {
      field.addEventListener("change", () => {
        if (box && field.value) box.checked = true;
      });
    }
  }
}

function focusWhereWorking(form) {
  const summary = document.getElementById("error-summary");
  const notice = document.getElementById("conflict") || document.getElementById("duplicate");
  if (summary) {
    summary.focus();
    return;
  }
  if (notice) {
    notice.focus();
    return;
  }
  // After "add another …", put the cursor in the new row.
  const params = new URLSearchParams(form.dataset.focus || "");
  const group = params.get("add");
  if (group) {
    const rows = form.querySelectorAll(`[data-row^="${group}-"]`);
    const last = rows[rows.length - 1];
    const first = last && last.querySelector("input, select, textarea");
    if (first) first.focus();
  }
}

// A form whose image makes it larger than the form may be is refused before anything typed
// in it is read: say so beside the field at once, and keep the form (and its draft) from being
// sent until a smaller image is chosen or the choice is cleared. `data-max-bytes` is the whole
// form's limit; what the rest of the form sends is counted as the browser would send it.
const encoder = new TextEncoder();

function formBytes(form, file) {
  let total = file.size + 256;
  for (const field of form.elements) {
    if (!field.name || field.type === "file" || field.disabled) continue;
    if ((field.type === "checkbox" || field.type === "radio") && !field.checked) continue;
    // Each part: its boundary and headers (about a hundred bytes), then its value.
    total += 128 + encoder.encode(field.name).length + encoder.encode(field.value || "").length;
  }
  return total;
}

function checkFileSizes(form) {
  const inputs = [...form.querySelectorAll('input[type="file"][data-max-bytes]')];
  const tooLarge = (input) => {
    const file = input.files && input.files[0];
    return file && formBytes(form, file) > Number(input.dataset.maxBytes) ? file : null;
  };
  for (const input of inputs) {
    const note = document.createElement("p");
    note.className = "field-error";
    note.id = `${input.id}-size-error`;
    note.hidden = true;
    input.before(note);
    input.addEventListener("change", () => {
      const file = tooLarge(input);
      const limit = Number(input.dataset.maxBytes) / 1024 / 1024;
      note.hidden = !file;
      note.textContent = file
        ? `This image is ${(file.size / 1024 / 1024).toFixed(1)} MiB; with the rest of the form, at most ${limit} MiB can be sent. Choose a smaller image.`
        : "";
      input.setCustomValidity(note.textContent);
      if (file) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", `${note.id} ${input.getAttribute("aria-describedby") || ""}`.trim());
      } else {
        input.removeAttribute("aria-invalid");
      }
    });
  }
  form.addEventListener("submit", (event) => {
    const over = inputs.find(tooLarge);
    if (!over) return;
    // Buttons that skip validation (add or remove a row) would send the image too.
    event.preventDefault();
    event.stopImmediatePropagation();
    over.focus();
  });
}

function guardUnsaved(form) {
  let dirty = form.dataset.dirty === "true";
  form.addEventListener("input", () => {
    dirty = true;
  });
  form.addEventListener("submit", () => {
    dirty = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}

// In a conflict, "Use theirs" copies the saved value of a plain field into the form.
function enableUseTheirs(form) {
  for (const button of document.querySelectorAll("button[data-use-theirs]")) {
    const field = form.elements.namedItem(button.dataset.useTheirs);
    if (!field) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      if (field.type === "checkbox") field.checked = button.dataset.value === "1";
      else field.value = button.dataset.value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      button.textContent = "Copied into the form";
      field.focus();
    });
  }
}

// Drafts: what is typed is kept in this browser until the form is sent, so a closed tab or
// a crash loses nothing. A fresh form offers a draft that was never sent.
// The version stays in the draft: a draft of an old version must meet the conflict check.
const SKIP = new Set(["csrf_token", "save", "add", "remove", "not_duplicate", "restore_draft"]);

function draftKey(form) {
  return `parley-draft:${new URL(form.action, location.href).pathname}`;
}

function readDraft(form) {
  try {
    return JSON.parse(localStorage.getItem(draftKey(form)) || "null");
  } catch {
    return null;
  }
}

function keepDrafts(form) {
  const key = draftKey(form);
  const save = debounce(() => {
    const fields = [];
    for (const [name, value] of new FormData(form)) {
      if (!SKIP.has(name) && typeof value === "string") fields.push([name, value]);
    }
    try {
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), fields }));
    } catch {
      // Storage full or off: the form still works, only without drafts.
    }
  }, 400);
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  // Shown again by the server (errors, conflict): keep that too, in case the tab closes now.
  if (form.dataset.dirty === "true") save();
  form.addEventListener("submit", () => {
    try {
      localStorage.removeItem(key);
    } catch {
      // Nothing to clean up.
    }
  });
}

function offerDraft(form) {
  const offer = document.getElementById("draft-offer");
  const draft = readDraft(form);
  // A form shown again by the server (errors, conflict, added rows) already holds the work.
  if (!offer || !draft || form.dataset.dirty === "true" || !draft.fields.length) return;
  const typed = draft.fields.some(
    ([name, value]) => value.trim() && name !== "version" && !/-role$|-kind$|^status$|^date_precision$/.test(name),
  );
  if (!typed) return;
  offer.querySelector("[data-draft-time]").textContent = new Date(draft.at).toLocaleString();
  offer.hidden = false;
  offer.querySelector("[data-draft-restore]").addEventListener("click", () => {
    // Sent to the server to be shown again (rows and all), not saved.
    const carrier = document.createElement("form");
    carrier.method = "post";
    carrier.action = form.action;
    carrier.hidden = true;
    const add = (name, value) => {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      carrier.append(input);
    };
    for (const [name, value] of draft.fields) add(name, value);
    add("csrf_token", form.elements.namedItem("csrf_token").value);
    add("restore_draft", "1");
    document.body.append(carrier);
    carrier.submit();
  });
  offer.querySelector("[data-draft-discard]").addEventListener("click", () => {
    localStorage.removeItem(draftKey(form));
    offer.hidden = true;
  });
}

for (const form of document.querySelectorAll("form[data-editor-form]")) {
  checkFileSizes(form);
  offerDraft(form);
  keepDrafts(form);
  enableUseTheirs(form);
  for (const input of form.querySelectorAll("input[data-picker]")) enhancePicker(input);
  linkCreateBoxes(form);
  focusWhereWorking(form);
  guardUnsaved(form);
}
