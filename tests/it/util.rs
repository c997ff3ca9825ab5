//! What the integration tests share: running the `qamus` binary with the
//! environment a test asks for, reading its output, and finding the
//! third-party material in `../shared/` (read, never copied into the
//! repository).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate's root, where `cargo test` runs the tests (`fixtures/`,
/// `tests/snapshots/`, … are relative to it).
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The `SOURCE_DATE_EPOCH` of [`Qamus::fixed_date`]: the date a report
/// shows, so that it is the same in every run.
pub const DATE: &str = "1785398400";

/// `qamus`, as a test runs it: the binary built for the tests, in the
/// environment the tests run in. Nothing is changed but what a test asks
/// for, each by a method of its own:
///
/// ```ignore
/// const QAMUS: Qamus = Qamus::new().colour_allowed();
/// let output = QAMUS.in_dir(dir.path()).run(&["check", "."]);
/// ```
#[derive(Clone, Copy, Default)]
pub struct Qamus<'a> {
    dir: Option<&'a Path>,
    colour_allowed: bool,
    fixed_date: bool,
    outside_workspace: bool,
    without_step_summary: bool,
    ci: Ci,
}

/// What a run is told about continuous integration.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Ci {
    /// `CI` and `GITHUB_ACTIONS` as the tests got them.
    #[default]
    Inherited,
    /// `CI=1`.
    Set,
    /// `CI` removed.
    Removed,
    /// `CI` and `GITHUB_ACTIONS` removed.
    RemovedWithGithubActions,
}

impl<'a> Qamus<'a> {
    /// The environment of the tests, the working directory of the tests
    /// (the crate's root).
    pub const fn new() -> Self {
        Qamus {
            dir: None,
            colour_allowed: false,
            fixed_date: false,
            outside_workspace: false,
            without_step_summary: false,
            ci: Ci::Inherited,
        }
    }

    /// Runs in `dir`.
    pub const fn in_dir(self, dir: &'a Path) -> Self {
        Qamus { dir: Some(dir), ..self }
    }

    /// Runs in the crate's root, whatever the working directory of the
    /// tests.
    pub fn in_root(self) -> Self {
        Qamus { dir: Some(Path::new(ROOT)), ..self }
    }

    /// `NO_COLOR` removed: colour is what the flags and the terminal make
    /// it, whatever the environment of the tests.
    pub const fn colour_allowed(self) -> Self {
        Qamus { colour_allowed: true, ..self }
    }

    /// `SOURCE_DATE_EPOCH` set to [`DATE`].
    pub const fn fixed_date(self) -> Self {
        Qamus { fixed_date: true, ..self }
    }

    /// `GITHUB_WORKSPACE` removed: paths are shown as given, not relative to
    /// a workspace of GitHub Actions.
    pub const fn outside_workspace(self) -> Self {
        Qamus { outside_workspace: true, ..self }
    }

    /// `GITHUB_STEP_SUMMARY` removed: no job summary is written.
    pub const fn without_step_summary(self) -> Self {
        Qamus { without_step_summary: true, ..self }
    }

    /// `CI=1`.
    pub const fn in_ci(self) -> Self {
        Qamus { ci: Ci::Set, ..self }
    }

    /// `CI` removed.
    pub const fn outside_ci(self) -> Self {
        Qamus { ci: Ci::Removed, ..self }
    }

    /// `CI` and `GITHUB_ACTIONS` removed.
    pub const fn outside_ci_and_github_actions(self) -> Self {
        Qamus { ci: Ci::RemovedWithGithubActions, ..self }
    }

    /// The command, without arguments, for a test to add to (standard
    /// input, more environment, `spawn`).
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_qamus"));
        if let Some(dir) = self.dir {
            command.current_dir(dir);
        }
        if self.colour_allowed {
            command.env_remove("NO_COLOR");
        }
        if self.fixed_date {
            command.env("SOURCE_DATE_EPOCH", DATE);
        }
        if self.outside_workspace {
            command.env_remove("GITHUB_WORKSPACE");
        }
        if self.without_step_summary {
            command.env_remove("GITHUB_STEP_SUMMARY");
        }
        match self.ci {
            Ci::Inherited => {}
            Ci::Set => {
                command.env("CI", "1");
            }
            Ci::Removed => {
                command.env_remove("CI");
            }
            Ci::RemovedWithGithubActions => {
                command.env_remove("CI").env_remove("GITHUB_ACTIONS");
            }
        }
        command
    }

    /// Runs with `args` and waits for it.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run qamus")
    }
}

/// `qamus` in the environment of the tests, nothing changed: the command,
/// without arguments.
pub fn qamus() -> Command {
    Qamus::new().command()
}

/// `qamus ARGS` in the environment of the tests, nothing changed.
pub fn run(args: &[&str]) -> Output {
    Qamus::new().run(args)
}

/// Standard output, which must be UTF-8.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Standard error, which must be UTF-8.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Bytes that must be UTF-8, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Bytes as text, what is not UTF-8 replaced.
pub fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `../shared/<relative>` if it exists. Where it is absent the test is
/// skipped with a message, unless `QAMUS_REQUIRE_SHARED` is set (as CI sets
/// it), where that is a failure: a test that needs the material must not
/// pass without it there.
pub fn shared(relative: &str, what: &str) -> Option<PathBuf> {
    let path = Path::new(ROOT).join("../shared").join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("QAMUS_REQUIRE_SHARED").is_some_and(|v| !v.is_empty() && v != "0") {
        panic!("{} is absent and QAMUS_REQUIRE_SHARED is set: {what} cannot run", path.display());
    }
    eprintln!("SKIPPED: {} is absent, so {what} did not run", path.display());
    None
}
