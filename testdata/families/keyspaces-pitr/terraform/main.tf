# Two essential Keyspaces tables in one keyspace. `orders` has point-in-time recovery on; `carts`
# sets none (the default status is DISABLED).
provider "aws" {
  region = "eu-west-1"
}

resource "aws_keyspaces_keyspace" "shop" {
  name = "shop"
}

resource "aws_keyspaces_table" "orders" {
  keyspace_name = aws_keyspaces_keyspace.shop.name
  table_name    = "orders"

  schema_definition {
    column {
      name = "id"
      type = "text"
    }
    partition_key {
      name = "id"
    }
  }

  point_in_time_recovery {
    status = "ENABLED"
  }

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_keyspaces_table" "carts" {
  keyspace_name = aws_keyspaces_keyspace.shop.name
  table_name    = "carts"

  schema_definition {
    column {
      name = "id"
      type = "text"
    }
    partition_key {
      name = "id"
    }
  }

  tags = {
    resilience-tier = "essential"
  }
}
