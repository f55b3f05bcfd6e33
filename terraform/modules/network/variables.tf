variable "name" {
  description = "Name prefix of the network's resources."
  type        = string
}

variable "cidr" {
  description = "The VPC's IPv4 range; split into /20-sized public and private subnets (a /16 gives 16 of each)."
  type        = string
  default     = "10.40.0.0/16"
}

variable "zone_count" {
  description = "Availability zones to spread over (at least two: the edge and the database need two)."
  type        = number
  default     = 2

  validation {
    condition     = var.zone_count >= 2 && var.zone_count <= 6
    error_message = "zone_count must be between 2 and 6."
  }
}

variable "nat_gateway_per_zone" {
  description = "One NAT gateway per zone (survives a zone outage) instead of one shared (cheaper)."
  type        = bool
  default     = false
}
