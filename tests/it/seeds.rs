//! qamus on the third-party seed articles in `../shared/seeds/` (read, never
//! copied). Skipped, with a message, where that folder is absent.

use serde_json::Value;

use crate::util;

fn report() -> Option<Value> {
    let seeds = util::shared("seeds", "the seed-corpus test")?;
    // The articles only, not the folder's README.
    let mut articles: Vec<String> =
        std::fs::read_dir(seeds).unwrap().map(|e| e.unwrap().path().display().to_string()).filter(|p| p.ends_with(".txt")).collect();
    articles.sort();
    assert_eq!(articles.len(), 5, "{articles:?}");
    let output = util::qamus().args(["check", "--format", "json"]).args(&articles).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "the seeds hold forbidden renderings: {}", String::from_utf8_lossy(&output.stderr));
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

fn in_seed<'a>(items: &'a Value, seed: &str) -> Vec<&'a Value> {
    items.as_array().unwrap().iter().filter(|f| f["path"].as_str().unwrap().contains(seed)).collect()
}

#[test]
fn seed_findings() {
    let Some(report) = report() else { return };
    let findings = &report["findings"];

    let s004 = in_seed(findings, "004_");
    assert!(
        s004.iter().any(|f| f["rule"] == "forbidden-rendering" && f["surface"] == "مؤسسة حمد الطبية" && f["concept"] == "hmc"),
        "seed 004: forbidden «مؤسسة حمد الطبية»"
    );
    assert!(s004.iter().any(|f| f["rule"] == "mixed-renderings" && f["concept"] == "hmc"), "seed 004: HMC mixed renderings");

    let s002 = in_seed(findings, "002_");
    assert!(
        s002.iter().any(|f| f["rule"] == "forbidden-rendering" && f["surface"] == "قوى الأمن الداخلي" && f["concept"] == "isf"),
        "seed 002: forbidden «قوى الأمن الداخلي»"
    );

    let s001 = in_seed(findings, "001_");
    assert!(s001.iter().any(|f| f["surface"] == "مجلس الدفاع المشترك" && f["concept"] == "hmc"), "seed 001: «مجلس الدفاع المشترك»");

    let errors: Vec<(&str, &str)> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| (f["path"].as_str().unwrap(), f["surface"].as_str().unwrap()))
        .collect();
    assert_eq!(errors.len(), 2, "no error-level finding but the two forbidden ones: {errors:?}");
}

#[test]
fn sfa_with_proclitic_lam_in_seeds_002_and_003() {
    let Some(report) = report() else { return };
    for seed in ["002_", "003_"] {
        let matches = in_seed(&report["matches"], seed);
        assert!(
            matches.iter().any(|m| m["concept"] == "sfa" && m["proclitics"] == "ل" && m["surface"] == "لاتفاقية الإطار الاستراتيجي"),
            "{seed}: SFA with ل"
        );
    }
}

#[test]
fn persian_letters_in_scraped_tags_still_match() {
    let Some(report) = report() else { return };
    let matches = in_seed(&report["matches"], "000_");
    assert!(matches.iter().any(|m| m["concept"] == "isf" && m["surface"] == "قوات الأمن العراقیة" && m["kind"] == "orthographic"));
}
