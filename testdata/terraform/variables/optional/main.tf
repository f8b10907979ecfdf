# optional() attributes of an object type get their defaults when the value omits them.
variable "backup" {
  type = object({
    retention = optional(number, 7)
    multi_az  = optional(bool, true)
    tier      = optional(string)
  })
  default = {}
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_db_instance" "db" {
  identifier              = "db"
  backup_retention_period = var.backup.retention
  multi_az                = var.backup.multi_az
  tags = {
    resilience-tier = coalesce(var.backup.tier, "essential")
  }
}
