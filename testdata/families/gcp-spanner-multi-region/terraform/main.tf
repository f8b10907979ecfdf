# A database in a multi-region Spanner configuration (nam6) with a daily backup schedule, next
# to one in a regional configuration with the default one-hour version retention; tier
# mission-critical.
provider "google" {
  project        = "ledger"
  region         = "us-central1"
  default_labels = { resilience-tier = "mission-critical" }
}

resource "google_spanner_instance" "global" {
  name         = "global"
  config       = "nam6"
  display_name = "global"
  edition      = "ENTERPRISE_PLUS"
}

resource "google_spanner_instance" "local" {
  name         = "local"
  config       = "regional-us-central1"
  display_name = "local"
}

resource "google_spanner_database" "ledger" {
  instance                 = google_spanner_instance.global.name
  name                     = "ledger"
  version_retention_period = "7d"
}

resource "google_spanner_database" "sessions" {
  instance = google_spanner_instance.local.name
  name     = "sessions"
}

resource "google_spanner_backup_schedule" "ledger_daily" {
  instance           = google_spanner_instance.global.name
  database           = google_spanner_database.ledger.name
  name               = "daily"
  retention_duration = "2592000s"

  spec {
    cron_spec {
      text = "0 3 * * *"
    }
  }
  full_backup_spec {}
}
