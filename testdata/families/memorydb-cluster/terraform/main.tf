# A MemoryDB cluster: two shards with the default one replica each, seven days of automatic
# snapshots. Tier essential.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_memorydb_cluster" "ledger" {
  name                     = "ledger"
  acl_name                 = "open-access"
  engine                   = "valkey"
  engine_version           = "7.2"
  node_type                = "db.r7g.large"
  num_shards               = 2
  snapshot_retention_limit = 7

  tags = {
    resilience-tier = "essential"
  }
}
