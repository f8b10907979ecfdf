provider "aws" {
  region = "eu-west-1"
}

# The exception ran out: RES012 here, and the RES006 it hid is reported again.
# resilint:ignore RES006 reason="single-AZ until the migration" until=2020-06-30
resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  backup_retention_period = 7
  multi_az                = false

  # Still valid: the missing offsite copy stays suppressed.
  # resilint:ignore RES004 reason="DR copy lands with the platform migration" until=2099-12-31
  tags = {
    resilience-tier = "essential"
  }
}
