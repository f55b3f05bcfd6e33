output "viewer_url" {
  description = "The viewer (CloudFront)."
  value       = module.web.url
}

output "api_url" {
  description = "The REST API's base URL (/api/v1/..., /q/openapi)."
  value       = module.functions.api_url
}

output "edge_address" {
  description = "Where boxes send JEDI/2: the load balancer's DNS name and UDP port."
  value       = "${module.edge.address}:${module.edge.port}"
}

output "ota_bucket" {
  description = "The firmware bucket's name."
  value       = module.ota_bucket.name
}

output "edge_repository_url" {
  description = "ECR repository to push the edge image to (mvn -Pimage ...)."
  value       = module.edge.repository_url
}

output "first_admin_user" {
  description = "The first admin's name."
  value       = module.functions.first_admin_user
}

output "first_admin_password" {
  description = "The first admin's initial password (terraform output -raw first_admin_password); change it after the first login."
  value       = module.functions.first_admin_password
  sensitive   = true
}

output "functions_reserved_concurrency" {
  description = "The API function's reserved concurrency as applied."
  value       = local.functions_reserved_concurrency
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = module.observability.topic_arn
}
