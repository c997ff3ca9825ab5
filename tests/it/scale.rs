//! Matching at scale: a large text cut into chunks and matched in parallel,
//! or in turn, gives exactly what matching it whole gives, and the cut points never
//! split a phrase; a large file read and validated in pieces, or mapped, is
//! read, or refused, as it is read whole.

use qamus::check::find_in_chunks;
use qamus::glossary::Glossary;
use qamus::normalize::tokens::line_ends_phrases;
use qamus::synthetic::{self, Rng};
use qamus::Matcher;

#[test]
fn chunks_give_the_matches_and_words_of_the_whole() {
    let glossary = Glossary::embedded().unwrap();
    let matcher = Matcher::new(&glossary);
    let mut text = synthetic::article(&mut Rng::new(7), 600_000, &synthetic::planted_forms());
    // A phrase across a single line break, at many places: no cut may fall there.
    for _ in 0..50 {
        text.push_str("اللجنة العسكرية\nالعليا ");
        text.push_str(&synthetic::article(&mut Rng::new(text.len() as u64), 5_000, &[]));
    }
    let whole = matcher.find_counting_words(&text);
    assert!(whole.0.len() > 300, "{} matches", whole.0.len());
    // In parallel (two jobs) and in turn (one).
    for (chunk, parallel) in [4_096, 65_536, 250_000].into_iter().flat_map(|chunk| [(chunk, true), (chunk, false)]) {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let (parts, words) = pool.install(|| find_in_chunks(&matcher, &text, chunk, parallel));
        assert!(parts.len() > 1, "{} parts with chunks of {chunk}", parts.len());
        assert_eq!(words, whole.1, "words with chunks of {chunk}");
        assert_eq!(parts.concat(), whole.0, "matches with chunks of {chunk}, parallel: {parallel}");
    }
}

#[test]
fn lines_that_end_phrases() {
    let text = "قال المصدر.\nاللجنة العسكرية\nالعليا «داعش»\n\nثم ،\n";
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let ends: Vec<bool> = newlines.iter().map(|&i| line_ends_phrases(text, i)).collect();
    // After a full stop: yes; after a word: no; after a closing quote (a
    // phrase gap): no; a blank line: yes; after an Arabic comma: yes.
    assert_eq!(ends, vec![true, false, false, true, true]);
}

/// A file large enough to be cut into chunks gives, with two jobs, the very
/// occurrences and findings (positions, contexts, messages) one job gives.
#[test]
fn a_large_file_checks_alike_with_one_job_and_two() {
    use qamus::check::{check_paths, CheckOptions, Matchers, CHUNK_BYTES};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.txt");
    let mut text = synthetic::article(&mut Rng::new(11), 2 * CHUNK_BYTES + 300_000, &synthetic::planted_forms());
    // Lines of their own, and a long one, near where chunks are cut.
    let at = (0..CHUNK_BYTES).map(|back| CHUNK_BYTES - 10 - back).find(|&i| text.is_char_boundary(i)).unwrap();
    text.insert_str(at, "\nاللجنة العسكرية\nالعليا.\n");
    std::fs::write(&path, &text).unwrap();
    let glossary = Glossary::embedded().unwrap();
    let matchers = Matchers::new(&glossary);
    let run = |jobs: usize, keep_occurrences: bool| {
        let options = CheckOptions { jobs, keep_occurrences, ..CheckOptions::default() };
        let outcome = check_paths(&glossary, &matchers, std::slice::from_ref(&path), &options, &|_| true, &mut |_| {}, &mut |_, _| {});
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        let document = outcome.documents.into_iter().next().unwrap();
        (document.occurrences, document.findings, document.words, document.match_count)
    };
    let one = run(1, true);
    assert!(one.0.len() > 1000, "{} occurrences", one.0.len());
    assert!(one.0.windows(2).all(|w| w[0].byte_start < w[1].byte_start), "occurrences in text order");
    for jobs in [2, 3] {
        let other = run(jobs, true);
        let how = format!("{jobs} jobs");
        assert_eq!(one.2, other.2, "words, {how}");
        assert_eq!(one.3, other.3, "matches, {how}");
        assert!(one.0 == other.0, "occurrences differ between one job reading and {how}");
        assert!(one.1 == other.1, "findings differ between one job reading and {how}");
    }
    // Without the occurrences kept, findings get their contexts from where
    // each occurrence stands (its site), placed chunk by chunk.
    let (one, two) = (run(1, false), run(2, false));
    assert!(one.1.iter().filter(|f| !f.at.context.before.is_empty()).count() > 100, "findings with contexts");
    assert!(one.1 == two.1, "findings differ between one job and two, occurrences not kept");
}

/// A large file read and validated in pieces by two jobs is refused as one
/// job refuses it, naming the same line: a bad byte near its end, a NUL byte
/// near its start.
#[test]
fn a_large_bad_file_is_refused_alike_with_one_job_and_two() {
    use qamus::check::{check_paths, CheckOptions, Matchers};
    use qamus::input::READ_PIECE_BYTES;
    let dir = tempfile::tempdir().unwrap();
    let text = synthetic::article(&mut Rng::new(5), 2 * READ_PIECE_BYTES + 100_000, &synthetic::planted_forms());
    let glossary = Glossary::embedded().unwrap();
    let matchers = Matchers::new(&glossary);
    for (name, at, bad) in [("invalid.txt", text.len() - 7, 0xFF), ("nul.txt", 1_000, 0x00)] {
        let path = dir.path().join(name);
        let mut bytes = text.clone().into_bytes();
        // An ASCII byte, so that only the bad byte is wrong.
        let at = (at..).find(|&i| bytes[i] < 0x80).unwrap();
        bytes[at] = bad;
        std::fs::write(&path, &bytes).unwrap();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let errors = |jobs: usize| {
            let options = CheckOptions { jobs, ..CheckOptions::default() };
            let outcome = check_paths(&glossary, &matchers, std::slice::from_ref(&path), &options, &|_| true, &mut |_| {}, &mut |_, _| {});
            assert!(outcome.documents.is_empty(), "{name} was checked");
            outcome.errors.iter().map(ToString::to_string).collect::<Vec<_>>()
        };
        let one = errors(1);
        assert_eq!(one.len(), 1, "{one:?}");
        assert!(one[0].contains(&format!(":{line}")), "{name}: {one:?} should name line {line}");
        assert_eq!(errors(2), one, "{name}, 2 jobs");
    }
}

/// A large file rewritten in place, or truncated and grown again, over and
/// over while `qamus check` reads and checks it: never a crash (a mapped
/// file gave a panic on a char boundary, or `SIGBUS`), only a verdict on
/// the bytes read — or a clear error if they were caught half-rewritten.
#[test]
fn a_file_changed_under_a_running_check_is_never_a_crash() {
    use std::io::{Seek, SeekFrom, Write};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.txt");
    let text = synthetic::article(&mut Rng::new(23), 24 << 20, &synthetic::planted_forms());
    for change in ["rewrite", "truncate"] {
        std::fs::write(&path, &text).unwrap();
        let mut child = crate::util::qamus()
            .args(["check", "--no-config", "--count", "-j2"])
            .arg(&path)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run qamus");
        let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        let mut round = 0u64;
        while child.try_wait().unwrap().is_none() {
            round += 1;
            match change {
                // One byte into every Arabic letter's two: no longer UTF-8
                // there, at places that move from round to round.
                "rewrite" => {
                    for at in (round % 4096..text.len() as u64).step_by(1 << 16) {
                        file.seek(SeekFrom::Start(at)).unwrap();
                        file.write_all(b"x").unwrap();
                    }
                    file.seek(SeekFrom::Start(0)).unwrap();
                    file.write_all(&text.as_bytes()[..1 << 20]).unwrap();
                }
                // Cut short and grown again, a while after the start (once
                // the file is read, or mapped as it was).
                _ => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    file.set_len(if round % 2 == 1 { 1000 } else { text.len() as u64 }).unwrap();
                }
            }
        }
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.code().is_some_and(|code| code <= 2), "{change}: {:?} {stderr}", output.status);
        assert!(!stderr.contains("panicked"), "{change}: {stderr}");
        if output.status.code() == Some(2) {
            assert!(stderr.contains("archive.txt"), "{change}: the error names the file: {stderr}");
        }
    }
}
