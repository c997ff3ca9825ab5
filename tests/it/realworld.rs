//! qamus on the real localization files in `../shared/realworld/` (a GPL
//! Gettext catalogue and an MIT vue-i18n JSON file, with their English),
//! each with the small product glossary in `fixtures/realworld/`. The files
//! are read, never copied: every assertion is computed from the units
//! themselves (which Arabic words a unit holds, what its English says), so
//! that each checks a mechanism — inflections and verbs read, the English
//! source deciding the sense, code and mnemonics, the walk — on text nobody
//! on this project wrote.

use std::path::Path;

use qamus::input::{Document, ReadOptions};
use serde_json::Value;

use crate::util;

/// One translation unit: its key, its English, its Arabic, and the lines its
/// Arabic spans in the file.
struct Unit {
    key: String,
    english: String,
    arabic: String,
    /// The Arabic as the file writes it (escapes, mnemonic markers).
    raw: String,
    lines: std::ops::RangeInclusive<u64>,
}

fn units(path: &Path) -> Vec<Unit> {
    let shown = path.display().to_string();
    let document = Document::read(path, &shown, None, None).unwrap();
    let (units, _) = document.units(&ReadOptions::default(), None).unwrap();
    let text = document.text.as_str();
    let line_of = |offset: usize| 1 + text[..offset.min(text.len())].matches('\n').count() as u64;
    units
        .into_iter()
        .filter_map(|u| {
            let source = u.source?;
            let target = &u.target;
            let (start, end) = (target.map.start(0), target.map.end(target.text.len()));
            Some(Unit {
                key: u.id.as_deref().unwrap_or_default().to_string(),
                english: source.shown.as_str().to_string(),
                arabic: target.shown.as_str().to_string(),
                raw: text[start..end].to_string(),
                lines: line_of(start)..=line_of(end),
            })
        })
        .collect()
}

/// `qamus check --format json` of `path` with `glossary`.
fn check(glossary: &str, path: &Path) -> Value {
    let output = util::qamus().args(["check", "--no-config", "--format", "json", "-g", glossary]).arg(path).output().unwrap();
    assert!(matches!(output.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn findings<'a>(report: &'a Value, rule: &str, concept: &str) -> Vec<&'a Value> {
    report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule && f["concept"] == concept).collect()
}

fn in_unit(finding: &Value, unit: &Unit) -> bool {
    unit.lines.contains(&finding["line"].as_u64().unwrap())
}

/// The Arabic words of a text (letters and marks between anything else).
fn arabic_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(('\u{0621}'..='\u{065F}').contains(&c) || c == '\u{0670}' || c == '_'))
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().filter(|c| !('\u{064B}'..='\u{065F}').contains(c) && *c != '_').collect())
        .collect()
}

fn says(english: &str, word: &str) -> bool {
    english.to_lowercase().split(|c: char| !c.is_alphanumeric()).any(|w| w == word)
}

/// English prose with what is code left out: flags, calls, placeholders,
/// paths, dotted names and snake_case identifiers (a label's mnemonic,
/// "Sh_red", is prose).
fn prose(english: &str) -> String {
    let identifier = |w: &str| {
        let parts: Vec<&str> = w.split('_').collect();
        parts.len() > 2 || (parts.len() == 2 && parts.iter().all(|p| p.len() >= 2 && p.chars().all(|c| c.is_ascii_lowercase())))
    };
    english
        .split_whitespace()
        .filter(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            let code = w.starts_with('-') || w.contains("()") || w.contains('{') || w.contains('%') || w.contains("::") || w.contains('/');
            !code && !bare.contains('.') && !identifier(bare)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn bleachbit_catalogue() {
    let Some(po) = util::shared("realworld/bleachbit/po/ar.po", "the BleachBit catalogue test") else { return };
    let units = units(&po);
    assert!(units.len() > 400, "{} units", units.len());
    let report = check("fixtures/realworld/bleachbit.csv", &po);

    // Verbs: a unit whose English says "delete" and whose Arabic has the
    // imperative «احذف» or the future «سيحذف» renders the concept.
    let missing_delete = findings(&report, "missing-rendering", "delete");
    let verb_units: Vec<&Unit> = units
        .iter()
        .filter(|u| says(&u.english, "delete") && arabic_words(&u.arabic).iter().any(|w| w == "احذف" || w == "سيحذف"))
        .collect();
    assert!(verb_units.len() >= 5, "{} units with a verb form of delete", verb_units.len());
    for unit in &verb_units {
        assert!(!missing_delete.iter().any(|f| in_unit(f, unit)), "{}: the verb form is not read", unit.key);
    }

    // Inflection: the plural «ملفات» (with and without the article and
    // proclitics) renders "files".
    let missing_file = findings(&report, "missing-rendering", "file");
    let plural_units: Vec<&Unit> = units
        .iter()
        .filter(|u| says(&u.english, "files") && arabic_words(&u.arabic).iter().any(|w| w.ends_with("ملفات") && w.len() <= "للملفات".len()))
        .collect();
    assert!(plural_units.len() >= 10, "{} units with «ملفات»", plural_units.len());
    for unit in &plural_units {
        assert!(!missing_file.iter().any(|f| in_unit(f, unit)), "{}: «ملفات» not read", unit.key);
    }

    // The English source decides the sense: «تحميل» is judged as a
    // deprecated rendering of download only where the English says so;
    // elsewhere ("Loading…") it is a homonym, and the file has such units.
    let deprecated = findings(&report, "deprecated-rendering", "download");
    assert!(!deprecated.is_empty());
    for finding in &deprecated {
        let unit = units.iter().find(|u| in_unit(finding, u)).expect("a unit");
        assert!(
            unit.english.to_lowercase().contains("download"),
            "{}: «تحميل» judged where the English is not about downloading",
            unit.key
        );
    }
    let homonyms: Vec<&Value> =
        report["matches"].as_array().unwrap().iter().filter(|m| m["concept"] == "download" && m["homonym"] == true).collect();
    assert!(!homonyms.is_empty(), "no «تحميل» in a unit about something else");
    for m in &homonyms {
        let unit = units.iter().find(|u| in_unit(m, u)).expect("a unit");
        assert!(!unit.english.to_lowercase().contains("download"), "{}", unit.key);
    }

    // Code is no mention: every missing rendering's concept is named by
    // the prose of its English, not only inside flags or identifiers.
    let glossary = qamus::Glossary::load_files(&[Path::new("fixtures/realworld/bleachbit.csv").to_path_buf()], None).unwrap();
    for finding in report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "missing-rendering") {
        let unit = units.iter().find(|u| in_unit(finding, u)).expect("a unit");
        let concept = glossary.concepts.iter().find(|c| c.id == finding["concept"].as_str().unwrap()).unwrap();
        let prose = prose(&unit.english).to_lowercase().replace('_', "");
        let named = concept
            .terms
            .iter()
            .filter(|t| t.role != qamus::glossary::TermRole::Arabic)
            .any(|t| prose.contains(&t.text.to_lowercase().split_whitespace().next().unwrap().to_string()));
        assert!(named, "{}: {} is not named outside code in {:?}", unit.key, concept.id, prose);
    }

    // Mnemonics: a unit whose Arabic marks a mnemonic inside a word, and
    // whose English says "wipe", renders wipe (the word is read whole).
    let missing_wipe = findings(&report, "missing-rendering", "wipe");
    let mnemonic_units: Vec<&Unit> = units
        .iter()
        .filter(|u| says(&u.english.replace('_', ""), "wipe") && u.raw.contains('_') && arabic_words(&u.raw).iter().any(|w| w == "امح"))
        .collect();
    assert!(!mnemonic_units.is_empty());
    for unit in &mnemonic_units {
        assert!(!missing_wipe.iter().any(|f| in_unit(f, unit)), "{}: the mnemonic splits the word", unit.key);
    }
}

#[test]
fn elk_locale_files() {
    let Some(locales) = util::shared("realworld/elk/locales", "the Elk locale test") else { return };
    let ar = locales.join("ar.json");
    let units = units(&ar);
    assert!(units.len() > 500, "{} units with an English source", units.len());
    let report = check("fixtures/realworld/elk.csv", &ar);

    // Sound plurals, pronouns and verbs: «المتابعون», «المتابعين»,
    // «متابعيك» render "followers"; «حسابك», «حساباتك» "account(s)"; a
    // form of the verb يتابع / تابع / اتبع "follow".
    let cases: [(&str, &str, &[&str], &str); 3] = [
        ("follower", "followers", &["المتابعون", "المتابعين", "متابعيك", "متابعون", "متابعين"], "the sound plural"),
        ("account", "account", &["حسابك", "حسابكم", "حسابهم", "بحسابك", "لحسابك"], "a pronoun"),
        ("follow", "follow", &["يتابعك", "يتابعون", "تتابع", "اتبع", "إتبع", "تابع", "تبعك", "يتبعونني", "أتابعهم"], "a verb form"),
    ];
    for (concept, english, forms, what) in cases {
        let missing = findings(&report, "missing-rendering", concept);
        let with_form: Vec<&Unit> = units
            .iter()
            .filter(|u| says(&u.english, english))
            .filter(|u| arabic_words(&u.arabic).iter().any(|w| forms.iter().any(|f| arabic_words(f)[0] == *w)))
            .collect();
        assert!(!with_form.is_empty(), "no unit with {what} of {concept}");
        for unit in &with_form {
            assert!(!missing.iter().any(|f| in_unit(f, unit)), "{}: {what} of {concept} not read", unit.key);
        }
    }

    // A noun is not named where its English word is a verb: "… {user} posts".
    let missing_post = findings(&report, "missing-rendering", "post");
    let verb_use: Vec<&Unit> = units.iter().filter(|u| u.english.contains("} posts")).collect();
    assert!(!verb_use.is_empty());
    for unit in &verb_use {
        assert!(!missing_post.iter().any(|f| in_unit(f, unit)), "{}: “posts” taken for the noun", unit.key);
    }

    // A walk of the folder checks the Arabic file only, not en.json.
    let output =
        util::qamus().args(["check", "--no-config", "--count", "-g", "fixtures/realworld/elk.csv"]).arg(&locales).output().unwrap();
    let counted = String::from_utf8_lossy(&output.stdout);
    assert!(counted.lines().any(|l| l.contains("ar.json")), "{counted}");
    assert!(!counted.lines().any(|l| l.contains("en.json")), "en.json checked as Arabic: {counted}");
}
