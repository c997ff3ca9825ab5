//! Translation formats end to end: each fixture in `fixtures/translations/`
//! checked by the binary, with exact positions of Arabic inside escaped or
//! tagged text, and the bilingual rules.

use serde_json::Value;

use crate::util;

fn check(args: &[&str]) -> (Value, i32, String) {
    let output = util::qamus().args(["check", "--format", "json"]).args(args).env_remove("GITHUB_WORKSPACE").output().unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    (report, output.status.code().unwrap(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// (rule, line, column, surface) of every finding.
fn findings(report: &Value) -> Vec<(String, u64, u64, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["surface"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(found: &[(String, u64, u64, String)], rule: &str, line: u64, column: u64, surface: &str) -> bool {
    found.iter().any(|f| f.0 == rule && f.1 == line && f.2 == column && f.3 == surface)
}

#[test]
fn po_escapes_plurals_fuzzy_obsolete_and_pragmas() {
    let (report, code, _) = check(&["fixtures/translations/statement.ar.po"]);
    assert_eq!(code, 1);
    let found = findings(&report);
    // After `\"` inside the msgstr: the column counts the escape as written.
    assert!(has(&found, "deprecated-rendering", 14, 24, "التمويل العسكري الخارجي"), "{found:?}");
    // A plural form with a forbidden rendering, with its proclitic.
    assert!(has(&found, "forbidden-rendering", 25, 36, "لمؤسسة حمد الطبية"), "{found:?}");
    // The wrong committee: the English names JCC, the Arabic renders HCC.
    assert!(found.iter().any(|f| f.0 == "missing-rendering" && f.1 == 19), "{found:?}");
    assert!(has(&found, "unexpected-rendering", 19, 16, "لجنة التنسيق العليا"), "{found:?}");
    // The fuzzy entry, the obsolete entry and the silenced entry give nothing.
    assert!(found.iter().all(|f| !f.3.contains("قوى")), "fuzzy entries are skipped: {found:?}");
    assert!(found.iter().all(|f| f.1 < 37), "silenced and obsolete entries give nothing: {found:?}");
    let (report, _, _) = check(&["--include-fuzzy", "fixtures/translations/statement.ar.po"]);
    assert!(has(&findings(&report), "forbidden-rendering", 33, 9, "قوى الأمن الداخلي"));
}

#[test]
fn xliff_2_inline_tags_inside_a_term_and_states() {
    let (report, _, _) = check(&["fixtures/translations/statement.xlf"]);
    let matches = report["matches"].as_array().unwrap();
    let hmc = matches.iter().find(|m| m["concept"] == "hmc").expect("HMC across <pc>");
    assert_eq!((hmc["line"].as_u64(), hmc["column"].as_u64()), (Some(7), Some(34)));
    assert_eq!((hmc["end_line"].as_u64(), hmc["end_column"].as_u64()), (Some(7), Some(61)));
    assert_eq!(hmc["surface"], "اللجنة العسكرية العليا");
    let found = findings(&report);
    // `&amp;` counts as the five characters it is written with.
    assert!(has(&found, "forbidden-rendering", 13, 45, "وقوى الأمن الداخلي"), "{found:?}");
    assert!(found.iter().all(|f| f.0 != "missing-rendering"), "{found:?}");
    assert!(
        found.iter().all(|f| !f.3.contains("حمد")),
        "a note's qamus-ignore silences its unit, and state=initial targets are skipped: {found:?}"
    );
}

#[test]
fn xliff_1_2_with_g_tags() {
    let (report, _, _) = check(&["fixtures/translations/statement-1.2.xlf"]);
    assert!(has(&findings(&report), "deprecated-rendering", 7, 52, "اتفاق الإطار الاستراتيجي"));
}

#[test]
fn tmx_with_ar_iq_and_native_codes() {
    let (report, _, _) = check(&["fixtures/translations/memory.tmx"]);
    let found = findings(&report);
    assert!(has(&found, "deprecated-rendering", 7, 40, "المبيعات العسكرية الخارجية"), "{found:?}");
    let cts = report["matches"].as_array().unwrap().iter().find(|m| m["concept"] == "cts").unwrap();
    assert_eq!((cts["line"].as_u64(), cts["column"].as_u64()), (Some(11), Some(65)));
    assert!(found.iter().all(|f| f.0 != "missing-rendering"), "CTS is rendered: {found:?}");
}

#[test]
fn nested_json_pair_with_escapes_and_placeholders() {
    let (report, _, _) = check(&["fixtures/translations/locales/ar/common.json"]);
    let found = findings(&report);
    // `\u062f\u0627\u0639\u0634` is «داعش»: the surface is decoded, the column is where it is written.
    assert!(has(&found, "deprecated-rendering", 4, 19, "التحالف الدولي لمواجهة داعش"), "{found:?}");
    let f = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "deprecated-rendering").unwrap();
    assert_eq!((f["end_line"].as_u64(), f["end_column"].as_u64()), (Some(4), Some(66)));
    // The footer names the wrong ministry.
    assert!(found.iter().any(|f| f.0 == "missing-rendering" && f.1 == 7), "{found:?}");
    assert!(has(&found, "unexpected-rendering", 7, 20, "وزارة الخارجية العراقية"), "{found:?}");
    let lno = report["matches"].as_array().unwrap().iter().find(|m| m["concept"] == "lno").unwrap();
    assert_eq!(lno["column"], 28, "after the blanked {{{{count}}}}");
}

#[test]
fn rails_yaml_pair() {
    let (report, _, _) = check(&["fixtures/translations/rails/ar.yml"]);
    let found = findings(&report);
    assert!(found.iter().any(|f| f.0 == "deprecated-rendering" && f.1 == 3 && f.2 == 11), "{found:?}");
    assert!(found.iter().all(|f| f.0 != "missing-rendering"), "{found:?}");
}

#[test]
fn html_text_nodes_only() {
    let (report, _, _) = check(&["fixtures/translations/page.html"]);
    let found = findings(&report);
    assert!(has(&found, "forbidden-rendering", 3, 14, "مؤسسة حمد الطبية"), "the title is text: {found:?}");
    assert!(has(&found, "forbidden-rendering", 9, 7, "قوى الأمن الداخلي"), "{found:?}");
    assert_eq!(
        found.iter().filter(|f| f.0 == "forbidden-rendering").count(),
        2,
        "attributes, styles, scripts, &amp; and the silenced line: {found:?}"
    );
    let hmc = report["matches"].as_array().unwrap().iter().find(|m| m["concept"] == "hmc" && m["line"] == 5).unwrap();
    assert_eq!(hmc["column"], 42);
    assert_eq!(hmc["surface"], "اللجنة العسكرية\u{a0}العليا", "the surface is the text, entities decoded and tags left out");
    assert_eq!((hmc["end_line"].as_u64(), hmc["end_column"].as_u64()), (Some(5), Some(73)), "the span covers the tags between");
}

#[test]
fn a_directory_walk_picks_up_every_format_and_the_input_format_flag_overrides() {
    let (report, _, _) = check(&["fixtures/translations"]);
    let paths: std::collections::BTreeSet<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    for expected in ["statement.ar.po", "statement.xlf", "memory.tmx", "ar/common.json", "ar.yml", "page.html"] {
        assert!(paths.iter().any(|p| p.ends_with(expected)), "{expected} not checked: {paths:?}");
    }
    let (report, _, _) = check(&["--input-format", "text", "fixtures/translations/page.html"]);
    assert!(findings(&report).iter().any(|f| f.3 == "قوى الأمن الداخلي" && f.1 == 3), "as text, the style is text too");
}

#[test]
fn malformed_translation_files_are_errors_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("a.po", "msgid \"a\"\nmsgstr \"b\n", "a.po:2:8: unterminated string"),
        ("b.po", "msgid \"a\\q\"\nmsgstr \"\"\n", "b.po:1:9: unknown escape \\q"),
        ("c.po", "msgstr \"x\"\n", "c.po:1:1: msgstr without a msgid before it"),
        ("d.xlf", "<xliff><file><unit></file></xliff>", "d.xlf:1:"),
        ("e.tmx", "<tmx><body>", "e.tmx:1:12: truncated XML"),
        ("f.xlf", "<html/>", "f.xlf:1:1: unknown root element <html>"),
        ("ar.json", "{\"a\": [1, 2,]}", "ar.json:1:13: malformed JSON: expected a value"),
        ("ar.yml", "ar:\n  a: [b\n", "ar.yml:"),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let output = util::qamus().args(["check", path.to_str().unwrap()]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
}

#[test]
fn the_catalogue_shows_exactly_its_planted_inconsistencies() {
    let (report, code, _) = check(&["--glossary", "fixtures/catalogue/glossary.csv", "fixtures/catalogue/ar.po"]);
    assert_eq!(code, 0, "warnings only");
    assert!(report["summary"]["matches"].as_u64().unwrap() > 70);
    let found: Vec<(String, u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap(), f["concept"].as_str().unwrap().to_string()))
        .collect();
    let expected: Vec<(String, u64, String)> = [
        ("deprecated-rendering", 50, "password"),
        ("mixed-renderings", 50, "password"),
        ("deprecated-rendering", 70, "dashboard"),
        ("mixed-renderings", 70, "dashboard"),
        ("deprecated-rendering", 110, "download"),
        ("mixed-renderings", 110, "download"),
        ("deprecated-rendering", 118, "download"),
        ("deprecated-rendering", 631, "download"),
        ("deprecated-rendering", 881, "download"),
    ]
    .iter()
    .map(|(r, l, c)| (r.to_string(), *l, c.to_string()))
    .collect();
    assert_eq!(found, expected, "no missing-rendering or unexpected-rendering among 300 consistent units");
}

/// (rule, line, concept) of every finding.
fn rule_lines(report: &Value) -> Vec<(String, u64, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap(), f["concept"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn the_source_decides_the_sense_and_verbs_mnemonics_and_code_are_read() {
    let (report, code, _) = check(&["--glossary", "fixtures/translations/product/glossary.csv", "fixtures/translations/product/ar.po"]);
    assert_eq!(code, 0, "warnings only");
    let expected: Vec<(String, u64, String)> = [
        // «تحميل» for "Loading…": a homonym, not judged.
        ("unexpected-rendering", 10, "download"),
        // «تحميل» for "Download": deprecated.
        ("deprecated-rendering", 14, "download"),
        // "will be notified" names no notification (an English verb).
        ("unexpected-rendering", 30, "notification"),
        // The translation leaves the file out.
        ("missing-rendering", 38, "file"),
    ]
    .iter()
    .map(|(r, l, c)| (r.to_string(), *l, c.to_string()))
    .collect();
    assert_eq!(rule_lines(&report), expected);
    let matches = report["matches"].as_array().unwrap();
    let found = |line: u64, concept: &str| matches.iter().find(|m| m["line"] == line && m["concept"] == concept).cloned();
    // The homonym is marked; the rendering where the source names it is not.
    assert_eq!(found(10, "download").unwrap()["homonym"], true);
    assert_eq!(found(14, "download").unwrap()["homonym"], false);
    // «ا_حذف الملفات»: the mnemonic inside the word, positions the file's.
    let delete = found(18, "delete").expect("the mnemonic splits «احذف»");
    assert_eq!((delete["surface"].as_str(), delete["column"].as_u64(), delete["end_column"].as_u64()), (Some("احذف"), Some(9), Some(14)));
    assert!(found(18, "file").is_some());
    // «متابعوك», «سيحذف», «ملفاتك».
    let follower = found(30, "follower").unwrap();
    assert_eq!((follower["suffix"].as_str(), follower["kind"].as_str()), (Some("وك"), Some("inflected")));
    let future = found(34, "delete").unwrap();
    assert_eq!((future["proclitics"].as_str(), future["prefix"].as_str()), (Some("س"), Some("ي")));
    assert_eq!(found(34, "file").unwrap()["suffix"], "اتك");
    // The attested glossary counts the rendering, not the homonym.
    let output = util::qamus()
        .args(["glossary", "-f", "json", "-g", "fixtures/translations/product/glossary.csv", "fixtures/translations/product/ar.po"])
        .output()
        .unwrap();
    let attested: Value = serde_json::from_slice(&output.stdout).unwrap();
    let download = attested["concepts"].as_array().unwrap().iter().find(|c| c["id"] == "download").unwrap();
    assert_eq!(download["renderings"][0]["count"], 1, "{download}");
}

#[test]
fn an_arabic_plural_key_takes_the_english_other_form() {
    let (report, _, _) = check(&["--glossary", "fixtures/translations/product/glossary.csv", "fixtures/translations/rails/plurals.ar.yml"]);
    // zero, two, few and many have no English twin: their source is
    // `other`, which names files, and each renders them; posts.few does not.
    assert_eq!(rule_lines(&report), vec![("missing-rendering".to_string(), 10, "post".to_string())]);
    assert_eq!(report["matches"].as_array().unwrap().iter().filter(|m| m["concept"] == "file").count(), 6);
}

#[test]
fn a_locale_file_without_a_readable_english_source_is_checked_as_arabic_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let locales = dir.path().join("locales");
    std::fs::create_dir(&locales).unwrap();
    std::fs::write(locales.join("ar.json"), "{\"files\": \"ملفات\", \"note\": \"تحميل\"}").unwrap();
    let glossary = "fixtures/translations/product/glossary.csv";
    let run = |path: &std::path::Path| {
        util::qamus().args(["check", "--no-config", "--count", "--fail-on", "warning", "-g", glossary]).arg(path).output().unwrap()
    };
    // No English file: monolingual, one notice naming it.
    let output = run(&locales);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("no source file").count(), 1, "{stderr}");
    assert!(stderr.contains("en.json beside it; checked as monolingual Arabic"), "{stderr}");
    // A malformed one: the same, naming what is wrong with it; the Arabic
    // is still checked (the deprecated «تحميل» is found), and the English
    // file is no input of the walk.
    std::fs::write(locales.join("en.json"), "{\"files\": ").unwrap();
    let output = run(&locales);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("en.json:1:11: malformed JSON") && stderr.contains("checked as monolingual Arabic"), "{stderr}");
    assert!(stdout.contains("ar.json:2:1") && !stdout.contains("en.json"), "{stdout}");
    // A good one: bilingual, and still the only file checked.
    std::fs::write(locales.join("en.json"), "{\"files\": \"Files\", \"note\": \"Loading\"}").unwrap();
    let output = run(&locales);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(output.status.code(), Some(0), "«تحميل» for Loading is a homonym: {stdout}");
    // Two matches, one finding: the homonym's unexpected-rendering (info).
    assert!(stdout.starts_with(&format!("{}:2:1", locales.join("ar.json").display())), "{stdout}");
}

/// (concept, line, column, surface) of every match.
fn matches(report: &Value) -> Vec<(String, u64, u64, String)> {
    report["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["concept"].as_str().unwrap().to_string(),
                m["line"].as_u64().unwrap(),
                m["column"].as_u64().unwrap(),
                m["surface"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_word_document_is_read_paragraph_by_paragraph_with_tracked_changes_as_accepted() {
    let (report, code, stderr) = check(&["fixtures/office/statement.docx"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let found = findings(&report);
    let matched = matches(&report);
    // The preferred HMC form cut mid-word between two runs: read whole, at
    // paragraph 2, column 6.
    assert!(matched.contains(&("hmc".into(), 2, 6, "اللجنة العسكرية العليا".into())), "{matched:?}");
    // A tracked insertion is text: its forbidden form is reported, with the
    // paragraph's text as context.
    assert!(has(&found, "forbidden-rendering", 3, 22, "قوى الأمن الداخلي"), "{found:?}");
    let isf = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "forbidden-rendering").unwrap();
    assert_eq!(isf["context"]["before"], "وأشاد الجانبان بأداء ");
    assert_eq!(isf["context"]["after"], " في عمليات حفظ الاستقرار.");
    // A tracked deletion is not: paragraph 4 holds only the insertion.
    assert!(matched.contains(&("isf".into(), 4, 14, "قوات الأمن العراقية".into())), "{matched:?}");
    assert_eq!(matched.iter().filter(|m| m.3 == "قوى الأمن الداخلي").count(), 2, "the deleted form is not read: {matched:?}");
    // A table cell is a paragraph; a field's code is not text, its result is.
    assert!(has(&found, "deprecated-rendering", 7, 1, "اللجنة العسكرية المشتركة"), "{found:?}");
    assert!(matched.iter().all(|m| m.0 != "hmc" || m.1 != 9), "the field code's «مؤسسة حمد الطبية» is not text: {matched:?}");
    // A tab and a line break inside a paragraph keep it one line.
    assert!(has(&found, "deprecated-rendering", 10, 21, "التمويل العسكري الخارجي"), "{found:?}");
    // A comment's pragma silences its paragraph; the match is still made.
    assert!(matched.contains(&("isf".into(), 11, 18, "قوى الأمن الداخلي".into())), "{matched:?}");
    assert!(found.iter().all(|f| f.1 != 11), "silenced by the comment: {found:?}");
    // The footnote follows the body.
    assert!(matched.contains(&("jscd".into(), 13, 15, "حوار التعاون الأمني المشترك".into())), "{matched:?}");
    assert_eq!(report["summary"]["files"], 1);
    // The file's bytes are a zip archive: no replacement is offered, only
    // the form to use.
    for finding in report["findings"].as_array().unwrap() {
        assert!(finding["replacement"].is_null(), "{finding:#}");
    }
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["suggestion"] == "قوات الأمن العراقية"));
}

#[test]
fn an_opendocument_text_is_read_with_spans_spaces_and_tracked_changes() {
    let (report, code, stderr) = check(&["fixtures/office/brief.odt"]);
    assert_eq!(code, 1, "{stderr}");
    let found = findings(&report);
    let matched = matches(&report);
    // Spans cutting a term mid-word.
    assert!(has(&found, "deprecated-rendering", 2, 7, "اللجنة العسكرية المشتركة"), "{found:?}");
    // `<text:s text:c="3"/>` is three columns.
    assert!(has(&found, "forbidden-rendering", 3, 19, "قوى الأمن الداخلي"), "{found:?}");
    // A tracked insertion is text; the deleted text of the tracked-changes
    // region and the comment are not.
    assert!(has(&found, "deprecated-rendering", 4, 10, "التمويل العسكري الخارجي"), "{found:?}");
    assert_eq!(matched.iter().filter(|m| m.0 == "isf").count(), 1, "{matched:?}");
    // A table cell, then a paragraph with a tab and a line break.
    assert!(matched.contains(&("hmc".into(), 6, 1, "اللجنة العسكرية العليا".into())), "{matched:?}");
    assert!(matched.contains(&("sfa".into(), 7, 13, "اتفاقية الإطار الاستراتيجي".into())), "{matched:?}");
}

#[test]
fn a_broken_office_document_is_an_error_naming_the_file() {
    let cases = [
        ("truncated.docx", "not a Word document: a corrupt zip archive"),
        ("no-document.docx", "not a Word document: no word/document.xml"),
        ("bomb.docx", "word/document.xml: inflates to more than 256 MiB, the most qamus reads of one document"),
        ("encrypted.docx", "not a Word document: an OLE compound file, not a zip archive — a password-protected document"),
    ];
    for (name, expected) in cases {
        let path = format!("fixtures/office/bad/{name}");
        let output = util::qamus().args(["check", &path]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("qamus: error: {path}: {expected}")), "{name}: {stderr}");
    }
    // Named as a Word document, an OpenDocument file is not one.
    let output = util::qamus().args(["check", "--input-format", "docx", "fixtures/office/brief.odt"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("brief.odt: not a Word document: no word/document.xml"));
}

#[test]
fn a_folder_of_office_documents_is_checked_and_other_documents_are_passed_over_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("delivered")).unwrap();
    std::fs::copy("fixtures/office/statement.docx", dir.path().join("delivered/statement.docx")).unwrap();
    std::fs::copy("fixtures/office/brief.odt", dir.path().join("delivered/BRIEF.ODT")).unwrap();
    let pdf = dir.path().join("delivered/scan.pdf");
    std::fs::write(&pdf, "%PDF-1.4\nقوى الأمن الداخلي\n").unwrap();
    std::fs::write(dir.path().join("delivered/logo.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let (report, code, stderr) = check(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["summary"]["files"], 2, "{report:#}");
    assert_eq!(report["summary"]["unreadable"], 0, "{report:#}");
    assert!(stderr.contains("delivered/scan.pdf: qamus does not read .pdf files, skipped"), "{stderr}");
    assert!(!stderr.contains("logo.png"), "an image is no document: {stderr}");
    // Named, it is an error; with --input-format, it is read as told.
    let output = util::qamus().args(["check", pdf.to_str().unwrap()]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("scan.pdf: qamus does not read .pdf files; export its text"));
    let (report, code, _) = check(&["--input-format", "text", pdf.to_str().unwrap()]);
    assert_eq!((code, report["summary"]["files"].as_u64()), (1, Some(1)));
}

#[test]
fn pathological_inputs_of_every_reader_keep_the_term_at_its_line_and_column() {
    // Each once cost its reader a search or a copy of the rest of the text
    // for every construct (`qamus::synthetic::pathological`); each ends with
    // the term as prose, after the construct repeated.
    use qamus::synthetic::{pathological, PATHOLOGICAL, PATHOLOGICAL_TERM};
    let dir = tempfile::tempdir().unwrap();
    for &(kind, _, extension) in PATHOLOGICAL {
        let text = pathological(kind, 256 << 10).unwrap();
        let path = dir.path().join(format!("{kind}.{extension}"));
        std::fs::write(&path, &text).unwrap();
        let at = text.rfind(PATHOLOGICAL_TERM).unwrap();
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let expected = (text[..at].matches('\n').count() as u64 + 1, text[line_start..at].chars().count() as u64 + 1);
        let (report, code, stderr) = check(&["--no-config", path.to_str().unwrap()]);
        assert!(code == 0 || code == 1, "{kind}: exit {code}: {stderr}");
        let matches = report["matches"].as_array().unwrap();
        let term = matches.iter().find(|m| m["surface"] == PATHOLOGICAL_TERM).unwrap_or_else(|| panic!("{kind}: no term in {matches:?}"));
        assert_eq!((term["line"].as_u64().unwrap(), term["column"].as_u64().unwrap()), expected, "{kind}");
        assert_eq!(term["concept"], "hmc", "{kind}");
    }
}

#[test]
fn segments_sharing_notes_and_forms_sharing_a_source_are_each_judged() {
    // An XLIFF unit's segments share its notes, read once: a qamus-ignore
    // in them silences every segment and no other unit's.
    let dir = tempfile::tempdir().unwrap();
    let xliff = dir.path().join("shared.xlf");
    std::fs::write(
        &xliff,
        r#"<xliff version="2.0" srcLang="en" trgLang="ar"><file id="f">
<unit id="a"><notes><note>qamus-ignore hmc</note></notes>
<segment><source>HMC</source><target>مؤسسة حمد الطبية</target></segment>
<segment><source>HMC</source><target>مؤسسة حمد الطبية</target></segment>
</unit>
<unit id="b"><notes><note>reviewed</note></notes>
<segment><source>HMC</source><target>مؤسسة حمد الطبية</target></segment>
</unit>
<unit id="c">
<segment><source>HMC</source><target>مؤسسة حمد الطبية</target></segment>
</unit>
</file></xliff>
"#,
    )
    .unwrap();
    let (report, _, _) = check(&["--no-config", xliff.to_str().unwrap()]);
    let lines: Vec<u64> = findings(&report).iter().filter(|f| f.0 == "forbidden-rendering").map(|f| f.1).collect();
    assert_eq!(lines, vec![7, 10], "{report}");
    // A PO entry's forms share its msgid, matched once: each form is still
    // judged against it.
    let po = dir.path().join("shared.po");
    std::fs::write(
        &po,
        "msgid \"The Higher Military Commission met\"\nmsgstr[0] \"اجتمعت\"\nmsgstr[1] \"اجتمعت اللجنة العسكرية العليا\"\nmsgstr[2] \"اجتمعت\"\n",
    )
    .unwrap();
    let (report, _, _) = check(&["--no-config", po.to_str().unwrap()]);
    let lines: Vec<u64> = findings(&report).iter().filter(|f| f.0 == "missing-rendering").map(|f| f.1).collect();
    assert_eq!(lines, vec![2, 4], "{report}");
}
