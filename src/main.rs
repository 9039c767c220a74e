//! The `turnout` command: the dashboard (no subcommand), `report` and `demo`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
