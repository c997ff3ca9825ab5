//! Writing files without losing anything: every file qamus writes (`-o`,
//! baselines, `init`) goes to a temporary file in the target's directory and is
//! renamed over the target only when complete, so an interrupted run leaves
//! the old file intact.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// Writes `path` atomically with what `write` produces.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let shown = path.display().to_string();
    let fail = |e: io::Error| Error::new(ErrorKind::Io(e), &shown);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    let temp = dir.join(format!(".{name}.qamus-{}.tmp", std::process::id()));
    let result = (|| {
        let file = File::create(&temp)?;
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(fail)
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
}
