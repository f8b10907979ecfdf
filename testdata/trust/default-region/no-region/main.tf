# A provider that sets no region (Terragrunt generates them; CI sets AWS_REGION): --region gives
# it, and without it the region is unknown.
provider "aws" {}

resource "aws_dynamodb_table" "carts" {
  name         = "carts"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  tags = {
    resilience-tier = "essential"
  }
}
