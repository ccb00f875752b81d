// Opens the TimelineJS document at ?json=<url> as TimelineJS itself would, with no request
// to another host (no web font, scripts from this folder).
(function () {
  var source = new URLSearchParams(window.location.search).get("json");
  var scripts = new URL("js/", window.location.href).toString();
  window.timeline = new TL.Timeline("timeline-embed", source, {
    script_path: scripts,
    font: null,
    language: "en",
    hash_bookmark: false,
  });
  window.timeline.on("loaded", function () {
    document.body.dataset.ready = "true";
  });
})();
