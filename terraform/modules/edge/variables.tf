variable "name" {
  description = "Name prefix of the edge's resources."
  type        = string
}

variable "vpc_id" {
  description = "The VPC to run in."
  type        = string
}

variable "vpc_cidr" {
  description = "The VPC's range (the load balancer's health checks come from it)."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets for the Network Load Balancer (one per zone)."
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Private subnets for the tasks, in at least two zones."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "The edge runs in at least two zones."
  }
}

variable "image" {
  description = "The edge's container image (the Jib build's, e.g. <account>.dkr.ecr.<region>.amazonaws.com/star-console/udp-edge:0.1.0)."
  type        = string
}

variable "key_writer_image" {
  description = "A small image with sh, printf and chown that writes edge.key before the edge starts."
  type        = string
  default     = "public.ecr.aws/docker/library/busybox:1.36"
}

variable "edge_user_id" {
  description = "The user id the edge image runs as (185 in the Quarkus Jib default base image)."
  type        = number
  default     = 185
}

variable "private_key" {
  description = "The edges' X25519 private key, base64 (`wg genkey`); boxes trust its public key."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^[A-Za-z0-9+/]{43}=$", var.private_key))
    error_message = "private_key must be a base64 X25519 key as `wg genkey` prints it (44 characters)."
  }
}

variable "functions_url" {
  description = "Base URL of the functions' HTTP API (the edge calls <url>/internal/v1/...)."
  type        = string
}

variable "udp_port" {
  description = "The boxes' UDP port."
  type        = number
  default     = 31902
}

variable "health_port" {
  description = "The edge's HTTP port for /q/health and /q/metrics."
  type        = number
  default     = 8081
}

variable "cpu" {
  description = "Fargate CPU units per task (1024 = 1 vCPU)."
  type        = number
  default     = 512
}

variable "memory_mb" {
  description = "Fargate memory per task."
  type        = number
  default     = 1024
}

variable "heap_percent" {
  description = "Share of the task's memory the edge's JVM takes for its heap, where box sessions live (~857 bytes each: 75% of 1 GiB holds about 900,000). The JVM's own default is 25%."
  type        = number
  default     = 75

  validation {
    condition     = var.heap_percent >= 25 && var.heap_percent <= 85
    error_message = "Between 25 and 85: the rest of the task's memory holds the JVM's code, threads and network buffers."
  }
}

variable "min_tasks" {
  description = "Tasks at least (two zones need two)."
  type        = number
  default     = 2

  validation {
    condition     = var.min_tasks >= 2
    error_message = "At least two edge tasks, in two zones."
  }
}

variable "max_tasks" {
  description = "Tasks at most (CPU target tracking scales between min_tasks and this)."
  type        = number
  default     = 6
}

variable "cpu_target_percent" {
  description = "Average CPU the autoscaling aims for."
  type        = number
  default     = 60
}

variable "log_retention_days" {
  description = "Retention of the edge's log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "CloudWatch Logs keeps logs for one of these numbers of days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (0: forever)."
  }
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

variable "force_destroy" {
  description = "Let `terraform destroy` delete the image repository with its images."
  type        = bool
  default     = false
}
