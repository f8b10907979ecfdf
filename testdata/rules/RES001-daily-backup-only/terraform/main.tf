provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}

resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"

  tags = {
    resilience-tier = "essential"
  }
}
