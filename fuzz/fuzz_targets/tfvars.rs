//! Terraform variables files, read for a root module whose variables of every type decide a
//! bucket's tier, region, versioning and replication.
#![no_main]

const MAIN_TF: &str = r#"
variable "tier" {}
variable "region" { type = string }
variable "versioning" { type = bool }
variable "replicas" { type = list(string) }
variable "settings" {
  type = object({ retention = optional(number, 7), tags = optional(map(string), {}) })
}
provider "aws" { region = var.region }
resource "aws_s3_bucket" "b" {
  bucket = "b"
  tags   = merge(var.settings.tags, { resilience-tier = var.tier })
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration { status = var.versioning ? "Enabled" : "Suspended" }
}
resource "aws_db_instance" "db" {
  for_each                = toset(var.replicas)
  identifier              = each.key
  backup_retention_period = var.settings.retention
}
"#;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    resilint::fuzzing::check_file("terraform.tfvars", &[("main.tf", MAIN_TF)], data)
});
