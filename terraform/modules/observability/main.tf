# Alarms on what breaks first: function errors and throttles, API 5xx, unhealthy edges, database
# CPU, connections and capacity. They notify one SNS topic.

resource "aws_sns_topic" "this" {
  name = "${var.name}-alarms"
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = each.value
}

locals {
  alarms = {
    function-errors = {
      description = "The API function failed invocations (crashes, timeouts; not HTTP error answers)."
      namespace   = "AWS/Lambda", metric = "Errors", statistic = "Sum", period = 300, periods = 1
      dimensions  = { FunctionName = var.api_function_name }
      threshold   = var.function_error_threshold, comparison = "GreaterThanOrEqualToThreshold", missing = "notBreaching"
    }
    function-throttles = {
      description = "The API function hit its reserved concurrency (sized to the database proxy)."
      namespace   = "AWS/Lambda", metric = "Throttles", statistic = "Sum", period = 300, periods = 1
      dimensions  = { FunctionName = var.api_function_name }
      threshold   = 1, comparison = "GreaterThanOrEqualToThreshold", missing = "notBreaching"
    }
    api-5xx = {
      description = "The HTTP API answered 5xx."
      namespace   = "AWS/ApiGateway", metric = "5xx", statistic = "Sum", period = 300, periods = 1
      dimensions  = { ApiId = var.api_id }
      threshold   = var.function_error_threshold, comparison = "GreaterThanOrEqualToThreshold", missing = "notBreaching"
    }
    edge-unhealthy = {
      description = "An edge task fails its readiness check (/q/health/ready on the health port)."
      namespace   = "AWS/NetworkELB", metric = "UnHealthyHostCount", statistic = "Maximum", period = 60, periods = 3
      dimensions  = { LoadBalancer = var.load_balancer_arn_suffix, TargetGroup = var.target_group_arn_suffix }
      threshold   = 1, comparison = "GreaterThanOrEqualToThreshold", missing = "notBreaching"
    }
    edge-too-few-healthy = {
      description = "Fewer healthy edge tasks than the minimum: boxes lose their edge."
      namespace   = "AWS/NetworkELB", metric = "HealthyHostCount", statistic = "Minimum", period = 60, periods = 3
      dimensions  = { LoadBalancer = var.load_balancer_arn_suffix, TargetGroup = var.target_group_arn_suffix }
      threshold   = var.edge_min_healthy, comparison = "LessThanThreshold", missing = "breaching"
    }
    database-cpu = {
      description = "Database CPU high."
      namespace   = "AWS/RDS", metric = "CPUUtilization", statistic = "Average", period = 300, periods = 2
      dimensions  = { DBClusterIdentifier = var.database_cluster_id }
      threshold   = var.database_cpu_percent, comparison = "GreaterThanThreshold", missing = "missing"
    }
    database-connections = {
      description = "Database connections above 80 % of max_connections."
      namespace   = "AWS/RDS", metric = "DatabaseConnections", statistic = "Maximum", period = 300, periods = 1
      dimensions  = { DBClusterIdentifier = var.database_cluster_id }
      threshold   = floor(var.database_max_connections * 0.8), comparison = "GreaterThanThreshold", missing = "missing"
    }
    database-capacity = {
      description = "Serverless v2 capacity stays at its maximum: raise max_capacity."
      namespace   = "AWS/RDS", metric = "ServerlessDatabaseCapacity", statistic = "Maximum", period = 300, periods = 3
      dimensions  = { DBClusterIdentifier = var.database_cluster_id }
      threshold   = var.database_max_capacity, comparison = "GreaterThanOrEqualToThreshold", missing = "missing"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = each.value.missing
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]
}
