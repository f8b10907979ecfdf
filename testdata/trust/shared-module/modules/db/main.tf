variable "create" {
  type    = bool
  default = true
}

resource "aws_s3_bucket" "this" {
  count  = var.create ? 1 : 0
  bucket = "orders"
  tags = {
    resilience-tier = "essential"
  }
}
