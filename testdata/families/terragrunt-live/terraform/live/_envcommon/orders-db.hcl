# What every environment's orders database shares.
locals {
  source = "${get_parent_terragrunt_dir("root")}/modules//rds"
}

inputs = {
  name = "orders-${basename(dirname(get_terragrunt_dir()))}"
}
