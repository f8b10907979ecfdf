# A provider passed to a module with `providers` decides the region inside it: the replica
# table lives in eu-central-1, so the primary table is multi-region.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}

resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  point_in_time_recovery {
    enabled = true
  }
  tags = { resilience-tier = "essential" }
}

module "replica" {
  source    = "./modules/table"
  table_arn = aws_dynamodb_table.orders.arn
  providers = {
    aws = aws.dr
  }
}
