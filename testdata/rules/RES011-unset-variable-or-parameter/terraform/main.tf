provider "aws" {
  region = "eu-west-1"
}

variable "retention" {
  description = "Days of automated backups"
  type        = number
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
  backup_retention_period     = var.retention

  tags = {
    resilience-tier = "essential"
  }
}
