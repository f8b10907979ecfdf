# Three calls of one registry module that is not installed, one of another, and a local module
# (outside this directory) that calls two more: one finding per source, naming its calls, with
# `terraform init` as the fix; the local module's own calls are reported here, at its block.
provider "aws" {
  region = "eu-west-1"
}

module "orders_queue" {
  source = "terraform-aws-modules/sqs/aws"
  name   = "orders"
}

module "payments_queue" {
  source = "terraform-aws-modules/sqs/aws"
  name   = "payments"
}

module "audit_queue" {
  source = "terraform-aws-modules/sqs/aws"
  name   = "audit"
}

module "service" {
  source = "terraform-aws-modules/ecs/aws//modules/service"
  name   = "api"
}

module "app" {
  source = "../../modules/app"
}
