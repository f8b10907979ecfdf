# An FSx for Lustre scratch file system (SCRATCH_2), tier essential: scratch file systems have
# no backups, whatever automatic_backup_retention_days says, and Lustre is single-zone.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_fsx_lustre_file_system" "scratch" {
  storage_capacity = 1200
  subnet_ids       = ["subnet-0123456789abcdef0"]
  deployment_type  = "SCRATCH_2"

  tags = {
    resilience-tier = "essential"
  }
}
