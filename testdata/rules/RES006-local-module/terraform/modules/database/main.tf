variable "name" {
  type = string
}

variable "tier" {
  type = string
}

variable "multi_az" {
  type = bool
}

resource "aws_db_instance" "main" {
  identifier                  = var.name
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = var.name
  manage_master_user_password = true
  multi_az                    = var.multi_az
  backup_retention_period     = 14

  tags = {
    resilience-tier = var.tier
  }
}
