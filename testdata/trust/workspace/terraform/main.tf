# Names and tiers derived from the workspace, as one of the tried repositories does: without
# --workspace they are unknown; with it, known.
provider "aws" {
  region = "eu-west-1"
}

locals {
  prod = terraform.workspace == "prod"
}

resource "aws_s3_bucket" "data" {
  bucket = "orders-${terraform.workspace}"
  tags = {
    resilience-tier = local.prod ? "essential" : "non-essential"
  }
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}
