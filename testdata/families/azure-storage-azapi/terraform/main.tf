terraform {
  required_providers {
    azapi = {
      source = "Azure/azapi"
    }
  }
}

# A storage account written for the AzAPI provider, as Azure Verified Modules do: the ARM type
# and its body. Standard_GZRS: zone-redundant, with a copy in the paired region (eastus for
# westus).
resource "azapi_resource" "account" {
  type      = "Microsoft.Storage/storageAccounts@2023-05-01"
  name      = "stlogsarchive"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs"
  location  = "westus"
  body = {
    kind = "StorageV2"
    sku = {
      name = "Standard_GZRS"
    }
    properties = {
      minimumTlsVersion = "TLS1_2"
    }
  }
  tags = {
    resilience-tier = "essential"
  }
}

resource "azapi_resource" "blob_service" {
  type      = "Microsoft.Storage/storageAccounts/blobServices@2023-05-01"
  name      = "default"
  parent_id = azapi_resource.account.id
  body = {
    properties = {
      isVersioningEnabled = true
      deleteRetentionPolicy = {
        enabled = true
        days    = 14
      }
    }
  }
}
