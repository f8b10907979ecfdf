provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}

resource "aws_db_instance" "primary" {
  identifier                  = "ledger"
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = "db.r6g.large"
  allocated_storage           = 200
  username                    = "ledger"
  manage_master_user_password = true
  multi_az                    = true
  backup_retention_period     = 35

  tags = {
    resilience-tier = "mission-critical"
  }
}

# Cross-region read replica with its own automated backups: the ledger runs in two regions and
# has backups in both.
resource "aws_db_instance" "replica" {
  provider                = aws.dr
  identifier              = "ledger-replica"
  replicate_source_db     = aws_db_instance.primary.arn
  instance_class          = "db.r6g.large"
  backup_retention_period = 7
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

resource "aws_backup_restore_testing_selection" "databases" {
  name                      = "databases"
  restore_testing_plan_name = aws_backup_restore_testing_plan.weekly.name
  protected_resource_type   = "RDS"
  iam_role_arn              = "arn:aws:iam::123456789012:role/restore-testing"
  protected_resource_arns   = ["*"]
}
