# A DLM policy of resource type INSTANCE snapshots the volumes of the instances it targets by
# tag, every 12 hours, kept 14 snapshots (7 days). `ledger` (a data volume, tier essential) is targeted:
# its RPO is 12h where 1h is required (RES001, logical and zone scopes), its snapshots stay in
# eu-west-1 (RES004), and it lives in one zone (RES006). Without INSTANCE support it would
# have been reported as having no backup at all.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_instance" "ledger" {
  ami               = "ami-0123456789abcdef0"
  instance_type     = "m6i.large"
  availability_zone = "eu-west-1a"

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 500
  }

  tags = {
    resilience-tier = "essential"
    snapshot        = "twice-daily"
  }
}

resource "aws_dlm_lifecycle_policy" "instances" {
  description        = "instance snapshots"
  execution_role_arn = "arn:aws:iam::123456789012:role/dlm"
  state              = "ENABLED"

  policy_details {
    resource_types = ["INSTANCE"]

    schedule {
      name = "twice a day"

      create_rule {
        interval      = 12
        interval_unit = "HOURS"
      }

      retain_rule {
        count = 14
      }
    }

    target_tags = {
      snapshot = "twice-daily"
    }
  }
}
