//! The `resilint` binary: a thin shell over the library.

fn main() -> std::process::ExitCode {
    resilint::cli::main()
}
