# The other root module: whether it creates the bucket depends on a variable with no value.
provider "aws" {
  region = "eu-west-2"
}

variable "create" {
  type = bool
}

module "db" {
  source = "../../modules/db"
  create = var.create
}
