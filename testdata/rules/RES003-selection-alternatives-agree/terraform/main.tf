# A backup selection whose resources are one of two Aurora clusters, depending on a variable with
# no value. Either way it selects no DynamoDB table: the unprotected tables have no backup
# (RES003), which is decided, not "cannot tell" (issue 9, item 8). The same through a module's
# output.
provider "aws" {
  region = "eu-west-1"
}

variable "serverless" {
  type = bool
}

module "picker" {
  source     = "./picker"
  serverless = var.serverless
}

resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"
  }
}

resource "aws_backup_selection" "direct" {
  name         = "direct"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [var.serverless ? "arn:aws:rds:eu-west-1:123456789012:cluster:orders-serverless" : "arn:aws:rds:eu-west-1:123456789012:cluster:orders"]
}

resource "aws_backup_selection" "via_module" {
  name         = "via-module"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [module.picker.cluster_arn]
}

resource "aws_dynamodb_table" "carts" {
  name         = "carts"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  tags = {
    resilience-tier = "non-essential"
  }
}
