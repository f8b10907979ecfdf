# A DocumentDB cluster with two instances (a primary and a replica to fail over to), backups
# kept 7 days, tier essential.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_docdb_cluster" "catalog" {
  cluster_identifier          = "catalog"
  engine                      = "docdb"
  master_username             = "catalog"
  manage_master_user_password = true
  backup_retention_period     = 7

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_docdb_cluster_instance" "catalog" {
  count              = 2
  identifier         = "catalog-${count.index}"
  cluster_identifier = aws_docdb_cluster.catalog.id
  instance_class     = "db.r6g.large"
}
