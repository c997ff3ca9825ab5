//! The cases of the matching specification (`../shared/docs/arabic-matching.md`,
//! "Cases that must hold"), on a glossary made for them
//! (`fixtures/glossaries/spec-cases.csv`) that also plants trap stems: the
//! stems a careless stripper would produce from protected words.

use qamus::glossary::{csv, Glossary};
use qamus::{Match, MatchKind, Matcher};

fn glossary() -> Glossary {
    let bytes = std::fs::read("fixtures/glossaries/spec-cases.csv").unwrap();
    let mut glossary = csv::parse(&bytes, "spec-cases.csv").unwrap();
    glossary.validate().unwrap();
    glossary
}

struct Found {
    id: String,
    surface: String,
    kind: MatchKind,
    proclitics: String,
    suffix: String,
}

fn find(text: &str) -> Vec<Found> {
    let glossary = glossary();
    let matcher = Matcher::new(&glossary);
    matcher
        .find(text)
        .into_iter()
        .map(|m: Match| Found {
            id: glossary.concepts[m.concept].id.clone(),
            surface: text[m.span.clone()].to_string(),
            kind: m.kind,
            proclitics: m.proclitics,
            suffix: m.suffix,
        })
        .collect()
}

fn only(text: &str) -> Found {
    let mut found = find(text);
    assert_eq!(found.len(), 1, "{text}: {:?}", found.iter().map(|f| (&f.id, &f.surface)).collect::<Vec<_>>());
    found.remove(0)
}

#[test]
fn lam_with_article_before_lam() {
    let f = only("للجنة العسكرية العليا");
    assert_eq!((f.id.as_str(), f.proclitics.as_str(), f.kind), ("hmc", "لل", MatchKind::Clitic));
    assert_eq!(f.surface, "للجنة العسكرية العليا");
}

#[test]
fn indefinite_pattern_and_never_paradise() {
    let f = only("لجنة عسكرية عليا");
    assert_eq!((f.id.as_str(), f.kind), ("hmc", MatchKind::Indefinite));
    assert!(find("للجنة").iter().all(|f| f.id != "paradise"));
    assert!(find("لجنة").iter().all(|f| f.id != "paradise"));
    // The paradise form itself still matches, with a real proclitic.
    assert_eq!(only("والجنة").id, "paradise");
}

#[test]
fn marks_tatweel_and_direction_marks_are_exact() {
    let text = "اللجنـــة\u{200F} العسكريّة العليا";
    let f = only(text);
    assert_eq!((f.id.as_str(), f.kind, f.surface.as_str()), ("hmc", MatchKind::Exact, text));
}

#[test]
fn lam_before_alef() {
    let f = only("لاتفاقية الإطار الاستراتيجي");
    assert_eq!((f.id.as_str(), f.proclitics.as_str(), f.kind), ("sfa", "ل", MatchKind::Clitic));
}

#[test]
fn stacked_proclitics() {
    let f = only("وبالاتفاقية الإطار الاستراتيجي");
    assert_eq!((f.id.as_str(), f.proclitics.as_str()), ("sfa", "وبال"));
    let f = only("باتفاقية الإطار الاستراتيجي");
    assert_eq!((f.id.as_str(), f.proclitics.as_str()), ("sfa", "ب"));
}

#[test]
fn persian_letters_hamza_and_final_ya_are_orthographic() {
    let f = only("اتفاقیة الاطار الإستراتيجى");
    assert_eq!((f.id.as_str(), f.kind), ("sfa", MatchKind::Orthographic));
}

#[test]
fn presentation_forms() {
    let f = only("ﻟﻠﺠﻨﺔ العسكرية العليا");
    assert_eq!(f.id, "hmc");
    assert_eq!(f.surface, "ﻟﻠﺠﻨﺔ العسكرية العليا");
}

#[test]
fn protected_words_are_never_stripped() {
    for word in ["الله", "لله", "لبنان", "بغداد", "فرنسا", "كركوك", "کرکوک", "واشنطن", "ليبيا", "وكالة", "ولاية", "لاهاي"]
    {
        let found = find(word);
        assert!(found.is_empty(), "{word} was read as {:?}", found.iter().map(|f| &f.id).collect::<Vec<_>>());
    }
}

#[test]
fn germany_is_one_form_and_never_mania() {
    for text in ["ألمانيا", "وألمانيا", "لألمانيا", "المانيا"] {
        assert_eq!(only(text).id, "germany", "{text}");
    }
    assert_eq!(only("وألمانيا").proclitics, "و");
}

#[test]
fn inflected_head_nouns() {
    let f = only("لجنتها");
    assert_eq!((f.id.as_str(), f.kind, f.suffix.as_str()), ("committee", MatchKind::Inflected, "ها"));
    let f = only("اللجنتين");
    assert_eq!((f.id.as_str(), f.kind, f.suffix.as_str()), ("committee", MatchKind::Inflected, "ين"));
    let f = only("اتفاقيات");
    assert_eq!((f.id.as_str(), f.kind, f.suffix.as_str()), ("agreement", MatchKind::Inflected, "ات"));
    // A three-letter stem in ة: its ة written ت before a pronoun, dropped before ات.
    let f = only("بقوتهم");
    assert_eq!((f.id.as_str(), f.kind, f.suffix.as_str()), ("force", MatchKind::Inflected, "هم"));
    let f = only("القوات");
    assert_eq!((f.id.as_str(), f.kind, f.suffix.as_str()), ("force", MatchKind::Inflected, "ات"));
    // A suffixed head still carries its phrase.
    let f = only("لجنتها العسكرية العليا");
    assert_eq!((f.id.as_str(), f.kind), ("hmc", MatchKind::Inflected));
}

#[test]
fn ungrammatical_mixes_and_later_proclitics_do_not_match() {
    assert!(find("اللجنة عسكرية عليا").iter().all(|f| f.id != "hmc"));
    // A mix in any one later token is enough to break the pattern.
    assert!(find("اللجنة عسكرية العليا").iter().all(|f| f.id != "hmc"));
    assert!(find("اللجنة العسكرية عليا").iter().all(|f| f.id != "hmc"));
    assert!(find("لجنة العسكرية عليا").iter().all(|f| f.id != "hmc"));
    assert!(find("اللجنة والعسكرية العليا").iter().all(|f| f.id != "hmc"));
}

#[test]
fn leftmost_longest() {
    let found = find("نص اتفاقية الإطار الاستراتيجي واتفاقية أخرى");
    assert_eq!(found.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), vec!["sfa", "agreement"]);
}

#[test]
fn latin_acronyms_in_arabic_text() {
    let found = find("اللجنة العسكرية العليا (HMC) و(SFA)");
    assert_eq!(
        found.iter().map(|f| (f.id.as_str(), f.surface.as_str())).collect::<Vec<_>>(),
        vec![("hmc", "اللجنة العسكرية العليا"), ("hmc", "HMC"), ("sfa", "SFA")]
    );
}

#[test]
fn a_phrase_does_not_run_across_punctuation() {
    assert!(find("اللجنة العسكرية، العليا").iter().all(|f| f.id != "hmc"));
}

#[test]
fn english_names_written_inline() {
    let found = find("وقالت Higher Military Commission في بيانها");
    assert_eq!(found.iter().map(|f| (f.id.as_str(), f.surface.as_str())).collect::<Vec<_>>(), vec![("hmc", "Higher Military Commission")]);
}

#[test]
fn indefinite_construct_pronouns_on_any_noun_and_the_accusative_alef() {
    // The construct «اتفاقية الإطار الاستراتيجي» made indefinite.
    let f = only("اتفاقية إطار استراتيجي");
    assert_eq!((f.id.as_str(), f.kind), ("sfa", MatchKind::Indefinite));
    // A two-letter pronoun on a noun without ة; never a lone ي.
    let f = only("لاتفاقيتها");
    assert_eq!((f.id.as_str(), f.suffix.as_str()), ("agreement", "ها"));
    let f = only("ألمانيانا");
    assert_eq!((f.id.as_str(), f.kind, f.suffix.as_str()), ("germany", MatchKind::Inflected, "نا"));
    // The accusative alef, with or without its tanween.
    let f = only("جنةً");
    assert_eq!(f.id, "paradise", "ة takes no alef");
    for text in ["تقريرًا", "تقريرا"] {
        let f = only(text);
        assert_eq!((f.id.as_str(), f.kind, f.suffix.as_str()), ("report", MatchKind::Inflected, "ا"), "{text}");
    }
}

#[test]
fn a_token_known_only_inside_other_forms_still_takes_proclitics() {
    // «للتحالف» is a whole token of «المهمة العسكرية للتحالف» in the shipped
    // glossary; at the head of a phrase it is ل + «التحالف».
    let glossary = Glossary::embedded().unwrap();
    let matcher = Matcher::new(&glossary);
    let found = matcher.find("للتحالف الدولي لهزيمة داعش");
    assert_eq!(found.len(), 1);
    assert_eq!(glossary.concepts[found[0].concept].id, "global-coalition");
    assert_eq!(found[0].proclitics, "لل");
}

#[test]
fn a_word_between_the_words_of_a_form_breaks_it() {
    // «الكبرى» is no word of the glossary: the scanner keeps no trace of it,
    // and the phrase must still not jump over it.
    assert!(find("اللجنة العسكرية الكبرى العليا").iter().all(|f| f.id != "hmc"));
    assert!(find("اللجنة العسكرية، العليا").iter().all(|f| f.id != "hmc"));
    assert_eq!(only("اللجنة العسكرية العليا").id, "hmc");
}

/// Validation keeps each form's analysis for the matcher; a term whose text
/// changed after validation must be analysed again, not matched by the
/// analysis of the text it had.
#[test]
fn a_term_changed_after_validation_is_analysed_afresh() {
    let mut glossary = glossary();
    let hmc = glossary.concepts.iter().position(|c| c.id == "hmc").unwrap();
    glossary.concepts[hmc].terms[0].text = "الهيئة العسكرية العليا".to_string();
    let matcher = Matcher::new(&glossary);
    let found = |text: &str| matcher.find(text).iter().map(|m| glossary.concepts[m.concept].id.clone()).collect::<Vec<_>>();
    assert_eq!(found("اجتمعت الهيئة العسكرية العليا أمس"), vec!["hmc"]);
    assert!(!found("اجتمعت اللجنة العسكرية العليا أمس").contains(&"hmc".to_string()));
}

#[test]
fn a_form_overlapping_a_match_of_another_concept_is_matched_a_nested_one_is_not() {
    let csv = "id,en,ar\noutbreak,outbreak,انتشار فيروس\ncovid,novel coronavirus,فيروس كورونا المستجد\nvirus,virus,فيروس\n";
    let mut glossary = csv::parse(csv.as_bytes(), "overlap.csv").unwrap();
    glossary.validate().unwrap();
    let matcher = Matcher::new(&glossary);
    let text = "أدى انتشار فيروس كورونا المستجد إلى الإغلاق";
    let found: Vec<(&str, &str)> =
        matcher.find(text).iter().map(|m| (glossary.concepts[m.concept].id.as_str(), &text[m.span.clone()])).collect();
    // «فيروس» alone is inside both matches: not matched again.
    assert_eq!(found, vec![("outbreak", "انتشار فيروس"), ("covid", "فيروس كورونا المستجد")]);
    assert_eq!(matcher.find(text), matcher.find_reference(text));
    // Without the longer form, the nested one is leftmost-longest as ever.
    let text = "انتشار فيروس في المدينة";
    let found: Vec<&str> = matcher.find(text).iter().map(|m| glossary.concepts[m.concept].id.as_str()).collect();
    assert_eq!(found, vec!["outbreak"]);
}

#[test]
fn a_head_in_construct_with_a_word_between_and_what_stands_between() {
    let csv = "id,en,ar\nspace,free space,المساحة الفارغة\ndisk,disk,القرص\ncentcom,Central Command,القيادة المركزية الأمريكية\n";
    let mut glossary = csv::parse(csv.as_bytes(), "construct.csv").unwrap();
    glossary.validate().unwrap();
    let matcher = Matcher::new(&glossary);
    let found = |text: &str| -> Vec<(String, String, MatchKind)> {
        assert_eq!(matcher.find(text), matcher.find_reference(text), "{text}");
        matcher.find(text).iter().map(|m| (glossary.concepts[m.concept].id.clone(), text[m.span.clone()].to_string(), m.kind)).collect()
    };
    // The word between is no part of the occurrence's form, and is matched itself.
    assert_eq!(
        found("امسح مساحة القرص الفارغة الآن"),
        vec![
            ("space".to_string(), "مساحة القرص الفارغة".to_string(), MatchKind::Construct),
            ("disk".to_string(), "القرص".to_string(), MatchKind::Exact),
        ]
    );
    // A form of the same concept starting at the word between is the occurrence.
    assert_eq!(
        found("بقيادة القيادة المركزية الأمريكية"),
        vec![("centcom".to_string(), "القيادة المركزية الأمريكية".to_string(), MatchKind::Exact)]
    );
    // Only a noun-adjective form (every word after the head with its
    // article): never a construct form, whose head has none.
    let csv = "id,en,ar\nlno,liaison officers,ضباط الاتصال\n";
    let mut lno = csv::parse(csv.as_bytes(), "lno.csv").unwrap();
    lno.validate().unwrap();
    let text = "ضباط وMilitary\nالاتصال";
    assert!(Matcher::new(&lno).find(text).is_empty(), "{:?}", Matcher::new(&lno).find(text));
    assert!(Matcher::new(&lno).find("ضباط الأمن الاتصال").is_empty());
    // Never across punctuation, never two words between.
    assert!(found("مساحة، القرص الفارغة").iter().all(|(id, _, _)| id != "space"));
    assert!(found("مساحة القرص الصلب الفارغة").iter().all(|(id, _, _)| id != "space"));
}
