# Two essential volumes without snapshots. `data` must be recoverable: no backup (RES003), none
# in another region (RES004), one zone (RES006). `scratch` is declared rebuildable in
# resilint.toml: no recovery point is required, so only its availability counts (RES006).
provider "aws" {
  region = "eu-west-1"
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100

  tags = {
    resilience-tier = "essential"
  }
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 100

  tags = {
    resilience-tier = "essential"
  }
}
