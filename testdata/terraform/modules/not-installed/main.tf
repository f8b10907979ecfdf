# A registry module that is not installed is unknown, said once, and nothing is downloaded.
provider "aws" {
  region = "us-east-1"
}

module "vpc" {
  for_each = toset(["a", "b"])
  source   = "terraform-aws-modules/vpc/aws"
  name     = each.key
}
