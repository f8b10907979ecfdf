variable "tier" {
  type = string
}

resource "aws_s3_bucket" "archive" {
  bucket = "orders-archive"
  tags = {
    resilience-tier = var.tier
  }
}

resource "aws_s3_bucket_versioning" "archive" {
  bucket = aws_s3_bucket.archive.id
  versioning_configuration {
    status = "Enabled"
  }
}
