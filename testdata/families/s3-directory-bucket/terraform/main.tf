# An essential S3 directory bucket (S3 Express One Zone) in zone euw1-az1. Directory buckets
# keep their data in one zone, support neither versioning nor replication, and AWS Backup does
# not back them up.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_directory_bucket" "scratch" {
  bucket = "scratch--euw1-az1--x-s3"

  location {
    name = "euw1-az1"
    type = "AvailabilityZone"
  }

  tags = {
    resilience-tier = "essential"
  }
}
