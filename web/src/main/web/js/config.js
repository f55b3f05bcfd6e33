// Where the REST API lives. Empty means the same origin (the local console serves viewer and API
// together). When the viewer is served from S3 and CloudFront, the deployment rewrites this file with
// the API Gateway URL, e.g. { apiBase: "https://abc123.execute-api.eu-west-1.amazonaws.com" }.
window.STAR_CONSOLE_CONFIG = { apiBase: "" };
