# Bucket names computed from other resources: the replication destination is known to be the
# bucket built from the same random_id, and not the one built from another.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "replica"
  region = "eu-central-1"
}

resource "random_id" "replica" {
  byte_length = 4
}

resource "random_id" "other" {
  byte_length = 4
}

locals {
  replica_name = "orders-replica-${random_id.replica.hex}"
}

resource "aws_s3_bucket" "source" {
  bucket = "orders"
}

resource "aws_s3_bucket_versioning" "source" {
  bucket = aws_s3_bucket.source.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "replica" {
  provider = aws.replica
  bucket   = local.replica_name
}

resource "aws_s3_bucket" "other" {
  bucket = "orders-replica-${random_id.other.hex}"
}

resource "aws_s3_bucket_replication_configuration" "source" {
  bucket = aws_s3_bucket.source.id
  role   = "arn:aws:iam::123456789012:role/replication"
  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket = "arn:aws:s3:::${local.replica_name}"
    }
  }
}
