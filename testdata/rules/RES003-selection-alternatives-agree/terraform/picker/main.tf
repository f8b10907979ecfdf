variable "serverless" {
  type = bool
}

output "cluster_arn" {
  value = var.serverless ? "arn:aws:rds:eu-west-1:123456789012:cluster:orders-serverless" : "arn:aws:rds:eu-west-1:123456789012:cluster:orders"
}
