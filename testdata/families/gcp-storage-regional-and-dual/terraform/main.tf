# A regional bucket with versioning (noncurrent versions deleted after 30 days) next to a
# dual-region bucket with turbo replication; tier essential through the provider's default
# labels.
provider "google" {
  project        = "media"
  region         = "europe-west1"
  default_labels = { resilience-tier = "essential" }
}

resource "google_storage_bucket" "uploads" {
  name     = "media-uploads"
  location = "EUROPE-WEST1"

  versioning {
    enabled = true
  }

  lifecycle_rule {
    action {
      type = "Delete"
    }
    condition {
      days_since_noncurrent_time = 30
    }
  }
}

resource "google_storage_bucket" "archive" {
  name     = "media-archive"
  location = "EUR4"
  rpo      = "ASYNC_TURBO"

  soft_delete_policy {
    retention_duration_seconds = 1209600
  }
}
