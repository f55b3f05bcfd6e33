output "url" {
  description = "The viewer's URL."
  value       = "https://${aws_cloudfront_distribution.this.domain_name}"
}

output "origin" {
  description = "The viewer's origin, for the API's CORS."
  value       = "https://${aws_cloudfront_distribution.this.domain_name}"
}

output "bucket" {
  description = "The viewer bucket's name."
  value       = aws_s3_bucket.this.id
}

output "distribution_id" {
  description = "The CloudFront distribution's id (for invalidations)."
  value       = aws_cloudfront_distribution.this.id
}
