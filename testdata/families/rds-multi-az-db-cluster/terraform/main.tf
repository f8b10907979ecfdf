# An RDS Multi-AZ DB cluster (not Aurora: `db_cluster_instance_class`): a writer and two readable
# standbys in three zones, failover in under 35 seconds. Backups kept 7 days, all in eu-west-1.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "postgres"
  db_cluster_instance_class   = "db.m6gd.large"
  storage_type                = "io1"
  allocated_storage           = 100
  iops                        = 1000
  master_username             = "ledger"
  manage_master_user_password = true
  backup_retention_period     = 7

  tags = {
    resilience-tier = "essential"
  }
}
