// Swagger UI on our OpenAPI document, authorized with the explorer's token (same session storage key).
(() => {
  const token = sessionStorage.getItem('linked-orgs.token');
  const ui = window.SwaggerUIBundle({
    url: '/api/docs.json',
    dom_id: '#swagger-ui',
    persistAuthorization: false,
    validatorUrl: null, // the default would fetch a badge from validator.swagger.io
    onComplete: () => {
      if (token) ui.preauthorizeApiKey('bearer', token);
    },
  });
})();
