provider "azurerm" {
  features {}
}

provider "azurerm" {
  alias = "secondary"
  features {}
}

# Same-zone HA: a standby in the primary's own zone, which does not survive a zone loss.
resource "azurerm_mysql_flexible_server" "primary" {
  name                         = "mysql-shop"
  resource_group_name          = "rg-shop"
  location                     = "francecentral"
  sku_name                     = "GP_Standard_D2ds_v4"
  geo_redundant_backup_enabled = true

  high_availability {
    mode = "SameZone"
  }

  tags = {
    resilience-tier = "mission-critical"
  }
}

# A read replica in another region.
resource "azurerm_mysql_flexible_server" "replica" {
  provider            = azurerm.secondary
  name                = "mysql-shop-replica"
  resource_group_name = "rg-shop-dr"
  location            = "Switzerland North"
  sku_name            = "GP_Standard_D2ds_v4"
  create_mode         = "Replica"
  source_server_id    = azurerm_mysql_flexible_server.primary.id
}
