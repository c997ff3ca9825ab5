//! Guards on the shipped glossary (`glossaries/us-iraq-security.csv`): the
//! concepts the project promises, with their English names and preferred
//! forms; a note for every deprecated or forbidden form that quotes it; a
//! source for every concept; ids in a stable shape.

use qamus::glossary::{Glossary, Status, TermRole};
use qamus::judge::quotes_form;

/// (English name as reports print it, acronym, preferred Arabic).
const REQUIRED: &[(&str, &str, &str)] = &[
    ("U.S.-Iraq Joint Security Cooperation Dialogue", "JSCD", "حوار التعاون الأمني المشترك"),
    ("U.S.-Iraq Higher Military Commission", "HMC", "اللجنة العسكرية العليا"),
    ("U.S.-Iraq Strategic Framework Agreement", "SFA", "اتفاقية الإطار الاستراتيجي"),
    ("Combined Joint Task Force – Operation Inherent Resolve", "CJTF-OIR", "قوة المهام المشتركة المختلطة – عملية العزم الصلب"),
    ("Operation Inherent Resolve", "OIR", "عملية العزم الصلب"),
    ("Global Coalition to Defeat ISIS", "", "التحالف الدولي لهزيمة داعش"),
    ("Defeat-ISIS campaign", "D-ISIS", "حملة هزيمة داعش"),
    ("ISIS", "ISIS", "داعش"),
    ("Iraqi Security Forces", "ISF", "قوات الأمن العراقية"),
    ("Kurdish Security Forces", "", "قوات الأمن الكردية"),
    ("Peshmerga", "", "البيشمركة"),
    ("Foreign Military Sales", "FMS", "المبيعات العسكرية الأجنبية"),
    ("Foreign Military Financing", "FMF", "التمويل العسكري الأجنبي"),
    ("U.S. Central Command", "CENTCOM", "القيادة المركزية الأمريكية"),
    ("Defense Security Cooperation Agency", "DSCA", "وكالة التعاون الأمني الدفاعي"),
    ("Counter-Terrorism Service", "CTS", "جهاز مكافحة الإرهاب"),
    ("Joint Operations Command", "JOC", "قيادة العمليات المشتركة"),
    ("Joint Staff", "", "هيئة الأركان المشتركة"),
    ("Chairman of the Joint Chiefs of Staff", "CJCS", "رئيس هيئة الأركان المشتركة"),
    ("National Security Council", "NSC", "مجلس الأمن القومي"),
    ("U.S. Department of Defense", "DoD", "وزارة الدفاع الأمريكية"),
    ("Iraqi Ministry of Defense", "", "وزارة الدفاع العراقية"),
    ("Iraqi Ministry of Foreign Affairs", "", "وزارة الخارجية العراقية"),
    ("U.S.-Iraq Higher Coordinating Committee", "HCC", "لجنة التنسيق العليا"),
    ("Joint Coordination Committee", "JCC", "لجنة التنسيق المشتركة"),
    ("U.S.-Iraq Strategic Dialogue", "", "الحوار الاستراتيجي"),
    ("memorandum of understanding", "MOU", "مذكرة تفاهم"),
    ("liaison officers", "LNO", "ضباط الاتصال"),
    ("professional military education", "PME", "التعليم العسكري المهني"),
    ("security cooperation programs", "", "برامج التعاون الأمني"),
    ("advisory mission", "", "البعثة الاستشارية"),
    ("Harir Air Base", "", "قاعدة حرير الجوية"),
    ("Thabet al-Abbasi", "", "ثابت العباسي"),
    ("Lloyd Austin", "", "لويد أوستن"),
    ("Celeste Wallander", "", "سيليست والاندر"),
    ("Charles Q. Brown", "", "تشارلز كيو براون"),
    ("Mohammed Shia al-Sudani", "", "محمد شياع السوداني"),
];

#[test]
fn the_promised_concepts_are_there() {
    let glossary = Glossary::embedded().unwrap();
    for (en, acronym, preferred) in REQUIRED {
        let concept = glossary.concepts.iter().find(|c| c.en == *en).unwrap_or_else(|| panic!("missing concept {en}"));
        assert_eq!(concept.acronym.as_deref().unwrap_or(""), *acronym, "{en}");
        assert_eq!(concept.preferred(), *preferred, "{en}");
    }
}

#[test]
fn attested_variants_are_classified() {
    let glossary = Glossary::embedded().unwrap();
    let status = |id: &str, form: &str| {
        let concept = glossary.concepts.iter().find(|c| c.id == id).unwrap();
        concept.terms.iter().find(|t| t.text == form).unwrap_or_else(|| panic!("{id}: «{form}» unclassified")).status
    };
    assert_eq!(status("hmc", "مؤسسة حمد الطبية"), Status::Forbidden);
    assert_eq!(status("hmc", "مجلس الدفاع المشترك"), Status::Deprecated);
    assert_eq!(status("hmc", "اللجنة العسكرية المشتركة"), Status::Deprecated);
    assert_eq!(status("hmc", "لجنة عسكرية رفيعة المستوى"), Status::Admitted);
    assert_eq!(status("isf", "قوى الأمن الداخلي"), Status::Forbidden);
    assert_eq!(status("sfa", "اتفاق الإطار الاستراتيجي"), Status::Deprecated);
    assert_eq!(status("cjtf-oir", "قوة المهام المشتركة – عملية العزم الصلب"), Status::Deprecated);
    assert_eq!(status("fms", "المبيعات العسكرية الخارجية"), Status::Deprecated);
    assert_eq!(status("fmf", "التمويل العسكري الخارجي"), Status::Deprecated);
    assert_eq!(status("global-coalition", "التحالف العسكري الدولي"), Status::Deprecated);
    assert_eq!(status("global-coalition", "التحالف الدولي لمواجهة داعش"), Status::Deprecated);
    assert_eq!(status("global-coalition", "التحالف العالمي لهزيمة داعش"), Status::Admitted);
    assert_eq!(status("dod", "البنتاغون"), Status::Admitted);
    assert_eq!(status("jscd", "JSCD"), Status::Admitted);
}

#[test]
fn every_deprecated_or_forbidden_form_has_a_note_that_quotes_it() {
    let glossary = Glossary::embedded().unwrap();
    for concept in &glossary.concepts {
        for term in concept.terms.iter().filter(|t| matches!(t.status, Status::Deprecated | Status::Forbidden)) {
            let note = concept.note.as_deref().unwrap_or_else(|| panic!("{}: no note for «{}»", concept.id, term.text));
            assert!(quotes_form(note, &term.text, concept.preferred()), "{}: the note does not quote «{}»", concept.id, term.text);
        }
    }
}

#[test]
fn every_concept_has_a_source_and_a_stable_id() {
    let glossary = Glossary::embedded().unwrap();
    for concept in &glossary.concepts {
        assert!(concept.source.as_deref().is_some_and(|s| !s.is_empty()), "{}: no source", concept.id);
        assert!(
            concept.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: ids are lowercase-kebab",
            concept.id
        );
        assert!(
            concept.terms.iter().any(|t| t.role != TermRole::Arabic && t.text == concept.en),
            "{}: the English name is a form",
            concept.id
        );
    }
    assert!(glossary.spellings.len() >= 3);
}
