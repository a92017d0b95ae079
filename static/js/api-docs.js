"use strict";
// The API documentation page: Swagger UI (drf-spectacular-sidecar) over /api/schema/.
// Its settings come from the page as JSON, so no inline script is needed.
(function () {
  const config = JSON.parse(document.getElementById("api-docs-config").textContent);
  const safe = new Set(["GET", "HEAD", "OPTIONS"]);

  window.SwaggerUIBundle({
    url: config.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // Never send the schema to the public validator: nothing leaves this server.
    validatorUrl: null,
    // Signed in, "Try it out" uses the session, which needs the CSRF token to change
    // anything; with a token from Authorize the Bearer header is used instead.
    requestInterceptor: function (request) {
      const method = (request.method || "GET").toUpperCase();
      if (!safe.has(method) && !request.headers.Authorization) {
        request.headers[config.csrfHeader] = config.csrfToken;
      }
      return request;
    },
  });
})();
