# Three mission-critical Keyspaces tables with point-in-time recovery. `orders` is in a
# multi-Region keyspace (eu-west-1 and eu-west-2): the table reads its replica from the
# keyspace. `carts` is in a single-Region keyspace: one region (RES005). `ledger` names a
# keyspace that is not in the scanned files: whether it has replicas is unknown (RES011), not
# "single region". PITR stays in eu-west-1 (RES004 on each: mission-critical wants backups
# offsite), 35 days meets the 30-day minimum, nothing tests restores (RES007), and a restore
# from PITR takes about 2h where mission-critical allows 1h (RES002, logical scope).
provider "aws" {
  region = "eu-west-1"
}

resource "aws_keyspaces_keyspace" "multi" {
  name = "multi"

  replication_specification {
    replication_strategy = "MULTI_REGION"
    region_list          = ["eu-west-1", "eu-west-2"]
  }
}

resource "aws_keyspaces_keyspace" "single" {
  name = "single"
}

resource "aws_keyspaces_table" "orders" {
  keyspace_name = aws_keyspaces_keyspace.multi.name
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
    resilience-tier = "mission-critical"
  }
}

resource "aws_keyspaces_table" "carts" {
  keyspace_name = aws_keyspaces_keyspace.single.name
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

  point_in_time_recovery {
    status = "ENABLED"
  }

  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "aws_keyspaces_table" "ledger" {
  keyspace_name = "shared"
  table_name    = "ledger"

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
    resilience-tier = "mission-critical"
  }
}
