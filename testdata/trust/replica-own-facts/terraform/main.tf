# A Multi-AZ primary with 14 days of automated backups and a tier tag, and a read replica in
# another region with none of that: no multi_az, no backup retention, no tags. The replica's
# entry must show its own facts, not the primary's.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-west-2"
}

resource "aws_db_instance" "primary" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "orders"
  manage_master_user_password = true
  multi_az                    = true
  backup_retention_period     = 14

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_db_instance" "replica" {
  provider            = aws.dr
  identifier          = "orders-replica"
  replicate_source_db = aws_db_instance.primary.arn
  instance_class      = "db.t4g.medium"
}
