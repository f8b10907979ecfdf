# Values read from files of the configuration: the pattern of many platform repositories.
locals {
  application_data = fileexists("./application_variables.json") ? jsondecode(file("./application_variables.json")) : {}
  settings         = local.application_data.accounts["production"]
  # Outside the scanned directory: not read, so unknown.
  host = file("/etc/hostname")
}

provider "aws" {
  region = local.settings.region
}

module "db" {
  source = "./modules/db"
  name   = "orders"
}

resource "aws_dynamodb_table" "carts" {
  name     = "carts"
  hash_key = "id"
  point_in_time_recovery {
    enabled = local.settings.pitr
  }
  tags = jsondecode(templatefile("${path.module}/tags.json.tftpl", { tier = local.settings.tier }))
}

resource "aws_s3_bucket" "host" {
  bucket = "logs"
  tags = {
    resilience-tier = local.host
  }
}
