//! What the integration tests share: finding the third-party material in
//! `../shared/` (read, never copied into the repository).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `../shared/<relative>` if it exists. Where it is absent the test is
/// skipped with a message, unless `QAMUS_REQUIRE_SHARED` is set (as CI sets
/// it), where that is a failure: a test that needs the material must not
/// pass without it there.
pub fn shared(relative: &str, what: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared").join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("QAMUS_REQUIRE_SHARED").is_some_and(|v| !v.is_empty() && v != "0") {
        panic!("{} is absent and QAMUS_REQUIRE_SHARED is set: {what} cannot run", path.display());
    }
    eprintln!("SKIPPED: {} is absent, so {what} did not run", path.display());
    None
}
