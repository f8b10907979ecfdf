provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      resilience-tier = "non-essential"
    }
  }
}

# Versioning through the split resource of AWS provider >= 4.
resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_s3_bucket_versioning" "reports" {
  bucket = aws_s3_bucket.reports.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_db_instance" "catalog" {
  identifier                  = "catalog"
  engine                      = "mysql"
  engine_version              = "8.0"
  instance_class              = "db.t4g.small"
  allocated_storage           = 20
  username                    = "catalog"
  manage_master_user_password = true
  backup_retention_period     = 7
}

# backup_retention_period not set: the RDS API default of 1 day applies, so there are backups.
resource "aws_db_instance" "wiki" {
  identifier                  = "wiki"
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  username                    = "wiki"
  manage_master_user_password = true
}
