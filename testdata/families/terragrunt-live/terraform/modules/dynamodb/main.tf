variable "name" {
  type = string
}

variable "tier" {
  type = string
}

variable "owner" {
  type = string
}

variable "point_in_time_recovery" {
  type    = bool
  default = false
}

resource "aws_dynamodb_table" "this" {
  name     = var.name
  hash_key = "id"

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  tags = {
    resilience-tier = var.tier
    owner           = var.owner
  }
}
