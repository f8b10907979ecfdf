# count and for_each on module calls: module.logs[0], module.data["orders"], ...
provider "aws" {
  region = "eu-west-1"
}

module "logs" {
  count      = 2
  source     = "./modules/bucket"
  name       = "logs-${count.index}"
  versioning = false
  tier       = "non-essential"
}

module "data" {
  for_each   = toset(["orders", "carts"])
  source     = "./modules/bucket"
  name       = each.key
  versioning = true
  tier       = "essential"
}
