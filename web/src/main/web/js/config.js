// Where the REST API lives. Same origin locally; the deployment rewrites this file with the
// API Gateway URL when the viewer is served from S3 and CloudFront.
window.STAR_CONSOLE_CONFIG = { apiBase: "" };
