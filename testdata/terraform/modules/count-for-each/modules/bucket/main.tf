variable "name" {}
variable "versioning" {}
variable "tier" {}

resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = { resilience-tier = var.tier }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}
