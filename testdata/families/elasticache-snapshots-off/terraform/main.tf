# A Valkey replication group with a replica in another zone, Multi-AZ and automatic failover, and
# automatic snapshots turned off (snapshot_retention_limit = 0). Tier non-essential.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id        = "sessions"
  description                 = "Session store"
  engine                      = "valkey"
  node_type                   = "cache.r7g.large"
  num_cache_clusters          = 2
  preferred_cache_cluster_azs = ["eu-west-1a", "eu-west-1b"]
  automatic_failover_enabled  = true
  multi_az_enabled            = true
  snapshot_retention_limit    = 0

  tags = {
    resilience-tier = "non-essential"
  }
}
