# The functions on Lambda (one zip, two functions), the HTTP API in front, the migration step and
# the housekeeping schedule.
#
# Order of an apply (explicit below, by depends_on):
#   1. the migrate function gets the new zip and is invoked once (Flyway at start; the invocation
#      fails, and so does the apply, if the migrations fail);
#   2. only then the API function gets the new zip and publishes a version (SnapStart takes its
#      snapshot now, against the migrated schema);
#   3. only then the `live` alias, which the HTTP API calls, moves to that version.

data "aws_region" "this" {}

data "aws_caller_identity" "this" {}

locals {
  api_name     = "${var.name}-api"
  migrate_name = "${var.name}-migrate"
  code_hash    = filebase64sha256(var.zip_path)
  handler      = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"

  common_environment = {
    QUARKUS_DATASOURCE_USERNAME        = var.database_username
    QUARKUS_DATASOURCE_PASSWORD        = var.database_password
    STAR_CONSOLE_OBJECT_STORE_BUCKET   = var.ota_bucket_name
    STAR_CONSOLE_OBJECT_STORE_REGION   = data.aws_region.this.name
    STAR_CONSOLE_EDGE_SECRET           = var.edge_secret
    STAR_CONSOLE_PRESENCE_JOBS_ENABLED = "false"
    STAR_CONSOLE_COMMANDS_JOBS_ENABLED = "false"
    # No LISTEN through RDS Proxy (it pins the connection and a frozen Lambda would not drain it):
    # an edge's held wake-up request reads the feed every 250 ms instead (docs/commands.md).
    STAR_CONSOLE_COMMANDS_FEED_LISTEN = "false"
  }

  # An API Gateway HTTP API (payload 2.0) request for the liveness check: starting the application
  # is what runs the migrations; the answer only has to be 200.
  migrate_event = jsonencode({
    version         = "2.0"
    routeKey        = "$default"
    rawPath         = "/q/health/live"
    rawQueryString  = ""
    headers         = { host = "migrate.internal", accept = "application/json" }
    isBase64Encoded = false
    requestContext = {
      accountId    = data.aws_caller_identity.this.account_id
      apiId        = "terraform"
      domainName   = "migrate.internal"
      domainPrefix = "migrate"
      requestId    = "migrate-${local.code_hash}"
      routeKey     = "$default"
      stage        = "$default"
      time         = "01/Jan/2025:00:00:00 +0000"
      timeEpoch    = 1735689600000
      http = {
        method    = "GET"
        path      = "/q/health/live"
        protocol  = "HTTP/1.1"
        sourceIp  = "127.0.0.1"
        userAgent = "terraform"
      }
    }
  })
}

# ---------------------------------------------------------------------------------------------
# Secrets in the functions' environment are encrypted with a key of our own (and so are the
# SnapStart snapshots of the API function).

resource "aws_kms_key" "this" {
  description             = "${var.name}: the functions' environment and snapshots"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}-functions"
  target_key_id = aws_kms_key.this.key_id
}

resource "random_password" "first_admin" {
  length  = 24
  special = false
}

# ---------------------------------------------------------------------------------------------
# Logs

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/lambda/${local.api_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_log_group" "migrate" {
  name              = "/aws/lambda/${local.migrate_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
}

# ---------------------------------------------------------------------------------------------
# IAM: one role per function, each with only what it uses.

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# What both functions need: their own log group, their VPC network interfaces, the key of their
# environment. The API function adds the firmware bucket.
data "aws_iam_policy_document" "base" {
  for_each = {
    api     = aws_cloudwatch_log_group.api.arn
    migrate = aws_cloudwatch_log_group.migrate.arn
  }

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${each.value}:*"]
  }
  statement {
    sid = "VpcNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DeleteNetworkInterface",
      "ec2:AssignPrivateIpAddresses",
      "ec2:UnassignPrivateIpAddresses",
    ]
    resources = ["*"]
  }
  statement {
    sid       = "EnvironmentKey"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
  }
}

data "aws_iam_policy_document" "api" {
  source_policy_documents = [data.aws_iam_policy_document.base["api"].json]

  statement {
    sid       = "FirmwareObjects"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${var.ota_bucket_arn}/*"]
  }
  statement {
    sid       = "FirmwareListing"
    actions   = ["s3:ListBucket"]
    resources = [var.ota_bucket_arn]
  }
}

resource "aws_iam_role" "api" {
  name_prefix        = "${var.name}-api-"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy" "api" {
  name   = "api"
  role   = aws_iam_role.api.id
  policy = data.aws_iam_policy_document.api.json
}

resource "aws_iam_role" "migrate" {
  name_prefix        = "${var.name}-migrate-"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy" "migrate" {
  name   = "migrate"
  role   = aws_iam_role.migrate.id
  policy = data.aws_iam_policy_document.base["migrate"].json
}

resource "aws_security_group" "functions" {
  name_prefix = "${var.name}-functions-"
  description = "The functions: out to HTTPS (AWS APIs) only; PostgreSQL comes from the database's client groups"
  vpc_id      = var.vpc_id

  egress {
    description = "HTTPS (S3 through the gateway endpoint)"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# ---------------------------------------------------------------------------------------------
# Step 1: migrations. Same zip, STAR_CONSOLE_MIGRATE_AT_START=true, a direct connection to the
# writer, no SnapStart (a snapshot would run the migrations when the version is published, not
# when it is invoked), one at a time. It also makes the first admin when there is none.

resource "aws_lambda_function" "migrate" {
  function_name                  = local.migrate_name
  role                           = aws_iam_role.migrate.arn
  runtime                        = "java21"
  architectures                  = [var.architecture]
  handler                        = local.handler
  filename                       = var.zip_path
  source_code_hash               = local.code_hash
  memory_size                    = var.memory_mb
  timeout                        = 300
  reserved_concurrent_executions = 1
  kms_key_arn                    = aws_kms_key.this.arn

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.functions.id, var.direct_client_security_group_id]
  }

  environment {
    variables = merge(local.common_environment, {
      STAR_CONSOLE_MIGRATE_AT_START                   = "true"
      QUARKUS_DATASOURCE_JDBC_URL                     = "jdbc:postgresql://${var.database_writer_endpoint}:5432/${var.database_name}?sslmode=require"
      QUARKUS_DATASOURCE_REACTIVE_URL                 = "postgresql://${var.database_writer_endpoint}:5432/${var.database_name}"
      QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE = "require"
      QUARKUS_DATASOURCE_REACTIVE_TRUST_ALL           = "true"
      QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE            = "2"
      STAR_CONSOLE_ADMIN_USER                         = var.first_admin_user
      STAR_CONSOLE_ADMIN_PASSWORD                     = random_password.first_admin.result
    })
  }

  depends_on = [aws_cloudwatch_log_group.migrate, aws_iam_role_policy.migrate]
}

resource "aws_lambda_invocation" "migrate" {
  function_name = aws_lambda_function.migrate.function_name
  input         = local.migrate_event

  # Again whenever the code (and so possibly the migrations) or the function's settings change.
  triggers = {
    code    = local.code_hash
    version = aws_lambda_function.migrate.last_modified
  }

  lifecycle {
    postcondition {
      condition     = try(jsondecode(self.result).statusCode, 0) == 200
      error_message = "The migration function did not start cleanly; see its log group. The API keeps its old version."
    }
  }
}

# ---------------------------------------------------------------------------------------------
# Step 2: the API function, updated and published only after the migrations ran.

resource "aws_lambda_function" "api" {
  function_name                  = local.api_name
  role                           = aws_iam_role.api.arn
  runtime                        = "java21"
  architectures                  = [var.architecture]
  handler                        = local.handler
  filename                       = var.zip_path
  source_code_hash               = local.code_hash
  memory_size                    = var.memory_mb
  timeout                        = var.timeout_seconds
  publish                        = true
  reserved_concurrent_executions = var.reserved_concurrency
  kms_key_arn                    = aws_kms_key.this.arn

  snap_start {
    apply_on = "PublishedVersions"
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.functions.id, var.proxy_client_security_group_id]
  }

  environment {
    variables = merge(local.common_environment, {
      STAR_CONSOLE_MIGRATE_AT_START = "false"
      # The proxy's certificate comes from ACM (Amazon Trust Services): the JDK's trust store
      # verifies it, host name included.
      QUARKUS_DATASOURCE_REACTIVE_URL                             = "postgresql://${var.database_proxy_endpoint}:5432/${var.database_name}"
      QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE             = "verify-full"
      QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM = "HTTPS"
      QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE                        = tostring(var.pool_size)
      QUARKUS_DATASOURCE_JDBC_URL                                 = "jdbc:postgresql://${var.database_proxy_endpoint}:5432/${var.database_name}?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory"
      JAVA_TOOL_OPTIONS                                           = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
    })
  }

  depends_on = [aws_lambda_invocation.migrate, aws_cloudwatch_log_group.api, aws_iam_role_policy.api]
}

# Step 3: traffic moves to the new version.
resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.api.function_name
  function_version = aws_lambda_function.api.version
}

# ---------------------------------------------------------------------------------------------
# The HTTP API: /api/* for operators and the viewer, /internal/* for the edges (the functions
# refuse it without the edge's Bearer secret), the health checks; nothing else is routed.

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"
  description   = "Star Console REST API"

  cors_configuration {
    allow_origins  = var.allowed_origins
    allow_methods  = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    allow_headers  = ["authorization", "content-type"]
    expose_headers = ["retry-after"]
    max_age        = 600
  }
}

resource "aws_apigatewayv2_integration" "api" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST" # the provider docs: required unless MOCK; POST for AWS_PROXY
  integration_uri        = aws_lambda_alias.live.invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 29000
}

resource "aws_apigatewayv2_route" "this" {
  for_each = toset(["ANY /api/{proxy+}", "ANY /internal/{proxy+}", "GET /q/health/{proxy+}", "GET /q/openapi"])

  api_id    = aws_apigatewayv2_api.this.id
  route_key = each.value
  target    = "integrations/${aws_apigatewayv2_integration.api.id}"
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.throttle_rate
    throttling_burst_limit = var.throttle_burst
  }

  # The edges' calls are batched (one presence call a second per edge) and must not be starved by
  # operators, nor starve them.
  route_settings {
    route_key              = "ANY /internal/{proxy+}"
    throttling_rate_limit  = var.internal_throttle_rate
    throttling_burst_limit = var.internal_throttle_burst
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId      = "$context.requestId"
      ip             = "$context.identity.sourceIp"
      method         = "$context.httpMethod"
      path           = "$context.path"
      status         = "$context.status"
      latencyMs      = "$context.responseLatency"
      integrationErr = "$context.integrationErrorMessage"
    })
  }

  depends_on = [aws_apigatewayv2_route.this]
}

resource "aws_lambda_permission" "api" {
  statement_id  = "http-api"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  qualifier     = aws_lambda_alias.live.name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}

# ---------------------------------------------------------------------------------------------
# Housekeeping (offline check, lease reclaim, command sweep): Lambda has no in-process scheduler,
# so EventBridge calls POST /internal/v1/housekeeping through the HTTP API once a minute, with the
# edge's Bearer secret kept by EventBridge in its connection (a Secrets Manager secret of its own).

resource "aws_cloudwatch_event_connection" "housekeeping" {
  name               = "${var.name}-housekeeping"
  description        = "The edge credential for the functions' internal API"
  authorization_type = "API_KEY"

  auth_parameters {
    api_key {
      key   = "Authorization"
      value = "Bearer ${var.edge_secret}"
    }
  }
}

resource "aws_cloudwatch_event_api_destination" "housekeeping" {
  name                             = "${var.name}-housekeeping"
  description                      = "POST /internal/v1/housekeeping"
  invocation_endpoint              = "${trimsuffix(aws_apigatewayv2_stage.this.invoke_url, "/")}/internal/v1/housekeeping"
  http_method                      = "POST"
  invocation_rate_limit_per_second = 1
  connection_arn                   = aws_cloudwatch_event_connection.housekeeping.arn
}

resource "aws_cloudwatch_event_rule" "housekeeping" {
  name                = "${var.name}-housekeeping"
  description         = "Offline check, lease reclaim and command sweep of the Star Console"
  schedule_expression = var.housekeeping_schedule
}

data "aws_iam_policy_document" "events_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "housekeeping" {
  statement {
    actions   = ["events:InvokeApiDestination"]
    resources = [aws_cloudwatch_event_api_destination.housekeeping.arn]
  }
}

resource "aws_iam_role" "housekeeping" {
  name_prefix        = "${var.name}-housekeeping-"
  assume_role_policy = data.aws_iam_policy_document.events_assume.json
}

resource "aws_iam_role_policy" "housekeeping" {
  name   = "invoke-housekeeping"
  role   = aws_iam_role.housekeeping.id
  policy = data.aws_iam_policy_document.housekeeping.json
}

resource "aws_cloudwatch_event_target" "housekeeping" {
  rule     = aws_cloudwatch_event_rule.housekeeping.name
  arn      = aws_cloudwatch_event_api_destination.housekeeping.arn
  role_arn = aws_iam_role.housekeeping.arn
  input    = "{}"

  retry_policy {
    maximum_event_age_in_seconds = 60
    maximum_retry_attempts       = 2
  }
}
