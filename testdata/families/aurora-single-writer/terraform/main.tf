# An Aurora cluster with one writer instance, tier essential, backups kept 7 days.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_rds_cluster" "orders" {
  cluster_identifier      = "orders"
  engine                  = "aurora-postgresql"
  master_username         = "orders"
  manage_master_user_password = true
  backup_retention_period = 7

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_rds_cluster_instance" "orders" {
  identifier         = "orders-1"
  cluster_identifier = aws_rds_cluster.orders.id
  instance_class     = "db.r6g.large"
  engine             = aws_rds_cluster.orders.engine
}
