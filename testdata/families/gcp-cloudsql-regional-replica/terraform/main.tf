# A REGIONAL (highly available) MySQL instance in us-central1 with binary logs, backups kept in
# us-central1 itself, and a read replica in us-east1; tier mission-critical.
provider "google" {
  project        = "shop"
  region         = "us-central1"
  default_labels = { team = "payments" }
}

resource "google_sql_database_instance" "payments" {
  name             = "payments"
  database_version = "MYSQL_8_0"

  settings {
    tier              = "db-n1-standard-4"
    availability_type = "REGIONAL"
    user_labels       = { resilience-tier = "mission-critical" }

    backup_configuration {
      enabled            = true
      binary_log_enabled = true
      location           = "us-central1"
    }
  }
}

resource "google_sql_database_instance" "payments_replica" {
  name                 = "payments-replica"
  database_version     = "MYSQL_8_0"
  region               = "us-east1"
  master_instance_name = google_sql_database_instance.payments.name

  settings {
    tier        = "db-n1-standard-4"
    user_labels = { resilience-tier = "mission-critical" }
  }
}
