# Replication to a bucket outside the scan, named by ARN (which carries no region), whose replica
# KMS key is in this provider's region (data.aws_region.current): S3 requires that key to be in the
# destination bucket's region, so the replica is in the bucket's own region (issue 9, item 7).
provider "aws" {
  region = "eu-west-1"
}

data "aws_region" "current" {}

resource "aws_s3_bucket" "documents" {
  bucket = "acme-documents"
  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "aws_s3_bucket_versioning" "documents" {
  bucket = aws_s3_bucket.documents.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_replication_configuration" "documents" {
  bucket = aws_s3_bucket.documents.id
  role   = "arn:aws:iam::123456789012:role/replication"
  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket = "arn:aws:s3:::acme-documents-copy"
      encryption_configuration {
        replica_kms_key_id = "arn:aws:kms:${data.aws_region.current.name}:123456789012:key/0b7e5c1f-1111-2222-3333-444455556666"
      }
    }
  }
}
