//! The `qamus` binary: runs the library's command line and turns its result
//! into an exit code. A closed pipe (`qamus check | head`) is not an error.

use std::process::ExitCode;

fn main() -> ExitCode {
    match qamus::cli::run(std::env::args_os()) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if let qamus::ErrorKind::Io(io) = &e.kind {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("qamus: error: {e}");
            ExitCode::from(2)
        }
    }
}
