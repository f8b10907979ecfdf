# A locked vault keeps recovery points 1 to 30 days (Vault Lock). Rule `long` keeps them 35
# days there: AWS Backup fails its jobs, so `archive` has no backup at all. Rule `short` keeps
# them 7 days, within the lock: `scratch` is backed up daily.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_ebs_volume" "archive" {
  availability_zone = "eu-west-1a"
  size              = 100

  tags = {
    resilience-tier = "non-essential"
  }
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 100

  tags = {
    resilience-tier = "non-essential"
  }
}

resource "aws_backup_vault" "locked" {
  name = "locked"
}

resource "aws_backup_vault_lock_configuration" "locked" {
  backup_vault_name  = aws_backup_vault.locked.name
  min_retention_days = 1
  max_retention_days = 30
}

resource "aws_backup_plan" "long" {
  name = "long"

  rule {
    rule_name         = "long"
    target_vault_name = aws_backup_vault.locked.name
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_plan" "short" {
  name = "short"

  rule {
    rule_name         = "short"
    target_vault_name = aws_backup_vault.locked.name
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      delete_after = 7
    }
  }
}

resource "aws_backup_selection" "archive" {
  name         = "archive"
  plan_id      = aws_backup_plan.long.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_ebs_volume.archive.arn]
}

resource "aws_backup_selection" "scratch" {
  name         = "scratch"
  plan_id      = aws_backup_plan.short.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_ebs_volume.scratch.arn]
}
