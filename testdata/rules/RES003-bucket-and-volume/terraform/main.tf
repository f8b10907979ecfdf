provider "aws" {
  region = "eu-west-1"
}

# No versioning, no AWS Backup.
resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"

  tags = {
    resilience-tier = "essential"
  }
}

# No DLM policy, no AWS Backup.
resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 100
  type              = "gp3"

  tags = {
    Name            = "scratch"
    resilience-tier = "non-essential"
  }
}
