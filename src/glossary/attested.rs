//! The attested glossary: how a corpus actually renders each concept of a
//! glossary — every rendering with its status, count, number of sources and
//! one example in context; the dominant rendering (most sources, then most
//! occurrences) and whether it is the preferred one. Built document by
//! document from counts, so a corpus of any size needs memory per rendering,
//! not per occurrence.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;

use super::{Concept, Glossary, Status};

/// One example of a rendering in context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// The words around it with the surface marked: `…before ⟦surface⟧ after…`.
    pub text: String,
    /// The file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
}

/// How often one form of a concept occurs.
#[derive(Debug, Clone, Default)]
pub struct Rendering {
    /// Occurrences.
    pub count: usize,
    /// Sources (files) it occurs in.
    pub sources: BTreeSet<String>,
    /// Its first occurrence, preferring one written as the form is.
    pub example: Option<Example>,
    /// How plain the example is: 0 exact, 1 with clitics, 2 otherwise.
    example_rank: u8,
}

/// The renderings of every concept, indexed like the glossary.
#[derive(Debug, Clone)]
pub struct Attested {
    /// Per concept, per term: the rendering counts.
    renderings: Vec<Vec<Rendering>>,
    /// Documents read.
    pub documents: usize,
}

/// One row of the attested glossary.
#[derive(Debug, Clone, Serialize)]
pub struct Row<'a> {
    /// Concept id.
    pub id: &'a str,
    /// English name.
    pub en: &'a str,
    /// Acronym.
    pub acronym: Option<&'a str>,
    /// Preferred Arabic.
    pub preferred: &'a str,
    /// Occurrences of all renderings.
    pub occurrences: usize,
    /// Sources with any rendering.
    pub sources: usize,
    /// The rendering used by most sources, then most often.
    pub dominant: Option<&'a str>,
    /// Whether the dominant rendering is not the preferred one.
    pub dominant_differs: bool,
    /// Every attested rendering, most frequent first.
    pub renderings: Vec<RowRendering<'a>>,
    /// The glossary's note.
    pub note: Option<&'a str>,
    #[serde(skip)]
    /// The concept, for writers that need all of it.
    pub concept: &'a Concept,
}

/// One rendering in a row.
#[derive(Debug, Clone, Serialize)]
pub struct RowRendering<'a> {
    /// The glossary form.
    pub form: &'a str,
    /// Its status.
    pub status: &'static str,
    /// Occurrences.
    pub count: usize,
    /// Sources.
    pub sources: usize,
    /// One example.
    pub example: Option<&'a Example>,
    #[serde(skip)]
    /// The status, typed.
    pub status_typed: Status,
}

impl Attested {
    /// Empty counts for a glossary.
    pub fn new(glossary: &Glossary) -> Attested {
        Attested { renderings: glossary.concepts.iter().map(|c| vec![Rendering::default(); c.terms.len()]).collect(), documents: 0 }
    }

    /// Counts one more document.
    pub fn add_document(&mut self) {
        self.documents += 1;
    }

    /// Counts `count` occurrences of term `term` of concept `concept` in the
    /// document at `path`; `plainness` says how plain the plainest of them
    /// is (0 written as the form is, 1 with clitics read, 2 otherwise), and
    /// `example` gives it in context, asked only when it is plainer than
    /// the example kept.
    pub fn add_uses(
        &mut self,
        path: &str,
        (concept, term): (usize, usize),
        count: usize,
        plainness: u8,
        example: impl FnOnce() -> Example,
    ) {
        let rendering = &mut self.renderings[concept][term];
        rendering.count += count;
        if !rendering.sources.contains(path) {
            rendering.sources.insert(path.to_string());
        }
        if rendering.example.is_none() || plainness < rendering.example_rank {
            rendering.example_rank = plainness;
            rendering.example = Some(example());
        }
    }

    /// The rows: concepts that occur, in glossary order (all of them with `all`).
    pub fn rows<'a>(&'a self, glossary: &'a Glossary, all: bool) -> Vec<Row<'a>> {
        let mut rows = Vec::new();
        for (c, concept) in glossary.concepts.iter().enumerate() {
            let mut renderings: Vec<(usize, &Rendering)> = self.renderings[c].iter().enumerate().filter(|(_, r)| r.count > 0).collect();
            if renderings.is_empty() && !all {
                continue;
            }
            renderings.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(b.1.sources.len().cmp(&a.1.sources.len())).then(a.0.cmp(&b.0)));
            let dominant = renderings
                .iter()
                .max_by(|a, b| a.1.sources.len().cmp(&b.1.sources.len()).then(a.1.count.cmp(&b.1.count)).then(b.0.cmp(&a.0)));
            let sources: BTreeSet<&String> = renderings.iter().flat_map(|(_, r)| r.sources.iter()).collect();
            rows.push(Row {
                id: &concept.id,
                en: &concept.en,
                acronym: concept.acronym.as_deref(),
                preferred: concept.preferred(),
                occurrences: renderings.iter().map(|(_, r)| r.count).sum(),
                sources: sources.len(),
                dominant: dominant.map(|(t, _)| concept.terms[*t].text.as_str()),
                dominant_differs: dominant.is_some_and(|(t, _)| *t != 0),
                renderings: renderings
                    .iter()
                    .map(|(t, r)| RowRendering {
                        form: &concept.terms[*t].text,
                        status: concept.terms[*t].status.as_str(),
                        status_typed: concept.terms[*t].status,
                        count: r.count,
                        sources: r.sources.len(),
                        example: r.example.as_ref(),
                    })
                    .collect(),
                note: concept.note.as_deref(),
                concept,
            });
        }
        rows
    }
}

/// Writes the rows as JSON.
pub fn write_json(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct Json<'a> {
        concepts: &'a [Row<'a>],
    }
    serde_json::to_writer_pretty(&mut *out, &Json { concepts: rows })?;
    writeln!(out)
}
