# A ledger resilint does not estimate (QLDB) is named, never passed over: it declares a tier, so
# the note is a warning. An Aurora instance whose cluster is not in the scanned files is named
# too: its data, backups and zones are the cluster's, which resilint cannot see.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_qldb_ledger" "audit" {
  name             = "audit"
  permissions_mode = "STANDARD"

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_rds_cluster_instance" "orders" {
  identifier         = "orders-1"
  cluster_identifier = "orders"
  instance_class     = "db.r6g.large"
  engine             = "aurora-postgresql"
}
