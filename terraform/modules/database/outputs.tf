output "proxy_endpoint" {
  description = "Host name of the RDS Proxy (the API function's queries)."
  value       = aws_db_proxy.this.endpoint
}

output "writer_endpoint" {
  description = "Host name of the cluster's writer (direct connections: migrations)."
  value       = aws_rds_cluster.this.endpoint
}

output "database_name" {
  description = "The database's name."
  value       = var.database_name
}

output "username" {
  description = "The database user."
  value       = var.master_username
}

output "password" {
  description = "The database user's password (also in the secret)."
  value       = random_password.master.result
  sensitive   = true
}

output "secret_arn" {
  description = "Secrets Manager secret with the credential."
  value       = aws_secretsmanager_secret.master.arn
}

output "proxy_client_security_group_id" {
  description = "Security group whose members may connect to the proxy."
  value       = aws_security_group.proxy_client.id
}

output "direct_client_security_group_id" {
  description = "Security group whose members may connect to the cluster directly."
  value       = aws_security_group.direct_client.id
}

output "cluster_id" {
  description = "The cluster's identifier (for alarms)."
  value       = aws_rds_cluster.this.cluster_identifier
}

output "proxy_name" {
  description = "The proxy's name (for alarms)."
  value       = aws_db_proxy.this.name
}

output "proxy_connection_limit" {
  description = "Database connections the proxy may open: max_connections times the proxy's share."
  value       = floor(var.max_connections * var.proxy_max_connections_percent / 100)
}
