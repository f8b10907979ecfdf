# Two essential Timestream tables; storage is replicated across zones (no RES006). `readings` is
# selected by a daily AWS Backup rule (type Timestream) kept 35 days: RPO 24h where 1h is
# required (RES001), all in eu-west-1 (RES004). `events` has no backup: Timestream has no
# point-in-time recovery of its own (RES003, RES004).
provider "aws" {
  region = "eu-west-1"
}

resource "aws_timestreamwrite_database" "iot" {
  database_name = "iot"
}

resource "aws_timestreamwrite_table" "readings" {
  database_name = aws_timestreamwrite_database.iot.database_name
  table_name    = "readings"

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_timestreamwrite_table" "events" {
  database_name = aws_timestreamwrite_database.iot.database_name
  table_name    = "events"

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_backup_plan" "daily" {
  name = "daily"

  rule {
    rule_name         = "daily"
    target_vault_name = "main"
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "readings" {
  name         = "readings"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_timestreamwrite_table.readings.arn]
}
