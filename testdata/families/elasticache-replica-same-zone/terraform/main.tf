# Two Redis OSS replication groups with a replica each, tier essential, seven days of snapshots,
# neither of which survives the loss of a zone:
# * `pinned` has Multi-AZ and automatic failover, but both nodes are placed in eu-west-1a;
# * `manual` has its nodes in two zones, but neither automatic failover nor Multi-AZ.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_elasticache_replication_group" "pinned" {
  replication_group_id        = "pinned"
  description                 = "Both nodes in one zone"
  engine                      = "redis"
  node_type                   = "cache.r7g.large"
  num_cache_clusters          = 2
  preferred_cache_cluster_azs = ["eu-west-1a", "eu-west-1a"]
  automatic_failover_enabled  = true
  multi_az_enabled            = true
  snapshot_retention_limit    = 7

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_elasticache_replication_group" "manual" {
  replication_group_id        = "manual"
  description                 = "No automatic failover"
  engine                      = "redis"
  node_type                   = "cache.r7g.large"
  num_cache_clusters          = 2
  preferred_cache_cluster_azs = ["eu-west-1a", "eu-west-1b"]
  snapshot_retention_limit    = 7

  tags = {
    resilience-tier = "essential"
  }
}
