//! The command line: clap definitions, choosing the glossary, format and
//! colour, running a command and mapping its outcome to an exit code
//! (0 clean, 1 findings at or above `--fail-on`, 2 usage, input or glossary
//! errors).

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::check::{check_paths, CheckOptions};
use crate::error::{Error, ErrorKind, Result};
use crate::glossary::Glossary;
use crate::input::walk::WalkOptions;
use crate::input::Encoding;
use crate::judge::{Rule, Severities, Severity};
use crate::matcher::Matcher;
use crate::report::{self, Report};

/// qamus: Arabic↔English terminology checker.
#[derive(Debug, Parser)]
#[command(name = "qamus", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find every glossary concept in Arabic text and judge each rendering.
    Check(CheckArgs),
    /// List the rules with their ids and default severities.
    Rules,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files or directories to check (directories recursively, honouring
    /// .gitignore); `-` reads standard input. Default: the current directory.
    paths: Vec<PathBuf>,

    /// Glossary file (CSV); repeat to merge several. Replaces the embedded
    /// default glossary.
    #[arg(short = 'g', long = "glossary", value_name = "FILE")]
    glossaries: Vec<PathBuf>,

    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,

    /// Exit with 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "LEVEL")]
    fail_on: FailOn,

    /// Change a rule's severity: RULE=LEVEL, LEVEL one of error, warning,
    /// info, note, off. Repeatable. `qamus rules` lists the rules.
    #[arg(long = "severity", value_name = "RULE=LEVEL")]
    severities: Vec<String>,

    /// Show findings at least this severe (notes are hidden by default).
    #[arg(long, value_enum, default_value_t = Level::Info, value_name = "LEVEL")]
    min_severity: Level,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,

    /// Encoding of input files without a byte-order mark (default UTF-8),
    /// e.g. windows-1256.
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,

    /// Do not honour .gitignore and .ignore files.
    #[arg(long)]
    no_ignore: bool,

    /// Check hidden files and directories too.
    #[arg(long)]
    hidden: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// One finding a line, for people.
    Text,
    /// One JSON document, for scripts.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Note,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Level {
    Error,
    Warning,
    Info,
    Note,
}

impl From<Level> for Severity {
    fn from(level: Level) -> Severity {
        match level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Info,
            Level::Note => Severity::Note,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Parses the arguments and runs the command; returns the exit code.
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<u8> {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return Ok(code);
        }
    };
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules => {
            let mut out = io::stdout().lock();
            for rule in Rule::ALL {
                writeln!(out, "{:<22} {:<8} {}", rule.id(), rule.default_severity().as_str(), rule.description()).map_err(stdout_error)?;
            }
            Ok(0)
        }
    }
}

fn check(args: CheckArgs) -> Result<u8> {
    let mut severities = Severities::default();
    for setting in &args.severities {
        severities.apply(setting).map_err(|e| Error::usage(format!("--severity: {e}")))?;
    }
    let encoding = match &args.encoding {
        Some(label) => Some(Encoding::for_label(label).map_err(|kind| Error { kind, path: None, line: None, column: None })?),
        None => None,
    };
    let glossary = if args.glossaries.is_empty() { Glossary::embedded()? } else { Glossary::load_files(&args.glossaries)? };
    let matcher = Matcher::new(&glossary);
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let options = CheckOptions { walk: WalkOptions { no_ignore: args.no_ignore, hidden: args.hidden }, encoding, severities };
    let outcome = check_paths(&glossary, &matcher, &paths, &options);

    let colour = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let report = Report { glossary: &glossary, outcome: &outcome, min_severity: args.min_severity.into() };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for skipped in &outcome.skipped {
        eprintln!("qamus: {skipped}");
    }
    for error in &outcome.errors {
        eprintln!("qamus: error: {error}");
    }
    match args.format {
        OutputFormat::Text => report::terminal::emit(&report, &mut out, colour),
        OutputFormat::Json => report::json::emit(&report, &mut out),
    }
    .and_then(|_| out.flush())
    .map_err(stdout_error)?;

    if !outcome.errors.is_empty() {
        return Ok(2);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| outcome.findings.iter().any(|f| f.severity >= t));
    Ok(u8::from(failed))
}

fn stdout_error(e: io::Error) -> Error {
    Error::new(ErrorKind::Io(e), "<stdout>")
}
