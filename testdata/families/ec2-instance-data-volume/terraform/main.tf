# Two instances. `app` is launched from an image with its root volume only: stateless, not
# estimated, no tier needed. `ledger` declares a data volume: its data sits in one zone, and an
# AWS Backup plan selects the instance (resource type EC2), daily, kept 35 days, in eu-west-1.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"

  root_block_device {
    volume_size = 20
  }
}

resource "aws_instance" "ledger" {
  ami               = "ami-0123456789abcdef0"
  instance_type     = "m6i.large"
  availability_zone = "eu-west-1a"

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 500
    volume_type = "gp3"
  }

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_plan" "daily" {
  name = "daily"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "ledger" {
  name         = "ledger"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_instance.ledger.arn]
}
