module "cache" {
  source = "terraform-aws-modules/elasticache/aws"
}

module "events" {
  source = "terraform-aws-modules/sqs/aws"
  name   = "events"
}
