provider "azurerm" {
  features {}
}

variable "location" {
  type    = string
  default = "northeurope"
}

# Zone-redundant in North Europe, with an asynchronous copy (and the blob versions) in its
# paired region, West Europe.
resource "azurerm_storage_account" "media" {
  name                     = "appmedia"
  resource_group_name      = "rg-app"
  location                 = var.location
  account_tier             = "Standard"
  account_replication_type = "RAGZRS"

  blob_properties {
    versioning_enabled = true
    delete_retention_policy {
      days = 30
    }
  }

  tags = {
    resilience-tier = "mission-critical"
  }
}
