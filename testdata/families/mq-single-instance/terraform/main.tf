# Two essential RabbitMQ brokers. `orders` sets no deployment_mode: the default SINGLE_INSTANCE
# puts it in one zone. `events` is a CLUSTER_MULTI_AZ cluster of three nodes in three zones.
# Amazon MQ has no backups.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_mq_broker" "orders" {
  broker_name        = "orders"
  engine_type        = "RabbitMQ"
  engine_version     = "3.13"
  host_instance_type = "mq.m5.large"
  subnet_ids         = ["subnet-0123456789abcdef0"]

  user {
    username = "orders"
    password = "change-me-please-123"
  }

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_mq_broker" "events" {
  broker_name        = "events"
  engine_type        = "RabbitMQ"
  engine_version     = "3.13"
  host_instance_type = "mq.m5.large"
  deployment_mode    = "CLUSTER_MULTI_AZ"

  user {
    username = "events"
    password = "change-me-please-123"
  }

  tags = {
    resilience-tier = "essential"
  }
}
