# A single-AZ Redshift cluster (RA3) whose automated snapshots (kept 7 days) are copied to
# eu-west-2 and kept there 7 days, by an aws_redshift_snapshot_copy resource. Tier essential.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_redshift_cluster" "analytics" {
  cluster_identifier                  = "analytics"
  database_name                       = "analytics"
  master_username                     = "analytics"
  manage_master_password              = true
  node_type                           = "ra3.xlplus"
  cluster_type                        = "multi-node"
  number_of_nodes                     = 2
  automated_snapshot_retention_period = 7

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_redshift_snapshot_copy" "analytics" {
  cluster_identifier = aws_redshift_cluster.analytics.id
  destination_region = "eu-west-2"
  retention_period   = 7
}
