//! Translation formats end to end: each fixture in `fixtures/translations/`
//! checked by the binary, with exact positions of Arabic inside escaped or
//! tagged text, and the bilingual rules.

use std::process::Command;

use serde_json::Value;

fn check(args: &[&str]) -> (Value, i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_qamus"))
        .args(["check", "--format", "json"])
        .args(args)
        .env_remove("GITHUB_WORKSPACE")
        .output()
        .unwrap();
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
        let output = Command::new(env!("CARGO_BIN_EXE_qamus")).args(["check", path.to_str().unwrap()]).output().unwrap();
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
