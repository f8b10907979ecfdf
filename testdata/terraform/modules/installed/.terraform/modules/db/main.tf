variable "name" {}

resource "aws_db_instance" "this" {
  identifier              = var.name
  backup_retention_period = 0
  tags                    = { resilience-tier = "essential" }
}
