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
  resource_group_name = "rg-orders-dr"
  location            = "switzerlandnorth"
  sku_name            = "GP_Standard_D2ds_v4"
  create_mode         = "Replica"
  source_server_id    = azurerm_mysql_flexible_server.primary.id
}

# An alert on the replica, but on its CPU: it says nothing about the lag.
resource "azurerm_monitor_metric_alert" "replica_cpu" {
  name                = "mysql-orders-replica-cpu"
  resource_group_name = "rg-orders-dr"
  scopes              = [azurerm_mysql_flexible_server.replica.id]

  criteria {
    metric_namespace = "Microsoft.DBforMySQL/flexibleServers"
    metric_name      = "cpu_percent"
    aggregation      = "Average"
    operator         = "GreaterThan"
    threshold        = 90
  }
}
