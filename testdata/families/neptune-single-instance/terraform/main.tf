# A Neptune cluster with a single (writer) instance, backup_retention_period unset (1 day),
# tier essential.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_neptune_cluster" "graph" {
  cluster_identifier  = "graph"
  engine              = "neptune"
  skip_final_snapshot = true

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_neptune_cluster_instance" "graph" {
  identifier         = "graph-1"
  cluster_identifier = aws_neptune_cluster.graph.id
  instance_class     = "db.r6g.large"
  engine             = "neptune"
}
