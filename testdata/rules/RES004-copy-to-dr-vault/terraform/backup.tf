resource "aws_backup_vault" "main" {
  name = "main"
}

# The copy destination, created in the DR region.
resource "aws_backup_vault" "dr" {
  provider = aws.dr
  name     = "dr"
}

resource "aws_backup_plan" "daily" {
  name = "daily"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      delete_after = 35
    }

    copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn

      lifecycle {
        delete_after = 35
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
