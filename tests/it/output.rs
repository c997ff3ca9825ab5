//! How outputs are written (`-o`, `--write-baseline`): a symbolic link is
//! written through, a file keeps its mode and a new one gets the umask's,
//! devices, FIFOs and `/dev/stdout` are written in place, a directory is an
//! error; and a run interrupted by SIGINT, SIGTERM or (with an unnamed
//! temporary file) SIGKILL leaves nothing behind and the old output intact.
//!
//! An interrupted run ends killed by the signal it got (its handler removes
//! the temporary file, then raises the signal again with its default
//! action), so a shell shows 130 for SIGINT and 143 for SIGTERM.

#![cfg(unix)]

use std::collections::BTreeSet;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::util::{self, lossy, Qamus};

fn fixture() -> PathBuf {
    Path::new(util::ROOT).join("fixtures/articles/hmc-mixed-renderings.txt")
}

/// Paths as given, no job summary, and not in CI (no progress line).
const QAMUS: Qamus = Qamus::new().outside_workspace().without_step_summary().outside_ci();

/// qamus in `dir`, with the unnamed temporary file where the platform has
/// one (`QAMUS_NO_O_TMPFILE` removed).
fn command_in(dir: &Path) -> Command {
    let mut command = QAMUS.in_dir(dir).command();
    command.env_remove("QAMUS_NO_O_TMPFILE");
    command
}

fn qamus_in(dir: &Path, args: &[&str]) -> Output {
    command_in(dir).args(args).output().expect("run qamus")
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The names in `dir`.
fn entries(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
}

#[test]
fn output_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    let real = dir.path().join("reports/real.sarif");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink("reports/real.sarif", dir.path().join("out.sarif")).unwrap();
    let fixture = fixture();
    let output = qamus_in(dir.path(), &["check", "--no-config", "-o", "out.sarif", fixture.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", lossy(&output.stderr));
    let link = std::fs::symlink_metadata(dir.path().join("out.sarif")).unwrap();
    assert!(link.file_type().is_symlink(), "the link stays a link");
    assert_eq!(std::fs::read_link(dir.path().join("out.sarif")).unwrap(), Path::new("reports/real.sarif"));
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&real).unwrap()).unwrap();
    assert_eq!(written["version"], "2.1.0");
    assert_eq!(entries(dir.path()), BTreeSet::from(["out.sarif".to_string(), "reports".to_string()]));
    assert_eq!(entries(&dir.path().join("reports")), BTreeSet::from(["real.sarif".to_string()]));
}

#[test]
fn a_rewritten_report_and_baseline_keep_their_mode() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let baseline = dir.path().join("baseline.json");
    for (path, mode) in [(&report, 0o600), (&baseline, 0o640)] {
        std::fs::write(path, "old").unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let fixture = fixture();
    let output = qamus_in(
        dir.path(),
        &["check", "--no-config", "-o", "report.json", "--write-baseline", "baseline.json", fixture.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(0), "writing a baseline fails on nothing: {}", lossy(&output.stderr));
    assert!(serde_json::from_str::<Value>(&std::fs::read_to_string(&report).unwrap()).is_ok());
    assert!(serde_json::from_str::<Value>(&std::fs::read_to_string(&baseline).unwrap()).is_ok());
    assert_eq!(format!("{:o}", mode(&report)), "600");
    assert_eq!(format!("{:o}", mode(&baseline)), "640");
}

#[test]
fn a_new_output_gets_the_mode_the_umask_gives() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = fixture();
    for (umask, expected) in [("027", "640"), ("002", "664")] {
        let name = format!("new-{umask}.json");
        let output = Command::new("sh")
            .current_dir(dir.path())
            .env_remove("QAMUS_NO_O_TMPFILE")
            .args(["-c", &format!("umask {umask}; exec \"$0\" \"$@\""), env!("CARGO_BIN_EXE_qamus")])
            .args(["check", "--no-config", "-o", &name, fixture.to_str().unwrap()])
            .output()
            .expect("run sh");
        assert_eq!(output.status.code(), Some(1), "{}", lossy(&output.stderr));
        assert_eq!(format!("{:o}", mode(&dir.path().join(&name))), expected, "umask {umask}");
    }
}

#[test]
fn dev_null_stays_a_character_device() {
    let fixture = fixture();
    let output = qamus_in(Path::new(util::ROOT), &["check", "--no-config", "-o", "/dev/null", fixture.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", lossy(&output.stderr));
    assert!(output.stdout.is_empty());
    let null = std::fs::symlink_metadata("/dev/null").unwrap();
    assert!(null.file_type().is_char_device(), "/dev/null is now {:?}", null.file_type());
    assert!(entries(Path::new("/dev")).iter().all(|name| !name.contains(".qamus-")), "no temporary file in /dev");
}

#[test]
fn a_fifo_is_written_in_place_while_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("findings.json");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).unwrap())
    };
    let fixture = fixture();
    let output = qamus_in(dir.path(), &["check", "--no-config", "-o", "findings.json", fixture.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", lossy(&output.stderr));
    // Had the FIFO been replaced, the reader would wait on it for ever:
    // this fails first.
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO is still one");
    let read = reader.join().unwrap();
    let findings: Value = serde_json::from_slice(&read).unwrap_or_else(|e| panic!("{e}: {}", lossy(&read)));
    assert!(!findings["findings"].as_array().unwrap().is_empty());
    assert_eq!(entries(dir.path()), BTreeSet::from(["findings.json".to_string()]));
}

#[test]
fn dev_stdout_is_the_standard_output_and_stays_what_it_was() {
    let before = std::fs::symlink_metadata("/dev/stdout").unwrap().file_type();
    let fixture = fixture();
    let output =
        qamus_in(Path::new(util::ROOT), &["check", "--no-config", "--format", "json", "-o", "/dev/stdout", fixture.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", lossy(&output.stderr));
    let findings: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", lossy(&output.stdout)));
    assert!(!findings["findings"].as_array().unwrap().is_empty());
    let after = std::fs::symlink_metadata("/dev/stdout").unwrap().file_type();
    assert_eq!(after, before);
    #[cfg(target_os = "linux")]
    assert!(after.is_symlink(), "/dev/stdout is a link to /proc/self/fd/1");
}

#[test]
fn a_directory_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    let fixture = fixture();
    for target in ["reports", "reports/", "missing/"] {
        let output = qamus_in(dir.path(), &["check", "--no-config", "--format", "json", "-o", target, fixture.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{target}");
        let stderr = lossy(&output.stderr);
        let expected = if target == "missing/" {
            "qamus: error: missing/: ends in a slash, so names a directory, and there is none; name the file to write"
        } else {
            &format!("qamus: error: {target}: is a directory; name the file to write")
        };
        assert_eq!(stderr.trim_end(), expected, "{target}");
    }
    // Without --format, a folder whose name has an extension is still
    // called a folder, not an unknown format.
    std::fs::create_dir(dir.path().join("out.d")).unwrap();
    let output = qamus_in(dir.path(), &["check", "--no-config", "-o", "out.d", fixture.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(lossy(&output.stderr).trim_end(), "qamus: error: out.d: is a directory; name the file to write");
    assert_eq!(entries(dir.path()), BTreeSet::from(["out.d".to_string(), "reports".to_string()]));
    assert!(entries(&dir.path().join("reports")).is_empty());
}

// ---------------------------------------------------------------- interruptions

#[cfg(target_os = "linux")]
mod interrupted {
    use super::*;
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use std::process::{Child, ChildStdin, ExitStatus, Stdio};
    use std::time::{Duration, Instant};

    /// Long enough never to be reached by a run that works.
    const PATIENCE: Duration = Duration::from_secs(60);

    /// A run of `qamus check -o out.json -` in `dir`, writing its output
    /// while it waits for a standard input that only ends when `stdin` is
    /// dropped.
    struct Writing {
        child: Child,
        _stdin: ChildStdin,
        /// What `/proc` says the output's open temporary file is.
        open: String,
    }

    /// Starts the run with SIGINT, SIGTERM and SIGHUP at their default
    /// action (or SIGINT ignored), with the named temporary file or the
    /// platform's choice, and waits until the temporary file is open.
    fn start(dir: &Path, named: bool, ignore_sigint: bool) -> Writing {
        let mut command = command_in(dir);
        command.args(["check", "--no-config", "--format", "json", "-o", "out.json", "-"]);
        if named {
            command.env("QAMUS_NO_O_TMPFILE", "1");
        }
        command.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped());
        // SAFETY: signal is async-signal-safe; nothing else runs between
        // fork and exec.
        unsafe {
            command.pre_exec(move || {
                libc::signal(libc::SIGINT, if ignore_sigint { libc::SIG_IGN } else { libc::SIG_DFL });
                libc::signal(libc::SIGTERM, libc::SIG_DFL);
                libc::signal(libc::SIGHUP, libc::SIG_DFL);
                Ok(())
            });
        }
        let mut child = command.spawn().expect("run qamus");
        let stdin = child.stdin.take().unwrap();
        let dir = std::fs::canonicalize(dir).unwrap();
        let fds = PathBuf::from(format!("/proc/{}/fd", child.id()));
        let start = Instant::now();
        loop {
            let open = std::fs::read_dir(&fds)
                .into_iter()
                .flatten()
                .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
                .find(|target| target.starts_with(&dir));
            if let Some(open) = open {
                return Writing { child, _stdin: stdin, open: open.display().to_string() };
            }
            if let Some(status) = child.try_wait().unwrap() {
                let mut stderr = String::new();
                std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
                panic!("qamus ended ({status}) before opening its output: {stderr}");
            }
            if start.elapsed() > PATIENCE {
                let _ = child.kill();
                panic!("qamus never opened its output");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    impl Writing {
        fn signal(&self, signal: libc::c_int) {
            // SAFETY: kill reads no memory; the child is ours and not reaped.
            assert_eq!(unsafe { libc::kill(self.child.id() as libc::pid_t, signal) }, 0);
        }

        fn wait(mut self) -> ExitStatus {
            let start = Instant::now();
            loop {
                if let Some(status) = self.child.try_wait().unwrap() {
                    return status;
                }
                if start.elapsed() > PATIENCE {
                    let _ = self.child.kill();
                    panic!("qamus did not end on the signal");
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }

    /// A run interrupted by `signal` while writing out.json (over an old
    /// one), with a named temporary file and with the platform's choice,
    /// ends by that signal and leaves the folder as it was.
    fn interrupt(signal: libc::c_int) {
        for named in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("out.json"), "old").unwrap();
            let before = entries(dir.path());
            let run = start(dir.path(), named, false);
            if named {
                let name = Path::new(&run.open).file_name().unwrap().to_string_lossy().into_owned();
                assert!(name.starts_with(".out.json.qamus-") && name.ends_with(".tmp"), "{}", run.open);
                assert!(entries(dir.path()).contains(&name), "the temporary file is there to be removed");
            }
            run.signal(signal);
            let status = run.wait();
            assert_eq!(status.signal(), Some(signal), "ended by the signal (named: {named}): {status}");
            assert_eq!(entries(dir.path()), before, "nothing left behind (named: {named})");
            assert_eq!(std::fs::read_to_string(dir.path().join("out.json")).unwrap(), "old");
        }
    }

    #[test]
    fn sigterm_leaves_no_temporary_file_and_the_old_output() {
        interrupt(libc::SIGTERM);
    }

    #[test]
    fn sigint_leaves_no_temporary_file_and_the_old_output() {
        interrupt(libc::SIGINT);
    }

    #[test]
    fn sigkill_leaves_nothing_with_an_unnamed_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let before = entries(dir.path());
        let run = start(dir.path(), false, false);
        if !run.open.ends_with(" (deleted)") {
            eprintln!(
                "SKIPPED: the file system of {} has no O_TMPFILE ({}), so a SIGKILL leaves the named file",
                dir.path().display(),
                run.open
            );
            run.signal(libc::SIGKILL);
            run.wait();
            return;
        }
        run.signal(libc::SIGKILL);
        assert_eq!(run.wait().signal(), Some(libc::SIGKILL));
        assert_eq!(entries(dir.path()), before, "nothing left behind");
    }

    /// The bits of a signal mask line of /proc/PID/status.
    fn mask(status: &str, key: &str) -> u64 {
        let line = status.lines().find(|l| l.starts_with(key)).unwrap();
        u64::from_str_radix(line[key.len()..].trim(), 16).unwrap()
    }

    #[test]
    fn an_ignored_sigint_stays_ignored_while_sigterm_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let run = start(dir.path(), true, true);
        let status = std::fs::read_to_string(format!("/proc/{}/status", run.child.id())).unwrap();
        let bit = |signal: libc::c_int| 1u64 << (signal - 1);
        let (ignored, caught) = (mask(&status, "SigIgn:"), mask(&status, "SigCgt:"));
        assert!(ignored & bit(libc::SIGINT) != 0 && caught & bit(libc::SIGINT) == 0, "SIGINT stays ignored:\n{status}");
        assert!(caught & bit(libc::SIGTERM) != 0 && caught & bit(libc::SIGHUP) != 0, "SIGTERM and SIGHUP are caught:\n{status}");
        run.signal(libc::SIGTERM);
        assert_eq!(run.wait().signal(), Some(libc::SIGTERM));
        assert!(entries(dir.path()).is_empty());
    }
}
