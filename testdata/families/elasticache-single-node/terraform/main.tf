# A single-node Redis OSS cluster (aws_elasticache_cluster) with seven days of automatic
# snapshots, tier essential; and a two-node Memcached cluster without a tier, which holds nothing
# that survives a restart.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_elasticache_cluster" "catalog" {
  cluster_id               = "catalog"
  engine                   = "redis"
  node_type                = "cache.t4g.medium"
  num_cache_nodes          = 1
  snapshot_retention_limit = 7

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_elasticache_cluster" "fragments" {
  cluster_id      = "fragments"
  engine          = "memcached"
  node_type       = "cache.t4g.medium"
  num_cache_nodes = 2
  az_mode         = "cross-az"
}
