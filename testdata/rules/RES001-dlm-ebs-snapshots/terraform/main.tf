provider "aws" {
  region = "eu-west-1"
}

# Snapshots every 12 hours, 14 kept: 7 days of snapshots.
resource "aws_dlm_lifecycle_policy" "volumes" {
  description        = "EBS snapshots every 12 hours"
  execution_role_arn = "arn:aws:iam::123456789012:role/dlm"
  state              = "ENABLED"

  policy_details {
    resource_types = ["VOLUME"]

    target_tags = {
      Snapshot = "true"
    }

    schedule {
      name      = "every 12 hours"
      copy_tags = true

      create_rule {
        interval      = 12
        interval_unit = "HOURS"
        times         = ["03:00"]
      }

      retain_rule {
        count = 14
      }
    }
  }
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 200
  type              = "gp3"

  tags = {
    Name            = "data"
    Snapshot        = "true"
    resilience-tier = "essential"
  }
}

resource "aws_ebs_volume" "logs" {
  availability_zone = "eu-west-1b"
  size              = 50
  type              = "gp3"

  tags = {
    Name            = "logs"
    Snapshot        = "true"
    resilience-tier = "non-essential"
  }
}

# Tagged, but not with the policy's target tag value.
resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 50
  type              = "gp3"

  tags = {
    Name            = "scratch"
    Snapshot        = "false"
    resilience-tier = "non-essential"
  }
}
