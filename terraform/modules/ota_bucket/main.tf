# The firmware store: private, versioned, encrypted, TLS only; objects are read only through
# presigned URLs (query-string signatures) that the functions hand out, and only while young.

resource "aws_s3_bucket" "this" {
  bucket_prefix = var.bucket_prefix
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    # SSE-S3. (bucket_key_enabled applies to SSE-KMS only, so it is not set.)
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  # Replaced or deleted releases linger as noncurrent versions for a while (a rollback can restore
  # them), then go.
  rule {
    id     = "expire-old-release-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  # Releases older than release_archive_days are rarely fetched: cheaper storage.
  rule {
    id     = "archive-old-releases"
    status = "Enabled"

    filter {
      prefix = var.release_prefix
    }

    transition {
      days          = var.release_archive_days
      storage_class = "STANDARD_IA"
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  # A template rather than a policy document data source: deploy-checks applies the very same file
  # to a LocalStack bucket.
  policy = templatefile("${path.module}/bucket-policy.json.tftpl", {
    bucket_arn           = aws_s3_bucket.this.arn
    max_signature_age_ms = var.presigned_url_max_age_seconds * 1000
  })

  depends_on = [aws_s3_bucket_public_access_block.this]
}
