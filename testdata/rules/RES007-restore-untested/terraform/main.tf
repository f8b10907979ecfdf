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

# The replica's lag is watched (RES015): an alarm on ReplicaLag for the replica, in its region.
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
