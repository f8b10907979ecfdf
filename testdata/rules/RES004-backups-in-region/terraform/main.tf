provider "aws" {
  region = "eu-west-1"
}

resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "orders"
  manage_master_user_password = true
  multi_az                    = true
  backup_retention_period     = 14

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_backup_vault" "main" {
  name = "main"
}

# A daily backup kept 35 days, in the same region as the database.
resource "aws_backup_plan" "daily" {
  name = "daily"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "daily" {
  name         = "daily"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_db_instance.orders.arn]
}
