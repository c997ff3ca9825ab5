//! The inflection table of docs/matching.md ("Inflection and verbs"), row by row:
//! each example is matched with a glossary of its one form, and what the
//! match says it stripped is the row's. The table is the documentation and
//! the test at once, so neither can drift from the other.

use qamus::glossary::csv;
use qamus::{MatchKind, Matcher};

/// One row: the affix class, the form (`FORM (pos)` or `RENDERING: LISTED
/// (pos)`), the text, and what the match strips (`None`: no match at all).
struct Row {
    class: String,
    form: String,
    text: String,
    expected: Option<(String, String, String)>,
}

fn rows() -> Vec<Row> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/matching.md")).unwrap();
    let start = readme.find("<!-- inflection-table").expect("the table's opening marker");
    let end = readme.find("<!-- /inflection-table -->").expect("the table's closing marker");
    readme[start..end]
        .lines()
        .skip(3) // the marker, the header and its rule
        .filter(|l| l.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 6, "{line}");
            let expected = (cells[3] != "no match").then(|| (cells[3].to_string(), cells[4].to_string(), cells[5].to_string()));
            Row { class: cells[0].to_string(), form: cells[1].to_string(), text: cells[2].to_string(), expected }
        })
        .collect()
}

#[test]
fn every_row_of_the_inflection_table_holds() {
    let rows = rows();
    assert!(rows.len() >= 25, "{} rows", rows.len());
    assert!(rows.iter().any(|r| r.expected.is_none()), "no row that must not match");
    for row in &rows {
        let (form, forms) = match row.form.split_once(':') {
            Some((lemma, listed)) => (lemma.trim().to_string(), format!("\"{}: {}\"", lemma.trim(), listed.trim())),
            None => (row.form.clone(), String::new()),
        };
        let (text, pos) = csv::tagged_form(&form, qamus::glossary::PartsOfSpeech::NOUN).unwrap();
        let (forms, listed_pos) = match forms.rfind('(') {
            Some(open) => (forms[..open].trim_end().to_string() + "\"", forms[open..].trim_end_matches('"').to_string()),
            None => (forms, String::new()),
        };
        let pos = if listed_pos.is_empty() { pos.to_string() } else { listed_pos.trim_matches(['(', ')']).to_string() };
        let glossary_text = format!("id,en,ar,pos,ar_forms\nc,concept,{text},{pos},{forms}\n");
        let mut glossary = csv::parse(glossary_text.as_bytes(), "table.csv").unwrap_or_else(|e| panic!("{}: {e}", row.class));
        glossary.validate().unwrap();
        let matcher = Matcher::new(&glossary);
        let found = matcher.find(&row.text);
        assert_eq!(found, matcher.find_reference(&row.text), "{}", row.class);
        match &row.expected {
            None => assert!(found.is_empty(), "{}: «{}» must not match «{}»: {found:?}", row.class, row.text, row.form),
            Some((proclitics, prefix, suffix)) => {
                assert_eq!(found.len(), 1, "{}: «{}» in «{}»: {found:?}", row.class, row.form, row.text);
                let m = &found[0];
                assert_eq!(m.span, 0..row.text.len(), "{}: the whole text", row.class);
                assert_eq!((&m.proclitics, &m.prefix, &m.suffix), (proclitics, prefix, suffix), "{}", row.class);
                let inflected = !prefix.is_empty() || !suffix.is_empty() || row.form.contains(':');
                assert_eq!(m.kind == MatchKind::Inflected, inflected, "{}: kind {:?}", row.class, m.kind);
                assert_eq!(
                    m.kind == MatchKind::Construct,
                    row.class.starts_with("a head in construct"),
                    "{}: kind {:?}",
                    row.class,
                    m.kind
                );
            }
        }
    }
}
