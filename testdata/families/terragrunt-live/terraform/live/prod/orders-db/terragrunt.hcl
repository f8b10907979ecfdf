# Production: mission-critical, yet one day of backups in one zone. Evaluated alone, the module
# would have 7 days and Multi-AZ and be non-essential.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path   = "${dirname(find_in_parent_folders("root.hcl"))}/live/_envcommon/orders-db.hcl"
  expose = true
}

terraform {
  source = include.envcommon.locals.source
}

inputs = {
  tier                  = "mission-critical"
  backup_retention_days = 1
  multi_az              = false
}
