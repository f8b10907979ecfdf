# Source and destination both versioned, both expiring noncurrent versions after one day, and
# replication from eu-west-1 to eu-west-2. The destination keeps old versions only as long as its
# own lifecycle says: one day, under the essential tier's seven.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-west-2"
}

resource "aws_s3_bucket" "data" {
  bucket = "orders-data"
  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    id     = "old-versions"
    status = "Enabled"
    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }
}

resource "aws_s3_bucket" "replica" {
  provider = aws.dr
  bucket   = "orders-data-replica"
}

resource "aws_s3_bucket_versioning" "replica" {
  provider = aws.dr
  bucket   = aws_s3_bucket.replica.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "replica" {
  provider = aws.dr
  bucket   = aws_s3_bucket.replica.id
  rule {
    id     = "old-versions"
    status = "Enabled"
    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }
}

resource "aws_s3_bucket_replication_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  role   = "arn:aws:iam::123456789012:role/replication"
  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket = aws_s3_bucket.replica.arn
    }
  }
}
