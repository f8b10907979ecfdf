provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "app" {
  name     = "rg-app"
  location = "eastus2"
}

resource "azurerm_managed_disk" "data" {
  name                 = "disk-data"
  location             = azurerm_resource_group.app.location
  resource_group_name  = azurerm_resource_group.app.name
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 256
  zone                 = "1"

  tags = {
    resilience-tier = "essential"
  }
}

resource "azurerm_data_protection_backup_vault" "main" {
  name                = "bvault-app"
  resource_group_name = azurerm_resource_group.app.name
  location            = azurerm_resource_group.app.location
  datastore_type      = "VaultStore"
  redundancy          = "LocallyRedundant"
}

# Every 4 hours, kept 7 days.
resource "azurerm_data_protection_backup_policy_disk" "every_4h" {
  name                            = "disk-every-4h"
  vault_id                        = azurerm_data_protection_backup_vault.main.id
  backup_repeating_time_intervals = ["R/2024-01-01T02:00:00+00:00/PT4H"]
  default_retention_duration      = "P7D"
}

resource "azurerm_data_protection_backup_instance_disk" "data" {
  name                         = "data"
  location                     = azurerm_data_protection_backup_vault.main.location
  vault_id                     = azurerm_data_protection_backup_vault.main.id
  disk_id                      = azurerm_managed_disk.data.id
  snapshot_resource_group_name = azurerm_resource_group.app.name
  backup_policy_id             = azurerm_data_protection_backup_policy_disk.every_4h.id
}
