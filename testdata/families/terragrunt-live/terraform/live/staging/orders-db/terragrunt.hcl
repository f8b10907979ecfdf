# Staging takes the module's defaults and the root's tier.
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
