# Locals in dependency order, operators, conditionals, for expressions, templates, functions;
# a cycle between locals is reported.
locals {
  env       = "prod"
  is_prod   = local.env == "prod"
  days      = local.is_prod ? 7 * 5 : 1
  names     = [for n in ["orders", "carts"] : "${local.env}-${n}"]
  tags      = merge({ team = "shop" }, { resilience-tier = local.is_prod ? "essential" : "non-essential" })
  cycle_a   = local.cycle_b
  cycle_b   = local.cycle_a
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_db_instance" "db" {
  identifier              = local.names[0]
  backup_retention_period = local.days
  multi_az                = true
  allocated_storage       = local.cycle_a
  tags                    = local.tags
}
