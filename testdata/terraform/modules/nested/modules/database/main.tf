variable "identifier" {}
variable "retention" {
  default = 1
}
variable "multi_az" {
  default = true
}

resource "aws_db_instance" "this" {
  identifier              = var.identifier
  backup_retention_period = var.retention
  multi_az                = var.multi_az
}

output "arn" {
  value = aws_db_instance.this.arn
}
