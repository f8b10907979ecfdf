# AWS Backup writes the ledger's backups to two vaults. `main` has no notifications; `audit`
# notifies only BACKUP_JOB_FAILED, which AWS Backup no longer sends (deprecated). No EventBridge
# rule or alarm watches failed backup jobs.

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

resource "aws_backup_vault_notifications" "audit" {
  backup_vault_name   = aws_backup_vault.audit.name
  sns_topic_arn       = "arn:aws:sns:eu-west-1:123456789012:backup-alerts"
  backup_vault_events = ["BACKUP_JOB_FAILED", "RESTORE_JOB_COMPLETED"]
}

# The replica's lag is watched: an alarm on ReplicaLag for the replica, in its region.
resource "aws_cloudwatch_metric_alarm" "replica_lag" {
  provider            = aws.dr
  alarm_name          = "ledger-replica-lag"
  namespace           = "AWS/RDS"
  metric_name         = "ReplicaLag"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.replica.identifier }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 300
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = ["arn:aws:sns:eu-central-1:123456789012:alerts"]
}
