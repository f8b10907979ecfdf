# Two Aurora clusters, tier mission-critical (RTO 1h, RPO 15m in the zone scope). `orders` has
# a writer and a reader: losing a zone fails over to the reader in about a minute. `billing`
# has one instance and a Backtrack window of 24h: losing its zone means Aurora creates a new
# writer (minutes), still within the hour; storage keeps six copies in three zones either way.
# Neither copies backups out of eu-west-1 nor replicates there: RES004, RES005; nothing tests
# restores: RES007; default retention of 1 day is under 30 days: RES008.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_rds_cluster" "orders" {
  cluster_identifier          = "orders"
  engine                      = "aurora-postgresql"
  master_username             = "orders"
  manage_master_user_password = true

  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "aws_rds_cluster_instance" "orders_writer" {
  identifier         = "orders-1"
  cluster_identifier = aws_rds_cluster.orders.id
  instance_class     = "db.r6g.large"
  engine             = aws_rds_cluster.orders.engine
}

resource "aws_rds_cluster_instance" "orders_reader" {
  identifier         = "orders-2"
  cluster_identifier = aws_rds_cluster.orders.id
  instance_class     = "db.r6g.large"
  engine             = aws_rds_cluster.orders.engine
}

resource "aws_rds_cluster" "billing" {
  cluster_identifier          = "billing"
  engine                      = "aurora-mysql"
  master_username             = "billing"
  manage_master_user_password = true
  backtrack_window            = 86400

  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "aws_rds_cluster_instance" "billing" {
  identifier         = "billing-1"
  cluster_identifier = aws_rds_cluster.billing.id
  instance_class     = "db.r6g.large"
  engine             = aws_rds_cluster.billing.engine
}
