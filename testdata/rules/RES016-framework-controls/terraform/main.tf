# An organisation's Backup Audit Manager framework declares four controls resilint proves
# statically, and one it does not (encryption). `orders` is selected by a daily AWS Backup rule
# kept 14 days in eu-west-1; `events` (point-in-time recovery on, but no AWS Backup plan) is not.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "orders"
  manage_master_user_password = true
  backup_retention_period     = 7

  tags = {
    resilience-tier = "non-essential"
  }
}

resource "aws_dynamodb_table" "events" {
  name         = "events"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  tags = {
    resilience-tier = "non-essential"
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
      delete_after = 14
    }
  }
}

resource "aws_backup_selection" "orders" {
  name         = "orders"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_db_instance.orders.arn]
}

resource "aws_backup_framework" "org" {
  name = "org"

  # events: no plan selects it.
  control {
    name = "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN"

    scope {
      compliance_resource_types = ["RDS", "DynamoDB"]
    }
  }

  # orders: runs every 24h where 12h is required.
  control {
    name = "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK"

    input_parameter {
      name  = "requiredFrequencyUnit"
      value = "hours"
    }
    input_parameter {
      name  = "requiredFrequencyValue"
      value = "12"
    }
    input_parameter {
      name  = "requiredRetentionDays"
      value = "7"
    }

    scope {
      compliance_resource_types = ["RDS"]
    }
  }

  # orders: kept 14 days where 30 are required.
  control {
    name = "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK"

    input_parameter {
      name  = "requiredRetentionDays"
      value = "30"
    }

    scope {
      compliance_resource_types = ["RDS"]
    }
  }

  # orders: no copy to eu-west-2.
  control {
    name = "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION"

    input_parameter {
      name  = "crossRegionList"
      value = "eu-west-2"
    }

    scope {
      compliance_resource_types = ["RDS"]
    }
  }

  # Depends on the deployed account: not evaluated.
  control {
    name = "BACKUP_RECOVERY_POINT_ENCRYPTED"
  }
}
