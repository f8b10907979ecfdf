variable "name" {
  type = string
}

locals {
  # path.module is the module's directory relative to the root: modules/db.
  defaults = jsondecode(file("${path.module}/defaults.json"))
}

resource "aws_db_instance" "this" {
  identifier              = var.name
  backup_retention_period = local.defaults.backup_retention_period
  multi_az                = local.defaults.multi_az
  tags = {
    resilience-tier = "essential"
    module-path     = path.module
  }
}
