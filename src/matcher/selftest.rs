//! Self-tests in the glossary: a row's `examples` (`+للجنة العسكرية العليا |
//! -لجنة التنسيق العليا`) are texts that must, or must not, contain an
//! occurrence of the row's concept. `qamus glossary --test` runs them.

use super::Matcher;
use crate::glossary::Glossary;

/// One example that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `path:line` of the row.
    pub location: String,
    /// The concept id.
    pub concept: String,
    /// The example text.
    pub text: String,
    /// Whether it should have matched.
    pub must_match: bool,
    /// What was found instead (concept ids).
    pub found: Vec<String>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let found = if self.found.is_empty() { "nothing".to_string() } else { self.found.join(", ") };
        if self.must_match {
            write!(f, "{}: {}: «{}» should match {}, but qamus finds {found}", self.location, self.concept, self.text, self.concept)
        } else {
            write!(f, "{}: {}: «{}» should not match {}, but it does", self.location, self.concept, self.text, self.concept)
        }
    }
}

/// Runs every example; returns the number run and the failures.
pub fn run(glossary: &Glossary) -> (usize, Vec<Failure>) {
    let matcher = Matcher::new(glossary);
    let mut failures = Vec::new();
    let mut count = 0;
    for (c, concept) in glossary.concepts.iter().enumerate() {
        for (must, text) in &concept.examples {
            count += 1;
            let found: Vec<usize> = matcher.find(text).iter().map(|m| m.concept).collect();
            if found.contains(&c) != *must {
                failures.push(Failure {
                    location: concept.location.to_string(),
                    concept: concept.id.clone(),
                    text: text.clone(),
                    must_match: *must,
                    found: found.iter().map(|&i| glossary.concepts[i].id.clone()).collect(),
                });
            }
        }
    }
    (count, failures)
}
