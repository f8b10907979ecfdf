provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}

resource "aws_s3_bucket" "documents" {
  bucket = "acme-documents"

  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "aws_s3_bucket_versioning" "documents" {
  bucket = aws_s3_bucket.documents.id

  versioning_configuration {
    status = "Enabled"
  }
}

# The replication destination, in the DR region; replication needs versioning on both sides.
resource "aws_s3_bucket" "documents_dr" {
  provider = aws.dr
  bucket   = "acme-documents-dr"
}

resource "aws_s3_bucket_versioning" "documents_dr" {
  provider = aws.dr
  bucket   = aws_s3_bucket.documents_dr.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_replication_configuration" "documents" {
  depends_on = [aws_s3_bucket_versioning.documents]

  role   = "arn:aws:iam::123456789012:role/s3-replication"
  bucket = aws_s3_bucket.documents.id

  rule {
    id     = "everything"
    status = "Enabled"

    filter {}

    delete_marker_replication {
      status = "Enabled"
    }

    destination {
      bucket        = aws_s3_bucket.documents_dr.arn
      storage_class = "STANDARD"

      # S3 Replication Time Control: 99.99% of objects within 15 minutes.
      replication_time {
        status = "Enabled"
        time {
          minutes = 15
        }
      }

      metrics {
        status = "Enabled"
        event_threshold {
          minutes = 15
        }
      }
    }
  }
}

resource "aws_backup_restore_testing_plan" "weekly" {
  name                = "weekly_restore_test"
  schedule_expression = "cron(0 1 ? * SUN *)"

  recovery_point_selection {
    algorithm             = "LATEST_WITHIN_WINDOW"
    include_vaults        = ["*"]
    recovery_point_types  = ["SNAPSHOT"]
    selection_window_days = 7
  }
}

resource "aws_backup_restore_testing_selection" "buckets" {
  name                      = "buckets"
  restore_testing_plan_name = aws_backup_restore_testing_plan.weekly.name
  protected_resource_type   = "S3"
  iam_role_arn              = "arn:aws:iam::123456789012:role/restore-testing"
  protected_resource_arns   = ["*"]
}

# The replication is watched (RES015): ReplicationLatency of the source bucket, in its region.
resource "aws_cloudwatch_metric_alarm" "replication_latency" {
  alarm_name          = "documents-replication-latency"
  namespace           = "AWS/S3"
  metric_name         = "ReplicationLatency"
  dimensions = {
    SourceBucket      = aws_s3_bucket.documents.id
    DestinationBucket = aws_s3_bucket.documents_dr.id
    RuleId            = "everything"
  }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  threshold           = 900
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = ["arn:aws:sns:eu-west-1:123456789012:alerts"]
}
