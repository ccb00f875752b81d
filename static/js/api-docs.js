// Starts Swagger UI on /docs over this site's own /openapi.json; nothing from other hosts.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url") || "/openapi.json",
    domNode: root,
    deepLinking: true,
    // The default would ask an online validator about our document.
    validatorUrl: null,
    tryItOutEnabled: false,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
