variable "bucket_prefix" {
  description = "Prefix of the viewer bucket's generated name (also names the CloudFront policies)."
  type        = string
}

variable "source_directory" {
  description = "The viewer's static files (web/src/main/web)."
  type        = string
}

variable "api_url" {
  description = "The HTTP API's base URL, written into js/config.js."
  type        = string
}

variable "price_class" {
  description = "CloudFront price class (PriceClass_100: North America and Europe)."
  type        = string
  default     = "PriceClass_100"
}
