# A global table with a static replica in eu-west-2 beside a dynamic replica whose for_each is
# unknown. The static replica always exists: the table runs in two regions, even with --strict.
provider "aws" {
  region = "eu-west-1"
}

variable "extra_regions" {
  type = list(string)
}

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

  replica {
    region_name            = "eu-west-2"
    point_in_time_recovery = true
  }

  dynamic "replica" {
    for_each = var.extra_regions
    content {
      region_name = replica.value
    }
  }

  tags = {
    resilience-tier = "mission-critical"
  }
}
