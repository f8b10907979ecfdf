variable "name" {}
variable "retention" {
  type = number
}

module "orders_db" {
  source     = "../database"
  identifier = "${var.name}-orders"
  retention  = var.retention
}

output "db_arn" {
  value = module.orders_db.arn
}
