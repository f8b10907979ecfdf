provider "azurerm" {
  features {}
}

resource "azurerm_storage_account" "files" {
  name                     = "stfiles"
  resource_group_name      = "rg-files"
  location                 = "canadacentral"
  account_tier             = "Standard"
  account_replication_type = "GZRS"
}

resource "azurerm_storage_account" "other" {
  name                     = "stother"
  resource_group_name      = "rg-files"
  location                 = "canadacentral"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

# Backed up every 4 hours, snapshots kept 10 days; zone-redundant, with a copy in canadaeast.
resource "azurerm_storage_share" "projects" {
  name               = "projects"
  storage_account_id = azurerm_storage_account.files.id
  quota              = 100

  tags = {
    resilience-tier = "essential"
  }
}

# Same share name in another account: not what the protected share names.
resource "azurerm_storage_share" "projects_other" {
  name               = "projects"
  storage_account_id = azurerm_storage_account.other.id
  quota              = 100

  tags = {
    resilience-tier = "non-essential"
  }
}

resource "azurerm_recovery_services_vault" "main" {
  name                = "rsv-files"
  location            = "canadacentral"
  resource_group_name = "rg-files"
  sku                 = "Standard"
}

resource "azurerm_backup_policy_file_share" "hourly" {
  name                = "every-4h"
  resource_group_name = "rg-files"
  recovery_vault_name = azurerm_recovery_services_vault.main.name

  backup {
    frequency = "Hourly"
    hourly {
      interval        = 4
      start_time      = "08:00"
      window_duration = 12
    }
  }

  retention_daily {
    count = 10
  }
}

resource "azurerm_backup_protected_file_share" "projects" {
  resource_group_name       = "rg-files"
  recovery_vault_name       = azurerm_recovery_services_vault.main.name
  source_storage_account_id = azurerm_storage_account.files.id
  source_file_share_name    = azurerm_storage_share.projects.name
  backup_policy_id          = azurerm_backup_policy_file_share.hourly.id
}
