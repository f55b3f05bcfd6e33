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

  validation {
    condition     = var.min_capacity >= 0.5 && var.min_capacity <= 256 && floor(var.min_capacity * 2) == var.min_capacity * 2
    error_message = "Serverless v2 capacity is 0.5 to 256 ACUs in steps of 0.5."
  }
}

variable "max_capacity" {
  description = "Serverless v2 maximum, in ACUs."
  type        = number
  default     = 4

  validation {
    condition     = var.max_capacity >= 0.5 && var.max_capacity <= 256 && floor(var.max_capacity * 2) == var.max_capacity * 2
    error_message = "Serverless v2 capacity is 0.5 to 256 ACUs in steps of 0.5."
  }
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

  validation {
    condition     = var.proxy_max_connections_percent >= 1 && var.proxy_max_connections_percent <= 100
    error_message = "The proxy takes 1 to 100 percent of max_connections."
  }
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "Backups stay on: backup_retention_days must be 1 to 35."
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

  validation {
    condition     = var.secret_recovery_days == 0 || (var.secret_recovery_days >= 7 && var.secret_recovery_days <= 30)
    error_message = "Secrets Manager takes 0 (delete at once) or 7 to 30 days."
  }
}
