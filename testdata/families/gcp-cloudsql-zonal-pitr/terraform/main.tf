# A ZONAL PostgreSQL instance (the default availability type) with automated backups and
# point-in-time recovery, tier essential through the instance's user labels.
provider "google" {
  project = "shop"
  region  = "europe-west1"
}

resource "google_sql_database_instance" "orders" {
  name             = "orders"
  database_version = "POSTGRES_16"

  settings {
    tier        = "db-custom-2-7680"
    user_labels = { resilience-tier = "essential" }

    backup_configuration {
      enabled                        = true
      start_time                     = "02:00"
      point_in_time_recovery_enabled = true
      transaction_log_retention_days = 7
      backup_retention_settings {
        retained_backups = 14
      }
    }
  }
}
