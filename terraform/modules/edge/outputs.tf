output "address" {
  description = "DNS name of the Network Load Balancer: where boxes send UDP."
  value       = aws_lb.this.dns_name
}

output "port" {
  description = "The boxes' UDP port."
  value       = var.udp_port
}

output "repository_url" {
  description = "ECR repository the edge image is pushed to."
  value       = aws_ecr_repository.this.repository_url
}

output "secret" {
  description = "The edges' Bearer secret for /internal (the functions check it)."
  value       = random_password.secret.result
  sensitive   = true
}

output "secret_arn" {
  description = "Secrets Manager secret holding the edges' Bearer secret."
  value       = aws_secretsmanager_secret.secret.arn
}

output "private_key_secret_arn" {
  description = "Secrets Manager secret holding the edges' private key."
  value       = aws_secretsmanager_secret.private_key.arn
}

output "cluster_name" {
  description = "ECS cluster name (for alarms)."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "ECS service name (for alarms)."
  value       = aws_ecs_service.this.name
}

output "load_balancer_arn_suffix" {
  description = "The load balancer's ARN suffix (CloudWatch dimension)."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn_suffix" {
  description = "The target group's ARN suffix (CloudWatch dimension)."
  value       = aws_lb_target_group.this.arn_suffix
}

output "log_group_name" {
  description = "The edge's log group."
  value       = aws_cloudwatch_log_group.this.name
}
