# Modules nested two deep: inputs flow down, outputs flow back, addresses are
# module.shop.module.orders_db.aws_db_instance.this, and the default provider is inherited.
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { resilience-tier = "essential" }
  }
}

module "shop" {
  source    = "./modules/service"
  name      = "shop"
  retention = 14
}

resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = "main"
    schedule          = "cron(0 5 ? * * *)"
  }
}

resource "aws_backup_selection" "db" {
  name         = "db"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [module.shop.db_arn]
}
