# An ActiveMQ active/standby broker pair with cross-region data replication (CRDR): the primary
# in eu-west-1 (tier mission-critical), the replica in eu-west-2 naming the primary by
# data_replication_primary_broker_arn. Amazon MQ has no backups.
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "dr"
  region = "eu-west-2"
}
resource "aws_mq_broker" "primary" {
  broker_name        = "primary"
  engine_type        = "ActiveMQ"
  engine_version     = "5.18"
  host_instance_type = "mq.m5.large"
  deployment_mode    = "ACTIVE_STANDBY_MULTI_AZ"
  user {
    username = "u"
    password = "change-me-please-123"
  }
  tags = { resilience-tier = "mission-critical" }
}
resource "aws_mq_broker" "replica" {
  provider           = aws.dr
  broker_name        = "replica"
  engine_type        = "ActiveMQ"
  engine_version     = "5.18"
  host_instance_type = "mq.m5.large"
  deployment_mode    = "ACTIVE_STANDBY_MULTI_AZ"
  data_replication_mode               = "CRDR"
  data_replication_primary_broker_arn = aws_mq_broker.primary.arn
  user {
    username = "u"
    password = "change-me-please-123"
  }
}
