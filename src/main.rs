//! The `retrace` binary: flags and glue over the library. Exit codes follow ripgrep: 0 no
//! error-level finding, 1 error-level findings, 2 a failure (unusable input).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
