/* The API's docs page (/api/v1/docs/): Swagger UI over the schema named by the element's data-schema-url.
   A static file, not an inline script: the Content-Security-Policy allows scripts from this site only. */
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  if (!node || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: node.getAttribute("data-schema-url"),
    domNode: node,
    deepLinking: true,
    defaultModelsExpandDepth: 0,
    supportedSubmitMethods: ["get"],
    validatorUrl: null
  });
})();
