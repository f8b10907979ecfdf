provider "aws" {
  region = "eu-west-1"
}

module "orders_db" {
  source = "./modules/database"

  name     = "orders"
  tier     = "essential"
  multi_az = false
}
