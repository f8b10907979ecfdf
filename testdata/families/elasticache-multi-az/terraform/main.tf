# A Redis OSS replication group (cluster mode off): a primary and a replica in two zones, Multi-AZ
# with automatic failover, seven days of automatic daily snapshots. Tier essential.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_elasticache_replication_group" "orders" {
  replication_group_id        = "orders"
  description                 = "Orders cache"
  engine                      = "redis"
  node_type                   = "cache.r7g.large"
  num_cache_clusters          = 2
  preferred_cache_cluster_azs = ["eu-west-1a", "eu-west-1b"]
  automatic_failover_enabled  = true
  multi_az_enabled            = true
  snapshot_retention_limit    = 7
  snapshot_window             = "03:00-04:00"

  tags = {
    resilience-tier = "essential"
  }
}
