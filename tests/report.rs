//! `qamus report`: the concept × source matrix, source grouping, the
//! `cross-source` rule, the Markdown size cap, a snapshot of the Markdown
//! report of the fixtures, and the HTML page rendered in headless Chromium.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn qamus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qamus")).args(args).env("SOURCE_DATE_EPOCH", "1785398400").output().expect("run qamus")
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    let output = qamus(&all);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)))
}

fn row<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["matrix"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no row {id}"))
}

#[test]
fn matrix_by_file_and_cross_source() {
    let report = json(&["fixtures/articles", "fixtures/translations/statement.ar.po"]);
    let sources: Vec<&str> = report["sources"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(sources.len(), 4, "{sources:?}");
    let hmc = row(&report, "hmc");
    assert_eq!(hmc["dominant"], "اللجنة العسكرية العليا");
    let po = sources.iter().position(|s| s.ends_with("statement.ar.po")).unwrap();
    let forms: Vec<(&str, bool)> =
        hmc["cells"][po].as_array().unwrap().iter().map(|e| (e["form"].as_str().unwrap(), e["differs"].as_bool().unwrap())).collect();
    assert!(forms.contains(&("مؤسسة حمد الطبية", true)), "{forms:?}");
    let cross: Vec<&Value> = report["inconsistencies"].as_array().unwrap().iter().filter(|i| i["rule"] == "cross-source").collect();
    // HMC is named in two sources, one of which says it otherwise; FMF is
    // named once, in one source, so it is no cross-source matter.
    assert!(cross.iter().any(|i| i["concept"] == "hmc"), "{cross:?}");
    assert!(cross.iter().all(|i| i["concept"] != "fmf"), "{cross:?}");
    // Worst first.
    let severities: Vec<&str> = report["inconsistencies"].as_array().unwrap().iter().map(|i| i["severity"].as_str().unwrap()).collect();
    let rank = |s: &str| ["error", "warning", "info", "note"].iter().position(|x| *x == s).unwrap();
    assert!(severities.windows(2).all(|w| rank(w[0]) <= rank(w[1])), "{severities:?}");
    assert_eq!(report["corpus"]["files"], 4);
    assert!(report["corpus"]["words"].as_u64().unwrap() > 150);
    assert!(report["unseen"].as_array().unwrap().iter().any(|u| u["id"] == "harir"));
    assert_eq!(report["generated"], "2026-07-30 08:00 UTC");
}

#[test]
fn a_concept_in_one_source_only_is_no_cross_source_finding() {
    let report = json(&["fixtures/articles/hmc-mixed-renderings.txt", "fixtures/articles/consistent-statement.txt"]);
    let rules: Vec<&str> = report["inconsistencies"].as_array().unwrap().iter().map(|i| i["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"mixed-renderings") && !rules.contains(&"cross-source"), "{rules:?}");
}

#[test]
fn grouping_by_dir_and_by_pattern() {
    let by_dir = json(&["--source-by", "dir", "fixtures/articles", "fixtures/translations/statement.ar.po"]);
    let names: Vec<&str> = by_dir["sources"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["fixtures/articles", "fixtures/translations"]);
    assert_eq!(by_dir["sources"][0]["files"], 3);
    let by_pattern = json(&["--source-by", "fixtures/([a-z]+)/", "fixtures/articles", "fixtures/translations/statement.ar.po"]);
    let names: Vec<&str> = by_pattern["sources"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["articles", "translations"]);
    let bad = qamus(&["report", "--source-by", "(", "fixtures/articles"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--source-by: bad pattern"));
}

#[test]
fn markdown_stays_under_65000_characters_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..150 {
        let body = format!(
            "قال المصدر {i} إن مؤسسة حمد الطبية و اللجنة العسكرية المشتركة و قوى الأمن الداخلي والتمويل العسكري الخارجي في تقرير.\n"
        )
        .repeat(8);
        std::fs::write(dir.path().join(format!("source-{i:03}.txt")), body).unwrap();
    }
    let output = qamus(&["report", dir.path().to_str().unwrap()]);
    let markdown = String::from_utf8(output.stdout).unwrap();
    assert!(markdown.chars().count() <= 65_000, "{}", markdown.chars().count());
    assert!(markdown.contains("> **Summarised:**"), "says so");
    assert!(markdown.contains("## Concepts × sources"));
    // A small corpus is not summarised.
    let small = String::from_utf8(qamus(&["report", "fixtures/articles"]).stdout).unwrap();
    assert!(!small.contains("Summarised") && small.contains("<details>"));
}

/// The Markdown report of the article fixtures, compared with the reviewed
/// copy in `tests/expected/`. `QAMUS_BLESS=1 cargo test` writes it anew.
#[test]
fn markdown_snapshot_of_the_fixtures() {
    let output = qamus(&["report", "fixtures/articles"]);
    let markdown = String::from_utf8(output.stdout).unwrap();
    let expected = Path::new("tests/expected/report-articles.md");
    if std::env::var_os("QAMUS_BLESS").is_some() {
        std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
        std::fs::write(expected, &markdown).unwrap();
    }
    assert_eq!(markdown, std::fs::read_to_string(expected).unwrap(), "the Markdown report changed; review it and bless with QAMUS_BLESS=1");
}

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file()))
}

/// Renders a page in headless Chromium after adding `probe` (a script that
/// writes what it finds into the page) and returns the DOM.
fn render(chromium: &Path, page: &Path, probe: &str) -> String {
    let html = std::fs::read_to_string(page).unwrap().replace("</body>", &format!("<script>{probe}</script></body>"));
    let probed = page.with_extension("probe.html");
    std::fs::write(&probed, html).unwrap();
    let profile = tempfile::tempdir().unwrap();
    // `timeout` so that a Chromium that hangs fails the test instead of CI.
    let output = Command::new("timeout")
        .arg("120")
        .arg(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", std::fs::canonicalize(&probed).unwrap().display()))
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn html_report_of_the_seeds_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED: no chromium on PATH (.ci/run installs Debian's chromium; it could not be installed here)");
        return;
    };
    let Some(seeds) = common::shared("seeds", "the HTML report test") else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let mut files: Vec<String> =
        std::fs::read_dir(seeds).unwrap().map(|e| e.unwrap().path().display().to_string()).filter(|p| p.ends_with(".txt")).collect();
    files.sort();
    let mut args = vec!["report".to_string(), "-o".into(), page.display().to_string()];
    args.extend(files);
    let output = Command::new(env!("CARGO_BIN_EXE_qamus")).args(&args).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let probe = r#"
      var out = {};
      var table = document.getElementById('matrix');
      var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.title || c.textContent; });
      var col = heads.findIndex(function (h) { return h.indexOf('004_') >= 0; });
      var row = document.getElementById('concept-hmc');
      var cell = row.cells[col];
      var hamad = Array.prototype.find.call(cell.querySelectorAll('[data-status]'), function (s) { return s.textContent.indexOf('مؤسسة حمد الطبية') >= 0; });
      var legend = document.querySelector('.legend .forbidden');
      out.status = hamad ? hamad.dataset.status : null;
      out.colour = hamad ? getComputedStyle(hamad).color : null;
      out.forbiddenColour = getComputedStyle(legend).color;
      out.preferredColour = getComputedStyle(document.querySelector('.legend .preferred')).color;
      out.cellDir = cell.getAttribute('dir');
      out.arabicCellsRtl = Array.prototype.every.call(document.querySelectorAll('td[lang="ar"]'), function (td) { return td.getAttribute('dir') === 'rtl'; });
      out.rows = table.tBodies[0].rows.length;
      var pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
    "#;
    let dom = render(&chromium, &page, probe);
    let start = dom.find("<pre id=\"probe\">").expect("the probe ran") + "<pre id=\"probe\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let found: Value = serde_json::from_str(&dom[start..end].replace("&quot;", "\"")).unwrap();
    assert_eq!(found["status"], "forbidden", "{found}");
    assert_eq!(found["colour"], found["forbiddenColour"], "«مؤسسة حمد الطبية» is in the forbidden colour: {found}");
    assert_ne!(found["colour"], found["preferredColour"]);
    assert_eq!(found["cellDir"], "rtl");
    assert_eq!(found["arabicCellsRtl"], true);
    assert!(found["rows"].as_u64().unwrap() > 20);
}

/// Writes `files` (path, text) under a new folder with `qamus.toml`.
fn repository(config: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("qamus.toml"), config).unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn report_in(dir: &Path, args: &[&str]) -> (Value, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_qamus"))
        .args(["report", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1785398400")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}")), stderr)
}

fn check_in(dir: &Path, args: &[&str]) -> Value {
    let output =
        Command::new(env!("CARGO_BIN_EXE_qamus")).args(["check", "--format", "json"]).args(args).current_dir(dir).output().unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)))
}

fn concepts_of(findings: &Value, key: &str) -> Vec<String> {
    let mut ids: Vec<String> = findings[key].as_array().unwrap().iter().map(|f| f["concept"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn the_report_silences_what_check_silences_and_takes_no_bad_form_as_the_reference() {
    let commission = "اللجنة العسكرية العليا";
    let hospital = "مؤسسة حمد الطبية";
    let dir = repository(
        "[[ignore]]\npath = \"legacy/**\"\nconcepts = [\"hmc\"]\n",
        &[
            // A quotation, silenced by a pragma.
            ("quotes/a.txt", &format!("# qamus-ignore-next-line hmc\nنقلت الترجمة الآلية «{hospital}» و«{hospital}» و«{hospital}».\n")),
            // Old files, ignored for HMC by the configuration.
            ("legacy/b.txt", &format!("اجتمعت {hospital} أمس.\n")),
            ("legacy/c.txt", &format!("وقالت {hospital} إن.\n")),
            ("news/d.txt", &format!("اجتمعت {commission} أمس.\n")),
        ],
    );
    let check = check_in(dir.path(), &["."]);
    assert!(check["findings"].as_array().unwrap().iter().all(|f| f["concept"] != "hmc"), "{check:#}");
    let (report, _) = report_in(dir.path(), &["."]);
    assert!(report["inconsistencies"].as_array().unwrap().iter().all(|i| i["concept"] != "hmc"), "{report:#}");
    let hmc = row(&report, "hmc");
    assert_eq!(hmc["dominant"], commission, "{hmc:#}");
    let forms: Vec<&str> =
        hmc["cells"].as_array().unwrap().iter().flat_map(|c| c.as_array().unwrap()).map(|e| e["form"].as_str().unwrap()).collect();
    assert_eq!(forms, [commission], "silenced occurrences are not counted: {hmc:#}");

    // Without the pragma and the ignore, the forbidden form is the most used
    // but never the reference: the preferred form is not marked ≠, and the
    // row says which bad form is the most used.
    let dir = repository(
        "",
        &[
            ("a.txt", &format!("اجتمعت {hospital} و{hospital}.\n")),
            ("b.txt", &format!("وقالت {hospital} إن.\n")),
            ("c.txt", &format!("اجتمعت {commission} أمس.\n")),
        ],
    );
    let (report, _) = report_in(dir.path(), &["."]);
    let hmc = row(&report, "hmc");
    assert_eq!((hmc["dominant"].as_str(), hmc["dominant_status"].as_str()), (Some(commission), Some("preferred")), "{hmc:#}");
    assert_eq!(hmc["most_used"]["form"], hospital, "{hmc:#}");
    assert_eq!(hmc["most_used"]["status"], "forbidden", "{hmc:#}");
    assert_eq!(hmc["most_used"]["count"], 3, "{hmc:#}");
    for entry in hmc["cells"].as_array().unwrap().iter().flat_map(|c| c.as_array().unwrap()) {
        assert_eq!(entry["differs"], entry["form"] != commission, "{entry:#}");
    }
    let cross = report["inconsistencies"].as_array().unwrap().iter().find(|i| i["rule"] == "cross-source").expect("a cross-source finding");
    assert!(cross["path"].as_str().unwrap().ends_with("a.txt"), "{cross:#}");
    let message = cross["message"].as_str().unwrap();
    assert!(message.contains(&format!("«{commission}»")) && message.contains("forbidden"), "{message}");
    // The Markdown names the reference, and the bad form most used.
    let output = Command::new(env!("CARGO_BIN_EXE_qamus")).args(["report", "."]).current_dir(dir.path()).output().unwrap();
    let markdown = String::from_utf8_lossy(&output.stdout);
    let line = markdown.lines().find(|l| l.starts_with("| **HMC** |")).expect("the HMC row");
    assert!(line.contains(commission) && line.contains("most used"), "{line}");
}

#[test]
fn the_report_leaves_out_the_findings_a_baseline_records() {
    let dir = repository("", &[("a.txt", "اجتمعت مؤسسة حمد الطبية أمس.\n"), ("b.txt", "وأكدت قوى الأمن الداخلي.\n")]);
    let output = Command::new(env!("CARGO_BIN_EXE_qamus"))
        .args(["check", "--write-baseline", "qamus-baseline.json", "a.txt"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let (without, _) = report_in(dir.path(), &["."]);
    assert_eq!(concepts_of(&without, "inconsistencies"), ["hmc", "isf"], "{without:#}");
    let (with, stderr) = report_in(dir.path(), &["--baseline", "qamus-baseline.json", "."]);
    assert_eq!(concepts_of(&with, "inconsistencies"), ["isf"], "{with:#}");
    assert!(stderr.contains("recorded in the baseline"), "{stderr}");
}
