# A database module as a Terragrunt live repository consumes it: no provider block (each unit
# generates one) and defaults that the units' inputs override.
variable "name" {
  type = string
}

variable "tier" {
  type    = string
  default = "non-essential"
}

variable "backup_retention_days" {
  type    = number
  default = 7
}

variable "multi_az" {
  type    = bool
  default = true
}

resource "aws_db_instance" "this" {
  identifier              = var.name
  engine                  = "postgres"
  instance_class          = "db.r6g.large"
  allocated_storage       = 100
  multi_az                = var.multi_az
  backup_retention_period = var.backup_retention_days

  tags = {
    resilience-tier = var.tier
  }
}

output "name" {
  value = aws_db_instance.this.identifier
}
