# count and for_each instances, and dynamic blocks generating backup plan rules.
provider "aws" {
  region = "eu-west-1"
}

variable "tables" {
  default = {
    orders = "essential"
    carts  = "non-essential"
  }
}

resource "aws_dynamodb_table" "t" {
  for_each = var.tables
  name     = each.key
  point_in_time_recovery {
    enabled = each.value == "essential"
  }
  tags = { resilience-tier = each.value }
}

resource "aws_ebs_volume" "v" {
  count             = 2
  availability_zone = "eu-west-1a"
  size              = 10
  tags              = { backup = "yes", resilience-tier = "non-essential", index = count.index }
}

resource "aws_backup_plan" "p" {
  name = "p"
  dynamic "rule" {
    for_each = { hourly = "cron(0 * ? * * *)", daily = "cron(0 5 ? * * *)" }
    content {
      rule_name         = rule.key
      target_vault_name = "v"
      schedule          = rule.value
    }
  }
}

resource "aws_backup_selection" "s" {
  name         = "s"
  plan_id      = aws_backup_plan.p.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [for v in aws_ebs_volume.v : v.arn]
}
