# A One Zone EFS file system (availability_zone_name set), tier essential, with automatic
# backups turned on by a backup policy.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_efs_file_system" "shared" {
  availability_zone_name = "eu-west-1a"
  encrypted              = true

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_efs_backup_policy" "shared" {
  file_system_id = aws_efs_file_system.shared.id

  backup_policy {
    status = "ENABLED"
  }
}
