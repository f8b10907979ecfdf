# A global datastore: the primary replication group in eu-west-1, the global replication group
# that names it (primary_replication_group_id), and a secondary replication group in eu-west-2
# that names the global group (global_replication_group_id). Both groups have Multi-AZ and 35
# days of snapshots. Tier mission-critical on the primary.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-west-2"
}

resource "aws_elasticache_replication_group" "primary" {
  replication_group_id        = "orders-primary"
  description                 = "Orders cache (primary)"
  engine                      = "redis"
  engine_version              = "7.1"
  node_type                   = "cache.r7g.large"
  num_cache_clusters          = 2
  preferred_cache_cluster_azs = ["eu-west-1a", "eu-west-1b"]
  automatic_failover_enabled  = true
  multi_az_enabled            = true
  snapshot_retention_limit    = 35

  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "aws_elasticache_global_replication_group" "orders" {
  global_replication_group_id_suffix = "orders"
  primary_replication_group_id       = aws_elasticache_replication_group.primary.id
}

resource "aws_elasticache_replication_group" "secondary" {
  provider                    = aws.dr
  replication_group_id        = "orders-secondary"
  description                 = "Orders cache (secondary)"
  global_replication_group_id = aws_elasticache_global_replication_group.orders.global_replication_group_id
  num_cache_clusters          = 2
  preferred_cache_cluster_azs = ["eu-west-2a", "eu-west-2b"]
  automatic_failover_enabled  = true
  multi_az_enabled            = true
  snapshot_retention_limit    = 35
}
