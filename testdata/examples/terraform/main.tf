provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { team = "orders" }
  }
}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}

resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  backup_retention_period = 1
  multi_az                = false
  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_dynamodb_table" "carts" {
  name     = "carts"
  hash_key = "id"
  point_in_time_recovery {
    enabled = true
  }
  replica {
    region_name = "eu-central-1"
  }
  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 100
  tags = {
    resilience-tier = "non-essential"
    backup          = "daily"
  }
}
