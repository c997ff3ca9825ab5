//! `qamus glossary`: the attested glossary of a corpus, its formats (CSV that
//! loads back, CAT CSV, TBX-Basic, JSON), imports (TBX v3 and v2 as Trados
//! MultiTerm and Weblate write them, two-language CSV, TSV), the TBX round
//! trip, and the self-tests.

use std::path::Path;

use qamus::glossary::attested::Attested;
use qamus::glossary::{tbx, Glossary, GlossaryFormat, PartsOfSpeech, Status};
use serde_json::Value;

use crate::util::{self, lossy, run};

/// (id, en, acronym, [(form, status, parts of speech, the rendering it is
/// a form of)]) of every concept, for comparisons.
type Shape = Vec<(String, String, Option<String>, Vec<(String, Status, String, Option<String>)>)>;

fn shape(glossary: &Glossary) -> Shape {
    glossary
        .concepts
        .iter()
        .map(|c| {
            let mut terms: Vec<(String, Status, String, Option<String>)> = c
                .terms
                .iter()
                .map(|t| (t.text.clone(), t.status, t.pos.to_string(), t.form_of.map(|of| c.terms[of].text.clone())))
                .collect();
            terms.sort();
            (c.id.clone(), c.en.clone(), c.acronym.clone(), terms)
        })
        .collect()
}

/// `glossary` written as TBX (every concept) and read back, validated;
/// and the TBX written.
fn through_tbx(glossary: &Glossary) -> (Glossary, String) {
    let rows = Attested::new(glossary);
    let rows = rows.rows(glossary, true);
    let mut tbx_bytes = Vec::new();
    tbx::write(&rows, &mut tbx_bytes).unwrap();
    let mut back = GlossaryFormat::Tbx.parse(&tbx_bytes, "round.tbx").unwrap();
    back.validate().unwrap();
    (back, String::from_utf8(tbx_bytes).unwrap())
}

#[test]
fn parts_of_speech_and_listed_forms_go_through_tbx_and_csv_and_back() {
    for path in ["fixtures/realworld/elk.csv", "fixtures/realworld/bleachbit.csv"] {
        let curated = Glossary::load_files(&[Path::new(path).to_path_buf()], None).unwrap();
        assert!(curated.concepts.iter().flat_map(|c| &c.terms).any(|t| t.form_of.is_some()), "{path}: no listed form");
        assert!(curated.concepts.iter().flat_map(|c| &c.terms).any(|t| t.pos.contains(PartsOfSpeech::VERB)), "{path}: no verb");
        let (back, written) = through_tbx(&curated);
        assert_eq!(shape(&back), shape(&curated), "{path} through TBX");
        assert!(written.contains(r#"<termNote type="partOfSpeech">verb</termNote>"#), "{path}");
        assert!(written.contains(r#"<termNote type="termType">variant</termNote>"#), "{path}");
        assert!(written.contains(r#"<ref type="crossReference" target="t-"#), "{path}");
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("round.csv");
        let output = run(&["glossary", "--all", "-g", path, "-o", out.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0), "{}", lossy(&output.stderr));
        let back = Glossary::load_files(&[out], None).unwrap();
        assert_eq!(shape(&back), shape(&curated), "{path} through CSV");
    }
}

#[test]
fn curated_csv_to_tbx_and_back_keeps_concepts_forms_and_statuses() {
    let curated = Glossary::embedded().unwrap();
    let (back, written) = through_tbx(&curated);
    assert!(back.notices.is_empty(), "{:?}", back.notices);
    assert_eq!(shape(&back), shape(&curated));
    for (a, b) in back.concepts.iter().zip(&curated.concepts) {
        assert_eq!((&a.note, &a.source), (&b.note, &b.source), "{}", a.id);
    }
    // Forbidden forms are deprecated in TBX, with a note that says so.
    assert!(written.contains(r#"<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">"#));
    let hamad = written.find("<term>مؤسسة حمد الطبية</term>").unwrap();
    let after = &written[hamad..hamad + 300];
    assert!(after.contains("deprecatedTerm-admn-sts") && after.contains(tbx::FORBIDDEN_NOTE), "{after}");
    assert!(written.contains(r#"<termNote type="termType">acronym</termNote>"#));
}

#[test]
fn tbx_as_multiterm_and_weblate_write_it() {
    let multiterm = Glossary::load_files(&[Path::new("fixtures/glossaries/tbx/multiterm-v2.tbx").to_path_buf()], None).unwrap();
    let c = &multiterm.concepts[0];
    assert_eq!((c.id.as_str(), c.en.as_str(), c.acronym.as_deref()), ("c101", "Higher Military Commission", Some("HMC")));
    assert_eq!(c.preferred(), "اللجنة العسكرية العليا");
    assert!(c.terms.iter().any(|t| t.text == "اللجنة العسكرية المشتركة" && t.status == Status::Deprecated));
    assert!(c.note.as_deref().unwrap().starts_with("A joint US–Iraq body"));
    assert!(multiterm.notices.is_empty(), "every MultiTerm element is known: {:?}", multiterm.notices);

    let weblate = Glossary::load_files(&[Path::new("fixtures/glossaries/tbx/weblate-v2.tbx").to_path_buf()], None).unwrap();
    assert_eq!(weblate.concepts.len(), 1);
    assert_eq!(weblate.concepts[0].preferred(), "قوات الأمن العراقية");
    assert!(weblate.notices.iter().any(|n| n.contains("\"isf-wrong\" has no preferred or admitted Arabic term")), "{:?}", weblate.notices);

    // And `check` uses them.
    let output = run(&["check", "--glossary", "fixtures/glossaries/tbx/multiterm-v2.tbx", "fixtures/articles/hmc-mixed-renderings.txt"]);
    assert!(
        lossy(&output.stdout).contains("warning[deprecated-rendering] «\u{2068}اللجنة العسكرية المشتركة\u{2069}»"),
        "{}",
        lossy(&output.stdout)
    );
}

#[test]
fn every_concept_of_a_tbx_keeps_its_line() {
    // The lines are counted on from concept to concept (loading was
    // quadratic when each counted from the start): each must still be the
    // line of its <conceptEntry>, and a passed-over one says its own.
    let glossary = Glossary::embedded().unwrap();
    let (back, written) = through_tbx(&glossary);
    for concept in &back.concepts {
        let opening = format!("<conceptEntry id=\"{}\">", concept.id);
        let line = written.lines().position(|l| l.contains(&opening)).unwrap() + 1;
        assert_eq!(concept.location.line, line, "{}", concept.id);
    }
    let last = back.concepts.last().unwrap().id.clone();
    let broken = written.replacen(&format!("<conceptEntry id=\"{last}\">"), "<conceptEntry id=\"lonely\"><langSec xml:lang=\"en\"><termSec><term>Lonely</term></termSec></langSec></conceptEntry>\n<conceptEntry id=\"again\">", 1);
    let line = broken.lines().position(|l| l.contains("\"lonely\"")).unwrap() + 1;
    let parsed = GlossaryFormat::Tbx.parse(broken.as_bytes(), "broken.tbx").unwrap();
    assert!(parsed.notices.iter().any(|n| n.starts_with(&format!("broken.tbx:{line}: concept \"lonely\""))), "{:?}", parsed.notices);
}

#[test]
fn semicolons_and_tabs_in_a_csv_header_are_read_as_its_separator() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    std::fs::write(&article, "وأكدت قوات الأمن العراقية ذلك.\n").unwrap();
    for (name, body) in [
        ("semicolons.csv", "id;en;ar;note\nisf;Iraqi Security Forces;قوات الأمن العراقية;\"a note; with a semicolon\"\n"),
        ("tabs.csv", "id\ten\tar\nisf\tIraqi Security Forces\tقوات الأمن العراقية\n"),
        ("pairs.csv", "en;ar\nIraqi Security Forces;قوات الأمن العراقية\n"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let output = run(&["check", "--no-config", "--format", "json", "-g", path.to_str().unwrap(), article.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", lossy(&output.stderr));
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["matches"][0]["surface"], "قوات الأمن العراقية", "{name}");
    }
    // A header that mixes them: the error says what the cell holds.
    let mixed = dir.path().join("mixed.csv");
    std::fs::write(&mixed, "id;en;ar,note\nisf;Iraqi Security Forces;قوات الأمن العراقية,x\n").unwrap();
    let output = run(&["check", "--no-config", "-g", mixed.to_str().unwrap(), article.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        lossy(&output.stderr).contains("unknown column \"id;en;ar\"") && lossy(&output.stderr).contains("is this file separated by ';'?"),
        "{}",
        lossy(&output.stderr)
    );
}

#[test]
fn the_glossary_command_reads_the_configuration_as_check_does_and_keeps_spelling_notes() {
    let dir = tempfile::tempdir().unwrap();
    let glossary =
        "id,en,ar,note\n@spelling,,الأمريكية | الأميركية,Both spellings are standard.\nisf,Iraqi Security Forces,قوات الأمن العراقية,\n";
    std::fs::write(dir.path().join("terms.csv"), glossary).unwrap();
    std::fs::write(dir.path().join("qamus.toml"), "glossaries = [\"terms.csv\"]\n").unwrap();
    let run = |args: &[&str]| util::qamus().args(args).current_dir(dir.path()).output().unwrap();
    // The configured glossary, not the embedded one.
    let output = run(&["glossary", "--all"]);
    assert_eq!(output.status.code(), Some(0), "{}", lossy(&output.stderr));
    let csv = lossy(&output.stdout);
    assert_eq!(csv.lines().filter(|l| !l.starts_with("id,") && !l.starts_with("@spelling")).count(), 1, "{csv}");
    // The note of the spelling row is kept.
    assert!(csv.lines().any(|l| l.starts_with("@spelling") && l.contains("Both spellings are standard.")), "{csv}");
    // --no-config: the embedded glossary, as for check.
    let output = run(&["glossary", "--no-config", "--all"]);
    assert_eq!(output.status.code(), Some(0), "{}", lossy(&output.stderr));
    assert!(lossy(&output.stdout).lines().count() > 30);
    // No path: no corpus (not the current folder).
    std::fs::write(dir.path().join("a.txt"), "وأكدت قوات الأمن العراقية ذلك.\n").unwrap();
    let json: Value = serde_json::from_slice(&run(&["glossary", "--all", "-f", "json"]).stdout).unwrap();
    assert!(lossy(&serde_json::to_vec(&json).unwrap()).contains("\"occurrences\":0"), "{json:#}");
}

#[test]
fn tbx_errors_and_unknown_elements() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("bad.tbx", "<tbx><text><body><conceptEntry></body></text></tbx>", "bad.tbx:1:"),
        ("cut.tbx", "<tbx><text><body>", "cut.tbx:1:18: truncated TBX"),
        ("root.tbx", "<glossary/>", "root.tbx:1: unknown root element <glossary>"),
        (
            "ent.tbx",
            "<!DOCTYPE tbx [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n<tbx><text><body><conceptEntry id=\"a\"><langSec xml:lang=\"ar\"><termSec><term>&x;</term></termSec></langSec></conceptEntry></body></text></tbx>",
            "ent.tbx:2:",
        ),
    ];
    for (name, body, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let output = run(&["check", "--glossary", path.to_str().unwrap(), "fixtures/articles"]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert!(lossy(&output.stderr).contains(expected), "{name}: {}", lossy(&output.stderr));
    }
    let odd = dir.path().join("odd.tbx");
    std::fs::write(
        &odd,
        "<tbx><text><body><conceptEntry id=\"pm\"><customThing>x</customThing><langSec xml:lang=\"en\"><termSec><term>Peshmerga</term></termSec></langSec><langSec xml:lang=\"ar\"><termSec><term>البيشمركة</term></termSec></langSec></conceptEntry></body></text></tbx>",
    )
    .unwrap();
    let output = run(&["check", "--glossary", odd.to_str().unwrap(), "fixtures/articles"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(lossy(&output.stderr).contains("passed over unknown elements: customThing"), "{}", lossy(&output.stderr));
}

#[test]
fn two_language_csv_and_tsv_imports() {
    let pairs = Glossary::load_files(&[Path::new("fixtures/glossaries/locale-pairs.csv").to_path_buf()], None).unwrap();
    assert_eq!(pairs.concepts.len(), 2);
    assert_eq!(
        (pairs.concepts[0].en.as_str(), pairs.concepts[0].preferred()),
        ("Joint Security Cooperation Dialogue", "حوار التعاون الأمني المشترك")
    );
    assert_eq!(pairs.concepts[0].note.as_deref(), Some("The bilateral security dialogue."));
    let tsv = Glossary::load_files(&[Path::new("fixtures/glossaries/fms.tsv").to_path_buf()], None).unwrap();
    assert!(tsv.concepts[0].terms.iter().any(|t| t.text == "المبيعات العسكرية الخارجية" && t.status == Status::Deprecated));
}

#[test]
fn the_attested_glossary_of_the_fixtures_loads_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("attested.csv");
    let output = run(&["glossary", "fixtures/articles", "--bom", "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", lossy(&output.stderr));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "--bom");
    let written = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let header = written.lines().next().unwrap();
    assert!(header.starts_with("id,en,acronym,ar,ar_admitted,ar_deprecated,ar_forbidden,en_variants,note,source,examples,pos,ar_forms,occurrences,sources,dominant,dominant_differs,attested"));
    let hmc = written.lines().find(|l| l.starts_with("hmc,")).unwrap();
    assert!(
        hmc.contains(",اللجنة العسكرية العليا | اللجنة العسكرية المشتركة | مؤسسة حمد الطبية,preferred | deprecated | forbidden,2 | 1 | 1,"),
        "{hmc}"
    );
    assert!(!written.lines().any(|l| l.starts_with("harir,")), "concepts not in the corpus are left out without --all");
    // It loads back as a glossary, and checks the same.
    let back = run(&["check", "--glossary", out.to_str().unwrap(), "--format", "json", "fixtures/articles/hmc-mixed-renderings.txt"]);
    let report: Value = serde_json::from_slice(&back.stdout).unwrap_or_else(|e| panic!("{e}: {}", lossy(&back.stderr)));
    assert_eq!(report["summary"]["error"], 1);
    // --all adds the rest with zero counts.
    let all = lossy(&run(&["glossary", "fixtures/articles", "--all"]).stdout);
    assert!(all.lines().any(|l| l.starts_with("harir,") && l.contains(",0,0,,")), "{all}");
}

#[test]
fn cat_csv_with_locale_codes() {
    let out = lossy(&run(&["glossary", "fixtures/articles", "--format", "cat-csv", "--locales", "en-US,ar-IQ"]).stdout);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("en-US,ar-IQ,description"));
    assert!(out.contains("\nU.S.-Iraq Higher Military Commission,اللجنة العسكرية العليا,"), "{out}");
}

#[test]
fn cat_csv_loads_back_as_a_two_language_glossary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cat.csv");
    let output = run(&["glossary", "--all", "--format", "cat-csv", "--locales", "en-US,ar-IQ", "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let back = Glossary::load_files(&[out], None).unwrap();
    let curated = Glossary::embedded().unwrap();
    assert_eq!(back.concepts.len(), curated.concepts.len());
    for (a, b) in back.concepts.iter().zip(&curated.concepts) {
        assert_eq!((a.en.as_str(), a.preferred(), a.note.as_deref()), (b.en.as_str(), b.preferred(), b.note.as_deref()));
    }
}

#[test]
fn seeds_attest_hmc_as_dominant_and_hamad_as_forbidden() {
    let Some(seeds) = util::shared("seeds", "the attested-glossary seed test") else { return };
    let mut args = vec!["glossary".to_string(), "--format".into(), "json".into()];
    let mut files: Vec<String> =
        std::fs::read_dir(seeds).unwrap().map(|e| e.unwrap().path().display().to_string()).filter(|p| p.ends_with(".txt")).collect();
    files.sort();
    args.extend(files);
    let output = util::qamus().args(&args).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let hmc = report["concepts"].as_array().unwrap().iter().find(|c| c["id"] == "hmc").unwrap();
    assert_eq!(hmc["dominant"], "اللجنة العسكرية العليا");
    assert_eq!(hmc["dominant_differs"], false);
    let hamad = hmc["renderings"].as_array().unwrap().iter().find(|r| r["form"] == "مؤسسة حمد الطبية").unwrap();
    assert_eq!(hamad["status"], "forbidden");
    assert!(hamad["example"]["path"].as_str().unwrap().ends_with("004_1f45f4b5e30b7b6c.txt"));
    assert!(hamad["example"]["text"].as_str().unwrap().contains("⟦مؤسسة حمد الطبية⟧"));
}

#[test]
fn self_tests_pass_on_the_shipped_glossary_and_name_the_failing_row() {
    let ok = run(&["glossary", "--test"]);
    assert_eq!(ok.status.code(), Some(0), "{}", lossy(&ok.stderr));
    assert!(lossy(&ok.stdout).trim_end().ends_with(" passed, 0 failed"));
    let bad = run(&["glossary", "--test", "-g", "fixtures/glossaries/failing-examples.csv"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        lossy(&bad.stderr).contains("failing-examples.csv:2: hmc: «لجنة التنسيق العليا» should match hmc, but qamus finds nothing"),
        "{}",
        lossy(&bad.stderr)
    );
    assert_eq!(lossy(&bad.stdout).trim(), "1 passed, 1 failed");
}
