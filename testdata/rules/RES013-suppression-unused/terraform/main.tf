provider "aws" {
  region = "eu-west-1"
}

resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  backup_retention_period = 7
  # The database is Multi-AZ: this suppression hides nothing (RES013).
  # resilint:ignore RES006 reason="single-AZ is fine here"
  multi_az = true
  # Used: hides the missing offsite copy.
  # resilint:ignore backup-not-offsite reason="DR copy lands with the platform migration"
  tags = {
    resilience-tier = "essential"
  }
}

# Malformed (no reason): ignored, so RES009 is still reported, and RES013 says why.
# resilint:ignore RES009
resource "aws_s3_bucket" "scratch" {
  bucket = "acme-scratch"
}

# resilint:ignore RES003 reason="not attached to any block"
locals {
  x = 1
}
