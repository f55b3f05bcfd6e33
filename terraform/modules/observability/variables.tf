variable "name" {
  description = "Name prefix of the alarms and the topic."
  type        = string
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic (each must confirm by mail)."
  type        = list(string)
  default     = []
}

variable "api_function_name" {
  description = "The API function's name."
  type        = string
}

variable "api_id" {
  description = "The HTTP API's id."
  type        = string
}

variable "function_error_threshold" {
  description = "Function errors or API 5xx in 5 minutes that raise an alarm."
  type        = number
  default     = 5
}

variable "load_balancer_arn_suffix" {
  description = "The edge load balancer's ARN suffix."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "The edge target group's ARN suffix."
  type        = string
}

variable "edge_min_healthy" {
  description = "Healthy edge tasks below which the alarm fires."
  type        = number
  default     = 2
}

variable "database_cluster_id" {
  description = "The Aurora cluster's identifier."
  type        = string
}

variable "database_cpu_percent" {
  description = "Average database CPU above which the alarm fires."
  type        = number
  default     = 80
}

variable "database_max_connections" {
  description = "The database's max_connections (the alarm fires at 80 %)."
  type        = number
}

variable "database_max_capacity" {
  description = "The cluster's maximum ACUs (the alarm fires when capacity stays there)."
  type        = number
}
