# A Bigtable instance with clusters in two zones of europe-west1 and one in europe-west4, and a
# Firestore database in the eur3 multi-region with point-in-time recovery and a weekly backup
# schedule; tier essential.
provider "google" {
  project        = "events"
  region         = "europe-west1"
  default_labels = { resilience-tier = "essential" }
}

resource "google_bigtable_instance" "events" {
  name = "events"

  cluster {
    cluster_id = "events-b"
    zone       = "europe-west1-b"
  }
  cluster {
    cluster_id = "events-c"
    zone       = "europe-west1-c"
  }
  cluster {
    cluster_id = "events-nl"
    zone       = "europe-west4-a"
  }
}

resource "google_firestore_database" "profiles" {
  name                              = "profiles"
  location_id                       = "eur3"
  type                              = "FIRESTORE_NATIVE"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
}

resource "google_firestore_backup_schedule" "profiles_weekly" {
  database  = google_firestore_database.profiles.name
  retention = "8467200s"

  weekly_recurrence {
    day = "SUNDAY"
  }
}
