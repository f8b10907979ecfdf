# A serverless Valkey cache with seven daily snapshots kept, tier essential; and a serverless
# Memcached cache without a tier, which holds nothing that survives a restart.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_elasticache_serverless_cache" "carts" {
  engine                   = "valkey"
  name                     = "carts"
  major_engine_version     = "8"
  daily_snapshot_time      = "03:00"
  snapshot_retention_limit = 7

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_elasticache_serverless_cache" "pages" {
  engine = "memcached"
  name   = "pages"
}
