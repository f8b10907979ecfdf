# A registry module installed by `terraform init` is read from .terraform/modules.
provider "aws" {
  region = "us-east-1"
}

module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "6.0.0"
  name    = "billing"
}
