# A single-node dc2 Redshift cluster left at its defaults: automated snapshots every 8 hours
# kept 1 day (automated_snapshot_retention_period unset), no Multi-AZ, no relocation, no
# snapshot copy. Tier essential.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_redshift_cluster" "reports" {
  cluster_identifier     = "reports"
  database_name          = "reports"
  master_username        = "reports"
  manage_master_password = true
  node_type              = "dc2.large"
  cluster_type           = "single-node"

  tags = {
    resilience-tier = "essential"
  }
}
