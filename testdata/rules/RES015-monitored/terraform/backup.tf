# Both vaults notify when a backup job ends (BACKUP_JOB_COMPLETED, failed jobs included), and the
# replica's lag is watched by an alarm written as a metric query.

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
  rule {
    rule_name         = "audit"
    target_vault_name = aws_backup_vault.audit.name
    schedule          = "cron(0 4 * * ? *)"
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

resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_vault" "audit" {
  name = "audit"
}

resource "aws_backup_vault_notifications" "main" {
  backup_vault_name   = aws_backup_vault.main.name
  sns_topic_arn       = "arn:aws:sns:eu-west-1:123456789012:backup-alerts"
  backup_vault_events = ["BACKUP_JOB_COMPLETED", "RESTORE_JOB_COMPLETED"]
}

# Named by its literal name rather than by reference.
resource "aws_backup_vault_notifications" "audit" {
  backup_vault_name   = "audit"
  sns_topic_arn       = "arn:aws:sns:eu-west-1:123456789012:backup-alerts"
  backup_vault_events = ["BACKUP_JOB_COMPLETED"]
}

resource "aws_cloudwatch_metric_alarm" "replica_lag" {
  provider            = aws.dr
  alarm_name          = "ledger-replica-lag"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 5
  threshold           = 300
  alarm_actions       = ["arn:aws:sns:eu-central-1:123456789012:alerts"]

  metric_query {
    id          = "lag"
    return_data = true
    metric {
      namespace   = "AWS/RDS"
      metric_name = "ReplicaLag"
      dimensions  = { DBInstanceIdentifier = "ledger-replica" }
      period      = 60
      stat        = "Maximum"
    }
  }
}
