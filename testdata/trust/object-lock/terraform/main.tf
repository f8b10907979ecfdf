# A versioned bucket with Object Lock (a 30-day default retention) and one without: the lock is
# shown as a protection, never as a recovery point (it runs from each version's creation).
provider "aws" {
  region = "eu-west-1"
}
resource "aws_s3_bucket" "audit" {
  bucket              = "audit"
  object_lock_enabled = true
  tags = { resilience-tier = "non-essential" }
}
resource "aws_s3_bucket_versioning" "audit" {
  bucket = aws_s3_bucket.audit.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket_object_lock_configuration" "audit" {
  bucket = aws_s3_bucket.audit.id
  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 30
    }
  }
}
resource "aws_s3_bucket" "plain" {
  bucket = "plain"
  tags = { resilience-tier = "non-essential" }
}
