# Three essential MSK clusters. `events` has three brokers in three client subnets (one per zone).
# `audit` lists a single client subnet: one zone (MSK asks for two or three subnets, so this one
# would not deploy; it shows that one subnet counts as one zone). `metrics` takes its subnets from
# a variable without a value: unknown. MSK has no backups.
# The KB counts distinct subnets, not zones (see msk.toml).
provider "aws" {
  region = "eu-west-1"
}

resource "aws_msk_cluster" "events" {
  cluster_name           = "events"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = "kafka.m5.large"
    client_subnets  = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"]
    security_groups = ["sg-0123456789abcdef0"]
  }

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_msk_cluster" "audit" {
  cluster_name           = "audit"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 2

  broker_node_group_info {
    instance_type   = "kafka.m5.large"
    client_subnets  = ["subnet-0aaaaaaaaaaaaaaa1"]
    security_groups = ["sg-0123456789abcdef0"]
  }

  tags = {
    resilience-tier = "essential"
  }
}

variable "subnet_ids" {
  type = list(string)
}

resource "aws_msk_cluster" "metrics" {
  cluster_name           = "metrics"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = "kafka.m5.large"
    client_subnets  = var.subnet_ids
    security_groups = ["sg-0123456789abcdef0"]
  }

  tags = {
    resilience-tier = "essential"
  }
}
