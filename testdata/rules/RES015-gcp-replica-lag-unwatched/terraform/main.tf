# A REGIONAL Cloud SQL for PostgreSQL instance in us-central1 with point-in-time recovery,
# backups kept 30 days in us (a multi-region), and a read replica in us-east1; tier
# mission-critical.
provider "google" {
  project = "shop"
  region  = "us-central1"
}

resource "google_sql_database_instance" "orders" {
  name             = "orders"
  database_version = "POSTGRES_16"

  settings {
    tier              = "db-custom-4-16384"
    availability_type = "REGIONAL"
    user_labels       = { resilience-tier = "mission-critical" }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      location                       = "us"

      backup_retention_settings {
        retained_backups = 30
      }
    }
  }
}

resource "google_sql_database_instance" "orders_replica" {
  name                 = "orders-replica"
  database_version     = "POSTGRES_16"
  region               = "us-east1"
  master_instance_name = google_sql_database_instance.orders.name

  settings {
    tier        = "db-custom-4-16384"
    user_labels = { resilience-tier = "mission-critical" }
  }
}

# A policy on the replica's CPU: it says nothing about the lag.
resource "google_monitoring_alert_policy" "replica_cpu" {
  display_name = "orders-replica-cpu"
  combiner     = "OR"

  conditions {
    display_name = "CPU above 90%"
    condition_threshold {
      filter          = "metric.type = \"cloudsql.googleapis.com/database/cpu/utilization\" AND resource.type = \"cloudsql_database\" AND resource.labels.database_id = \"shop:orders-replica\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0.9
      duration        = "300s"
    }
  }
}
