provider "azurerm" {
  features {}
}

provider "azurerm" {
  alias = "secondary"
  features {}
}

# A zone-redundant MySQL flexible server with geo-redundant backups kept 35 days, and a read
# replica in another region; tier mission-critical.
resource "azurerm_mysql_flexible_server" "primary" {
  name                         = "mysql-orders"
  resource_group_name          = "rg-orders"
  location                     = "francecentral"
  sku_name                     = "GP_Standard_D2ds_v4"
  backup_retention_days        = 35
  geo_redundant_backup_enabled = true

  high_availability {
    mode = "ZoneRedundant"
  }

  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "azurerm_mysql_flexible_server" "replica" {
  provider            = azurerm.secondary
  name                = "mysql-orders-replica"
  resource_group_name      = "rg-orders-dr"
  location            = "switzerlandnorth"
  sku_name            = "GP_Standard_D2ds_v4"
  create_mode         = "Replica"
  source_server_id    = azurerm_mysql_flexible_server.primary.id
}

# A multi-resource alert on the lag of every MySQL flexible server of the replica's resource
# group: whether it covers the replica is not evaluated.

resource "azurerm_monitor_metric_alert" "replica_lag" {
  name                     = "mysql-orders-replica-lag"
  resource_group_name      = "rg-orders-dr"
  target_resource_type     = "Microsoft.DBforMySQL/flexibleServers"
  target_resource_location = "switzerlandnorth"
  scopes                   = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-orders-dr"]

  criteria {
    metric_namespace = "Microsoft.DBforMySQL/flexibleServers"
    metric_name      = "replication_lag"
    aggregation      = "Maximum"
    operator         = "GreaterThan"
    threshold        = 300
  }
}
