# A root module with no provider block at all: the default provider's region comes from the
# environment, which --region stands for. An aliased provider it does not configure is unknown,
# and the calling module is not to blame: there is none.
resource "aws_dynamodb_table" "carts" {
  name         = "carts"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_dynamodb_table" "dr" {
  provider     = aws.dr
  name         = "carts-dr"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
