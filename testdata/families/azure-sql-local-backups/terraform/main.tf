provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "data" {
  name     = "rg-data"
  location = "Sweden Central"
}

resource "azurerm_mssql_server" "main" {
  name                = "sql-orders"
  resource_group_name = azurerm_resource_group.data.name
  location            = azurerm_resource_group.data.location
  version             = "12.0"
}

# Backups on locally redundant storage: one datacenter of swedencentral, no geo-restore.
resource "azurerm_mssql_database" "orders" {
  name                 = "orders"
  server_id            = azurerm_mssql_server.main.id
  sku_name             = "GP_Gen5_2"
  storage_account_type = "Local"

  short_term_retention_policy {
    retention_days = 14
  }

  tags = {
    resilience-tier = "essential"
  }
}
