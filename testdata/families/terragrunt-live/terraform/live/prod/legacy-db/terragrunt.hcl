# A module from another repository: Terragrunt downloads it, resilint does not (one RES011);
# `--source-map git::https://git.example.com/acme/modules.git=modules` reads it from here.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://git.example.com/acme/modules.git//rds?ref=v1.0.0"
}

inputs = {
  name                  = "legacy"
  backup_retention_days = 0
}
