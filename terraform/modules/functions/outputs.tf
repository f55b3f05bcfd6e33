output "api_url" {
  description = "Base URL of the HTTP API (no trailing slash)."
  value       = trimsuffix(aws_apigatewayv2_stage.this.invoke_url, "/")
}

output "api_id" {
  description = "The HTTP API's id (for alarms)."
  value       = aws_apigatewayv2_api.this.id
}

output "api_function_name" {
  description = "Name of the API function."
  value       = aws_lambda_function.api.function_name
}

output "api_function_version" {
  description = "The version the live alias serves."
  value       = aws_lambda_alias.live.function_version
}

output "migrate_function_name" {
  description = "Name of the migration function."
  value       = aws_lambda_function.migrate.function_name
}

output "first_admin_user" {
  description = "The first admin's name."
  value       = var.first_admin_user
}

output "first_admin_password" {
  description = "The first admin's initial password (used only when the database had no admin)."
  value       = random_password.first_admin.result
  sensitive   = true
}

output "log_group_names" {
  description = "Log groups of the API function, the migration function and the API's access log."
  value       = [aws_cloudwatch_log_group.api.name, aws_cloudwatch_log_group.migrate.name, aws_cloudwatch_log_group.access.name]
}
