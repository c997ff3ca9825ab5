//! Writing the files qamus makes. This module owns every file qamus writes:
//! `-o` of `check`, `report` and `glossary`, `--write-baseline`, and `init`.
//! [`write_atomic`] writes one of them so that nothing is lost and nothing is
//! left behind:
//!
//! - **The target is what the path names in the end.** A symbolic link is
//!   followed to its final target (a dangling one to the file it names), and
//!   that target is replaced; the link stays a link. A directory is an error.
//! - **A regular file (or a new one) is replaced atomically**: the output goes
//!   to a temporary file in the target's directory, which is renamed over the
//!   target only when it is complete and synced, so a failed or interrupted
//!   run leaves the old file as it was. The replacement keeps the old file's
//!   permission bits (and its owner and group where the process may set
//!   them); a new file gets the mode a normally created one gets (`0666`
//!   less the umask, or the directory's default ACL).
//! - **Anything else is written in place**, with no temporary file and no
//!   rename: a character or block device (`/dev/null`), a FIFO, a socket.
//!   `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` write
//!   to the process's own descriptor (a copy of it), as a shell's `>&N` does,
//!   so a pipe, a socket, or a file opened for appending behind it is
//!   written as such.
//! - **An interruption leaves nothing behind.** On Linux the temporary file is
//!   made unnamed (`O_TMPFILE`) and only given a name when complete (`linkat`
//!   of `/proc/self/fd/N`), then renamed over the target: a run killed by any
//!   signal, even `SIGKILL`, before that moment leaves no file. Where that is
//!   not available (other systems, file systems without `O_TMPFILE`, no
//!   `/proc`) the temporary file is named `.NAME.qamus-PID-N.tmp`; it is
//!   removed when the write fails or panics, and on `SIGINT`, `SIGTERM` and
//!   `SIGHUP`: while a file is being written, a handler removes the
//!   temporary file (and the one of the short link-then-rename step on
//!   Linux), puts back the default action and raises the signal again, so the
//!   process ends killed by that signal as it would have (a shell shows 130
//!   and 143). The handler is only installed for a signal whose action is the
//!   default one: a signal ignored (a job started with `nohup`, or in the
//!   background) stays ignored, and a program's own handler is left alone.
//!   Only `SIGKILL` (or a power cut) while a named temporary file exists
//!   leaves it behind.
//!
//! Setting `QAMUS_NO_O_TMPFILE` (to anything not empty) makes Linux use the
//! named temporary file too, as other systems do; the tests use it to reach
//! that path.

use std::fs::{File, Metadata};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use qamus::error::{Error, ErrorKind, Result};

/// How many symbolic links are followed before giving up, as Linux does.
const MAX_LINKS: usize = 40;

/// Writes `path` with what `write` produces: atomically when it is (or links
/// to) a regular file or nothing, in place when it is a device, a FIFO, a
/// socket or a descriptor of the process; see the module's documentation.
/// The error names `path` as given.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let fail = |e: io::Error| Error::new(ErrorKind::Io(e), path.display().to_string());
    match resolve(path).map_err(fail)? {
        Target::Direct(file) => write_direct(file, write).map_err(fail),
        Target::Replace { path: target, existing } => replace(&target, existing.as_ref(), write).map_err(fail),
    }
}

/// What writing a path comes down to.
#[derive(Debug)]
enum Target {
    /// Write this open file in place.
    Direct(File),
    /// Replace the regular file at `path` (which `existing` describes), or
    /// create it.
    Replace { path: PathBuf, existing: Option<Metadata> },
}

/// Follows `path`'s symbolic links to what is written.
fn resolve(path: &Path) -> io::Result<Target> {
    let named_as_directory = ends_in_separator(path);
    let mut current = path.to_path_buf();
    for _ in 0..=MAX_LINKS {
        #[cfg(unix)]
        if let Some(fd) = own_descriptor(&current) {
            return unix::duplicate(fd).map(Target::Direct);
        }
        let meta = match std::fs::symlink_metadata(&current) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && named_as_directory => {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    "ends in a slash, so names a directory, and there is none; name the file to write",
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::Replace { path: current, existing: None }),
            Err(e) => return Err(e),
            Ok(meta) => meta,
        };
        let kernel_link = meta.file_type().is_symlink() && is_kernel_link(&current);
        if meta.file_type().is_symlink() && !kernel_link {
            let link = std::fs::read_link(&current)?;
            current = match current.parent() {
                Some(dir) if link.is_relative() => dir.join(link),
                _ => link,
            };
            continue;
        }
        // A link of /proc (to a pipe, a socket, a deleted file) is only
        // followed by opening it; so is what it links to judged.
        let meta = if kernel_link { std::fs::metadata(&current)? } else { meta };
        if meta.is_dir() {
            let message = if current.as_path() == path {
                "is a directory; name the file to write".to_string()
            } else {
                format!("is a symbolic link to the directory {}; name the file to write", current.display())
            };
            return Err(io::Error::new(io::ErrorKind::IsADirectory, message));
        }
        if named_as_directory {
            return Err(io::Error::new(io::ErrorKind::NotADirectory, "ends in a slash, but is not a directory; name the file to write"));
        }
        if meta.is_file() && !kernel_link {
            return Ok(Target::Replace { path: current, existing: Some(meta) });
        }
        return open_direct(&current).map(Target::Direct);
    }
    Err(io::Error::other(format!("more than {MAX_LINKS} levels of symbolic links")))
}

/// Whether the path as typed ends in a separator (`reports/`).
fn ends_in_separator(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().ends_with(b"/")
    }
    #[cfg(not(unix))]
    {
        let text = path.as_os_str().to_string_lossy();
        text.ends_with('/') || text.ends_with('\\')
    }
}

/// Whether the symbolic link `path` is one of `/proc`'s (`/proc/PID/fd/N`,
/// `/proc/PID/cwd`), which name pipes, sockets and deleted files no path
/// reaches: only opening one follows it.
fn is_kernel_link(path: &Path) -> bool {
    cfg!(any(target_os = "linux", target_os = "android")) && path.starts_with("/proc")
}

/// The descriptor of this process that `path` names: `/dev/stdout` (1),
/// `/dev/stderr` (2), `/dev/fd/N`, `/proc/self/fd/N`, `/proc/thread-self/fd/N`
/// and `/proc/PID/fd/N` of this process's PID.
#[cfg(unix)]
fn own_descriptor(path: &Path) -> Option<i32> {
    use std::path::Component;
    if path == Path::new("/dev/stdout") {
        return Some(1);
    }
    if path == Path::new("/dev/stderr") {
        return Some(2);
    }
    let parts: Vec<Component> = path.components().collect();
    let number =
        |c: &Component| c.as_os_str().to_str().filter(|s| s.bytes().all(|b| b.is_ascii_digit())).and_then(|s| s.parse::<i32>().ok());
    let word = |c: &Component| c.as_os_str().to_str().unwrap_or("").to_string();
    match parts.as_slice() {
        [Component::RootDir, dev, fd, n] if word(dev) == "dev" && word(fd) == "fd" => number(n),
        [Component::RootDir, proc, who, fd, n] if word(proc) == "proc" && word(fd) == "fd" => {
            let own = word(who) == "self" || word(who) == "thread-self" || word(who) == std::process::id().to_string();
            if own {
                number(n)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Opens what is written in place: a device, a FIFO (waiting for a reader,
/// as a shell's `>` does), a socket's or pipe's link in `/proc`.
fn open_direct(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A terminal named with -o does not become the controlling one.
        options.custom_flags(libc::O_NOCTTY);
    }
    // A regular file reached through a link of /proc loses what it held;
    // a device or a FIFO ignores O_TRUNC.
    options.truncate(true).open(path)
}

/// Writes an open device, FIFO, socket or descriptor. Its reader closing
/// it once everything was written is not an error, as with standard output.
fn write_direct(file: File, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = BufWriter::new(file);
    write(&mut out)?;
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Replaces (or creates) the regular file `target` with what `write`
/// produces, through a temporary file beside it.
fn replace(target: &Path, existing: Option<&Metadata>, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    let mut temp = Temp::create(dir, &name, existing.is_none()).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => io::Error::new(e.kind(), format!("there is no folder {} to write it in", dir.display())),
        _ => io::Error::new(e.kind(), format!("cannot create a temporary file in {}: {e}", dir.display())),
    })?;
    let mut out = BufWriter::new(&temp.file);
    write(&mut out)?;
    out.flush()?;
    drop(out);
    if let Some(existing) = existing {
        keep_permissions(&temp.file, existing)?;
    }
    temp.file.sync_all()?;
    temp.persist(target)?;
    // The rename itself survives a crash once the directory is synced; not
    // every system can sync a directory, and the file is complete anyway.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Gives the replacement the old file's owner and group (where the process
/// may: root, or a group it is in) and permission bits. The set-user-ID,
/// set-group-ID and sticky bits are not carried over, as the kernel clears
/// the first two when a file is written.
fn keep_permissions(file: &File, existing: &Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let now = file.metadata()?;
        let uid = (now.uid() != existing.uid()).then_some(existing.uid());
        let gid = (now.gid() != existing.gid()).then_some(existing.gid());
        if uid.is_some() || gid.is_some() {
            // Not allowed to an ordinary user but for a group of theirs:
            // the file is theirs then, as any file they create.
            if std::os::unix::fs::fchown(file, uid, gid).is_err() && gid.is_some() {
                let _ = std::os::unix::fs::fchown(file, None, gid);
            }
        }
        file.set_permissions(std::fs::Permissions::from_mode(existing.mode() & 0o777))
    }
    #[cfg(not(unix))]
    {
        file.set_permissions(existing.permissions())
    }
}

/// The temporary file being written.
struct Temp {
    file: File,
    /// Its name, when it has one (no `O_TMPFILE`): removed if it is dropped
    /// before [`Temp::persist`] renamed it.
    named: Option<Named>,
}

/// A named temporary file: its path, and its slot in the list the signal
/// handler removes.
struct Named {
    path: PathBuf,
    #[cfg(unix)]
    slot: Option<unix::Slot>,
}

impl Named {
    /// Names a file to be created: registered with the signal handler
    /// before it exists, so that no moment leaves it behind.
    fn new(path: PathBuf) -> Named {
        #[cfg(unix)]
        let slot = unix::register(&path);
        Named {
            path,
            #[cfg(unix)]
            slot,
        }
    }

    /// Forgets the file: it was renamed, or never created.
    fn forget(mut self) {
        #[cfg(unix)]
        if let Some(slot) = self.slot.take() {
            unix::unregister(slot);
        }
        self.path = PathBuf::new();
    }
}

impl Drop for Named {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
        #[cfg(unix)]
        if let Some(slot) = self.slot.take() {
            unix::unregister(slot);
        }
    }
}

/// A number for each temporary name this process tries.
static NEXT_NAME: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A fresh name for a temporary file beside `name` in `dir`: hidden, and
/// saying whose it is.
fn temp_path(dir: &Path, name: &str) -> PathBuf {
    // File names are limited to 255 bytes; the decoration takes some.
    let mut end = name.len().min(200);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let n = NEXT_NAME.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    dir.join(format!(".{}.qamus-{}-{n}.tmp", &name[..end], std::process::id()))
}

/// How many taken names are passed over before giving up.
const NAME_TRIES: usize = 100;

impl Temp {
    /// A temporary file in `dir` for replacing `name`. A `new` file is
    /// created with the mode any file is (`0666` less the umask); one that
    /// replaces another is created private, and given the old one's mode
    /// when complete.
    fn create(dir: &Path, name: &str, new: bool) -> io::Result<Temp> {
        let mode = if new { 0o666 } else { 0o600 };
        #[cfg(unix)]
        unix::install_handler();
        #[cfg(target_os = "linux")]
        if let Some(file) = unix::unnamed(dir, mode)? {
            return Ok(Temp { file, named: None });
        }
        for _ in 0..NAME_TRIES {
            let named = Named::new(temp_path(dir, name));
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
            #[cfg(not(unix))]
            let _ = mode;
            match options.open(&named.path) {
                Ok(file) => return Ok(Temp { file, named: Some(named) }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => named.forget(),
                Err(e) => {
                    named.forget();
                    return Err(e);
                }
            }
        }
        Err(io::Error::new(io::ErrorKind::AlreadyExists, "every temporary name tried is taken"))
    }

    /// Puts the complete file in `target`'s place.
    fn persist(&mut self, target: &Path) -> io::Result<()> {
        match self.named.take() {
            Some(named) => {
                std::fs::rename(&named.path, target)
                    .map_err(|e| io::Error::new(e.kind(), format!("cannot rename {} over it: {e}", named.path.display())))?;
                named.forget();
                Ok(())
            }
            #[cfg(target_os = "linux")]
            None => unix::link_unnamed(&self.file, target),
            #[cfg(not(target_os = "linux"))]
            None => unreachable!("only Linux makes unnamed files"),
        }
    }
}

#[cfg(unix)]
mod unix {
    //! What only Unix has: descriptors, unnamed files, signals.

    use std::cell::UnsafeCell;
    #[cfg(target_os = "linux")]
    use std::ffi::CString;
    use std::fs::File;
    use std::io;
    use std::os::fd::{FromRawFd, RawFd};
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::sync::atomic::{AtomicU8, Ordering};

    /// A copy of this process's descriptor `fd`, closed on exec.
    pub(super) fn duplicate(fd: RawFd) -> io::Result<File> {
        // SAFETY: F_DUPFD_CLOEXEC reads no memory; a closed `fd` is EBADF.
        let copy = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
        if copy < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `copy` was just made, and nothing else owns it.
        Ok(unsafe { File::from_raw_fd(copy) })
    }

    #[cfg(target_os = "linux")]
    fn c_path(path: &Path) -> io::Result<CString> {
        CString::new(path.as_os_str().as_bytes()).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "the path holds a NUL byte"))
    }

    /// An unnamed file in `dir` (`O_TMPFILE`) created with `mode` (less the
    /// umask), or `None` where the file system, the kernel or a missing
    /// `/proc` (needed to name it later) rules it out, or
    /// `QAMUS_NO_O_TMPFILE` is set.
    #[cfg(target_os = "linux")]
    pub(super) fn unnamed(dir: &Path, mode: u32) -> io::Result<Option<File>> {
        static PROC: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        if std::env::var_os("QAMUS_NO_O_TMPFILE").is_some_and(|v| !v.is_empty())
            || !*PROC.get_or_init(|| Path::new("/proc/self/fd").is_dir())
        {
            return Ok(None);
        }
        let dir = c_path(dir)?;
        // SAFETY: `dir` is a NUL-terminated path that outlives the call.
        let fd = unsafe { libc::open(dir.as_ptr(), libc::O_TMPFILE | libc::O_WRONLY | libc::O_CLOEXEC, mode as libc::c_uint) };
        if fd < 0 {
            let e = io::Error::last_os_error();
            // Not supported: by the file system (EOPNOTSUPP), by a kernel
            // older than 3.11 (which sees O_DIRECTORY: EISDIR), or oddly.
            return match e.raw_os_error() {
                Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL) => Ok(None),
                _ => Err(e),
            };
        }
        // SAFETY: `fd` was just opened, and nothing else owns it.
        Ok(Some(unsafe { File::from_raw_fd(fd) }))
    }

    /// Gives the complete unnamed `file` the name `target`: linked there
    /// directly if nothing is there, otherwise linked to a temporary name
    /// and renamed over it (the only moment a name exists that is not the
    /// target's, removed by the signal handler too).
    #[cfg(target_os = "linux")]
    pub(super) fn link_unnamed(file: &File, target: &Path) -> io::Result<()> {
        use std::os::fd::AsRawFd;
        let source = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd())).expect("no NUL in a number");
        let link = |to: &Path| -> io::Result<()> {
            let to = c_path(to)?;
            // SAFETY: both paths are NUL-terminated and outlive the call.
            let done = unsafe { libc::linkat(libc::AT_FDCWD, source.as_ptr(), libc::AT_FDCWD, to.as_ptr(), libc::AT_SYMLINK_FOLLOW) };
            if done == 0 {
                Ok(())
            } else {
                Err(io::Error::last_os_error())
            }
        };
        match link(target) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io::Error::new(e.kind(), format!("cannot link the complete file there: {e}"))),
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
        for _ in 0..super::NAME_TRIES {
            let named = super::Named::new(super::temp_path(dir, &name));
            match link(&named.path) {
                Ok(()) => {
                    std::fs::rename(&named.path, target)
                        .map_err(|e| io::Error::new(e.kind(), format!("cannot rename {} over it: {e}", named.path.display())))?;
                    named.forget();
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => named.forget(),
                Err(e) => {
                    named.forget();
                    return Err(io::Error::new(e.kind(), format!("cannot link the complete file beside it: {e}")));
                }
            }
        }
        Err(io::Error::new(io::ErrorKind::AlreadyExists, "every temporary name tried is taken"))
    }

    // ------------------------------------------------------------ signals

    /// The most temporary files alive at once that a signal removes (qamus
    /// writes one at a time); others are still removed on error and panic.
    const SLOTS: usize = 8;
    /// The longest path (with its NUL) a slot holds.
    const PATH_BYTES: usize = 4096;

    const FREE: u8 = 0;
    const FILLING: u8 = 1;
    const ARMED: u8 = 2;
    const REMOVING: u8 = 3;

    /// A temporary file's path, readable from a signal handler: no lock and
    /// no allocation. Only the thread that took a slot (`FREE` → `FILLING`)
    /// writes its path, before arming it; only the handler that disarmed it
    /// (`ARMED` → `REMOVING`) reads it, and the slot is not freed again.
    struct Entry {
        state: AtomicU8,
        path: UnsafeCell<[u8; PATH_BYTES]>,
    }

    // SAFETY: the path is written and read by one thread at a time, as the
    // state says (see `Entry`).
    unsafe impl Sync for Entry {}

    static ENTRIES: [Entry; SLOTS] = [const { Entry { state: AtomicU8::new(FREE), path: UnsafeCell::new([0; PATH_BYTES]) } }; SLOTS];

    /// A registered temporary file.
    pub(super) struct Slot(usize);

    /// Registers `path` for removal on a signal; `None` when every slot is
    /// taken or the path is too long (it is still removed on error).
    pub(super) fn register(path: &Path) -> Option<Slot> {
        // Absolute, so that a change of folder in between does not matter.
        let path = std::path::absolute(path).ok()?;
        let bytes = path.as_os_str().as_bytes();
        if bytes.len() >= PATH_BYTES || bytes.contains(&0) {
            return None;
        }
        for (i, entry) in ENTRIES.iter().enumerate() {
            if entry.state.compare_exchange(FREE, FILLING, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                // SAFETY: FILLING gives this thread the path alone.
                let buffer = unsafe { &mut *entry.path.get() };
                buffer[..bytes.len()].copy_from_slice(bytes);
                buffer[bytes.len()] = 0;
                entry.state.store(ARMED, Ordering::Release);
                return Some(Slot(i));
            }
        }
        None
    }

    /// The file is gone or renamed: a signal no longer removes it.
    pub(super) fn unregister(slot: Slot) {
        // If a handler is removing it, the process is ending: leave it so.
        let _ = ENTRIES[slot.0].state.compare_exchange(ARMED, FREE, Ordering::AcqRel, Ordering::Relaxed);
    }

    /// The signals that end a run a user or a system stops.
    const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    /// Removes every registered temporary file, then ends the process with
    /// `signal` as its default action would. Only async-signal-safe calls.
    extern "C" fn on_signal(signal: libc::c_int) {
        for entry in &ENTRIES {
            if entry.state.compare_exchange(ARMED, REMOVING, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                // SAFETY: REMOVING gives this handler the path alone, and
                // it ends with a NUL.
                unsafe { libc::unlink(entry.path.get().cast::<libc::c_char>()) };
            }
        }
        // SAFETY: sigaction and raise are async-signal-safe; `default` is a
        // valid sigaction. The signal is blocked while this handler runs, so
        // it is delivered, with its default action, when it returns.
        unsafe {
            let mut default: libc::sigaction = std::mem::zeroed();
            default.sa_sigaction = libc::SIG_DFL;
            libc::sigemptyset(&mut default.sa_mask);
            libc::sigaction(signal, &default, std::ptr::null_mut());
            libc::raise(signal);
        }
    }

    /// Installs [`on_signal`] for each of [`SIGNALS`] whose action is the
    /// default one, once.
    pub(super) fn install_handler() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            for signal in SIGNALS {
                // SAFETY: sigaction with a null new action only reads the
                // current one into `current`; the new action is a valid
                // sigaction whose handler is an `extern "C" fn(c_int)` doing
                // only async-signal-safe work, with every signal of SIGNALS
                // blocked while it runs.
                unsafe {
                    let mut current: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(signal, std::ptr::null(), &mut current) != 0 || current.sa_sigaction != libc::SIG_DFL {
                        continue;
                    }
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                    action.sa_flags = libc::SA_RESTART;
                    libc::sigemptyset(&mut action.sa_mask);
                    for other in SIGNALS {
                        libc::sigaddset(&mut action.sa_mask, other);
                    }
                    libc::sigaction(signal, &action, std::ptr::null_mut());
                }
            }
        });
    }

    #[cfg(test)]
    pub(super) fn registered() -> usize {
        ENTRIES.iter().filter(|e| e.state.load(Ordering::Acquire) == ARMED).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_writer_leaves_the_old_file_intact() {
        let temp_dir = tempfile::tempdir().unwrap();
        let dir = temp_dir.path();
        let target = dir.join("report.json");
        std::fs::write(&target, "old").unwrap();
        let err = write_atomic(&target, |w| {
            w.write_all(b"half a rep")?;
            Err(io::Error::other("disk full"))
        });
        assert!(err.unwrap_err().to_string().contains("disk full"));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir).unwrap().count(), 1, "the temporary file is removed");
        write_atomic(&target, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn a_named_temporary_file_is_removed_on_error_and_panic_and_unregistered() {
        let temp_dir = tempfile::tempdir().unwrap();
        let dir = temp_dir.path();
        for panics in [false, true] {
            let mut temp = Temp::create(dir, "out.txt", true).unwrap();
            // Whatever the platform gave, the named path is what is checked.
            if temp.named.is_none() {
                let named = Named::new(temp_path(dir, "out.txt"));
                temp = Temp { file: File::create(&named.path).unwrap(), named: Some(named) };
            }
            let path = temp.named.as_ref().unwrap().path.clone();
            assert!(path.exists());
            assert!(path.file_name().unwrap().to_str().unwrap().starts_with(".out.txt.qamus-"), "{}", path.display());
            #[cfg(unix)]
            assert!(unix::registered() >= 1);
            if panics {
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                    let _temp = temp;
                    panic!("a writer panics");
                }));
                assert!(result.is_err());
            } else {
                drop(temp);
            }
            assert!(!path.exists(), "removed (panic: {panics})");
        }
        assert_eq!(std::fs::read_dir(dir).unwrap().count(), 0);
    }

    #[test]
    fn a_directory_a_trailing_slash_and_a_missing_folder_are_errors_naming_them() {
        let temp_dir = tempfile::tempdir().unwrap();
        let dir = temp_dir.path();
        let err = write_atomic(dir, |w| w.write_all(b"x")).unwrap_err();
        assert_eq!(err.to_string(), format!("{}: is a directory; name the file to write", dir.display()));
        let missing = format!("{}/reports/", dir.display());
        let err = write_atomic(Path::new(&missing), |w| w.write_all(b"x")).unwrap_err();
        assert!(err.to_string().starts_with(&format!("{missing}: ends in a slash")), "{err}");
        std::fs::write(dir.join("file"), "old").unwrap();
        let slashed = format!("{}/file/", dir.display());
        assert!(write_atomic(Path::new(&slashed), |w| w.write_all(b"x")).is_err());
        assert_eq!(std::fs::read_to_string(dir.join("file")).unwrap(), "old");
        assert!(!dir.join("reports").exists());
        let nowhere = dir.join("nowhere/report.json");
        let err = write_atomic(&nowhere, |w| w.write_all(b"x")).unwrap_err();
        assert_eq!(err.to_string(), format!("{}: there is no folder {} to write it in", nowhere.display(), dir.join("nowhere").display()));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_to_the_end_even_dangling_and_loops_are_an_error() {
        let temp_dir = tempfile::tempdir().unwrap();
        let dir = temp_dir.path();
        std::fs::create_dir(dir.join("real")).unwrap();
        // out.json -> hop -> real/report.json, which does not exist yet.
        std::os::unix::fs::symlink("real/report.json", dir.join("hop")).unwrap();
        std::os::unix::fs::symlink("hop", dir.join("out.json")).unwrap();
        write_atomic(&dir.join("out.json"), |w| w.write_all(b"one")).unwrap();
        assert!(std::fs::symlink_metadata(dir.join("out.json")).unwrap().file_type().is_symlink());
        assert!(std::fs::symlink_metadata(dir.join("hop")).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(dir.join("real/report.json")).unwrap(), "one");
        write_atomic(&dir.join("out.json"), |w| w.write_all(b"two")).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("real/report.json")).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.join("real")).unwrap().count(), 1, "no temporary file left");
        std::os::unix::fs::symlink("loop", dir.join("loop")).unwrap();
        let err = write_atomic(&dir.join("loop"), |w| w.write_all(b"x")).unwrap_err();
        assert!(err.to_string().contains("levels of symbolic links"), "{err}");
        std::os::unix::fs::symlink("real", dir.join("to-dir")).unwrap();
        let err = write_atomic(&dir.join("to-dir"), |w| w.write_all(b"x")).unwrap_err();
        assert!(err.to_string().contains("is a symbolic link to the directory"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn own_descriptors_are_recognised() {
        let pid = std::process::id();
        for (path, fd) in [
            ("/dev/stdout", Some(1)),
            ("/dev/stderr", Some(2)),
            ("/dev/fd/7", Some(7)),
            ("/proc/self/fd/3", Some(3)),
            ("/proc/thread-self/fd/12", Some(12)),
            (&format!("/proc/{pid}/fd/4"), Some(4)),
            ("/proc/1/fd/4", None),
            ("/dev/fd/x", None),
            ("/dev/null", None),
            ("dev/fd/1", None),
        ] {
            assert_eq!(own_descriptor(Path::new(path)), fd, "{path}");
        }
    }
}
