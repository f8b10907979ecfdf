//! A Terragrunt unit (`terragrunt.hcl`: includes, `read_terragrunt_config()`, generated files)
//! over a local module, through the whole pipeline.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| resilint::fuzzing::check_file(
    "terragrunt.hcl",
    &[(
        "modules/db/main.tf",
        "variable \"retention\" {}\nresource \"aws_db_instance\" \"db\" {\n  backup_retention_period = var.retention\n}\n",
    )],
    data
));
