# One of two root modules that call the same module: its resources have the same addresses in
# both, told apart by the root they are evaluated from.
provider "aws" {
  region = "eu-west-1"
}

module "db" {
  source = "../../modules/db"
}
