variable "table_arn" {}

resource "aws_dynamodb_table_replica" "this" {
  global_table_arn       = var.table_arn
  point_in_time_recovery = true
}
