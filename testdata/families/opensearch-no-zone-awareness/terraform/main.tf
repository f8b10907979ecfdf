# An OpenSearch domain with one data node and no zone awareness, tier essential.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_opensearch_domain" "search" {
  domain_name    = "search"
  engine_version = "OpenSearch_2.11"

  cluster_config {
    instance_type  = "r6g.large.search"
    instance_count = 1
  }

  ebs_options {
    ebs_enabled = true
    volume_size = 20
  }

  tags = {
    resilience-tier = "essential"
  }
}
