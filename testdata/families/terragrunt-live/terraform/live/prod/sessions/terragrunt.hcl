# A table whose owner comes from another unit's outputs: mocked, since that unit is not applied
# when resilint runs.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//dynamodb"
}

dependency "orders_db" {
  config_path = "../orders-db"
  mock_outputs = {
    name = "orders-prod"
  }
}

inputs = {
  name                   = "sessions"
  owner                  = dependency.orders_db.outputs.name
  point_in_time_recovery = true
}
