# The replication configuration exists only in production (`count`), and `var.env` has no value:
# whether the bucket is replicated to eu-west-2 is unknown, not certain (issue 9, item 6).
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-west-2"
}

variable "env" {
  type = string
}

resource "aws_s3_bucket" "data" {
  bucket = "orders-data"
  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "replica" {
  provider = aws.dr
  bucket   = "orders-data-replica"
}

resource "aws_s3_bucket_versioning" "replica" {
  provider = aws.dr
  bucket   = aws_s3_bucket.replica.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_replication_configuration" "data" {
  count  = var.env == "production" ? 1 : 0
  bucket = aws_s3_bucket.data.id
  role   = "arn:aws:iam::123456789012:role/replication"
  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket = aws_s3_bucket.replica.arn
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

resource "aws_backup_restore_testing_plan" "monthly" {
  name                = "monthly"
  schedule_expression = "cron(0 1 1 * ? *)"
  recovery_point_selection {
    algorithm            = "LATEST_WITHIN_WINDOW"
    include_vaults       = ["*"]
    recovery_point_types = ["CONTINUOUS", "SNAPSHOT"]
  }
}

resource "aws_backup_restore_testing_selection" "s3" {
  name                      = "s3"
  restore_testing_plan_name = aws_backup_restore_testing_plan.monthly.name
  protected_resource_type   = "S3"
  iam_role_arn              = "arn:aws:iam::123456789012:role/restore"
  protected_resource_arns   = ["*"]
}
