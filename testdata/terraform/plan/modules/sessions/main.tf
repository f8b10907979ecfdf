variable "tables" {
  type = number
}

resource "aws_dynamodb_table" "sessions" {
  count        = var.tables
  name         = "sessions-${count.index}"
  hash_key     = "id"
  billing_mode = "PAY_PER_REQUEST"

  attribute {
    name = "id"
    type = "S"
  }
}
