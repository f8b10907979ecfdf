# An Aurora global database: the primary cluster in eu-west-1 with a writer and a reader, and a
# headless secondary cluster in eu-west-2 (no instances). Both name the global cluster, so the
# secondary replicates the primary (lag typically under a second; headless, it needs a new
# instance once promoted).
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-west-2"
}

resource "aws_rds_global_cluster" "orders" {
  global_cluster_identifier = "orders"
  engine                    = "aurora-postgresql"
  engine_version            = "16.4"
}

resource "aws_rds_cluster" "primary" {
  cluster_identifier          = "orders-primary"
  engine                      = aws_rds_global_cluster.orders.engine
  engine_version              = aws_rds_global_cluster.orders.engine_version
  global_cluster_identifier   = aws_rds_global_cluster.orders.id
  master_username             = "orders"
  master_password             = "change-me-please"
  backup_retention_period     = 35

  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "aws_rds_cluster_instance" "primary" {
  count              = 2
  identifier         = "orders-primary-${count.index}"
  cluster_identifier = aws_rds_cluster.primary.id
  instance_class     = "db.r6g.large"
  engine             = aws_rds_cluster.primary.engine
}

resource "aws_rds_cluster" "secondary" {
  provider                  = aws.dr
  cluster_identifier        = "orders-secondary"
  engine                    = aws_rds_global_cluster.orders.engine
  engine_version            = aws_rds_global_cluster.orders.engine_version
  global_cluster_identifier = aws_rds_global_cluster.orders.id
  backup_retention_period   = 35

  depends_on = [aws_rds_cluster_instance.primary]
}

# The secondary's replication lag is watched (RES015): a cluster-level metric of the secondary,
# published in its region.
resource "aws_cloudwatch_metric_alarm" "global_lag" {
  provider            = aws.dr
  alarm_name          = "orders-global-replication-lag"
  namespace           = "AWS/RDS"
  metric_name         = "AuroraGlobalDBReplicationLag"
  dimensions          = { DBClusterIdentifier = aws_rds_cluster.secondary.cluster_identifier }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 60000
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = ["arn:aws:sns:eu-west-2:123456789012:alerts"]
}
