variable "bucket_prefix" {
  description = "Prefix of the bucket's generated name."
  type        = string
}

variable "release_prefix" {
  description = "Key prefix under which releases are stored."
  type        = string
  default     = "firmware/"
}

variable "noncurrent_days" {
  description = "Days a replaced or deleted object version is kept before it expires."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_days >= 1
    error_message = "S3 expires noncurrent versions after 1 day at the earliest."
  }
}

variable "release_archive_days" {
  description = "Days after which release objects move to STANDARD_IA (at least 30)."
  type        = number
  default     = 90

  validation {
    condition     = var.release_archive_days >= 30
    error_message = "S3 moves objects to STANDARD_IA only after 30 days or more."
  }
}

variable "presigned_url_max_age_seconds" {
  description = "Reads with a signature older than this are refused, whatever the URL's own expiry."
  type        = number
  default     = 3600
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete a bucket that still holds firmware."
  type        = bool
  default     = false
}
