# No vault has notifications, but one EventBridge rule on the default bus matches every failed
# backup job of the account and region.

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

resource "aws_cloudwatch_event_rule" "backup_failed" {
  name = "backup-job-failed"
  event_pattern = jsonencode({
    source      = ["aws.backup"]
    detail-type = ["Backup Job State Change"]
    detail = {
      state = ["FAILED", "ABORTED", "EXPIRED"]
    }
  })
}

resource "aws_cloudwatch_event_target" "backup_failed" {
  rule = aws_cloudwatch_event_rule.backup_failed.name
  arn  = "arn:aws:sns:eu-west-1:123456789012:backup-alerts"
}

# Rules on other events do not count, even when part of their pattern is unknown.
variable "instance_id" {
  type = string
}

resource "aws_cloudwatch_event_rule" "ec2" {
  name = "ec2-state"
  event_pattern = jsonencode({
    source      = ["aws.ec2"]
    detail-type = ["EC2 Instance State-change Notification"]
    detail      = { instance-id = [var.instance_id] }
  })
}

resource "aws_cloudwatch_event_rule" "rds" {
  name          = "rds-events"
  event_pattern = <<-EOT
    { "source": ["aws.rds"], "resources": ["${aws_db_instance.primary.arn}"] }
  EOT
}

# A scheduled rule has no pattern.
resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly"
  schedule_expression = "cron(0 1 * * ? *)"
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
