variable "region" {
  description = "AWS region to deploy to (must offer Lambda SnapStart and Aurora Serverless v2)."
  type        = string
}

variable "name" {
  description = "Name prefix of every resource."
  type        = string
  default     = "star-console"
}

variable "environment" {
  description = "Environment name, part of every resource name (e.g. prod, staging)."
  type        = string
  default     = "prod"
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = map(string)
  default     = {}
}

variable "protect_data" {
  description = "Deletion protection and a final snapshot for the database, and no forced deletion of the firmware bucket and image repository. Set false only to tear down a test deployment."
  type        = bool
  default     = true
}

variable "vpc_cidr" {
  description = "The VPC's range."
  type        = string
  default     = "10.40.0.0/16"
}

variable "zone_count" {
  description = "Availability zones to use (at least 2)."
  type        = number
  default     = 2

  validation {
    condition     = var.zone_count >= 2 && var.zone_count <= 6
    error_message = "zone_count must be between 2 and 6."
  }
}

variable "nat_gateway_per_zone" {
  description = "One NAT gateway per zone instead of one shared."
  type        = bool
  default     = false
}

variable "database_min_capacity" {
  description = "Aurora Serverless v2 minimum ACUs."
  type        = number
  default     = 0.5

  validation {
    condition     = var.database_min_capacity >= 0.5 && var.database_min_capacity <= 256 && floor(var.database_min_capacity * 2) == var.database_min_capacity * 2
    error_message = "Serverless v2 capacity is 0.5 to 256 ACUs in steps of 0.5."
  }
}

variable "database_max_capacity" {
  description = "Aurora Serverless v2 maximum ACUs."
  type        = number
  default     = 4

  validation {
    condition     = var.database_max_capacity >= 0.5 && var.database_max_capacity <= 256 && floor(var.database_max_capacity * 2) == var.database_max_capacity * 2
    error_message = "Serverless v2 capacity is 0.5 to 256 ACUs in steps of 0.5."
  }
}

variable "database_instance_count" {
  description = "Aurora instances (2: writer and a standby reader in another zone)."
  type        = number
  default     = 2
}

variable "database_max_connections" {
  description = "PostgreSQL max_connections; the proxy, the functions' concurrency and an alarm are sized from it."
  type        = number
  default     = 400
}

variable "database_proxy_connections_percent" {
  description = "Share of max_connections the RDS Proxy may use."
  type        = number
  default     = 75

  validation {
    condition     = var.database_proxy_connections_percent >= 1 && var.database_proxy_connections_percent <= 100
    error_message = "The proxy takes 1 to 100 percent of max_connections."
  }
}

variable "database_backup_retention_days" {
  description = "Days of automated database backups."
  type        = number
  default     = 7

  validation {
    condition     = var.database_backup_retention_days >= 1 && var.database_backup_retention_days <= 35
    error_message = "Backups stay on: 1 to 35 days."
  }
}

variable "functions_zip" {
  description = "Path of the functions' Lambda zip (build: mvn -B -pl functions-lambda -am package)."
  type        = string
  default     = "../functions-lambda/target/function.zip"
}

variable "functions_memory_mb" {
  description = "Memory of the functions."
  type        = number
  default     = 1024
}

variable "functions_pool_size" {
  description = "Reactive PG connections per function environment."
  type        = number
  default     = 2
}

variable "functions_reserved_concurrency" {
  description = "Reserved concurrency of the API function; null sizes it to the proxy: floor(max_connections * proxy share / pool size)."
  type        = number
  default     = null

  validation {
    condition     = var.functions_reserved_concurrency == null || try(var.functions_reserved_concurrency >= 1, false)
    error_message = "null (sized to the proxy) or at least 1."
  }
}

variable "api_throttle_rate" {
  description = "Steady requests per second of the operator API."
  type        = number
  default     = 50
}

variable "api_throttle_burst" {
  description = "Burst of the operator API."
  type        = number
  default     = 100
}

variable "extra_cors_origins" {
  description = "Origins allowed by the API's CORS besides the viewer's CloudFront origin (e.g. a custom domain)."
  type        = list(string)
  default     = []
}

variable "first_admin_user" {
  description = "The first admin's name; the password is generated (output first_admin_password)."
  type        = string
  default     = "admin"
}

variable "edge_image" {
  description = "The edge's container image in the edge repository (output edge_repository_url), with its tag."
  type        = string
}

variable "edge_private_key" {
  description = "The edges' X25519 private key, base64 (`wg genkey`). Keep it out of files in the repository: pass TF_VAR_edge_private_key."
  type        = string
  sensitive   = true
}

variable "edge_min_tasks" {
  description = "Edge tasks at least (2 or more)."
  type        = number
  default     = 2

  validation {
    condition     = var.edge_min_tasks >= 2
    error_message = "At least two edge tasks, in two zones."
  }
}

variable "edge_max_tasks" {
  description = "Edge tasks at most."
  type        = number
  default     = 6
}

variable "ota_noncurrent_days" {
  description = "Days replaced firmware object versions are kept."
  type        = number
  default     = 90

  validation {
    condition     = var.ota_noncurrent_days >= 1
    error_message = "S3 expires noncurrent versions after 1 day at the earliest."
  }
}

variable "viewer_directory" {
  description = "The viewer's static files."
  type        = string
  default     = "../web/src/main/web"
}

variable "log_retention_days" {
  description = "Retention of every log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "CloudWatch Logs keeps logs for one of these numbers of days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (0: forever)."
  }
}

variable "alarm_emails" {
  description = "E-mail addresses for alarms."
  type        = list(string)
  default     = []
}
