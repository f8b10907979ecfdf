# Where resources run: provider region from a variable, aliases with their own default_tags,
# the AWS provider v6 resource-level `region`, data.aws_region, and what stays unknown
# (other data sources, terraform.workspace).
variable "primary_region" {
  type    = string
  default = "eu-west-1"
}

provider "aws" {
  region = var.primary_region
  default_tags {
    tags = { resilience-tier = "essential" }
  }
}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
  default_tags {
    tags = { resilience-tier = "non-essential" }
  }
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

# The provider's region, with its default_tags.
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
}

# An aliased provider: its region and its default_tags.
resource "aws_dynamodb_table" "archive" {
  provider = aws.dr
  name     = "archive"
  hash_key = "id"
}

# AWS provider v6: the resource's own region wins over the provider's.
resource "aws_dynamodb_table" "reports" {
  region   = "us-east-1"
  name     = "reports"
  hash_key = "id"
}

# A vault named by an ARN built from data.aws_region (the provider's region) and an account id
# from a data source (unknown): the region can still be read.
resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 3 * * ? *)"
    lifecycle {
      delete_after = 7
    }
    copy_action {
      destination_vault_arn = "arn:aws:backup:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:backup-vault:copy"
    }
  }
}

resource "aws_backup_selection" "orders" {
  name         = "orders"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_dynamodb_table.orders.arn]
}

# The workspace decides the retention: unknown.
resource "aws_db_instance" "db" {
  identifier              = "db"
  backup_retention_period = terraform.workspace == "prod" ? 14 : 1
  multi_az                = true
}
