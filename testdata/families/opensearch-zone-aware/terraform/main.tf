# An OpenSearch domain with three data nodes spread over three zones (zone awareness), tier
# essential.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_opensearch_domain" "search" {
  domain_name    = "search"
  engine_version = "OpenSearch_2.11"

  cluster_config {
    instance_type          = "r6g.large.search"
    instance_count         = 3
    zone_awareness_enabled = true

    zone_awareness_config {
      availability_zone_count = 3
    }
  }

  ebs_options {
    ebs_enabled = true
    volume_size = 20
  }

  tags = {
    resilience-tier = "essential"
  }
}
