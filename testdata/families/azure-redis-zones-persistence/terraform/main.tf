provider "azurerm" {
  features {}
}

# Premium, replicas over three zones, RDB snapshots every hour.
resource "azurerm_redis_cache" "sessions" {
  name                 = "redis-sessions"
  location             = "japaneast"
  resource_group_name  = "rg-sessions"
  capacity             = 1
  family               = "P"
  sku_name             = "Premium"
  zones                = ["1", "2", "3"]
  replicas_per_primary = 1

  redis_configuration {
    rdb_backup_enabled            = true
    rdb_backup_frequency          = 60
    rdb_storage_connection_string = "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=y"
  }

  tags = {
    resilience-tier = "non-essential"
  }
}

# Standard: a replica in the same zone, no persistence.
resource "azurerm_redis_cache" "cache" {
  name                = "redis-cache"
  location            = "japaneast"
  resource_group_name = "rg-sessions"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"

  tags = {
    resilience-tier = "essential"
  }
}
