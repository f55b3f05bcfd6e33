variable "name" {
  description = "Name of the cluster, proxy and their security groups."
  type        = string
}

variable "vpc_id" {
  description = "The VPC to run in."
  type        = string
}

variable "vpc_cidr" {
  description = "The VPC's range (clients' egress to PostgreSQL is limited to it)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets in at least two zones for the cluster and the proxy."
  type        = list(string)
}

variable "engine_version" {
  description = "Aurora PostgreSQL version (16.x supports Serverless v2 and RDS Proxy)."
  type        = string
  default     = "16.6"
}

variable "parameter_family" {
  description = "Parameter group family matching engine_version."
  type        = string
  default     = "aurora-postgresql16"
}

variable "database_name" {
  description = "The database the functions use."
  type        = string
  default     = "star_console"
}

variable "master_username" {
  description = "The database's master user (migrations and queries; see docs/deploy.md for a narrower role)."
  type        = string
  default     = "star_console"
}

variable "min_capacity" {
  description = "Serverless v2 minimum, in ACUs (0.5 ACU is about 1 GiB of memory)."
  type        = number
  default     = 0.5
}

variable "max_capacity" {
  description = "Serverless v2 maximum, in ACUs."
  type        = number
  default     = 4
}

variable "instance_count" {
  description = "Cluster instances: 1 is a writer only; 2 adds a reader in another zone that takes over on failure."
  type        = number
  default     = 2
}

variable "max_connections" {
  description = "PostgreSQL max_connections on every instance; the proxy takes proxy_max_connections_percent of it."
  type        = number
  default     = 400
}

variable "proxy_max_connections_percent" {
  description = "Share of max_connections the RDS Proxy may open (the rest stays for direct clients and operators)."
  type        = number
  default     = 75
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1
    error_message = "Backups stay on: backup_retention_days must be at least 1."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the cluster (turn off before `terraform destroy`)."
  type        = bool
  default     = true
}

variable "final_snapshot" {
  description = "Take a final snapshot when the cluster is destroyed."
  type        = bool
  default     = true
}

variable "secret_recovery_days" {
  description = "Days a deleted secret can be restored (0 deletes at once)."
  type        = number
  default     = 7
}
