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
        delete_after = 14
      }
    }
  }
}

# Selects by tag: every resource tagged backup = hourly.
resource "aws_backup_selection" "hourly" {
  name         = "hourly"
  plan_id      = aws_backup_plan.hourly.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"

  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "hourly"
  }
}
