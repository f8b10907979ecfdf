# An FSx for NetApp ONTAP file system, Multi-AZ (MULTI_AZ_1: a standby in another zone), tier
# essential, automatic backups kept 14 days.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_fsx_ontap_file_system" "shares" {
  storage_capacity                  = 1024
  subnet_ids                        = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  preferred_subnet_id               = "subnet-0123456789abcdef0"
  deployment_type                   = "MULTI_AZ_1"
  throughput_capacity               = 512
  automatic_backup_retention_days   = 14
  daily_automatic_backup_start_time = "03:00"

  tags = {
    resilience-tier = "essential"
  }
}
