// Starts Swagger UI (swagger-ui-dist) on the API reference page, GET /api/docs,
// with the server's own OpenAPI document. A separate file, so the page needs no
// inline script under the server's Content-Security-Policy.
window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  validatorUrl: null,
  tryItOutEnabled: false,
});
