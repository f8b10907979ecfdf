provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "db" {
  name     = "rg-db"
  location = "germanywestcentral"
}

# Zone-redundant HA (a synchronous standby in zone 2), 14 days of backups, no geo-redundant
# backup: nothing outside germanywestcentral.
resource "azurerm_postgresql_flexible_server" "billing" {
  name                  = "psql-billing"
  resource_group_name   = azurerm_resource_group.db.name
  location              = azurerm_resource_group.db.location
  version               = "16"
  sku_name              = "GP_Standard_D2ds_v5"
  zone                  = "1"
  backup_retention_days = 14

  high_availability {
    mode                      = "ZoneRedundant"
    standby_availability_zone = "2"
  }

  tags = {
    resilience-tier = "essential"
  }
}
