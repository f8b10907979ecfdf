provider "aws" {
  region = "eu-west-1"
}

# A global table with point-in-time recovery in both regions. Recovering from logical damage means
# a point-in-time restore into a new table: about 2h for DynamoDB, over the 1h target.
resource "aws_dynamodb_table" "payments" {
  name             = "payments"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  replica {
    region_name            = "eu-central-1"
    point_in_time_recovery = true
  }

  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "aws_backup_restore_testing_plan" "weekly" {
  name                = "weekly_restore_test"
  schedule_expression = "cron(0 1 ? * SUN *)"

  recovery_point_selection {
    algorithm             = "LATEST_WITHIN_WINDOW"
    include_vaults        = ["*"]
    recovery_point_types  = ["CONTINUOUS", "SNAPSHOT"]
    selection_window_days = 7
  }
}

resource "aws_backup_restore_testing_selection" "tables" {
  name                      = "tables"
  restore_testing_plan_name = aws_backup_restore_testing_plan.weekly.name
  protected_resource_type   = "DynamoDB"
  iam_role_arn              = "arn:aws:iam::123456789012:role/restore-testing"
  protected_resource_arns   = ["*"]
}

# The replication's lag is watched (RES015): ReplicationLatency to the replica's region, published
# in the table's region.
resource "aws_cloudwatch_metric_alarm" "replication_latency" {
  alarm_name          = "payments-replication-latency"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReplicationLatency"
  dimensions          = { TableName = aws_dynamodb_table.payments.name, ReceivingRegion = "eu-central-1" }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 60000
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = ["arn:aws:sns:eu-west-1:123456789012:alerts"]
}
