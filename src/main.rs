//! The `retrace` binary: flags and glue over the library. Exit codes follow ripgrep: 0 no
//! error-level finding, 1 error-level findings, 2 a failure (unusable input).

mod cli;

// mimalloc instead of the system allocator: `scan` makes and drops many small strings per
// article, and glibc's malloc/free cost about a tenth of its instructions.
#[global_allocator]
static GLOBAL_ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
