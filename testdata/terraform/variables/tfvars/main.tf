# Root variables get their values from terraform.tfvars, *.auto.tfvars (later wins) and the
# command line; a variable with no value stays unknown.
variable "region" {}
variable "retention" {}
variable "multi_az" {
  type    = bool
  default = false
}
variable "tier" {
  type = string
}
variable "unset" {}

provider "aws" {
  region = var.region
}

resource "aws_db_instance" "orders" {
  identifier              = "orders"
  backup_retention_period = var.retention
  multi_az                = var.multi_az
  allocated_storage       = var.unset
  tags = {
    resilience-tier = var.tier
  }
}
