# An AWS Backup selection of every resource (`*`) does not back up an ElastiCache replication
# group: AWS Backup does not support ElastiCache. Its own snapshots are off (the default).
provider "aws" {
  region = "eu-west-1"
}
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "sessions"
  node_type            = "cache.t4g.small"

  tags = {
    resilience-tier = "non-essential"
  }
}
resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = "main"
    schedule          = "cron(0 5 ? * * *)"
  }
}
resource "aws_backup_selection" "all" {
  name         = "all"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = ["*"]
}
