# The main database is an Aurora cluster, which resilint does not estimate yet: it is named, once
# per resource, never passed over. The tagged cluster is a warning, its instance a note.
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
