variable "region" {
  type = string
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { resilience-tier = "essential" }
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
  allocated_storage       = 20
  backup_retention_period = 7
  multi_az                = true
}

resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_vault" "dr" {
  provider = aws.dr
  name     = "dr"
}

resource "aws_backup_plan" "hourly" {
  name = "hourly"
  rule {
    rule_name         = "hourly"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 * ? * * *)"
    lifecycle {
      delete_after = 14
    }
    copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn
      lifecycle {
        delete_after = 30
      }
    }
  }
}

resource "aws_backup_selection" "orders" {
  name         = "orders"
  plan_id      = aws_backup_plan.hourly.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_db_instance.orders.arn]
}

resource "aws_s3_bucket" "archive" {
  provider = aws.dr
  bucket   = "orders-archive"
}

module "sessions" {
  source = "./modules/sessions"
  tables = 2
}
