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
}

variable "database_max_capacity" {
  description = "Aurora Serverless v2 maximum ACUs."
  type        = number
  default     = 4
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
}

variable "database_backup_retention_days" {
  description = "Days of automated database backups."
  type        = number
  default     = 7
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
}

variable "alarm_emails" {
  description = "E-mail addresses for alarms."
  type        = list(string)
  default     = []
}
