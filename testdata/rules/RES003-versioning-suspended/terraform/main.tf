# Versioning written and suspended: RES003 points at the `status` line and quotes it.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_s3_bucket_versioning" "invoices" {
  bucket = aws_s3_bucket.invoices.id
  versioning_configuration {
    status = "Suspended"
  }
}
