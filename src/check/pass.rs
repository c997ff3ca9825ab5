//! One document's pass: each unit, and each chunk of a large one, is
//! matched, its occurrences placed in the file (line, column, context),
//! judged and tallied, then let go of ([`Pass`]); how a large text is cut
//! into chunks; the words around an occurrence.

use std::sync::Arc;

use rayon::prelude::*;

use super::Matchers;
use crate::config::IgnoreRule;
use crate::glossary::{Glossary, TermRole};
use crate::input::{pragmas, Document, LineIndex, Unit};
use crate::judge::{Context, Finding, Judge, Occurrence, Rule, Tally, UnitPair, Uses};
use crate::matcher::{Match, Matcher};
use crate::normalize::tokens::line_ends_phrases;

/// Where an occurrence stands: its unit (an index into the document's units)
/// and its byte range in the unit's text.
#[derive(Debug, Clone)]
pub struct Site {
    /// The unit.
    pub unit: usize,
    /// The occurrence's bytes in the unit's text.
    pub span: std::ops::Range<usize>,
}

impl Site {
    /// The words around the occurrence (see [`Occurrence::context`]).
    pub fn context(&self, units: &[Unit]) -> Context {
        let target = &units[self.unit].target;
        context(&target.shown, line_around(&target.text, self.span.start), self.span.clone())
    }
}

/// How much of each occurrence a check writes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// What judging needs and no more: no surface, no context, no line or
    /// column (a run that only counts findings,
    /// [`CheckOptions::counts_only`](super::CheckOptions::counts_only); lines are given afterwards where
    /// pragmas need them).
    Counts,
    /// The surface; contexts are left empty and made by [`Site::context`]
    /// for the occurrences that are shown.
    Located,
    /// The surface and the context (the words around it) of every occurrence.
    Full,
}

/// One document being checked: what the pieces of its units (each unit, or
/// each chunk of a large one) are checked with. Each piece is matched,
/// placed, judged and tallied, and its occurrences let go of unless the
/// output lists them all ([`Detail::Full`]): memory grows with a
/// document's findings, not with its matches.
pub(super) struct Pass<'a> {
    pub(super) glossary: &'a Glossary,
    pub(super) matchers: &'a Matchers,
    pub(super) document: &'a Document,
    pub(super) units: &'a [Unit],
    pub(super) detail: Detail,
    /// Whether findings are counted ([`CheckOptions::counts_only`](super::CheckOptions::counts_only)), not listed.
    pub(super) counted: bool,
    /// The document's lines, when positions are wanted.
    pub(super) lines: Option<LineIndex>,
    pub(super) suppressions: &'a pragmas::Suppressions,
    /// The configured ignores that apply to the document.
    pub(super) ignores: &'a [&'a IgnoreRule],
    pub(super) judge: Judge<'a>,
    pub(super) tally_uses: bool,
    pub(super) listed_rules: Option<&'a [Rule]>,
    pub(super) parallel: bool,
    /// Whether the document's text is the file's (not a Word or
    /// OpenDocument file's, in which no replacement can be made: a SARIF
    /// fix would edit the zip).
    pub(super) in_file: bool,
}

/// What a piece of a document comes to, or the pieces so far.
#[derive(Default)]
pub(super) struct Piece {
    /// The findings kept (not in a count).
    pub(super) findings: Vec<Finding>,
    /// The findings kept, per severity (a count).
    pub(super) counts: [usize; 4],
    /// See [`super::DocumentResult::uses`].
    pub(super) uses: Uses,
    /// See [`super::DocumentResult::renders`].
    pub(super) renders: bool,
    /// Every occurrence ([`Detail::Full`]).
    pub(super) occurrences: Vec<Occurrence>,
    /// See [`super::DocumentResult::silenced`].
    pub(super) out_of_report: Vec<bool>,
    /// Occurrences found.
    pub(super) matches: usize,
    /// Words.
    pub(super) words: usize,
}

impl Piece {
    /// Adds the piece after this one.
    fn append(&mut self, mut later: Piece) {
        self.findings.append(&mut later.findings);
        for (total, count) in self.counts.iter_mut().zip(later.counts) {
            *total += count;
        }
        if self.uses.is_empty() {
            self.uses = later.uses;
        } else {
            self.uses.append(later.uses);
        }
        self.renders |= later.renders;
        if self.occurrences.is_empty() {
            self.occurrences = later.occurrences;
        } else {
            self.occurrences.append(&mut later.occurrences);
        }
        self.out_of_report.append(&mut later.out_of_report);
        self.matches += later.matches;
        self.words += later.words;
    }
}

impl Pass<'_> {
    /// Whether anything may silence a finding here: a pragma, or a
    /// configured ignore. With neither, as nearly always, every finding is
    /// kept and no concept is looked up (with a large glossary, a cache
    /// miss a finding).
    fn filtered(&self) -> bool {
        !self.suppressions.is_empty() || !self.ignores.is_empty()
    }

    /// Keeps in `into` the findings that no pragma silences on their line
    /// and no configured ignore silences for their concept and rule:
    /// listed, or counted in a count.
    pub(super) fn keep(&self, findings: Vec<Finding>, into: &mut Piece) {
        let kept = |f: &Finding| {
            if !self.filtered() {
                return true;
            }
            let concept = &self.glossary.concepts[f.at.concept].id;
            let silenced = self.suppressions.covers(f.at.line, concept);
            let ignored = self.ignores.iter().any(|rule| {
                let concept_hit = rule.concepts.is_empty() || rule.concepts.contains(concept);
                let rule_hit = rule.rules.is_empty() || rule.rules.contains(&f.rule);
                concept_hit && rule_hit
            });
            !(silenced || ignored)
        };
        if self.counted {
            for finding in findings.iter().filter(|f| kept(f)) {
                into.counts[finding.severity.index()] += 1;
            }
        } else if let Some(listed) = self.listed_rules {
            for finding in findings.into_iter().filter(kept) {
                if listed.contains(&finding.rule) {
                    into.findings.push(finding);
                } else {
                    into.counts[finding.severity.index()] += 1;
                }
            }
        } else if into.findings.is_empty() && !self.filtered() {
            into.findings = findings;
        } else {
            into.findings.extend(findings.into_iter().filter(kept));
        }
    }

    /// An occurrence placed at a byte range of the document's text, its
    /// other fields blank; `cursor` makes positions asked in order cost
    /// their distance.
    fn placed(&self, start: usize, end: usize, cursor: &mut (usize, usize, usize)) -> Occurrence {
        let text = &self.document.text;
        let ((line, column), (end_line, end_column)) = match &self.lines {
            Some(lines) if self.detail == Detail::Counts => ((lines.line_with(start, cursor), 0), (lines.line_with(end, cursor), 0)),
            Some(lines) => (lines.position_with(text, start, cursor), lines.position_with(text, end, cursor)),
            None => ((0, 0), (0, 0)),
        };
        Occurrence {
            line,
            column,
            end_line,
            end_column,
            byte_start: self.document.byte_offset + start,
            byte_end: self.document.byte_offset + end,
            in_arabic: true,
            ..Occurrence::default()
        }
    }

    /// Checks every unit: what they come to, and the tally of the
    /// occurrences judged for [`Judge::whole`].
    pub(super) fn run(&self) -> (Piece, Tally) {
        let glossary = self.glossary;
        let mut whole = Piece::default();
        let mut tally = Tally::default();
        let mut anchor_cursor = LineIndex::START;
        // The last note read, with its scope: the segments of one XLIFF unit
        // share their notes, which are read once, not once a segment.
        let mut last_note: Option<(Arc<str>, Option<pragmas::Scope>)> = None;
        // The last source matched (under which notes), with the concepts it
        // names: the forms of a PO entry share their source, matched once.
        let mut last_source: Option<LastSource> = None;
        for (unit_index, unit) in self.units.iter().enumerate() {
            let target = &unit.target;
            // A `qamus-ignore` in the unit's note silences the unit (for its concepts).
            let silenced = match &unit.note {
                Some(note) => match &last_note {
                    Some((last, scope)) if Arc::ptr_eq(last, note) => scope.clone(),
                    _ => last_note.insert((Arc::clone(note), pragmas::note_scope(note))).1.clone(),
                },
                None => None,
            };
            let silenced_concept = |c: usize| silenced.as_ref().is_some_and(|s| s.covers(&glossary.concepts[c].id));
            let find = |range: std::ops::Range<usize>| {
                let (mut matches, words) = self.matchers.arabic.find_counting_words(&target.text[range.clone()]);
                for m in &mut matches {
                    m.span = m.span.start + range.start..m.span.end + range.start;
                }
                if silenced.is_some() {
                    matches.retain(|m| !silenced_concept(m.concept));
                }
                (matches, words)
            };
            let Some(source) = &unit.source else {
                whole.append(self.in_chunks(unit_index, &find, &mut tally));
                continue;
            };
            // A unit with a source is matched whole: the bilingual check
            // looks at all of it.
            let source_concepts = match &last_source {
                Some(last) if last.is_of(source, unit) => last.concepts.clone(),
                _ => {
                    let mut source_concepts: Vec<(usize, String)> = Vec::new();
                    for m in self.matchers.english(glossary).find(&source.text).into_iter().filter(|m| !silenced_concept(m.concept)) {
                        if !source_concepts.iter().any(|(c, _)| *c == m.concept) {
                            source_concepts.push((m.concept, source.shown[m.span].to_string()));
                        }
                    }
                    last_source =
                        Some(LastSource { text: source.text.clone(), note: unit.note.clone(), concepts: source_concepts.clone() });
                    source_concepts
                }
            };
            let (matches, words) = find(0..target.text.len());
            // A unit whose source names no concept and whose target has no
            // occurrence gives no finding: no pair is made for it (a
            // catalogue of many short strings).
            if source_concepts.is_empty() && matches.is_empty() {
                whole.words += words;
                continue;
            }
            // The anchor of a finding about the whole target: its first line.
            let trimmed_start = target.text.len() - target.text.trim_start().len();
            let first_line = line_around(&target.text, trimmed_start);
            let first_line = trimmed_start.max(first_line.start)..first_line.end;
            let start = target.map.start(first_line.start);
            let end = target.map.end(first_line.end).max(start);
            let surface: String = target.shown[first_line].chars().take(80).collect();
            let pair = UnitPair {
                source_concepts,
                occurrences: 0..matches.len(),
                id: unit.id.as_deref().map(Arc::from),
                anchor: Occurrence { surface: surface.replace('\u{1F}', " "), ..self.placed(start, end, &mut anchor_cursor) },
            };
            whole.append(self.piece(unit_index, matches, words, Some(&pair), &mut tally));
        }
        (whole, tally)
    }

    /// A unit without a source, matched in chunks if large: at once in a
    /// parallel run, in turn otherwise, each judged and let go of before
    /// the next; `find` matches a range of its text. The occurrences
    /// judged go into `tally`.
    fn in_chunks(
        &self,
        unit_index: usize,
        find: &(dyn Fn(std::ops::Range<usize>) -> (Vec<Match>, usize) + Sync),
        tally: &mut Tally,
    ) -> Piece {
        let text = &self.units[unit_index].target.text;
        // Most units are far smaller than two chunks: matched whole, with
        // no list of cuts made.
        if text.len() < 2 * CHUNK_BYTES {
            let (matches, words) = find(0..text.len());
            return self.piece(unit_index, matches, words, None, tally);
        }
        let cuts = chunk_cuts(text, CHUNK_BYTES);
        let mut whole = Piece::default();
        if self.parallel && cuts.len() > 2 {
            // A few chunks a thread at a time, so that the findings of
            // chunks done but not yet gathered stay few.
            let at_once = 2 * rayon::current_num_threads();
            let chunks: Vec<&[usize]> = cuts.windows(2).collect();
            for batch in chunks.chunks(at_once) {
                let pieces: Vec<(Piece, Tally)> = batch
                    .par_iter()
                    .with_max_len(1)
                    .map(|w| {
                        let (matches, words) = find(w[0]..w[1]);
                        let mut piece_tally = Tally::default();
                        (self.piece(unit_index, matches, words, None, &mut piece_tally), piece_tally)
                    })
                    .collect();
                for (piece, piece_tally) in pieces {
                    whole.append(piece);
                    tally.append(piece_tally);
                }
            }
        } else {
            for w in cuts.windows(2) {
                let (matches, words) = find(w[0]..w[1]);
                whole.append(self.piece(unit_index, matches, words, None, tally));
            }
        }
        whole
    }

    /// Places, judges and tallies the matches of one piece of a unit (the
    /// whole unit when `pair` gives its source), the occurrences judged
    /// going into `tally`.
    fn piece(&self, unit_index: usize, matches: Vec<Match>, words: usize, pair: Option<&UnitPair>, tally: &mut Tally) -> Piece {
        let glossary = self.glossary;
        let detail = self.detail;
        let target = &self.units[unit_index].target;
        let text = &self.document.text;
        let mut piece = Piece { matches: matches.len(), words, ..Piece::default() };
        // A unit without a match (most strings of a catalogue) gives nothing
        // more: no list is made for it.
        if matches.is_empty() && pair.is_none_or(|pair| pair.source_concepts.is_empty()) {
            return piece;
        }
        let mut cursor = LineIndex::START;
        let mut sites = Vec::with_capacity(if detail == Detail::Located { matches.len() } else { 0 });
        let mut occurrences = Vec::with_capacity(matches.len());
        for m in matches {
            let start = target.map.start(m.span.start);
            let end = target.map.end(m.span.end).max(start);
            // The line is looked at only for what needs it: whether an
            // acronym stands in Arabic text, and a full listing's context.
            let acronym = m.role == TermRole::Acronym;
            let unit_line = (acronym || detail == Detail::Full).then(|| line_around(&target.text, m.span.start));
            occurrences.push(Occurrence {
                concept: m.concept,
                term: m.term,
                surface: if detail == Detail::Counts { String::new() } else { target.text[m.span.clone()].to_string() },
                verbatim: self.in_file && text[start..end] == target.text[m.span.clone()],
                kind: m.kind,
                orthographic: m.orthographic,
                article: m.article,
                proclitics: m.proclitics,
                prefix: m.prefix,
                suffix: m.suffix,
                in_arabic: acronym
                    && unit_line.clone().is_some_and(|line| target.text[line].chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))),
                context: match unit_line {
                    Some(line) if detail == Detail::Full => context(&target.shown, line, m.span.clone()),
                    _ => Context::default(),
                },
                ..self.placed(start, end, &mut cursor)
            });
            if detail == Detail::Located {
                sites.push(Site { unit: unit_index, span: m.span });
            }
        }
        // The source decides the sense: an occurrence of a concept the
        // source does not name is a homonym here (or a mistranslation,
        // which `unexpected-rendering` reports), not a rendering to judge.
        if let Some(pair) = pair {
            for occurrence in &mut occurrences {
                occurrence.homonym = !pair.source_concepts.iter().any(|(c, _)| *c == occurrence.concept);
            }
        }
        // Silenced occurrences are left out of judging. With no pragma, as
        // nearly always, nothing is silenced: no concept is looked up.
        let silenced = |o: &Occurrence| !self.suppressions.is_empty() && self.suppressions.covers(o.line, &glossary.concepts[o.concept].id);
        let judged_at: Vec<usize> = (0..occurrences.len()).filter(|&i| !occurrences[i].homonym && !silenced(&occurrences[i])).collect();
        let judged: Vec<&Occurrence> = judged_at.iter().map(|&i| &occurrences[i]).collect();
        let context_at = |i: usize| (detail == Detail::Located).then(|| sites[i].context(self.units));
        let findings = self.judge.each(&judged, tally, &|k| context_at(judged_at[k]));
        self.keep(findings, &mut piece);
        if let Some(pair) = pair {
            let findings = self.judge.unit(pair, &occurrences, &context_at);
            self.keep(findings, &mut piece);
        }
        // What a comparison across sources leaves out: what a pragma
        // silences, and a concept a configured ignore silences for every
        // rule or for `cross-source`.
        let out_of_report = |o: &Occurrence| {
            self.filtered() && {
                let concept = &glossary.concepts[o.concept].id;
                silenced(o)
                    || self.ignores.iter().any(|rule| {
                        (rule.concepts.is_empty() || rule.concepts.contains(concept))
                            && (rule.rules.is_empty() || rule.rules.contains(&Rule::CrossSource))
                    })
            }
        };
        if self.tally_uses {
            for (i, o) in occurrences.iter().enumerate() {
                if o.homonym || glossary.concepts[o.concept].terms[o.term].role != TermRole::Arabic {
                    continue;
                }
                piece.renders = true;
                if !out_of_report(o) {
                    piece.uses.add(o, || context_at(i));
                }
            }
        }
        if detail == Detail::Full {
            if self.filtered() {
                piece.out_of_report = occurrences.iter().map(out_of_report).collect();
            }
            piece.occurrences = occurrences;
        }
        piece
    }
}

/// A unit's source as matched, with the notes it was matched under (they
/// may silence concepts), and the concepts it names with their first
/// English surface.
struct LastSource {
    text: crate::input::TextRef,
    note: Option<Arc<str>>,
    concepts: Vec<(usize, String)>,
}

impl LastSource {
    /// Whether `unit`'s source is this one, under the same notes: the same
    /// text and notes, not copies of them.
    fn is_of(&self, source: &crate::input::Side, unit: &Unit) -> bool {
        let same_note = match (&self.note, &unit.note) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        crate::input::TextRef::same(&self.text, &source.text) && same_note
    }
}

/// Units of at least twice this size are matched in chunks of about this
/// size: in parallel with several jobs, one after the other with one (so
/// that what matching keeps of a text, its hits, is a chunk's, not a whole
/// large file's).
pub const CHUNK_BYTES: usize = 4 << 20;

/// Where a text is cut into chunks of about `chunk` bytes, at line breaks
/// that no phrase runs across ([`line_ends_phrases`]): the offsets where
/// each chunk starts, then the text's length. A text shorter than two
/// chunks, or with no such line break (one long line), is one chunk; so is
/// every text when `chunk` is 0.
pub fn chunk_cuts(text: &str, chunk: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    if chunk != 0 && text.len() >= 2 * chunk {
        let mut from = chunk;
        while from < text.len() {
            let cut = memchr::memchr_iter(b'\n', &text.as_bytes()[from..]).map(|i| from + i).find(|&i| line_ends_phrases(text, i));
            match cut {
                Some(newline) if text.len() - newline > chunk / 2 => {
                    cuts.push(newline + 1);
                    from = newline + 1 + chunk;
                }
                _ => break,
            }
        }
    }
    cuts.push(text.len());
    cuts
}

/// [`Matcher::find_counting_words`] on a text cut into chunks
/// ([`chunk_cuts`]), matched in parallel (on the current rayon pool) when
/// `parallel`, in turn otherwise: the matches of each chunk in order
/// (spans in the whole text), and the word count, are those of the whole
/// text. (A run judges each chunk's matches before the next chunk's are
/// found; this gathers them all.)
pub fn find_in_chunks(matcher: &Matcher, text: &str, chunk: usize, parallel: bool) -> (Vec<Vec<Match>>, usize) {
    let cuts = chunk_cuts(text, chunk);
    let match_chunk = |w: &[usize]| {
        let (mut matches, words) = matcher.find_counting_words(&text[w[0]..w[1]]);
        for m in &mut matches {
            m.span = m.span.start + w[0]..m.span.end + w[0];
        }
        (matches, words)
    };
    let parts: Vec<(Vec<Match>, usize)> =
        if parallel { cuts.par_windows(2).with_max_len(1).map(match_chunk).collect() } else { cuts.windows(2).map(match_chunk).collect() };
    let words = parts.iter().map(|(_, w)| w).sum();
    (parts.into_iter().map(|(m, _)| m).collect(), words)
}

/// How far either side of an occurrence its line is looked at (for the
/// context and the Arabic-line test), so that a very long line costs no more.
const LINE_WINDOW: usize = 512;

/// The byte range of the line of `text` holding `offset`, at most
/// [`LINE_WINDOW`] bytes either side of it.
fn line_around(text: &str, offset: usize) -> std::ops::Range<usize> {
    let mut low = offset.saturating_sub(LINE_WINDOW);
    while !text.is_char_boundary(low) {
        low += 1;
    }
    let mut high = (offset + LINE_WINDOW).min(text.len());
    while !text.is_char_boundary(high) {
        high -= 1;
    }
    let bytes = text.as_bytes();
    let start = memchr::memrchr2(b'\n', b'\r', &bytes[low..offset]).map_or(low, |i| low + i + 1);
    let end = memchr::memchr2(b'\n', b'\r', &bytes[offset..high]).map_or(high, |i| offset + i);
    start..end
}

/// Up to `CONTEXT_CHARS` characters each side of the surface, on its line, cut
/// at a word boundary.
const CONTEXT_CHARS: usize = 40;

fn context(text: &str, line: std::ops::Range<usize>, surface: std::ops::Range<usize>) -> Context {
    let clean = |s: &str| if s.contains('\u{1F}') { s.replace('\u{1F}', " ") } else { s.to_string() };
    let before = &text[line.start..surface.start.max(line.start)];
    let after = &text[surface.end.min(line.end)..line.end.max(surface.end.min(line.end))];
    // Only the characters next to the surface are looked at, however long
    // the line: a paragraph-long line costs no more than a short one.
    let before = match before.char_indices().rev().nth(CONTEXT_CHARS) {
        Some(_) => {
            let cut = before.char_indices().rev().nth(CONTEXT_CHARS - 1).map_or(0, |(i, _)| i);
            let cut = before[cut..].find(' ').map_or(cut, |s| cut + s + 1);
            format!("…{}", &before[cut..])
        }
        None => before.to_string(),
    };
    let after = match after.char_indices().nth(CONTEXT_CHARS) {
        Some((cut, _)) => {
            let cut = after[..cut].rfind(' ').unwrap_or(cut);
            format!("{}…", &after[..cut])
        }
        None => after.to_string(),
    };
    Context { before: clean(before.trim_start()), after: clean(after.trim_end()) }
}
