provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "app" {
  name     = "rg-app"
  location = "uksouth"
}

resource "azurerm_linux_virtual_machine" "app" {
  name                  = "vm-app"
  resource_group_name   = azurerm_resource_group.app.name
  location              = azurerm_resource_group.app.location
  size                  = "Standard_D2s_v5"
  admin_username        = "azureuser"
  network_interface_ids = ["/subscriptions/0/resourceGroups/rg-app/providers/Microsoft.Network/networkInterfaces/nic-app"]
  zone                  = "1"

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

resource "azurerm_managed_disk" "data" {
  name                 = "disk-app-data"
  location             = azurerm_resource_group.app.location
  resource_group_name  = azurerm_resource_group.app.name
  storage_account_type = "Premium_ZRS"
  create_option        = "Empty"
  disk_size_gb         = 512

  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "azurerm_virtual_machine_data_disk_attachment" "data" {
  managed_disk_id    = azurerm_managed_disk.data.id
  virtual_machine_id = azurerm_linux_virtual_machine.app.id
  lun                = 0
  caching            = "ReadOnly"
}

# Geo-redundant with cross-region restore: recovery points restorable in ukwest too.
resource "azurerm_recovery_services_vault" "main" {
  name                         = "rsv-app"
  location                     = azurerm_resource_group.app.location
  resource_group_name          = azurerm_resource_group.app.name
  sku                          = "Standard"
  storage_mode_type            = "GeoRedundant"
  cross_region_restore_enabled = true
}

# Enhanced policy: every 4 hours, daily points kept 30 days.
resource "azurerm_backup_policy_vm" "hourly" {
  name                = "every-4h"
  resource_group_name = azurerm_resource_group.app.name
  recovery_vault_name = azurerm_recovery_services_vault.main.name
  policy_type         = "V2"

  backup {
    frequency     = "Hourly"
    time          = "02:00"
    hour_interval = 4
    hour_duration = 24
  }

  retention_daily {
    count = 30
  }
}

resource "azurerm_backup_protected_vm" "app" {
  resource_group_name = azurerm_resource_group.app.name
  recovery_vault_name = azurerm_recovery_services_vault.main.name
  source_vm_id        = azurerm_linux_virtual_machine.app.id
  backup_policy_id    = azurerm_backup_policy_vm.hourly.id
}
