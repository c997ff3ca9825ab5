//! `qamus report`: the concept × source matrix, source grouping, the
//! `cross-source` rule, the Markdown size cap, a snapshot of the Markdown
//! report of the fixtures, and the HTML page rendered in headless Chromium.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::util::{self, Qamus};

/// The report's date fixed (`SOURCE_DATE_EPOCH`).
const QAMUS: Qamus = Qamus::new().fixed_date();

fn json(args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    let output = QAMUS.run(&all);
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
    let bad = QAMUS.run(&["report", "--source-by", "(", "fixtures/articles"]);
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
    let output = QAMUS.run(&["report", dir.path().to_str().unwrap()]);
    let markdown = String::from_utf8(output.stdout).unwrap();
    assert!(markdown.chars().count() <= 65_000, "{}", markdown.chars().count());
    assert!(markdown.contains("> **Summarised:**"), "says so");
    assert!(markdown.contains("## Concepts × sources"));
    // A small corpus is not summarised.
    let small = String::from_utf8(QAMUS.run(&["report", "fixtures/articles"]).stdout).unwrap();
    assert!(!small.contains("Summarised") && small.contains("<details>"));
}

/// The Markdown report of the article fixtures, compared with the reviewed
/// copy in `tests/expected/`. `QAMUS_BLESS=1 cargo test` writes it anew.
#[test]
fn markdown_snapshot_of_the_fixtures() {
    let output = QAMUS.run(&["report", "fixtures/articles"]);
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

/// Runs headless Chromium on `page` with `script` added at the end of its
/// body, in a window `width` pixels wide and 900 high (Chromium's default
/// without a width), doing what `action` says (`--dump-dom`,
/// `--screenshot=…`).
fn chromium_on(chromium: &Path, page: &Path, script: &str, width: Option<u32>, action: &[&str]) -> Output {
    let html = std::fs::read_to_string(page).unwrap().replace("</body>", &format!("<script>{script}</script></body>"));
    let probed = page.with_extension("probe.html");
    std::fs::write(&probed, html).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let mut command = Command::new("timeout");
    // `timeout` so that a Chromium that hangs fails the test instead of CI.
    command
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
        ])
        .args(action)
        .arg(format!("--user-data-dir={}", profile.path().display()));
    if let Some(width) = width {
        command.arg(format!("--window-size={width},900"));
    }
    command.arg(format!("file://{}", std::fs::canonicalize(&probed).unwrap().display())).output().expect("run chromium")
}

/// Renders a page in headless Chromium after adding `probe` (a script that
/// writes what it finds into the page) and returns the DOM.
fn render(chromium: &Path, page: &Path, probe: &str) -> String {
    String::from_utf8_lossy(&chromium_on(chromium, page, probe, None, &["--dump-dom"]).stdout).into_owned()
}

/// What a probe wrote with `report(out)` ([`PROBE_REPORT`]), rendered in a
/// window `width` pixels wide.
fn probe_at(chromium: &Path, page: &Path, probe: &str, width: u32) -> Value {
    let output = chromium_on(chromium, page, &format!("{PROBE_REPORT}{probe}"), Some(width), &["--dump-dom"]);
    probed(&String::from_utf8_lossy(&output.stdout))
}

/// Defines `report(out)` for a probe: writes `out` as JSON into the page.
const PROBE_REPORT: &str = r#"
  function report(out) { var pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(out); document.body.appendChild(pre); }
"#;

/// The JSON a probe wrote into the dumped DOM.
fn probed(dom: &str) -> Value {
    let start = dom.find("<pre id=\"probe\">").unwrap_or_else(|| panic!("the probe did not run: {dom:.2000}")) + "<pre id=\"probe\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    serde_json::from_str(&dom[start..end].replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")).unwrap()
}

#[test]
fn html_report_of_the_seeds_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED: no chromium on PATH (.ci/run installs Debian's chromium; it could not be installed here)");
        return;
    };
    let Some(seeds) = util::shared("seeds", "the HTML report test") else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let mut files: Vec<String> =
        std::fs::read_dir(seeds).unwrap().map(|e| e.unwrap().path().display().to_string()).filter(|p| p.ends_with(".txt")).collect();
    files.sort();
    let mut args = vec!["report".to_string(), "-o".into(), page.display().to_string()];
    args.extend(files);
    let output = util::qamus().args(&args).output().unwrap();
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
    let found = probed(&render(&chromium, &page, probe));
    assert_eq!(found["status"], "forbidden", "{found}");
    assert_eq!(found["colour"], found["forbiddenColour"], "«مؤسسة حمد الطبية» is in the forbidden colour: {found}");
    assert_ne!(found["colour"], found["preferredColour"]);
    assert_eq!(found["cellDir"], "rtl");
    assert_eq!(found["arabicCellsRtl"], true);
    assert!(found["rows"].as_u64().unwrap() > 20);
}

/// A corpus of `sources` files, one source each, in `dir`, written for
/// these tests from the shipped glossary's terms: every outlet reports the
/// same meetings, some in admitted, deprecated or forbidden words
/// («قوى الأمن الداخلي» for the ISF, «اللجنة العسكرية المشتركة» for the
/// HMC), so that rows have several renderings. With `common_ending` every
/// file is `…/outlet-NN-…/dispatches/2026/weekly-security-brief.txt`, so
/// that the column names are long paths; without, every file is named
/// differently. Returns the files, sorted.
fn outlets(dir: &Path, sources: usize, common_ending: bool) -> Vec<String> {
    let desks = ["baghdad-bureau", "erbil-desk", "basra-office", "mosul-correspondent", "washington-desk", "kirkuk-stringer"];
    let pick = |i: usize, forms: &[&'static str]| forms[i % forms.len()];
    let mut files = Vec::new();
    for i in 0..sources {
        let hmc = pick(i, &["اللجنة العسكرية العليا", "اللجنة العسكرية العليا", "اللجنة العسكرية المشتركة", "لجنة عسكرية رفيعة المستوى"]);
        let isf = pick(i, &["قوات الأمن العراقية", "قوى الأمن الداخلي", "القوات الأمنية العراقية"]);
        let sfa = pick(i, &["اتفاقية الإطار الاستراتيجي", "اتفاقية الإطار الاستراتيجي", "اتفاق الإطار الاستراتيجي"]);
        let coalition = pick(
            i,
            &[
                "التحالف الدولي لهزيمة داعش",
                "التحالف الدولي",
                "التحالف الدولي لمواجهة داعش",
                "التحالف الدولي لهزيمة داعش",
                "التحالف الدولي لهزيمة داعش",
            ],
        );
        let fms = pick(i, &["المبيعات العسكرية الأجنبية", "المبيعات العسكرية الخارجية"]);
        let mission = pick(i, &["البعثة الاستشارية", "المهمة الاستشارية", "البعثة الاستشارية"]);
        let sentences = [
            format!("اجتمعت {hmc} في بغداد لبحث جدول الانسحاب."),
            format!("وأكد المتحدث أن {isf} تسلمت المسؤولية الأمنية في المدينة."),
            "ونفذ جهاز مكافحة الإرهاب عملية بالتنسيق مع قيادة العمليات المشتركة.".to_string(),
            "وشاركت البيشمركة وقوات الأمن الكردية في تدريب مشترك.".to_string(),
            format!("وجرى بحث {sfa} خلال الحوار الاستراتيجي."),
            format!("وقالت القيادة المركزية الأمريكية إن {coalition} يواصل مهامه."),
            "ووقع الجانبان مذكرة تفاهم بشأن برامج التعاون الأمني والتعليم العسكري المهني.".to_string(),
            format!("وأعلنت وكالة التعاون الأمني الدفاعي عن صفقة ضمن {fms}."),
            "واستقبل وزير الدفاع العراقي رئيس أركان الجيش في مقر وزارة الدفاع العراقية.".to_string(),
            format!("وتحدث محمد شياع السوداني عن مستقبل {mission}."),
            "وناقش مجلس الأمن القومي عمل ضباط الاتصال في قاعدة حرير الجوية.".to_string(),
            "وأكدت وزارة الخارجية العراقية دعمها لحملة هزيمة داعش.".to_string(),
        ];
        // Each outlet leaves out some of the story, so that cells are empty here and there.
        let text: String =
            sentences.iter().enumerate().filter(|(k, _)| k < &2 || (i + k) % 4 != 0).map(|(_, s)| format!("{s}\n")).collect();
        let desk = desks[i % desks.len()];
        let path = if common_ending {
            dir.join(format!("agencies/outlet-{:02}-{desk}/dispatches/2026/weekly-security-brief.txt", i + 1))
        } else {
            dir.join(format!("agencies/{desk}/2026-07-{:02}-security-brief.txt", i + 1))
        };
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        files.push(path.display().to_string());
    }
    files.sort();
    files
}

/// Scrolls the matrix's box to the middle of its width and down a little,
/// then measures: whether the page scrolls sideways (it must not), how the
/// box scrolls, and where the sticky cells are once it has scrolled.
const MATRIX_PROBE: &str = r#"
  var table = document.getElementById('matrix'), box = table.parentNode, style = getComputedStyle(box);
  var head = table.tHead.rows[0], row = table.tBodies[0].rows[table.tBodies[0].rows.length - 1];
  var left = function (el) { return Math.round(el.getBoundingClientRect().left); };
  var topOf = function (el) { return Math.round(el.getBoundingClientRect().top); };
  var out = {
    pageWidth: document.documentElement.scrollWidth, windowWidth: window.innerWidth,
    boxClass: box.className, overflowX: style.overflowX, overflowY: style.overflowY,
    scrollWidth: box.scrollWidth, clientWidth: box.clientWidth, scrollHeight: box.scrollHeight, clientHeight: box.clientHeight,
    columns: head.cells.length,
    headers: Array.prototype.slice.call(head.cells, 2).map(function (c) { return [c.textContent, c.title]; }),
    conceptPosition: getComputedStyle(row.cells[0]).position, headPosition: getComputedStyle(head.cells[3]).position,
    dominantPosition: getComputedStyle(row.cells[1]).position,
    arabicCellsRtl: Array.prototype.every.call(table.querySelectorAll('td[lang="ar"]'), function (td) { return td.getAttribute('dir') === 'rtl' && getComputedStyle(td).direction === 'rtl'; }),
    hintShown: !document.getElementById('scroll-hint').hidden,
    boxLeft: left(box) + box.clientLeft, boxTop: topOf(box) + box.clientTop
  };
  var source = row.cells[row.cells.length - 1];
  out.before = { concept: left(row.cells[0]), dominant: left(row.cells[1]), source: left(source), head: topOf(head.cells[3]), row: topOf(row.cells[0]) };
  box.scrollLeft = (box.scrollWidth - box.clientWidth) / 2; box.scrollTop = (box.scrollHeight - box.clientHeight) / 2;
  out.scrolled = { left: box.scrollLeft, top: box.scrollTop };
  out.after = { concept: left(row.cells[0]), dominant: left(row.cells[1]), source: left(source), head: topOf(head.cells[3]), row: topOf(row.cells[0]),
    conceptRight: Math.round(row.cells[0].getBoundingClientRect().right) };
  // Once scrolled, what is seen in the middle of the concept and dominant
  // cells of the first row below the (sticky) header cells is those cells: sticky cells
  // are drawn above the cells that scroll under them.
  var below = Array.prototype.find.call(table.tBodies[0].rows, function (r) { return r.getBoundingClientRect().top > head.cells[0].getBoundingClientRect().bottom + 1; });
  var seen = function (cell) {
    var r = cell.getBoundingClientRect(), hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 10));
    return !!hit && cell.contains(hit);
  };
  out.onTop = { concept: seen(below.cells[0]), dominant: seen(below.cells[1]), header: seen(head.cells[0]) };
  report(out);
"#;

/// The HTML matrix with 6 and with 30 sources, in windows 1400 and 800
/// pixels wide: the page never scrolls sideways, the matrix scrolls in its
/// own box (it must, with 30 sources), and once the box is scrolled both
/// ways the header row, the concept column and (at 1400 pixels) the
/// dominant column are where they were. Source headers are short names, the
/// whole name in their title. `QAMUS_SCREENSHOTS=1` also writes the
/// screenshots in docs/ (the README shows them).
#[test]
fn html_matrix_scrolls_in_its_own_box_with_6_and_30_sources() {
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED: no chromium on PATH (.ci/run installs Debian's chromium; it could not be installed here)");
        return;
    };
    let screenshots = std::env::var_os("QAMUS_SCREENSHOTS").is_some();
    for sources in [6, 30] {
        let dir = tempfile::tempdir().unwrap();
        let files = outlets(dir.path(), sources, sources == 30);
        let page = dir.path().join("report.html");
        let output = util::qamus()
            .args(["report", "-o", page.to_str().unwrap()])
            .args(&files)
            .env("SOURCE_DATE_EPOCH", "1785398400")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        for width in [1400, 800] {
            let found = probe_at(&chromium, &page, MATRIX_PROBE, width);
            let at = format!("{sources} sources, {width} px: {found:#}");
            assert_eq!(found["windowWidth"], width, "{at}");
            assert!(found["pageWidth"].as_u64().unwrap() <= width as u64, "the page scrolls sideways: {at}");
            assert_eq!((found["boxClass"].as_str(), found["overflowX"].as_str()), (Some("matrix"), Some("auto")), "{at}");
            assert_eq!(found["columns"], 2 + sources, "{at}");
            assert_eq!(found["arabicCellsRtl"], true, "{at}");
            assert_eq!((found["conceptPosition"].as_str(), found["headPosition"].as_str()), (Some("sticky"), Some("sticky")), "{at}");
            // The dominant column stays where it fits beside the concept column.
            assert_eq!(found["dominantPosition"], if width == 1400 { "sticky" } else { "static" }, "{at}");
            let wider = found["scrollWidth"].as_u64().unwrap() > found["clientWidth"].as_u64().unwrap();
            assert_eq!(found["hintShown"], wider, "the hint says the box scrolls when it does: {at}");
            if sources == 30 {
                assert!(wider, "30 sources are wider than the window: {at}");
                assert!(found["scrollHeight"].as_u64().unwrap() > found["clientHeight"].as_u64().unwrap(), "and taller: {at}");
            }
            if wider {
                let (before, after) = (&found["before"], &found["after"]);
                assert!(found["scrolled"]["left"].as_f64().unwrap() > 0.0, "{at}");
                assert!(after["source"].as_i64() < before["source"].as_i64(), "the sources moved: {at}");
                assert_eq!(after["concept"], before["concept"], "the concept column stayed: {at}");
                assert_eq!(after["concept"], found["boxLeft"], "at the box's left edge: {at}");
                assert_eq!(
                    (&found["onTop"]["concept"], &found["onTop"]["header"]),
                    (&Value::Bool(true), &Value::Bool(true)),
                    "drawn above the cells scrolled under them: {at}"
                );
                if width == 1400 {
                    assert_eq!(after["dominant"], before["dominant"], "the dominant column stayed: {at}");
                    assert_eq!(after["dominant"], after["conceptRight"], "beside the concept column: {at}");
                    assert_eq!(found["onTop"]["dominant"], true, "{at}");
                }
            }
            if found["scrolled"]["top"].as_f64().unwrap() > 0.0 {
                let (before, after) = (&found["before"], &found["after"]);
                assert!(after["row"].as_i64() < before["row"].as_i64(), "the rows moved: {at}");
                assert_eq!(after["head"], found["boxTop"], "the header row stayed at the box's top: {at}");
            }
            // Headers are short: without the folders all share, and with 30
            // sources, without the ending all share; the whole name in their title.
            let headers: Vec<(&str, &str)> =
                found["headers"].as_array().unwrap().iter().map(|h| (h[0].as_str().unwrap(), h[1].as_str().unwrap())).collect();
            assert_eq!(headers.len(), files.len(), "{at}");
            let prefix = format!("{}/agencies/", dir.path().display());
            for ((header, title), file) in headers.iter().zip(&files) {
                let short = file.strip_prefix(&prefix).unwrap();
                let short = if sources == 30 { short.strip_suffix("/dispatches/2026/weekly-security-brief.txt").unwrap() } else { short };
                assert_eq!(*header, short, "{at}");
                assert!(title.starts_with(&format!("{file} (1 file, ")), "{title}: {at}");
            }
            // Three pictures: 30 sources at both widths, 6 at 1400 pixels.
            if screenshots && (sources == 30 || width == 1400) {
                let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("docs/report-{sources}-sources-{width}.png"));
                screenshot(&chromium, &page, width, &shot);
            }
        }
    }
}

/// A screenshot of the page in a window `width` × 900, the matrix scrolled
/// a third of the way across and a little down (when it can be), so that
/// the sticky columns and header show, and the page moved up as a reader
/// scrolls it to see the matrix's box whole: to its heading. (Moved by a
/// transform: headless Chromium's screenshot of a page scrolled by a script
/// or a `#fragment` comes out blank where the page was scrolled from, and
/// one moved by its margin misses some grid lines of the sticky column.)
fn screenshot(chromium: &Path, page: &Path, width: u32, shot: &Path) {
    let scroll = r#"
      var table = document.getElementById('matrix'), box = table.parentNode, head = table.tHead.rows[0].cells;
      // Up to the matrix's heading, or further if the box's foot is still below the window.
      var below = box.getBoundingClientRect().bottom + 16 - window.innerHeight;
      var heading = document.querySelector('h2').getBoundingClientRect().top - 8;
      var shift = below <= 0 ? 0 : Math.max(below, heading);
      document.body.style.transform = 'translateY(' + (-shift) + 'px)';
      // A third of the way across, a source column's start just after the sticky columns.
      var inside = box.getBoundingClientRect().left + box.clientLeft;
      var dominantSticks = getComputedStyle(table.tBodies[0].rows[0].cells[1]).position === 'sticky';
      var sticky = head[dominantSticks ? 1 : 0].getBoundingClientRect().right - inside;
      var starts = Array.prototype.slice.call(head, 2).map(function (c) { return c.getBoundingClientRect().left - inside - sticky; });
      var third = (box.scrollWidth - box.clientWidth) / 3;
      box.scrollLeft = starts.reduce(function (best, x) { return Math.abs(x - third) < Math.abs(best - third) ? x : best; }, 0);
      box.scrollTop = Math.min(96, box.scrollHeight - box.clientHeight);
    "#;
    let _ = std::fs::remove_file(shot);
    let output = chromium_on(
        chromium,
        page,
        scroll,
        Some(width),
        &["--run-all-compositor-stages-before-draw", "--virtual-time-budget=2000", &format!("--screenshot={}", shot.display())],
    );
    assert!(shot.is_file(), "no screenshot: {}", String::from_utf8_lossy(&output.stderr));
    // Smaller, where optipng is at hand.
    let _ = Command::new("optipng").args(["-quiet", "-o2", "-strip", "all"]).arg(shot).status();
    eprintln!("wrote {}", shot.display());
}

/// An English locale file beside the Arabic one, and an English README, are
/// no source columns, walked or named: the report lists them as not
/// sources and says so on stderr. A file named for another language that
/// does hold Arabic renderings stays a source.
#[test]
fn an_english_locale_file_is_not_a_source_column() {
    let dir = repository(
        "",
        &[
            ("locales/ar.json", "{\"nav\": {\"title\": \"اجتماع اللجنة العسكرية العليا\", \"forces\": \"قوات الأمن العراقية\", \"lang\": \"العربية\"}}\n"),
            // The English source, with the language menu's «العربية» in Arabic.
            ("locales/en.json", "{\"nav\": {\"title\": \"Meeting of the Higher Military Commission\", \"forces\": \"Iraqi Security Forces (ISF)\", \"lang\": \"العربية\"}}\n"),
            ("po/ar.po", "msgid \"Iraqi Security Forces\"\nmsgstr \"قوى الأمن الداخلي\"\n"),
            ("po/en.po", "msgid \"Iraqi Security Forces\"\nmsgstr \"Iraqi Security Forces\"\n"),
            ("news/statement.txt", "أكدت قوات الأمن العراقية أن اللجنة العسكرية العليا اجتمعت.\n"),
            ("README.md", "# Strings\n\nThe Iraqi Security Forces (ISF) and the HMC, in English.\n"),
            // A French file quoting Arabic terms is still read for them.
            ("quotes/fr.json", "{\"note\": \"En arabe : اللجنة العسكرية العليا\"}\n"),
        ],
    );
    let sources = |report: &Value| -> Vec<String> {
        report["sources"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()).collect()
    };
    let left_out = |report: &Value| -> Vec<(String, String)> {
        report["left_out"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["path"].as_str().unwrap().to_string(), l["reason"].as_str().unwrap().to_string()))
            .collect()
    };
    // Walked: the walk never takes en.json, en.po or fr.json; the README is
    // walked, and has no Arabic.
    let (walked, stderr) = report_in(dir.path(), &["."]);
    assert_eq!(sources(&walked), ["./locales/ar.json", "./news/statement.txt", "./po/ar.po"], "{walked:#}");
    assert_eq!(left_out(&walked), [("./README.md".to_string(), "no-arabic".to_string())], "{walked:#}");
    assert!(stderr.contains("./README.md: not a source of the report: no Arabic text"), "{stderr}");
    // Named: every file is read, and the English ones are no sources.
    let named = ["locales/ar.json", "locales/en.json", "po/ar.po", "po/en.po", "news/statement.txt", "README.md", "quotes/fr.json"];
    let (report, stderr) = report_in(dir.path(), &named);
    assert_eq!(sources(&report), ["locales/ar.json", "news/statement.txt", "po/ar.po", "quotes/fr.json"], "{report:#}");
    assert_eq!(
        left_out(&report),
        [("locales/en.json", "locale"), ("po/en.po", "locale"), ("README.md", "no-arabic")].map(|(p, r)| (p.to_string(), r.to_string())),
        "{report:#}"
    );
    assert_eq!(report["left_out"][0]["language"], "en");
    assert!(stderr.contains("locales/en.json: not a source of the report: named for the locale en, with no Arabic rendering"), "{stderr}");
    // Counted nowhere: four files, and no cell or finding from the English ones.
    assert_eq!(report["corpus"]["files"], 4, "{report:#}");
    assert_eq!(row(&report, "isf")["cells"].as_array().unwrap().len(), 4);
    assert!(report["inconsistencies"].as_array().unwrap().iter().all(|i| !i["path"].as_str().unwrap().contains("en.")), "{report:#}");
    // The HTML has no column for them, and names them under the matrix; so does the Markdown.
    let output = util::qamus().args(["report", "--format", "html"]).args(named).current_dir(dir.path()).output().unwrap();
    let html = String::from_utf8(output.stdout).unwrap();
    let head = &html[html.find("<thead>").unwrap()..html.find("</thead>").unwrap()];
    assert_eq!(head.matches("class=\"sort source\"").count(), 4, "{head}");
    assert!(!head.contains("en.json") && !head.contains("en.po") && !head.contains("README"), "{head}");
    assert!(html.contains("<b>Not sources</b> (no Arabic targets): <code><bdi dir=\"ltr\">locales/en.json</bdi></code> (named for the locale en, with no Arabic rendering)"), "{html}");
    let output = util::qamus().args(["report"]).args(named).current_dir(dir.path()).output().unwrap();
    let markdown = String::from_utf8(output.stdout).unwrap();
    let header = markdown.lines().find(|l| l.starts_with("| concept | dominant |")).unwrap();
    assert!(!header.contains("en.json") && !header.contains("en.po") && !header.contains("README"), "{header}");
    assert!(markdown.contains("**Not sources** (no Arabic targets): `locales/en.json` (named for the locale en, with no Arabic rendering), `po/en.po` (named for the locale en, with no Arabic rendering), `README.md` (no Arabic text)."), "{markdown}");
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
    let output = util::qamus()
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
    let output = util::qamus().args(["check", "--format", "json"]).args(args).current_dir(dir).output().unwrap();
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
    let output = util::qamus().args(["report", "."]).current_dir(dir.path()).output().unwrap();
    let markdown = String::from_utf8_lossy(&output.stdout);
    let line = markdown.lines().find(|l| l.starts_with("| **HMC** |")).expect("the HMC row");
    assert!(line.contains(commission) && line.contains("most used"), "{line}");
}

#[test]
fn the_report_leaves_out_the_findings_a_baseline_records() {
    let dir = repository("", &[("a.txt", "اجتمعت مؤسسة حمد الطبية أمس.\n"), ("b.txt", "وأكدت قوى الأمن الداخلي.\n")]);
    let output =
        util::qamus().args(["check", "--write-baseline", "qamus-baseline.json", "a.txt"]).current_dir(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let (without, _) = report_in(dir.path(), &["."]);
    assert_eq!(concepts_of(&without, "inconsistencies"), ["hmc", "isf"], "{without:#}");
    let (with, stderr) = report_in(dir.path(), &["--baseline", "qamus-baseline.json", "."]);
    assert_eq!(concepts_of(&with, "inconsistencies"), ["isf"], "{with:#}");
    assert!(stderr.contains("recorded in the baseline"), "{stderr}");
}
