# The default provider names no region: it comes from AWS_REGION or the profile at apply time.
provider "aws" {}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
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

# Backups replicated to eu-central-1: offsite unless the database itself runs there.
resource "aws_db_instance_automated_backups_replication" "orders" {
  provider               = aws.dr
  source_db_instance_arn = aws_db_instance.orders.arn
  retention_period       = 14
}
