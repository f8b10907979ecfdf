# Two mission-critical secrets in eu-west-1. `payments` has a replica in eu-west-2; `ledger` has
# none. Secrets Manager has no backups.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_secretsmanager_secret" "payments" {
  name = "payments-api-key"

  replica {
    region = "eu-west-2"
  }

  tags = {
    resilience-tier = "mission-critical"
  }
}

resource "aws_secretsmanager_secret" "ledger" {
  name = "ledger-api-key"

  tags = {
    resilience-tier = "mission-critical"
  }
}
