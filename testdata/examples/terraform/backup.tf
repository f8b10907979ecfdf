resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_vault" "dr" {
  provider = aws.dr
  name     = "dr"
}

resource "aws_backup_plan" "weekly" {
  name = "weekly"
  rule {
    rule_name         = "weekly"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 3 ? * SUN *)"
    lifecycle {
      delete_after = 30
    }
  }
}

resource "aws_backup_selection" "databases" {
  name         = "databases"
  plan_id      = aws_backup_plan.weekly.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_db_instance.orders.arn]
}

resource "aws_dlm_lifecycle_policy" "volumes" {
  description        = "daily snapshots"
  execution_role_arn = "arn:aws:iam::123456789012:role/dlm"
  policy_details {
    resource_types = ["VOLUME"]
    target_tags = {
      backup = "daily"
    }
    schedule {
      name = "daily"
      create_rule {
        interval      = 24
        interval_unit = "HOURS"
        times         = ["03:00"]
      }
      retain_rule {
        count = 7
      }
    }
  }
}
