"use strict";
// The API documentation page: Swagger UI (drf-spectacular-sidecar) over /api/schema/.
// Its settings come from the page as JSON, so no inline script is needed.
(function () {
  const config = JSON.parse(document.getElementById("api-docs-config").textContent);
  const safe = new Set(["GET", "HEAD", "OPTIONS"]);

  // Swagger UI's own layout puts the operations in a <main>, which would sit inside the
  // page's <main>; this one draws the same parts (introduction, Authorize, operations,
  // schemas) with no landmark of its own.
  function DocsLayoutPlugin(system) {
    const h = system.React.createElement;
    function DocsLayout(props) {
      const status = props.specSelectors.loadingStatus();
      const get = props.getComponent;
      const Errors = get("errors", true);
      if (status !== "success") {
        const text = status === "failed" ? "The API description could not be loaded." : "Loading…";
        return h("div", { className: "swagger-ui" }, h("p", { className: "loading-container" }, text), h(Errors));
      }
      return h(
        "div",
        { className: "swagger-ui" },
        h(get("SvgAssets")),
        h(Errors),
        h("div", { className: "information-container wrapper" }, h(get("InfoContainer", true))),
        h("div", { className: "scheme-container" },
          h("div", { className: "schemes wrapper" }, h(get("AuthorizeBtnContainer", true)))),
        h("div", { id: "operations", className: "wrapper" }, h(get("operations", true))),
        h("div", { className: "wrapper" }, h(get("Models", true)))
      );
    }
    return { components: { DocsLayout: DocsLayout } };
  }

  window.SwaggerUIBundle({
    url: config.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    plugins: [DocsLayoutPlugin],
    layout: "DocsLayout",
    // Links inside the operation list would sit within its buttons (nested controls).
    deepLinking: false,
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
