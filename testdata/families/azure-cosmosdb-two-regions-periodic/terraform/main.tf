provider "azurerm" {
  features {}
}

# Two regions, single write region with service-managed failover, session consistency;
# periodic backups every 4 hours, kept 8 hours, on geo-redundant storage.
resource "azurerm_cosmosdb_account" "catalog" {
  name                       = "cosmos-catalog"
  location                   = "westeurope"
  resource_group_name        = "rg-catalog"
  offer_type                 = "Standard"
  automatic_failover_enabled = true

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = "westeurope"
    failover_priority = 0
    zone_redundant    = true
  }

  geo_location {
    location          = "North Europe"
    failover_priority = 1
  }

  backup {
    type                = "Periodic"
    interval_in_minutes = 240
    retention_in_hours  = 8
  }

  tags = {
    resilience-tier = "essential"
  }
}
