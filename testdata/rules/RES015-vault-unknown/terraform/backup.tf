# The vault's name is a variable without a value; the notifications name a vault `main`, which
# may or may not be it.
variable "vault_name" {
  type = string
}

resource "aws_backup_vault" "main" {
  name = var.vault_name
}

resource "aws_backup_vault_notifications" "main" {
  backup_vault_name   = "main"
  sns_topic_arn       = "arn:aws:sns:eu-west-1:123456789012:backup-alerts"
  backup_vault_events = ["BACKUP_JOB_COMPLETED"]
}

resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 3 * * ? *)"
    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "ledger" {
  name         = "ledger"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_db_instance.primary.arn]
}
