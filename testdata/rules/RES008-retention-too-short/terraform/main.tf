provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      resilience-tier = "essential"
    }
  }
}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}

# One day of automated backups and nothing kept longer.
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "orders"
  manage_master_user_password = true
  multi_az                    = true
  backup_retention_period     = 1
}

# Retention not set: the RDS default of one day.
resource "aws_db_instance" "catalog" {
  identifier                  = "catalog"
  engine                      = "mysql"
  engine_version              = "8.0"
  instance_class              = "db.t4g.small"
  allocated_storage           = 20
  username                    = "catalog"
  manage_master_user_password = true
  multi_az                    = true
}

# One day of automated backups, but AWS Backup keeps daily backups (and their copies in
# eu-central-1) for 35 days.
resource "aws_db_instance" "ledger" {
  identifier                  = "ledger"
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "ledger"
  manage_master_user_password = true
  multi_az                    = true
  backup_retention_period     = 1
}

resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_vault" "dr" {
  provider = aws.dr
  name     = "dr"
}

resource "aws_backup_plan" "daily" {
  name = "daily"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      delete_after = 35
    }

    copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn

      lifecycle {
        delete_after = 35
      }
    }
  }
}

resource "aws_backup_selection" "ledger" {
  name         = "ledger"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_db_instance.ledger.arn]
}
