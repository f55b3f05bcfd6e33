variable "name" {
  description = "Name prefix of the functions, the API and their roles."
  type        = string
}

variable "zip_path" {
  description = "Path of functions-lambda/target/function.zip."
  type        = string
}

variable "architecture" {
  description = "Lambda architecture: x86_64 or arm64 (both support SnapStart on java21)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "Lambda architectures are x86_64 or arm64."
  }
}

variable "memory_mb" {
  description = "Memory of each function (CPU share grows with it)."
  type        = number
  default     = 1024
}

variable "timeout_seconds" {
  description = "The API function's timeout (API Gateway gives up after 29 s anyway)."
  type        = number
  default     = 29

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 30
    error_message = "The HTTP API waits at most 30 s for its integration: timeout_seconds must be 1 to 30."
  }
}

variable "reserved_concurrency" {
  description = "Concurrent executions of the API function at most; with pool_size it bounds the connections to the proxy."
  type        = number

  validation {
    condition     = var.reserved_concurrency >= 1
    error_message = "At least one concurrent execution (0 would stop the API)."
  }
}

variable "pool_size" {
  description = "Reactive PG connections per execution environment (one request at a time each)."
  type        = number
  default     = 2
}

variable "vpc_id" {
  description = "The VPC the functions run in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the functions' network interfaces."
  type        = list(string)
}

variable "proxy_client_security_group_id" {
  description = "Security group allowed into the database proxy (the API function)."
  type        = string
}

variable "direct_client_security_group_id" {
  description = "Security group allowed into the database directly (the migration function)."
  type        = string
}

variable "database_proxy_endpoint" {
  description = "RDS Proxy host name."
  type        = string
}

variable "database_writer_endpoint" {
  description = "Cluster writer host name (migrations)."
  type        = string
}

variable "database_name" {
  description = "Database name."
  type        = string
}

variable "database_username" {
  description = "Database user."
  type        = string
}

variable "database_password" {
  description = "Database password (goes into the functions' KMS-encrypted environment)."
  type        = string
  sensitive   = true
}

variable "ota_bucket_name" {
  description = "The firmware bucket."
  type        = string
}

variable "ota_bucket_arn" {
  description = "The firmware bucket's ARN (the API function's only S3 permission)."
  type        = string
}

variable "edge_secret" {
  description = "The edges' Bearer secret for /internal/ (also used by the housekeeping schedule)."
  type        = string
  sensitive   = true
}

variable "first_admin_user" {
  description = "Name of the first admin, made by the first migration run when there is no admin."
  type        = string
  default     = "admin"
}

variable "allowed_origins" {
  description = "Origins allowed by CORS (the viewer's https://… origin); never *."
  type        = list(string)

  validation {
    condition     = !contains(var.allowed_origins, "*")
    error_message = "CORS must name the viewer's origin, not *."
  }
}

variable "throttle_rate" {
  description = "Steady requests per second for the operator API (all routes but /internal)."
  type        = number
  default     = 50
}

variable "throttle_burst" {
  description = "Burst of requests for the operator API."
  type        = number
  default     = 100
}

variable "internal_throttle_rate" {
  description = "Steady requests per second for the edges' /internal routes."
  type        = number
  default     = 200
}

variable "internal_throttle_burst" {
  description = "Burst of requests for the edges' /internal routes."
  type        = number
  default     = 400
}

variable "housekeeping_schedule" {
  description = "EventBridge schedule of the housekeeping call (1 minute is EventBridge's shortest)."
  type        = string
  default     = "rate(1 minute)"
}

variable "log_retention_days" {
  description = "Retention of the functions' and the API's log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "CloudWatch Logs keeps logs for one of these numbers of days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (0: forever)."
  }
}
