# A Regional EFS file system, tier essential, with automatic backups (backup policy) and
# replication to eu-west-2.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_efs_file_system" "shared" {
  encrypted = true

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

resource "aws_efs_replication_configuration" "shared" {
  source_file_system_id = aws_efs_file_system.shared.id

  destination {
    region = "eu-west-2"
  }
}
