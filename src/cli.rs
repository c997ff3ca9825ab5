//! The command line: clap definitions; resolving each setting from the flag,
//! else `qamus.toml`, else the default; running a command and mapping its
//! outcome to an exit code (0 clean, 1 findings at or above `--fail-on`, 2
//! usage, input, config or glossary errors).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use qamus::baseline::Baseline;
use qamus::check::{check_paths, CheckOptions, Matchers};
use qamus::config::Config;
use qamus::error::{Error, ErrorKind, Result};
use qamus::glossary::{Glossary, GlossaryFormat};
use qamus::input::corpus::{Corpus, CorpusFormat};
use qamus::input::walk::relative_to;
use qamus::input::walk::WalkOptions;
use qamus::input::{Encoding, InputFormat, ReadOptions};
use qamus::judge::{Severities, Severity};
use qamus::report::{self, Printer, Report};

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
    Check(Box<CheckArgs>),
    /// Build the glossary a corpus attests, or convert a glossary (CSV, TBX).
    Glossary(Box<GlossaryArgs>),
    /// The cross-source consistency report: Markdown, HTML or JSON.
    Report(Box<ReportArgs>),
    /// List the rules: id, default severity, scope, whether they offer a fix, what they find.
    Rules {
        /// How to list them.
        #[arg(short, long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Write a commented starter qamus.toml.
    Init {
        /// Where to write it.
        #[arg(default_value = "qamus.toml")]
        path: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the configuration in effect here (qamus.toml and defaults), as
    /// TOML, after checking every value as a run would.
    Config {
        /// Read this configuration file instead of the nearest qamus.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Read no configuration file: print the defaults.
        #[arg(long, conflicts_with = "config")]
        no_config: bool,
    },
    /// Print a manual page (roff): qamus(1), or one subcommand's.
    Man {
        /// The subcommand whose page to print (`check` for qamus-check(1)).
        command: Option<String>,
        /// Write every page (qamus.1, qamus-check.1, …) into DIR instead.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,

    /// Output format [default: text].
    #[arg(short = 'f', long, value_enum)]
    format: Option<OutputFormat>,

    /// Write the output to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Exit with 1 when a finding is at least this severe [default: error].
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,

    /// Show findings at least this severe [default: info].
    #[arg(long, value_enum, value_name = "LEVEL")]
    min_severity: Option<Level>,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,

    /// Report only findings that this baseline file does not record.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Record today's findings in FILE (atomically) and exit 0.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,

    /// Counts only, like `rg --count`: per file with matches, its matches
    /// and findings; then a total line. Exit codes as usual.
    #[arg(long, conflicts_with = "format")]
    count: bool,
}

/// What `check` and `report` read, and how.
#[derive(Debug, Args)]
struct InputArgs {
    /// Files or directories to check (directories recursively, honouring
    /// .gitignore); `-` reads standard input. Default: the config's `include`,
    /// else the current directory.
    paths: Vec<PathBuf>,

    /// Glossary file (CSV, TSV, two-language CSV, TBX); repeat to merge
    /// several. Replaces the embedded default glossary.
    #[arg(short = 'g', long = "glossary", value_name = "FILE")]
    glossaries: Vec<PathBuf>,

    /// Format of the --glossary files instead of guessing: csv, tsv, locale-csv, tbx.
    #[arg(long, value_parser = parse_glossary_format, value_name = "FORMAT")]
    glossary_format: Option<GlossaryFormat>,

    /// Read this configuration file instead of discovering qamus.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,

    /// Ignore any qamus.toml.
    #[arg(long)]
    no_config: bool,

    /// Change a rule's severity: RULE=LEVEL, LEVEL one of error, warning,
    /// info, note, off. Repeatable. `qamus rules` lists the rules.
    #[arg(long = "severity", value_name = "RULE=LEVEL")]
    severities: Vec<String>,

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

    /// Pass files named on the command line through what a walk applies to
    /// the files it finds: `exclude` and `include` of qamus.toml, and the
    /// kinds of file a walk reads (text, Markdown, HTML, Word, OpenDocument,
    /// Arabic translation and locale files); the others are skipped without
    /// a word. For hooks that name every staged file (pre-commit).
    #[arg(long)]
    force_exclude: bool,

    /// The path standard input stands for: its name in findings, its format
    /// (by extension), its locale's source file, the ignores that apply.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,

    /// Files checked in parallel [default: all cores].
    #[arg(short = 'j', long, value_name = "N")]
    jobs: Option<usize>,

    /// Read every input as this format instead of choosing by extension:
    /// text, markdown, html, po, xliff, tmx, json, yaml, docx or odt; or as a
    /// corpus, each record a document named FILE#LINE: jsonl (JSON Lines) or
    /// csv (with a header row).
    #[arg(long, value_parser = parse_input_format, value_name = "FORMAT")]
    input_format: Option<InputFormat>,

    /// With --input-format jsonl: the field holding each record's text, a
    /// top-level key or a JSON Pointer (/article/body) [default: text].
    #[arg(long, value_name = "NAME")]
    text_field: Option<String>,

    /// With --input-format csv: the header of the column holding each
    /// record's text [default: text].
    #[arg(long, value_name = "NAME")]
    text_column: Option<String>,

    /// Check fuzzy PO entries and untranslated XLIFF targets too.
    #[arg(long)]
    include_fuzzy: bool,

    /// Locale code of the source files beside Arabic locale files
    /// (`en.json` beside `ar.json`) [default: en].
    #[arg(long, value_name = "CODE")]
    source_locale: Option<String>,

    /// No effect, kept for scripts that pass it: every file is read into
    /// memory (qamus maps no file since a file changed while mapped could
    /// crash it).
    #[arg(long, hide = true)]
    no_mmap: bool,
}

#[derive(Debug, Args)]
struct ReportArgs {
    #[command(flatten)]
    input: InputArgs,

    /// Output format [default: by the extension of -o, else markdown].
    #[arg(short = 'f', long, value_enum)]
    format: Option<ReportFormat>,

    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// What a source is: `file` (default), `dir` (the parent folder), or a
    /// regular expression whose first group (or match) names the source.
    #[arg(long, value_name = "file|dir|REGEX")]
    source_by: Option<String>,

    /// Leave out the findings this baseline file records (written by
    /// `qamus check --write-baseline`), as `check --baseline` does.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// GitHub-flavoured Markdown, fit for a pull-request comment.
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// The same data as JSON.
    Json,
}

/// Parses an `--input-format` name (the names of [`Format::ALL`] and of
/// [`CorpusFormat::ALL`]).
fn parse_input_format(name: &str) -> std::result::Result<InputFormat, String> {
    InputFormat::from_name(name)
        .ok_or_else(|| format!("unknown input format {name:?} (expected one of {})", InputFormat::names().join(", ")))
}

#[derive(Debug, Args)]
struct GlossaryArgs {
    /// The corpus, the glossary and how to read them, as for `check` (and
    /// qamus.toml's `glossaries`, `encoding`, `jobs`…); with no path there is
    /// no corpus, so with `--all` the glossary is converted as it is.
    #[command(flatten)]
    input: InputArgs,

    /// Output format [default: by the extension of -o, else csv].
    #[arg(short = 'f', long, value_enum)]
    format: Option<GlossaryOutput>,

    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Include the concepts the corpus does not use, with zero counts.
    #[arg(long)]
    all: bool,

    /// Start CSV output with a byte-order mark (spreadsheets need it to show Arabic).
    #[arg(long)]
    bom: bool,

    /// Locale codes for the cat-csv header.
    #[arg(long, value_name = "EN,AR", default_value = "en,ar")]
    locales: String,

    /// Run the glossary's self-tests (its `examples` column) and exit: 0 when
    /// all hold, 1 naming each row whose example does not.
    #[arg(long)]
    test: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GlossaryOutput {
    /// The curated CSV with the attested columns (loads back with --glossary).
    Csv,
    /// The two-language CSV CAT tools import (en,ar,description).
    CatCsv,
    /// TBX-Basic (TBX v3).
    Tbx,
    /// JSON.
    Json,
}

fn parse_glossary_format(name: &str) -> std::result::Result<GlossaryFormat, String> {
    GlossaryFormat::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = GlossaryFormat::NAMES.iter().map(|(n, _)| *n).collect();
        format!("unknown glossary format {name:?} (expected one of {})", names.join(", "))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    /// One rule a line.
    Text,
    /// The Markdown table of the README.
    Markdown,
    /// A JSON array, for scripts.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// One finding a line, for people.
    Text,
    /// One JSON document, for scripts.
    Json,
    /// One JSON object per finding, streamed.
    Jsonl,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
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
    let mut stdout = io::stdout().lock();
    match cli.command {
        Command::Check(args) => check(*args),
        Command::Glossary(args) => glossary_command(*args),
        Command::Report(args) => report_command(*args),
        Command::Config { config, no_config } => {
            let cwd = std::env::current_dir().map_err(|e| Error::new(ErrorKind::Io(e), "."))?;
            let config = match (&config, no_config) {
                (Some(path), _) => Config::load(path)?,
                (None, true) => Config::none(&cwd),
                (None, false) => Config::discover(&cwd)?,
            };
            config_value::<OutputFormat>(&config, "format", config.format())?;
            config_value::<FailOn>(&config, "fail-on", config.fail_on())?;
            config_value::<Level>(&config, "min-severity", config.min_severity())?;
            let glossary =
                if config.glossaries().is_empty() { Glossary::embedded()? } else { Glossary::load_files(&config.glossaries(), None)? };
            let text = config.effective(&glossary)?;
            stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).map_err(stdout_error)?;
            Ok(0)
        }
        Command::Rules { format } => {
            let text = match format {
                RulesFormat::Text => qamus::judge::RULES
                    .iter()
                    .map(|r| {
                        let fix = if r.fix { "fix" } else { "-" };
                        format!("{:<22} {:<8} {:<11} {:<4} {}\n", r.id, r.default_severity.as_str(), r.scope.as_str(), fix, r.summary)
                    })
                    .collect(),
                RulesFormat::Markdown => qamus::judge::rules_table(),
                RulesFormat::Json => {
                    let rules: Vec<serde_json::Value> = qamus::judge::RULES
                        .iter()
                        .map(|r| {
                            serde_json::json!({
                                "id": r.id,
                                "default_severity": r.default_severity.as_str(),
                                "scope": r.scope.as_str(),
                                "fix": r.fix,
                                "summary": r.summary,
                                "help": r.help,
                            })
                        })
                        .collect();
                    serde_json::to_string_pretty(&rules).map_err(io::Error::from).map_err(stdout_error)? + "\n"
                }
            };
            stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).map_err(stdout_error)?;
            Ok(0)
        }
        Command::Init { path, force } => {
            if path.exists() && !force {
                return Err(Error::new(ErrorKind::Usage("already exists; pass --force to replace it".into()), path.display().to_string()));
            }
            crate::output::write_atomic(&path, |w| w.write_all(qamus::config::STARTER.as_bytes()))?;
            eprintln!("qamus: wrote {}", path.display());
            Ok(0)
        }
        Command::Completions { shell } => {
            // Made in memory, then written: clap_complete panics on a
            // write error, such as a closed pipe.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "qamus", &mut script);
            stdout.write_all(&script).and_then(|()| stdout.flush()).map_err(stdout_error)?;
            Ok(0)
        }
        Command::Man { command, dir } => {
            let pages = man_pages();
            if let Some(dir) = dir {
                if !dir.is_dir() {
                    return Err(Error::new(ErrorKind::Usage("no such directory".into()), dir.display().to_string()));
                }
                for (name, page) in &pages {
                    let path = dir.join(format!("{name}.1"));
                    crate::output::write_atomic(&path, |out| out.write_all(page))?;
                }
                eprintln!("qamus: wrote {} in {}", qamus::words::plural(pages.len(), "manual page"), dir.display());
                return Ok(0);
            }
            let wanted = command.map_or_else(|| "qamus".to_string(), |c| format!("qamus-{c}"));
            let Some((_, page)) = pages.iter().find(|(name, _)| *name == wanted) else {
                let names: Vec<&str> = pages.iter().filter_map(|(name, _)| name.strip_prefix("qamus-")).collect();
                return Err(Error::usage(format!("man: no page for {wanted:?}; the subcommands are {}", names.join(", "))));
            };
            stdout.write_all(page).and_then(|()| stdout.flush()).map_err(stdout_error)?;
            Ok(0)
        }
    }
}

/// Every manual page, named (`qamus`, `qamus-check`, …): the main page with
/// the subcommands each has a page of, and EXIT STATUS, FILES, ENVIRONMENT
/// and SEE ALSO where they apply.
fn man_pages() -> Vec<(String, Vec<u8>)> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let mut pages = Vec::new();
    let mut render = |cmd: &clap::Command, name: &str, sub: Option<&str>| {
        let man =
            clap_mangen::Man::new(cmd.clone()).title(name).source(format!("qamus {}", env!("CARGO_PKG_VERSION"))).manual("qamus manual");
        let mut page = Vec::new();
        // Writing into memory cannot fail.
        let _ = man.render_title(&mut page);
        let _ = man.render_name_section(&mut page);
        let _ = man.render_synopsis_section(&mut page);
        let _ = man.render_description_section(&mut page);
        if cmd.get_arguments().any(|a| !a.is_hide_set()) {
            let _ = man.render_options_section(&mut page);
        }
        if cmd.has_subcommands() {
            let _ = man.render_subcommands_section(&mut page);
        }
        page.extend_from_slice(man_sections(sub).as_bytes());
        page.extend_from_slice(format!(".SH VERSION\nv{}\n", env!("CARGO_PKG_VERSION")).as_bytes());
        // Each section rendered alone starts with the same two lines of
        // preamble: kept once, at the top.
        let text = String::from_utf8_lossy(&page).into_owned();
        let mut seen = std::collections::HashSet::new();
        let page: String = text
            .lines()
            .filter(|l| !l.starts_with(".ie \\n(.g .ds Aq") && !l.starts_with(".el .ds Aq") || seen.insert(*l))
            .map(|l| format!("{l}\n"))
            .collect();
        pages.push((name.to_string(), page.into_bytes()));
    };
    render(&cli, "qamus", None);
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("qamus-{}", sub.get_name());
        render(sub, &name, Some(sub.get_name()));
    }
    pages
}

/// The sections clap does not make, in roff, for the main page (`None`) or
/// a subcommand's.
fn man_sections(sub: Option<&str>) -> String {
    let mut roff = String::new();
    let checks = matches!(sub, None | Some("check" | "report" | "glossary"));
    if checks {
        roff.push_str(
            ".SH \"EXIT STATUS\"\n.TP\n0\nNo finding at or above \\fB\\-\\-fail\\-on\\fR (check); the command did what was asked.\n\
             .TP\n1\nA finding at or above \\fB\\-\\-fail\\-on\\fR (check only; \\fB\\-\\-fail\\-on never\\fR never gives it).\n\
             .TP\n2\nA usage error, an unreadable input, or a bad glossary, configuration or baseline; the message names the file, line and problem.\n\
             A closed pipe is no error, and does not hide the verdict.\n",
        );
    } else {
        roff.push_str(".SH \"EXIT STATUS\"\n.TP\n0\nDone.\n.TP\n2\nA usage error, or the output could not be written.\n");
    }
    if matches!(sub, None | Some("check" | "report" | "glossary" | "init")) {
        roff.push_str(
            ".SH FILES\n.TP\n\\fIqamus.toml\\fR, \\fI.qamus.toml\\fR\n\
             The configuration: the nearest in the current directory or a parent (\\fB\\-\\-config\\fR names another, \\fB\\-\\-no\\-config\\fR ignores it); \\fBqamus init\\fR writes a commented one. Flags override it.\n\
             .TP\n\\fIqamus\\-baseline.json\\fR\n\
             The usual name of a baseline (\\fB\\-\\-write\\-baseline\\fR, \\fB\\-\\-baseline\\fR); its paths are relative to the repository root.\n\
             .TP\n\\fI.gitignore\\fR, \\fI.ignore\\fR\n\
             Honoured by the directory walk unless \\fB\\-\\-no\\-ignore\\fR.\n",
        );
    }
    if checks {
        roff.push_str(
            ".SH ENVIRONMENT\n.TP\n\\fBNO_COLOR\\fR\nWhen set and not empty, no colour, even on a terminal.\n\
             .TP\n\\fBCI\\fR\nWhen set, no progress line on stderr.\n\
             .TP\n\\fBGITHUB_WORKSPACE\\fR\nThe repository root for SARIF and GitHub annotation paths (else the nearest folder holding .git).\n\
             .TP\n\\fBGITHUB_STEP_SUMMARY\\fR\nWith \\fB\\-\\-format github\\fR, the file the findings table is appended to.\n\
             .TP\n\\fBSOURCE_DATE_EPOCH\\fR\nThe time a report says it was made (reproducible reports).\n",
        );
    }
    roff.push_str(".SH \"SEE ALSO\"\n");
    match sub {
        None => roff.push_str(
            "\\fBqamus\\-check\\fR(1), \\fBqamus\\-glossary\\fR(1), \\fBqamus\\-report\\fR(1), \\fBqamus\\-rules\\fR(1), \\fBqamus\\-init\\fR(1), \\fBqamus\\-completions\\fR(1), \\fBqamus\\-man\\fR(1); the README.\n",
        ),
        Some(_) => roff.push_str("\\fBqamus\\fR(1); the README.\n"),
    }
    roff
}

/// Parses a config value with the same names as the flag.
fn config_value<T: ValueEnum>(config: &Config, key: &str, value: Option<&str>) -> Result<Option<T>> {
    value
        .map(|v| {
            T::from_str(v, false).map_err(|_| {
                let path = config.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
                let allowed: Vec<String> =
                    T::value_variants().iter().filter_map(|v| v.to_possible_value()).map(|p| p.get_name().to_string()).collect();
                Error::new(ErrorKind::Config(format!("{key}: unknown value {v:?} (expected one of {})", allowed.join(", "))), path)
            })
        })
        .transpose()
}

/// A run's settings, resolved from the flags, else `qamus.toml`, else the defaults.
struct Prepared {
    config: Config,
    glossary: Glossary,
    matchers: Matchers,
    options: CheckOptions,
    paths: Vec<PathBuf>,
    root: PathBuf,
    include: Option<globset::GlobSet>,
    exclude: globset::GlobSet,
    /// Whether `include` chooses the files: run without paths, or with
    /// `--force-exclude`.
    use_include: bool,
    /// Whether `include` alone named the files (run without paths), so that
    /// matching nothing is an error.
    include_names: bool,
}

impl Prepared {
    /// Whether a directory walk picks up `path` (config include/exclude).
    fn walk_filter(&self, path: &Path) -> bool {
        // Making a path relative asks the file system for every component
        // of it (a few system calls a file): not done with no glob to match.
        let include = self.use_include && self.include.is_some();
        if self.exclude.is_empty() && !include {
            return true;
        }
        let Some(relative) = relative_to(&self.root, path) else { return true };
        if self.exclude.is_match(&relative) {
            return false;
        }
        match (&self.include, self.use_include) {
            (Some(include), true) => include.is_match(&relative),
            _ => true,
        }
    }

    /// The error for an `include` that matched nothing, if it did.
    fn empty_include(&self, outcome: &qamus::check::Outcome) -> Result<()> {
        if self.include_names && outcome.document_count() == 0 && outcome.errors.is_empty() {
            let path = self.config.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
            return Err(Error::new(
                ErrorKind::Usage(format!("include: the globs {:?} match no file", self.config.include_patterns())),
                path,
            ));
        }
        Ok(())
    }
}

fn prepare(input: &InputArgs) -> Result<Prepared> {
    let cwd = std::env::current_dir().map_err(|e| Error::new(ErrorKind::Io(e), "."))?;
    let config = match (&input.config, input.no_config) {
        (Some(path), _) => Config::load(path)?,
        (None, true) => Config::none(&cwd),
        (None, false) => Config::discover(&cwd)?,
    };
    // `--jobs` bounds every parallel step, loading the glossary included
    // (0, or none given: one thread a core).
    let (jobs, notice) = qamus::threads::bounded_jobs(input.jobs.or(config.jobs()).unwrap_or(0));
    if let Some(notice) = notice {
        eprintln!("qamus: warning: {notice}");
    }
    // Fails only if the global pool already exists (a second command in one
    // process, as in tests), which then keeps its size.
    let _ = qamus::threads::pool(jobs).start_handler(|_| crate::prepare_worker()).build_global();
    let glossary = if !input.glossaries.is_empty() {
        Glossary::load_files(&input.glossaries, input.glossary_format)?
    } else if !config.glossaries().is_empty() {
        Glossary::load_files(&config.glossaries(), None)?
    } else {
        Glossary::embedded()?
    };
    for notice in &glossary.notices {
        eprintln!("qamus: note: {notice}");
    }
    let matchers = Matchers::new(&glossary);
    let encoding = match input.encoding.as_deref().or(config.encoding()) {
        Some(label) => Some(Encoding::for_label(label).map_err(|kind| Error { kind, path: None, line: None, column: None })?),
        None => None,
    };
    let mut severities = Severities::default();
    for (rule, level) in config.rule_levels()? {
        severities.set(rule, level);
    }
    for (concept, rule, level) in config.concept_levels(&glossary)? {
        severities.set_for_concept(&concept, rule, level);
    }
    for setting in &input.severities {
        severities.apply(setting).map_err(|e| Error::usage(format!("--severity: {e}")))?;
    }
    let include = config.include()?;
    let exclude = config.exclude()?;
    let root = std::fs::canonicalize(&config.root).unwrap_or_else(|_| config.root.clone());
    let include_names = input.paths.is_empty() && include.is_some();
    let use_include = include.is_some() && (input.paths.is_empty() || input.force_exclude);
    // No path: what `include` names; else standard input when something is
    // piped or redirected into it (ripgrep's rule: a pipe or a file, never
    // a terminal or a device such as /dev/null); else the current folder.
    let paths = if !input.paths.is_empty() {
        input.paths.clone()
    } else if include.is_some() {
        vec![root.clone()]
    } else if input.stdin_filename.is_some() || stdin_is_readable() {
        vec![PathBuf::from("-")]
    } else {
        vec![PathBuf::from(".")]
    };
    let options = CheckOptions {
        walk: WalkOptions { no_ignore: input.no_ignore, hidden: input.hidden, force_exclude: input.force_exclude },
        encoding,
        severities,
        jobs,
        ignores: config.ignores(&glossary)?,
        ignore_root: Some(root.clone()),
        keep_occurrences: false,
        tally_uses: false,
        listed_rules: None,
        drop_findings: false,
        counts_only: false,
        stdin_path: input.stdin_filename.clone(),
        read: read_options(input, &config)?,
    };
    Ok(Prepared { config, glossary, matchers, options, paths, root, include, exclude, use_include, include_names })
}

/// How inputs are read: the flags, else qamus.toml, else the defaults.
/// `--text-field` asks for JSON Lines and `--text-column` for CSV: either
/// without its format is a usage error.
fn read_options(input: &InputArgs, config: &Config) -> Result<ReadOptions> {
    let config_path = || config.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    let format = match (input.input_format, config.input_format()) {
        (Some(format), _) => Some(format),
        (None, Some(name)) => {
            Some(parse_input_format(name).map_err(|e| Error::new(ErrorKind::Config(format!("input-format: {e}")), config_path()))?)
        }
        (None, None) => None,
    };
    let corpus_format = match format {
        Some(InputFormat::Corpus(corpus)) => Some(corpus),
        _ => None,
    };
    for (flag, given, wanted) in
        [("--text-field", &input.text_field, CorpusFormat::Jsonl), ("--text-column", &input.text_column, CorpusFormat::Csv)]
    {
        if given.is_some() && corpus_format != Some(wanted) {
            return Err(Error::usage(format!(
                "{flag} names the text of a {} corpus's records: give --input-format {} (or set input-format = {:?} in qamus.toml)",
                if wanted == CorpusFormat::Jsonl { "JSON Lines" } else { "CSV" },
                wanted.name(),
                wanted.name()
            )));
        }
    }
    let corpus = match corpus_format {
        None => None,
        Some(format) => {
            let (flag, from_config) = match format {
                CorpusFormat::Jsonl => (&input.text_field, config.text_field()),
                CorpusFormat::Csv => (&input.text_column, config.text_column()),
            };
            let field = flag.as_deref().or(from_config).unwrap_or(qamus::input::corpus::DEFAULT_FIELD).to_string();
            if field.is_empty() {
                return Err(Error::usage(format!("{}: the name is empty", format.field_flag())));
            }
            Some(Corpus { format, field })
        }
    };
    Ok(ReadOptions {
        format: match format {
            Some(InputFormat::Document(format)) => Some(format),
            _ => None,
        },
        corpus,
        include_fuzzy: input.include_fuzzy || config.include_fuzzy(),
        source_locale: input.source_locale.clone().or_else(|| config.source_locale().map(str::to_string)).unwrap_or_else(|| "en".into()),
    })
}

fn check(args: CheckArgs) -> Result<u8> {
    let mut prepared = prepare(&args.input)?;
    let config = &prepared.config;
    let known = [
        ("txt", OutputFormat::Text),
        ("text", OutputFormat::Text),
        ("log", OutputFormat::Text),
        ("json", OutputFormat::Json),
        ("jsonl", OutputFormat::Jsonl),
        ("ndjson", OutputFormat::Jsonl),
        ("sarif", OutputFormat::Sarif),
    ];
    // The flag, else the extension of -o, else qamus.toml, else text.
    let format = match args.format {
        Some(format) => format,
        None => match format_of_output(args.output.as_deref(), &known)? {
            Some(format) => format,
            None => config_value(config, "format", config.format())?.unwrap_or(OutputFormat::Text),
        },
    };
    let fail_on = args.fail_on.or(config_value(config, "fail-on", config.fail_on())?).unwrap_or(FailOn::Error);
    let min_severity: Severity =
        args.min_severity.or(config_value(config, "min-severity", config.min_severity())?).unwrap_or(Level::Info).into();
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let colour = format == OutputFormat::Text
        && match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        };
    let show_progress = io::stderr().is_terminal() && !to_terminal && std::env::var_os("CI").is_none();
    let repo_root = repository_root();
    let mut printer: Box<dyn Printer + '_> = match format {
        OutputFormat::Text if args.count => Box::new(report::terminal::CountPrinter { min_severity }),
        OutputFormat::Text => Box::new(report::terminal::TextPrinter { min_severity, colour }),
        OutputFormat::Json => Box::new(report::json::JsonPrinter),
        OutputFormat::Sarif => Box::new(report::sarif::SarifPrinter),
        OutputFormat::Jsonl => Box::new(report::jsonl::JsonlPrinter { glossary: &prepared.glossary, min_severity }),
        OutputFormat::Github => Box::new(report::github::GithubPrinter {
            glossary: &prepared.glossary,
            min_severity,
            root: repo_root.clone(),
            step_summary: std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()).map(PathBuf::from),
        }),
    };
    let mut needs = printer.needs();
    // A baseline matches findings by their surface and context, so a count
    // against one needs them whole; writing one needs every finding.
    if args.baseline.is_some() || args.write_baseline.is_some() {
        needs.counts_only = false;
    }
    if args.write_baseline.is_some() {
        needs.findings_at_the_end = true;
    }
    needs.apply(&mut prepared.options);
    let Prepared { glossary, matchers: matcher, options, paths, .. } = &prepared;
    let walk_filter = |path: &Path| prepared.walk_filter(path);
    let mut baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let mut baselined = 0;

    let mut run = |out: &mut dyn Write| -> io::Result<qamus::check::Outcome> {
        let mut write_error: Option<io::Error> = None;
        let mut on_document = |document: &mut qamus::check::DocumentResult| {
            if let Some(baseline) = baseline.as_mut() {
                baselined +=
                    baseline.filter(qamus::input::corpus::file_of(&document.path, document.record), &mut document.findings, glossary);
            }
            for notice in &document.notices {
                eprintln!("qamus: warning: {notice}");
            }
            if write_error.is_some() {
                return;
            }
            if let Err(e) = printer.document(document, out) {
                write_error = Some(e);
            }
        };
        // `total` is 0 while the walk is still finding files.
        let mut progress = |done: usize, total: usize| {
            if show_progress && total == 0 {
                eprint!("\rqamus: {}", qamus::words::plural(done, "file"));
            } else if show_progress && total > 1 {
                eprint!("\rqamus: {done}/{total} files");
                if done == total {
                    eprint!("\r\x1b[K");
                }
            }
        };
        // Every document is checked even after the reader closed the pipe
        // (`qamus check | head`): the exit code still says whether a
        // finding reached `--fail-on`.
        let outcome = check_paths(glossary, matcher, paths, options, &walk_filter, &mut on_document, &mut progress);
        match write_error {
            Some(e) if is_broken_pipe(&e) => return Ok(outcome),
            Some(e) => return Err(e),
            None => {}
        }
        let report = Report { glossary, outcome: &outcome, min_severity, root: repo_root.clone() };
        let written = printer.finish(&report, out);
        match written.and_then(|()| out.flush()) {
            Err(e) if !is_broken_pipe(&e) => Err(e),
            _ => Ok(outcome),
        }
    };

    let outcome = match &args.output {
        Some(path) => {
            let mut outcome = None;
            crate::output::write_atomic(path, |w| {
                outcome = Some(run(w)?);
                Ok(())
            })?;
            outcome.unwrap_or_default()
        }
        None => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            run(&mut out).map_err(stdout_error)?
        }
    };

    for skipped in &outcome.skipped {
        eprintln!("qamus: {skipped}");
    }
    for error in &outcome.errors {
        eprintln!("qamus: error: {error}");
    }
    if let Some(baseline) = &baseline {
        tell_baseline(baselined, baseline);
    }
    prepared.empty_include(&outcome)?;
    if let Some(path) = &args.write_baseline {
        let findings: Vec<_> = outcome.findings().cloned().collect();
        let bytes = Baseline::to_bytes(path, &findings, glossary)?;
        crate::output::write_atomic(path, |w| w.write_all(&bytes))?;
        eprintln!("qamus: recorded {} in {}", qamus::report::consistency::plural(findings.len(), "finding"), path.display());
        return Ok(if outcome.errors.is_empty() { 0 } else { 2 });
    }
    if !outcome.errors.is_empty() {
        return Ok(2);
    }
    let threshold = match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    let counts = outcome.finding_counts();
    let failed = threshold.is_some_and(|t| Severity::ALL.iter().zip(counts).any(|(s, n)| *s >= t && n > 0));
    // The process ends with this command: freeing a large glossary's
    // millions of small allocations one by one would take longer than
    // loading it did (a third of the time with 100,000 concepts).
    std::mem::forget(outcome);
    drop(printer);
    std::mem::forget(prepared);
    Ok(u8::from(failed))
}

fn stdout_error(e: io::Error) -> Error {
    Error::new(ErrorKind::Io(e), "<stdout>")
}

/// The format an `-o FILE`'s extension names among `known` (`None`
/// without `-o` or an extension). An extension that names none is an error
/// before anything is read, rather than a file of another format than its
/// name says (`-o glossary.xlsx` was written as CSV).
fn format_of_output<T: ValueEnum + Copy>(output: Option<&Path>, known: &[(&str, T)]) -> Result<Option<T>> {
    let Some(path) = output else { return Ok(None) };
    // Said before the run, whatever its name looks like.
    if path.is_dir() {
        return Err(Error::new(ErrorKind::Usage("is a directory; name the file to write".into()), path.display().to_string()));
    }
    let Some(extension) = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase) else { return Ok(None) };
    match known.iter().find(|(name, _)| *name == extension) {
        Some((_, format)) => Ok(Some(*format)),
        None => {
            let names: Vec<String> = known.iter().map(|(name, _)| format!(".{name}")).collect();
            Err(Error::new(
                ErrorKind::Usage(format!(
                    "-o: «.{extension}» names no format qamus writes here (it knows {}); give --format, or another extension",
                    names.join(", ")
                )),
                path.display().to_string(),
            ))
        }
    }
}

/// Whether standard input is a pipe or a file (something was piped or
/// redirected into qamus), not a terminal or a device like `/dev/null`.
fn stdin_is_readable() -> bool {
    if io::stdin().is_terminal() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        std::fs::metadata("/dev/stdin").is_ok_and(|meta| meta.is_file() || meta.file_type().is_fifo() || meta.file_type().is_socket())
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Whether an error is, or wraps, a closed pipe (`qamus … | head`): the
/// CSV writer, for one, wraps the io error in its own.
pub fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(e);
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<io::Error>() {
            if io.kind() == io::ErrorKind::BrokenPipe {
                return true;
            }
            if let Some(inner) = io.get_ref() {
                if is_broken_pipe(inner) {
                    return true;
                }
            }
        }
        // The CSV writer's error gives no source: its io error is its kind.
        if let Some(::csv::ErrorKind::Io(io)) = e.downcast_ref::<::csv::Error>().map(|csv| csv.kind()) {
            return io.kind() == io::ErrorKind::BrokenPipe;
        }
        cause = e.source();
    }
    false
}

fn glossary_command(args: GlossaryArgs) -> Result<u8> {
    let known = [("csv", GlossaryOutput::Csv), ("tbx", GlossaryOutput::Tbx), ("xml", GlossaryOutput::Tbx), ("json", GlossaryOutput::Json)];
    let format = match args.format {
        Some(format) => format,
        None => format_of_output(args.output.as_deref(), &known)?.unwrap_or(GlossaryOutput::Csv),
    };
    let mut prepared = prepare(&args.input)?;
    prepared.options.tally_uses = true;
    // Its findings are not shown: counted, not made.
    prepared.options.counts_only = true;
    let glossary = &prepared.glossary;
    if args.test {
        let (count, failures) = qamus::matcher::selftest::run(glossary);
        for failure in &failures {
            eprintln!("qamus: {failure}");
        }
        println!("{} passed, {} failed", count - failures.len(), failures.len());
        return Ok(u8::from(!failures.is_empty()));
    }
    let mut attested = qamus::glossary::attested::Attested::new(glossary);
    // No path: no corpus (not the current folder, as for `check`).
    let outcome = if args.input.paths.is_empty() {
        qamus::check::Outcome::default()
    } else {
        let mut on_document = |document: &mut qamus::check::DocumentResult| {
            for notice in &document.notices {
                eprintln!("qamus: warning: {notice}");
            }
            qamus::report::consistency::attest(&mut attested, &document.path, &document.uses);
            document.uses = Vec::new();
            document.findings = Vec::new();
        };
        let walk_filter = |path: &Path| prepared.walk_filter(path);
        check_paths(glossary, &prepared.matchers, &prepared.paths, &prepared.options, &walk_filter, &mut on_document, &mut |_, _| {})
    };
    for skipped in &outcome.skipped {
        eprintln!("qamus: {skipped}");
    }
    for error in &outcome.errors {
        eprintln!("qamus: error: {error}");
    }
    let rows = attested.rows(glossary, args.all);
    let (en_locale, ar_locale) = args.locales.split_once(',').map(|(a, b)| (a.trim(), b.trim())).unwrap_or(("en", "ar"));
    let write = |out: &mut dyn Write| -> io::Result<()> {
        match format {
            GlossaryOutput::Csv => qamus::glossary::csv::write(glossary, &rows, args.bom, out),
            GlossaryOutput::CatCsv => qamus::glossary::csv::write_cat(&rows, (en_locale, ar_locale), args.bom, out),
            GlossaryOutput::Tbx => qamus::glossary::tbx::write(&rows, out),
            GlossaryOutput::Json => qamus::glossary::attested::write_json(&rows, out),
        }
    };
    write_output(args.output.as_deref(), write)?;
    Ok(if outcome.errors.is_empty() { 0 } else { 2 })
}

/// How many of the files the report makes no source of are named on stderr.
const LEFT_OUT_TOLD: usize = 10;

fn report_command(args: ReportArgs) -> Result<u8> {
    let mut prepared = prepare(&args.input)?;
    prepared.options.tally_uses = true;
    let spec = args.source_by.clone().or_else(|| prepared.config.source_by().map(str::to_string)).unwrap_or_else(|| "file".into());
    let source_by = qamus::report::consistency::SourceBy::parse(&spec).map_err(Error::usage)?;
    let known = [
        ("md", ReportFormat::Markdown),
        ("markdown", ReportFormat::Markdown),
        ("html", ReportFormat::Html),
        ("htm", ReportFormat::Html),
        ("json", ReportFormat::Json),
    ];
    let format = match args.format {
        Some(format) => format,
        None => format_of_output(args.output.as_deref(), &known)?.unwrap_or(ReportFormat::Markdown),
    };
    let mut baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    // The findings the report does not list are counted, not kept; with a
    // baseline, which filters findings, every one is kept.
    if baseline.is_none() {
        prepared.options.listed_rules = Some(qamus::report::consistency::LISTED.to_vec());
    }
    let mut baselined = 0;
    let mut collector = qamus::report::consistency::Collector::new(&prepared.glossary, source_by, prepared.options.severities.clone());
    let mut on_document = |document: &mut qamus::check::DocumentResult| {
        for notice in &document.notices {
            eprintln!("qamus: warning: {notice}");
        }
        if let Some(baseline) = baseline.as_mut() {
            baselined +=
                baseline.filter(qamus::input::corpus::file_of(&document.path, document.record), &mut document.findings, &prepared.glossary);
        }
        collector.add(document);
        document.uses = Vec::new();
        document.findings = Vec::new();
    };
    let walk_filter = |path: &Path| prepared.walk_filter(path);
    let outcome = check_paths(
        &prepared.glossary,
        &prepared.matchers,
        &prepared.paths,
        &prepared.options,
        &walk_filter,
        &mut on_document,
        &mut |_, _| {},
    );
    for skipped in &outcome.skipped {
        eprintln!("qamus: {skipped}");
    }
    for error in &outcome.errors {
        eprintln!("qamus: error: {error}");
    }
    if let Some(baseline) = &baseline {
        tell_baseline(baselined, baseline);
    }
    prepared.empty_include(&outcome)?;
    let data = collector.finish(generated_at());
    for left in data.left_out.iter().take(LEFT_OUT_TOLD) {
        eprintln!("qamus: {}: not a source of the report: {}", left.path, left.why());
    }
    if data.left_out.len() > LEFT_OUT_TOLD {
        eprintln!(
            "qamus: and {} more not sources of the report (the JSON report lists them all, in left_out)",
            qamus::report::consistency::plural(data.left_out.len() - LEFT_OUT_TOLD, "file")
        );
    }
    let write = |out: &mut dyn Write| -> io::Result<()> {
        match format {
            ReportFormat::Markdown => qamus::report::markdown::emit(&data, out),
            ReportFormat::Html => qamus::report::html::emit(&data, out),
            ReportFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &data)?;
                writeln!(out)
            }
        }
    };
    write_output(args.output.as_deref(), write)?;
    Ok(if outcome.errors.is_empty() { 0 } else { 2 })
}

/// Says on stderr how many findings a baseline left out, and how many of
/// its entries for the files checked matched nothing (fixed since).
fn tell_baseline(baselined: usize, baseline: &Baseline) {
    use qamus::report::consistency::plural;
    if baselined > 0 {
        let verb = if baselined == 1 { "was" } else { "were" };
        eprintln!("qamus: {} recorded in the baseline {verb} not reported", plural(baselined, "finding"));
    }
    let unmatched = baseline.unmatched();
    if unmatched > 0 {
        eprintln!(
            "qamus: {} of the baseline matched no finding in the files checked (fixed, or their words changed); --write-baseline records the findings of today",
            plural(unmatched, "entry")
        );
    }
}

/// Writes to a file atomically, or to standard output.
fn write_output(path: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    match path {
        Some(path) => crate::output::write_atomic(path, write),
        None => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            write(&mut out).and_then(|_| out.flush()).map_err(stdout_error)
        }
    }
}

/// The time for a report's header: `SOURCE_DATE_EPOCH` when set
/// (reproducible builds and tests), else now; as `YYYY-MM-DD HH:MM UTC`.
fn generated_at() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64));
    qamus::report::consistency::format_utc(seconds)
}

/// The root of the repository the run is in: `$GITHUB_WORKSPACE` when set,
/// else the nearest ancestor of the current directory with a `.git`, else the
/// current directory; made canonical.
fn repository_root() -> Option<PathBuf> {
    if let Some(workspace) = std::env::var_os("GITHUB_WORKSPACE").filter(|w| !w.is_empty()) {
        return std::fs::canonicalize(workspace).ok();
    }
    let cwd = std::fs::canonicalize(std::env::current_dir().ok()?).ok()?;
    Some(cwd.ancestors().find(|d| d.join(".git").exists()).unwrap_or(&cwd).to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_mmap_is_still_accepted() {
        assert!(Cli::try_parse_from(["qamus", "check", "--no-config", "--no-mmap", "x.txt"]).is_ok());
    }
}
