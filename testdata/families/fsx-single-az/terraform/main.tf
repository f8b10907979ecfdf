# An FSx for Windows File Server file system, tier essential, with neither deployment_type nor
# automatic_backup_retention_days set: the provider defaults SINGLE_AZ_1 and 7 days apply.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_fsx_windows_file_system" "shares" {
  storage_capacity    = 300
  subnet_ids          = ["subnet-0123456789abcdef0"]
  throughput_capacity = 32
  active_directory_id = "d-1234567890"

  tags = {
    resilience-tier = "essential"
  }
}
