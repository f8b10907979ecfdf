provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "app" {
  name     = "rg-app"
  location = "West Europe"
}

# Locally redundant: three copies in one datacenter. Versioning and soft delete keep old data,
# but in the same datacenter.
resource "azurerm_storage_account" "documents" {
  name                     = "appdocuments"
  resource_group_name      = azurerm_resource_group.app.name
  location                 = azurerm_resource_group.app.location
  account_tier             = "Standard"
  account_replication_type = "LRS"

  blob_properties {
    versioning_enabled = true
    delete_retention_policy {
      days = 14
    }
  }

  tags = {
    resilience-tier = "essential"
  }
}
