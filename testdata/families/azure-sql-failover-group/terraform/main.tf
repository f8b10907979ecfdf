provider "azurerm" {
  features {}
}

resource "azurerm_mssql_server" "primary" {
  name                = "sql-primary"
  resource_group_name = "rg-data"
  location            = "westeurope"
  version             = "12.0"
}

resource "azurerm_mssql_server" "secondary" {
  name                = "sql-secondary"
  resource_group_name = "rg-data"
  location            = "northeurope"
  version             = "12.0"
}

resource "azurerm_mssql_database" "ledger" {
  name                 = "ledger"
  server_id            = azurerm_mssql_server.primary.id
  sku_name             = "BC_Gen5_2"
  zone_redundant       = true
  storage_account_type = "GeoZone"

  short_term_retention_policy {
    retention_days = 35
  }

  long_term_retention_policy {
    weekly_retention = "P12W"
  }

  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "azurerm_mssql_failover_group" "ledger" {
  name      = "fog-ledger"
  server_id = azurerm_mssql_server.primary.id
  databases = [azurerm_mssql_database.ledger.id]

  partner_server {
    id = azurerm_mssql_server.secondary.id
  }

  read_write_endpoint_failover_policy {
    mode = "Manual"
  }
}
