provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}

# Backups are fine (14 days, replicated to eu-central-1), but there is no standby.
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "orders"
  manage_master_user_password = true
  multi_az                    = false
  backup_retention_period     = 14

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_db_instance_automated_backups_replication" "orders" {
  provider               = aws.dr
  source_db_instance_arn = aws_db_instance.orders.arn
  retention_period       = 14
}

# An EBS volume lives in one availability zone, however well it is backed up.
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 200
  type              = "gp3"

  tags = {
    Name            = "data"
    backup          = "hourly"
    resilience-tier = "essential"
  }
}
