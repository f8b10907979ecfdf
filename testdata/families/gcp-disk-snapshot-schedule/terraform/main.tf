# A zonal disk snapshotted every 4 hours into the EU multi-region, and a regional disk without
# snapshots; tier essential through their labels.
provider "google" {
  project = "data"
  zone    = "europe-west1-b"
}

resource "google_compute_resource_policy" "every_4h" {
  name   = "every-4h"
  region = "europe-west1"

  snapshot_schedule_policy {
    schedule {
      hourly_schedule {
        hours_in_cycle = 4
        start_time     = "00:00"
      }
    }
    retention_policy {
      max_retention_days    = 14
      on_source_disk_delete = "KEEP_AUTO_SNAPSHOTS"
    }
    snapshot_properties {
      storage_locations = ["eu"]
    }
  }
}

resource "google_compute_disk" "data" {
  name   = "data"
  type   = "pd-ssd"
  size   = 500
  labels = { resilience-tier = "essential" }
}

resource "google_compute_disk_resource_policy_attachment" "data_every_4h" {
  name = google_compute_resource_policy.every_4h.name
  disk = google_compute_disk.data.name
}

resource "google_compute_region_disk" "shared" {
  name          = "shared"
  region        = "europe-west1"
  replica_zones = ["europe-west1-b", "europe-west1-c"]
  size          = 200
  labels        = { resilience-tier = "essential" }
}
