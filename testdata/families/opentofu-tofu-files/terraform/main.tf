# Terraform's version of the table: OpenTofu ignores this file, because main.tofu is beside it.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"

  attribute {
    name = "id"
    type = "S"
  }

  tags = { resilience-tier = "essential" }
}
