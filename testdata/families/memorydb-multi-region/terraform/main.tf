# A MemoryDB multi-region cluster: regional clusters in eu-west-1 and eu-west-2 that both name
# the multi-region cluster, each with 35 days of automatic snapshots. Tier mission-critical on
# the first.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-west-2"
}

resource "aws_memorydb_multi_region_cluster" "ledger" {
  multi_region_cluster_name_suffix = "ledger"
  node_type                        = "db.r7g.xlarge"
  engine                           = "valkey"
}

resource "aws_memorydb_cluster" "ledger_eu_west_1" {
  name                      = "ledger-eu-west-1"
  acl_name                  = "open-access"
  engine                    = "valkey"
  engine_version            = "7.3"
  node_type                 = "db.r7g.xlarge"
  snapshot_retention_limit  = 35
  multi_region_cluster_name = aws_memorydb_multi_region_cluster.ledger.multi_region_cluster_name

  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "aws_memorydb_cluster" "ledger_eu_west_2" {
  provider                  = aws.dr
  name                      = "ledger-eu-west-2"
  acl_name                  = "open-access"
  engine                    = "valkey"
  engine_version            = "7.3"
  node_type                 = "db.r7g.xlarge"
  snapshot_retention_limit  = 35
  multi_region_cluster_name = aws_memorydb_multi_region_cluster.ledger.multi_region_cluster_name
}
