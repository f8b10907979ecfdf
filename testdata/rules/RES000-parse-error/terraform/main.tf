provider "aws" {
  region = "eu-west-1"
}

# Valid, and still checked although broken.tf cannot be parsed.
resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"

  tags = {
    resilience-tier = "essential"
  }
}
