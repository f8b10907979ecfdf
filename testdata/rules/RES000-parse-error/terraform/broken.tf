resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  backup_retention_period =
  tags = {
    resilience-tier = "essential"
  }
}
