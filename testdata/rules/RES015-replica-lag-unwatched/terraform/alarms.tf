# An alarm on the replica's ReplicaLag, but created with the default provider (eu-west-1): the
# replica publishes its metrics in eu-central-1, so this alarm never sees them.
resource "aws_cloudwatch_metric_alarm" "replica_lag" {
  alarm_name          = "ledger-replica-lag"
  namespace           = "AWS/RDS"
  metric_name         = "ReplicaLag"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.replica.identifier }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 300
  comparison_operator = "GreaterThanThreshold"
}

# An alarm on the primary's CPU: not the lag.
resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name          = "ledger-cpu"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.primary.identifier }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 90
  comparison_operator = "GreaterThanThreshold"
}
