/* The /docs page: Swagger UI (vendored swagger-ui-dist) over this server's OpenAPI schema. Served as a
 * file (the CSP forbids inline scripts); the online validator badge is off, so nothing leaves the server. */
(function () {
  "use strict";
  var box = document.getElementById("swagger-ui");
  if (!box || typeof SwaggerUIBundle === "undefined") { return; }
  window.rashomonDocs = SwaggerUIBundle({
    url: box.dataset.schema, domNode: box, deepLinking: true, validatorUrl: null, tryItOutEnabled: false,
    supportedSubmitMethods: ["get", "head"],
  });
})();
