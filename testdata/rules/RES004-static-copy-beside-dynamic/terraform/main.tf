# A rule with a static copy to a vault in eu-west-2, beside a dynamic copy_action whose for_each
# is unknown (`var.cross_account` has no value). The static copy always exists: the backups are
# kept offsite whatever the dynamic block turns out to be, even with --strict.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-west-2"
}

variable "cross_account" {
  type = bool
}

variable "cross_account_vault_arn" {
  type    = string
  default = ""
}

resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_vault" "dr" {
  provider = aws.dr
  name     = "dr"
}

resource "aws_backup_plan" "daily" {
  name = "daily"

  dynamic "rule" {
    for_each = var.cross_account ? [1] : []
    content {
      rule_name         = "maybe"
      target_vault_name = aws_backup_vault.main.name
      schedule          = "cron(0 6 ? * * *)"
    }
  }

  rule {
    rule_name         = "hourly"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 * ? * * *)"

    lifecycle {
      delete_after = 35
    }

    copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn

      lifecycle {
        delete_after = 35
      }
    }

    dynamic "copy_action" {
      for_each = var.cross_account ? [1] : []
      content {
        destination_vault_arn = var.cross_account_vault_arn
      }
    }
  }
}

resource "aws_backup_selection" "daily" {
  name         = "daily"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_db_instance.orders.arn]
}

resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "orders"
  manage_master_user_password = true
  multi_az                    = true
  backup_retention_period     = 14

  tags = {
    resilience-tier = "essential"
  }
}
