//! The glossary model: concepts, their terms with a status each, and the
//! word-level spelling equivalences declared once per glossary; plus the
//! validation every loaded glossary goes through (no duplicate ids, no form
//! that folds to nothing, no folded form under two concepts or two statuses).
//!
//! Readers of particular file formats live in submodules and produce this model;
//! nothing here knows how a glossary is written on disk.

pub mod attested;
pub mod csv;
pub mod tbx;

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::normalize::{analyze_form, FormRange, FormToken, FormTokenList, Script};

/// The embedded default glossary.
pub const DEFAULT_GLOSSARY: &str = include_str!("../../glossaries/us-iraq-security.csv");
/// The name under which the embedded glossary is reported.
pub const DEFAULT_GLOSSARY_NAME: &str = "glossaries/us-iraq-security.csv";

/// How a glossary judges a rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// The rendering to use.
    Preferred,
    /// Acceptable.
    Admitted,
    /// Should be replaced by the preferred rendering.
    Deprecated,
    /// A known mistranslation.
    Forbidden,
}

impl Status {
    /// The name used in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Preferred => "preferred",
            Status::Admitted => "admitted",
            Status::Deprecated => "deprecated",
            Status::Forbidden => "forbidden",
        }
    }
}

/// Where a term comes from in its concept's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermRole {
    /// An Arabic rendering (`ar`, `ar_admitted`, `ar_deprecated`, `ar_forbidden`).
    Arabic,
    /// The Latin acronym, written inline in Arabic text.
    Acronym,
    /// The English name or a variant of it, written inline.
    English,
}

/// The parts of speech a form is read as, as a set: which affixes qamus
/// reads on it (a noun takes the article and the nominal suffixes, an
/// adjective also the feminine ة, a verb the subject prefixes and suffixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartsOfSpeech(u8);

impl PartsOfSpeech {
    /// A noun (the default): article, proclitics, pronoun, dual, plurals.
    pub const NOUN: PartsOfSpeech = PartsOfSpeech(1);
    /// A verb: its perfect, imperfect or imperative, with subject and object affixes.
    pub const VERB: PartsOfSpeech = PartsOfSpeech(1 << 1);
    /// An adjective or participle: a noun's affixes and the feminine ة.
    pub const ADJECTIVE: PartsOfSpeech = PartsOfSpeech(1 << 2);
    /// The names a glossary writes, and what each means.
    pub const NAMES: &[(&'static str, PartsOfSpeech)] = &[
        ("noun", PartsOfSpeech::NOUN),
        ("verb", PartsOfSpeech::VERB),
        ("adj", PartsOfSpeech::ADJECTIVE),
        ("adjective", PartsOfSpeech::ADJECTIVE),
    ];

    /// The bits, as [`crate::normalize::clitics::stem_kind`] reads them
    /// (noun 1, verb 2, adjective 4).
    pub fn bits(self) -> u8 {
        self.0
    }

    /// Whether every part of speech of `other` is in this set.
    pub fn contains(self, other: PartsOfSpeech) -> bool {
        self.0 & other.0 == other.0
    }

    /// Both sets together.
    pub fn union(self, other: PartsOfSpeech) -> PartsOfSpeech {
        PartsOfSpeech(self.0 | other.0)
    }

    /// Parses one name or several (`verb noun`, `verb | noun`, `verb, noun`);
    /// the error is the word that is no part of speech (empty when there is
    /// no word at all).
    pub fn parse(text: &str) -> Result<PartsOfSpeech, String> {
        let mut set = PartsOfSpeech(0);
        for word in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '،' | '+' | '/')).filter(|w| !w.is_empty()) {
            let lower = word.to_ascii_lowercase();
            match Self::NAMES.iter().find(|(name, _)| *name == lower) {
                Some((_, pos)) => set = set.union(*pos),
                None => return Err(word.to_string()),
            }
        }
        if set.0 == 0 {
            return Err(String::new());
        }
        Ok(set)
    }

    /// The names, one for each part of speech in the set (`noun`, `verb`, `adj`).
    pub fn names(self) -> Vec<&'static str> {
        [(PartsOfSpeech::NOUN, "noun"), (PartsOfSpeech::VERB, "verb"), (PartsOfSpeech::ADJECTIVE, "adj")]
            .into_iter()
            .filter(|(pos, _)| self.contains(*pos))
            .map(|(_, name)| name)
            .collect()
    }
}

impl Default for PartsOfSpeech {
    fn default() -> Self {
        PartsOfSpeech::NOUN
    }
}

impl std::fmt::Display for PartsOfSpeech {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.names().join(" "))
    }
}

/// One written form of a concept with its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The form as the glossary writes it.
    pub text: String,
    /// How the glossary judges it.
    pub status: Status,
    /// Which cell it comes from.
    pub role: TermRole,
    /// The parts of speech it is read as (Arabic forms; nouns otherwise).
    pub pos: PartsOfSpeech,
    /// For a listed inflected form (`ar_forms`: a broken plural, a verb's
    /// imperfect, a participle): the index, in its concept's terms, of the
    /// rendering it is a form of. Its occurrences count as that rendering's.
    pub form_of: Option<usize>,
}

impl Term {
    /// A rendering in its own right, read as a noun.
    pub fn new(text: impl Into<String>, status: Status, role: TermRole) -> Term {
        Term { text: text.into(), status, role, pos: PartsOfSpeech::NOUN, form_of: None }
    }

    /// Whether it is a rendering in its own right, not a listed form of another.
    pub fn is_rendering(&self) -> bool {
        self.form_of.is_none()
    }

    /// The index of the rendering it counts as: its own (`index`), or the
    /// one it is a form of.
    pub fn rendering(&self, index: usize) -> usize {
        self.form_of.unwrap_or(index)
    }
}

/// Where a row sits in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The glossary file, as named by the user (shared by all its rows).
    pub path: std::sync::Arc<str>,
    /// 1-based line of the row.
    pub line: usize,
}

/// The path of the file `name` for a new row of `glossary`: the previous
/// row's, shared, when it is the same file.
fn shared_path(glossary: &Glossary, name: &str) -> std::sync::Arc<str> {
    match glossary.concepts.last() {
        Some(last) if *last.location.path == *name => last.location.path.clone(),
        _ => name.into(),
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

/// One concept: a row of the glossary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concept {
    /// Stable identifier.
    pub id: String,
    /// English name, as reports print it.
    pub en: String,
    /// Latin acronym, if the concept has one.
    pub acronym: Option<String>,
    /// Every form: the preferred Arabic first, then the other Arabic forms, then
    /// the Latin forms (acronym, English name and variants; all admitted).
    pub terms: Vec<Term>,
    /// Why the forms are judged as they are.
    pub note: Option<String>,
    /// Where the preferred form comes from.
    pub source: Option<String>,
    /// Self-tests: texts that must (`true`) or must not (`false`) contain
    /// an occurrence of the concept.
    pub examples: Vec<(bool, String)>,
    /// Where the row is.
    pub location: Location,
}

impl Concept {
    /// The preferred Arabic rendering.
    pub fn preferred(&self) -> &str {
        &self.terms[0].text
    }

    /// The acronym if there is one, otherwise the English name: how a report
    /// names the concept briefly.
    pub fn label(&self) -> &str {
        self.acronym.as_deref().unwrap_or(&self.en)
    }
}

/// The file formats a glossary can be read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlossaryFormat {
    /// The curated CSV format (also what `qamus glossary` writes).
    Csv,
    /// The curated format with tabs.
    Tsv,
    /// Two columns (or more) headed by locale codes: `en,ar`, `ar-SA,en-US,description`.
    LocaleCsv,
    /// TBX v3 (`tbx`) or v2 (`martif`).
    Tbx,
}

impl GlossaryFormat {
    /// The names `--glossary-format` takes.
    pub const NAMES: &[(&'static str, GlossaryFormat)] = &[
        ("csv", GlossaryFormat::Csv),
        ("tsv", GlossaryFormat::Tsv),
        ("locale-csv", GlossaryFormat::LocaleCsv),
        ("tbx", GlossaryFormat::Tbx),
    ];

    /// The format named `name`.
    pub fn from_name(name: &str) -> Option<GlossaryFormat> {
        Self::NAMES.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// The format of a file: as asked, else by extension, else by its header.
    pub fn detect(path: &std::path::Path, bytes: &[u8], asked: Option<GlossaryFormat>) -> GlossaryFormat {
        if let Some(format) = asked {
            return format;
        }
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("tbx" | "xml") => GlossaryFormat::Tbx,
            Some("tsv" | "tab") => GlossaryFormat::Tsv,
            _ => {
                let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
                let header = String::from_utf8_lossy(bytes.split(|&b| b == b'\n').next().unwrap_or_default());
                let delimiter = char::from(crate::input::decode::sniff_delimiter(bytes));
                let cells: Vec<String> = header.split(delimiter).map(|c| c.trim().trim_matches('"').to_string()).collect();
                if !cells.iter().any(|c| c == "id") && cells.iter().any(|c| csv::is_locale_code(c)) {
                    GlossaryFormat::LocaleCsv
                } else {
                    GlossaryFormat::Csv
                }
            }
        }
    }

    /// Parses a glossary in this format. `name` is how errors name the file.
    pub fn parse(self, bytes: &[u8], name: &str) -> Result<Glossary> {
        match self {
            GlossaryFormat::Csv => csv::parse(bytes, name),
            GlossaryFormat::Tsv => csv::parse_with(bytes, name, b'\t'),
            GlossaryFormat::LocaleCsv => csv::parse_locale_csv(bytes, name),
            GlossaryFormat::Tbx => tbx::parse(bytes, name),
        }
    }

    /// [`GlossaryFormat::parse`], the rows that could be read and the
    /// problems of the others (the curated CSV and TSV read on past a bad
    /// row; the other formats stop at the first problem).
    pub fn parse_collecting(self, bytes: &[u8], name: &str) -> Result<(Glossary, Vec<Error>)> {
        match self {
            GlossaryFormat::Csv => csv::parse_collecting(bytes, name, crate::input::decode::sniff_delimiter(bytes)),
            GlossaryFormat::Tsv => csv::parse_collecting(bytes, name, b'\t'),
            _ => self.parse(bytes, name).map(|g| (g, Vec::new())),
        }
    }
}

/// Words that are spelled differently but stand for the same word in every
/// term of the glossary (الأمريكية ≡ الأميركية).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpellingClass {
    /// The forms; the first is canonical.
    pub forms: Vec<String>,
    /// The row's note (why the spellings are one), kept when written back.
    pub note: Option<String>,
    /// Where the class is declared.
    pub location: Location,
}

/// The bits of a key hash that are kept: all of them, except in this
/// module's unit tests, where two bits make hashes meet all the time so that
/// the exact comparison behind them is exercised.
#[cfg(not(test))]
const KEY_HASH_MASK: u64 = u64::MAX;
#[cfg(test)]
const KEY_HASH_MASK: u64 = 0b11;

/// A loaded, validated glossary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    /// The files it was loaded from, as named by the user.
    pub names: Vec<String>,
    /// The concepts, in file order.
    pub concepts: Vec<Concept>,
    /// The spelling equivalences.
    pub spellings: Vec<SpellingClass>,
    /// Things a reader passed over (unknown TBX elements, concepts without
    /// Arabic), to tell the user.
    pub notices: Vec<String>,
    /// The analyses of every form, made by [`Glossary::validate`] and used
    /// again by the matcher. Not part of the glossary's value.
    #[doc(hidden)]
    pub analyses: FormAnalyses,
}

/// Appends `items` to `all`; the first file's items are moved, not copied
/// (100,000 concepts are 19 MB).
fn append<T>(all: &mut Vec<T>, items: Vec<T>) {
    if all.is_empty() {
        *all = items;
    } else {
        all.extend(items);
    }
}

/// The [`analyze_form`] of every term, concept by concept, each with a
/// fingerprint of the text it was made from: [`FormAnalyses::of`] gives an
/// analysis only for a term whose text still has that fingerprint, so a
/// glossary changed after validation is analysed afresh rather than matched
/// wrongly. Equal to any other (it is a cache, not part of the glossary's
/// value).
#[derive(Clone, Default)]
pub struct FormAnalyses(Option<std::sync::Arc<Analyses>>);

/// Every term's analysis in one list, concept after concept: with 100,000
/// concepts, a list per concept and a copy of each term's text were 400,000
/// allocations of loading's 1.3 million. The tokens of all are in one list
/// too, shared with the matcher.
struct Analyses {
    /// Where each concept's terms start in `terms`, and one past the last.
    starts: Vec<u32>,
    terms: Vec<AnalysedTerm>,
    tokens: std::sync::Arc<FormTokenList>,
}

/// A term's analysis (where its tokens are) and the fingerprint of the text
/// it was made from.
struct AnalysedTerm {
    made_from: TextPrint,
    tokens: FormRange,
}

/// A text's length and 64-bit hash. A term changed after validation no
/// longer has them, unless it became another text of the same length with
/// the same hash: a collision no edit meets by chance.
#[derive(Clone, Copy, PartialEq, Eq)]
struct TextPrint {
    len: usize,
    hash: u64,
}

impl TextPrint {
    fn of(text: &str) -> TextPrint {
        use std::hash::BuildHasher;
        TextPrint { len: text.len(), hash: rustc_hash::FxBuildHasher.hash_one(text) }
    }
}

impl FormAnalyses {
    /// Where the analysis of term `term` of concept `concept` is in
    /// [`FormAnalyses::tokens`], if it was made from `text`.
    pub fn of(&self, concept: usize, term: usize, text: &str) -> Option<FormRange> {
        let all = self.0.as_ref()?;
        let (start, end) = (*all.starts.get(concept)? as usize, *all.starts.get(concept + 1)? as usize);
        let analysed = all.terms.get(start + term).filter(|_| start + term < end)?;
        (analysed.made_from == TextPrint::of(text)).then_some(analysed.tokens)
    }

    /// The tokens of every analysis, if there are analyses.
    pub fn tokens(&self) -> Option<&std::sync::Arc<FormTokenList>> {
        self.0.as_ref().map(|all| &all.tokens)
    }
}

impl PartialEq for FormAnalyses {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for FormAnalyses {}

impl std::fmt::Debug for FormAnalyses {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FormAnalyses")
    }
}

impl Glossary {
    /// The embedded default glossary.
    pub fn embedded() -> Result<Glossary> {
        let mut glossary = csv::parse(DEFAULT_GLOSSARY.as_bytes(), DEFAULT_GLOSSARY_NAME)?;
        glossary.validate()?;
        Ok(glossary)
    }

    /// Loads and merges glossary files (each in `format`, or by its
    /// extension and contents), then validates the whole.
    pub fn load_files(paths: &[std::path::PathBuf], format: Option<GlossaryFormat>) -> Result<Glossary> {
        let mut merged = Glossary::default();
        // Every file's row problems, then the problems across rows: a
        // termbase is cleaned in one round, not one per problem.
        let mut problems = Vec::new();
        for path in paths {
            let name = path.display().to_string();
            let bytes = crate::input::read_whole_file(path, "a glossary", crate::input::MAX_FILE_BYTES)?;
            let (glossary, file_problems) = GlossaryFormat::detect(path, &bytes, format).parse_collecting(&bytes, &name)?;
            problems.extend(file_problems);
            append(&mut merged.names, glossary.names);
            append(&mut merged.concepts, glossary.concepts);
            append(&mut merged.spellings, glossary.spellings);
            append(&mut merged.notices, glossary.notices);
        }
        if !merged.concepts.is_empty() || problems.is_empty() {
            problems.extend(merged.validate_collecting());
        }
        // In the order of the files given, then of their lines.
        let order = |e: &Error| (paths.iter().position(|p| e.path.as_deref() == Some(&p.display().to_string())), e.line);
        problems.sort_by_key(order);
        match Error::glossary_problems(problems) {
            Some(e) => Err(e),
            None => Ok(merged),
        }
    }

    /// Maps every spelling variant's folded stem to its class's canonical stem.
    pub fn spelling_map(&self) -> Result<HashMap<String, String>> {
        let mut map: HashMap<String, (String, &Location)> = HashMap::new();
        for class in &self.spellings {
            let mut canonical: Option<String> = None;
            for form in &class.forms {
                let tokens = analyze_form(form);
                if tokens.len() != 1 {
                    return Err(Error::glossary(
                        &class.location.path,
                        Some(class.location.line),
                        format!("spelling equivalence «{form}» must be one word"),
                    ));
                }
                let stem = tokens[0].stem().to_string();
                let canonical = canonical.get_or_insert_with(|| stem.clone()).clone();
                if let Some((other, at)) = map.get(&stem) {
                    if *other != canonical {
                        return Err(Error::glossary(
                            &class.location.path,
                            Some(class.location.line),
                            format!("«{form}» is already in the spelling equivalence at {at}"),
                        ));
                    }
                }
                map.insert(stem, (canonical, &class.location));
            }
        }
        Ok(map.into_iter().map(|(k, (v, _))| (k, v)).collect())
    }

    /// The comparable key of a form, from its [`analyze_form`], in pieces:
    /// its folded stems, spelling-equivalent words made one, each after «ال»
    /// where the article is written, spaces between. Two forms whose pieces
    /// spell the same text are the same form to the matcher.
    fn key_pieces<'a>(tokens: &'a [FormToken], spellings: &'a HashMap<String, String>) -> impl Iterator<Item = &'a str> + 'a {
        tokens.iter().enumerate().flat_map(move |(i, token)| {
            let canonical = if spellings.is_empty() { None } else { spellings.get(token.stem()) };
            [if i > 0 { " " } else { "" }, if token.definite { "ال" } else { "" }, canonical.map_or(token.stem(), String::as_str)]
        })
    }

    /// A hash of a form's key text (FNV-1a, byte by byte, so that it does not
    /// depend on where the pieces split), made without building the key.
    fn key_hash(tokens: &[FormToken], spellings: &HashMap<String, String>) -> u64 {
        Self::key_pieces(tokens, spellings)
            .flat_map(str::bytes)
            .fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
            & KEY_HASH_MASK
    }

    /// Whether two forms have the same key.
    fn same_key(a: &[FormToken], b: &[FormToken], spellings: &HashMap<String, String>) -> bool {
        Self::key_pieces(a, spellings).flat_map(str::bytes).eq(Self::key_pieces(b, spellings).flat_map(str::bytes))
    }

    /// Checks the rules every glossary must keep; every broken one is
    /// reported at once (see [`Error::glossary_problems`]).
    pub fn validate(&mut self) -> Result<()> {
        match Error::glossary_problems(self.validate_collecting()) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Rows that repeat an earlier row of the same id cell for cell are
    /// merged into it, with a notice; a row whose id an earlier, different
    /// row has is a problem.
    fn merge_repeated_rows(&mut self, problems: &mut Vec<Error>) {
        let mut first: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
        first.reserve(self.concepts.len());
        let mut repeats = Vec::new();
        for (index, concept) in self.concepts.iter().enumerate() {
            match first.get(concept.id.as_str()) {
                Some(&earlier) if same_row(&self.concepts[earlier], concept) => repeats.push((index, earlier)),
                Some(&earlier) => {
                    let at = &concept.location;
                    problems.push(Error::glossary(
                        &at.path,
                        Some(at.line),
                        format!(
                            "duplicate id {:?} (first at {}); rows that repeat one another cell for cell are merged, these differ",
                            concept.id, self.concepts[earlier].location
                        ),
                    ));
                }
                None => {
                    first.insert(&concept.id, index);
                }
            }
        }
        if repeats.is_empty() {
            return;
        }
        for &(index, earlier) in &repeats {
            let (at, first_at) = (&self.concepts[index].location, &self.concepts[earlier].location);
            self.notices.push(format!("{at}: the row of {:?} repeats the one at {first_at}; merged", self.concepts[index].id));
        }
        let dropped: rustc_hash::FxHashSet<usize> = repeats.iter().map(|&(index, _)| index).collect();
        let mut index = 0;
        self.concepts.retain(|_| {
            index += 1;
            !dropped.contains(&(index - 1))
        });
    }

    /// [`Glossary::validate`], its problems in file order (none when valid).
    pub fn validate_collecting(&mut self) -> Vec<Error> {
        if self.concepts.is_empty() {
            let name = self.names.first().map(String::as_str).unwrap_or("glossary");
            return vec![Error::glossary(name, None, "the glossary has no concepts")];
        }
        let mut problems = Vec::new();
        self.merge_repeated_rows(&mut problems);
        let spellings = match self.spelling_map() {
            Ok(map) => map,
            Err(e) => {
                problems.push(e);
                return problems;
            }
        };
        // Analysing every form is the costly part: in parallel, checked in
        // order, and kept for the matcher. Keys are compared by their hash,
        // and by their text only when hashes meet.
        let all: Vec<&str> = self.concepts.iter().flat_map(|c| &c.terms).map(|t| t.text.as_str()).collect();
        let (tokens, analysed) = FormTokenList::analyse_all(&all, |text, tokens| {
            // No hash for a form that folds to nothing.
            let empty = Self::key_pieces(tokens, &spellings).all(str::is_empty);
            (TextPrint::of(text), (!empty).then(|| Self::key_hash(tokens, &spellings)))
        });
        let (terms, hashes): (Vec<AnalysedTerm>, Vec<Option<u64>>) =
            analysed.into_iter().map(|(tokens, (made_from, hash))| (AnalysedTerm { made_from, tokens }, hash)).unzip();
        let mut starts = Vec::with_capacity(self.concepts.len() + 1);
        starts.push(0u32);
        for concept in &self.concepts {
            starts.push(starts[starts.len() - 1] + concept.terms.len() as u32);
        }
        let analyses = Analyses { starts, terms, tokens: std::sync::Arc::new(tokens) };
        // Key hash → the (concept, term) that has it; forms whose hash met
        // another's with a different key (in practice never) are kept aside.
        let mut keys: rustc_hash::FxHashMap<u64, (usize, usize)> = rustc_hash::FxHashMap::default();
        keys.reserve(hashes.len());
        let mut collided: Vec<(usize, usize)> = Vec::new();
        let tokens_of =
            |(c, t): (usize, usize)| -> &[FormToken] { analyses.tokens.get(analyses.terms[analyses.starts[c] as usize + t].tokens) };
        for (index, concept) in self.concepts.iter().enumerate() {
            let concept_hashes = &hashes[analyses.starts[index] as usize..analyses.starts[index + 1] as usize];
            let at = &concept.location;
            for ((term_index, term), &hash) in concept.terms.iter().enumerate().zip(concept_hashes) {
                let Some(hash) = hash else {
                    problems.push(Error::glossary(
                        &at.path,
                        Some(at.line),
                        format!("form «{}» of {} folds to nothing (no letters or digits)", term.text, concept.id),
                    ));
                    continue;
                };
                let tokens = tokens_of((index, term_index));
                if let Some(why) = never_a_term(tokens).filter(|_| term.role != TermRole::English) {
                    problems.push(Error::glossary(&at.path, Some(at.line), format!("form «{}» of {} {why}", term.text, concept.id)));
                    continue;
                }
                let same = |other: &(usize, usize)| Self::same_key(tokens_of(*other), tokens, &spellings);
                let first = match keys.get(&hash) {
                    None => {
                        keys.insert(hash, (index, term_index));
                        None
                    }
                    Some(other) if same(other) => Some(*other),
                    Some(_) => {
                        let earlier = collided.iter().find(|other| same(other)).copied();
                        if earlier.is_none() {
                            collided.push((index, term_index));
                        }
                        earlier
                    }
                };
                let Some((other, other_term)) = first else { continue };
                let earlier = &self.concepts[other].terms[other_term];
                if other != index {
                    let other = &self.concepts[other];
                    problems.push(Error::glossary(
                        &at.path,
                        Some(at.line),
                        format!(
                            "form «{}» of {} folds to the same form as «{}» of {} ({}): a form may name one concept only; \
                             keep it in one row, or make it longer in one of them",
                            term.text, concept.id, earlier.text, other.id, other.location
                        ),
                    ));
                    continue;
                }
                // One row names the same form twice.
                let latin = |t: &Term| t.role != TermRole::Arabic;
                if latin(earlier) != latin(term) {
                    // A name kept in Latin letters in Arabic («GitHub» for
                    // GitHub): the Arabic rendering is the English name.
                    continue;
                }
                if earlier.status == term.status {
                    // Listed twice alike: harmless.
                    continue;
                }
                let what = match (earlier.form_of, term.form_of) {
                    (None, None) => format!("as {} and again as {}", earlier.status.as_str(), term.status.as_str()),
                    _ => format!("as {} and, in ar_forms, as a form of a {} rendering", earlier.status.as_str(), term.status.as_str()),
                };
                let spelled = if earlier.text == term.text {
                    String::new()
                } else {
                    format!(" («{}» and «{}» fold alike)", earlier.text, term.text)
                };
                problems.push(Error::glossary(
                    &at.path,
                    Some(at.line),
                    format!("{} lists «{}» {what}{spelled}: a form has one status; keep it in one column", concept.id, earlier.text),
                ));
            }
        }
        if problems.is_empty() {
            self.analyses = FormAnalyses(Some(std::sync::Arc::new(analyses)));
        }
        problems
    }
}

/// Why a form of one word cannot stand as a term, if it cannot: one
/// letter (an Arabic letter alone is a clitic or a letter's name, and is
/// never matched; a Latin one would match every lone letter), or proclitics
/// alone («وال», «بال», «لل»), which are taken off every word before it is
/// matched. (Not asked of an English name, read only in English sources.)
fn never_a_term(tokens: &[FormToken]) -> Option<&'static str> {
    let [token] = tokens else { return None };
    let stem = token.stem();
    if token.definite && !stem.is_empty() {
        return None;
    }
    if stem.chars().count() <= 1 {
        return Some(if token.script == Script::Arabic {
            "is one letter, which qamus never matches as a term (alone it is a clitic or a letter's name): remove it, or write the whole word"
        } else {
            "is one letter, which would match every lone letter of that name: remove it, or write the whole name"
        });
    }
    if token.script != Script::Arabic {
        return None;
    }
    let rest = stem.strip_prefix(['و', 'ف']).unwrap_or(stem);
    // «لل» is «ل» and the article whose alif it drops.
    let rest = match rest.strip_prefix('ل') {
        Some(r) => r.strip_prefix('ل').unwrap_or(r),
        None => rest.strip_prefix(['ب', 'ك']).unwrap_or(rest),
    };
    let rest = rest.strip_prefix("ال").unwrap_or(rest);
    rest.is_empty()
        .then_some("is proclitics alone (a conjunction, a preposition, the article), which qamus takes off every word before matching: remove it, or write the whole word")
}

/// Whether two rows hold the same concept, cell for cell (their places aside).
fn same_row(a: &Concept, b: &Concept) -> bool {
    a.id == b.id
        && a.en == b.en
        && a.acronym == b.acronym
        && a.terms == b.terms
        && a.note == b.note
        && a.source == b.source
        && a.examples == b.examples
}

/// Whether a term is written in Arabic script (as opposed to an inline Latin
/// acronym or English name).
pub fn is_arabic_term(term: &Term) -> bool {
    term.role == TermRole::Arabic && analyze_form(&term.text).iter().any(|t| t.script == Script::Arabic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Glossary> {
        let mut g = csv::parse(text.as_bytes(), "test.csv")?;
        g.validate()?;
        Ok(g)
    }

    const HEADER: &str = "id,en,acronym,ar,ar_admitted,ar_deprecated,ar_forbidden,en_variants,note,source\n";

    #[test]
    fn the_embedded_glossary_loads() {
        let g = Glossary::embedded().unwrap();
        assert!(g.concepts.len() >= 37, "{}", g.concepts.len());
        assert!(g.concepts.iter().any(|c| c.id == "hmc"));
    }

    #[test]
    fn glossary_files_are_merged_in_the_order_given() {
        let dir = tempfile::tempdir().unwrap();
        let (first, second, third) = (dir.path().join("first.csv"), dir.path().join("second.csv"), dir.path().join("third.csv"));
        std::fs::write(&first, format!("{HEADER}a,A,,اللجنة العليا,,,,,,\nb,B,,الحوار الأمني,,,,,,\n")).unwrap();
        std::fs::write(&second, format!("{HEADER}c,C,,القيادة المركزية,,,,,,\n")).unwrap();
        let g = Glossary::load_files(&[first.clone(), second.clone()], None).unwrap();
        let ids: Vec<&str> = g.concepts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(g.names.len(), 2, "{:?}", g.names);
        let g = Glossary::load_files(&[second.clone(), first.clone()], None).unwrap();
        let ids: Vec<&str> = g.concepts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b"]);
        // The merged whole is validated: a form of the first file under
        // another concept in a later one is an error naming both.
        std::fs::write(&third, format!("{HEADER}d,D,,اللجنه العليا,,,,,,\n")).unwrap();
        let e = Glossary::load_files(&[first, second, third], None).unwrap_err().to_string();
        assert!(e.contains("third.csv:2") && e.contains("first.csv:2"), "{e}");
    }

    #[test]
    fn same_folded_form_under_two_concepts_is_an_error() {
        let e = load(&format!("{HEADER}a,A,,اللجنة العليا,,,,,,\nb,B,,اللجنه العليا,,,,,,\n")).unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("test.csv:3: "), "{text}");
        assert!(text.contains("test.csv:2"), "{text}");
    }

    #[test]
    fn same_form_under_two_statuses_is_an_error() {
        let e = load(&format!("{HEADER}a,A,,اللجنة العليا,,اللجنة العليا,,,,\n")).unwrap_err();
        assert!(e.to_string().contains("lists «اللجنة العليا» as preferred and again as deprecated"), "{e}");
    }

    #[test]
    fn spelling_equivalences_make_forms_equal() {
        let e = load(&format!("{HEADER}@spelling,,,الأمريكية | الأميركية,,,,,,\na,A,,القيادة الأمريكية,,القيادة الأميركية,,,,\n")).unwrap_err();
        assert!(
            e.to_string().contains("as preferred and again as deprecated («القيادة الأمريكية» and «القيادة الأميركية» fold alike)"),
            "{e}"
        );
    }

    #[test]
    fn distinct_forms_whose_hashes_meet_are_all_kept() {
        // Unit tests keep two bits of each hash: eight forms cannot all differ.
        let rows: String = ["حوار", "لجنة", "قيادة", "اتفاقية", "تحالف", "وزارة", "هيئة", "مجلس"]
            .iter()
            .enumerate()
            .map(|(i, form)| format!("c{i},C{i},,{form},,,,,,\n"))
            .collect();
        let g = load(&format!("{HEADER}{rows}")).unwrap();
        assert_eq!(g.concepts.len(), 8);
        // A repeat of the last is still found behind the colliding hashes.
        let e = load(&format!("{HEADER}{rows}d,D,,المجلس,,,,,,\nx,X,,مجلس,,,,,,\n")).unwrap_err();
        assert!(e.to_string().contains("«مجلس» of x folds to the same form as «مجلس» of c7"), "{e}");
    }

    #[test]
    fn a_written_article_and_a_hamza_alef_make_one_key() {
        // «المانيا» registers the article apart (stem مانيا); «ألمانيا» keeps
        // it in the stem: the keys are one text split differently.
        let e = load(&format!("{HEADER}a,A,,ألمانيا,,,,,,\nb,B,,المانيا,,,,,,\n")).unwrap_err();
        assert!(e.to_string().contains("folds to the same form as «ألمانيا» of a"), "{e}");
    }

    #[test]
    fn every_problem_of_a_termbase_is_reported_at_once_and_the_list_is_capped() {
        // Row problems (a ragged row, an unknown part of speech) and
        // problems across rows (duplicate ids, one form under two concepts).
        let text =
            format!("{HEADER}a,A,,حوار,,,,,,\nb,B\nc,C,,حوار,,,,,,\na,Other,,لجنة,,,,,,\nd,D,,قيادة (adverb),,,,,,\ne,E,,مجلس,,,,,,\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("termbase.csv");
        std::fs::write(&path, &text).unwrap();
        let e = Glossary::load_files(std::slice::from_ref(&path), None).unwrap_err();
        let lines: Vec<String> = e.problems().iter().map(|p| p.to_string()).collect();
        let name = path.display().to_string();
        assert_eq!(lines.len(), 4, "{e}");
        assert!(lines[0].starts_with(&format!("{name}:3: this row has 2 cells")), "{lines:?}");
        assert!(lines[1].starts_with(&format!("{name}:4: form «حوار» of c folds to the same form as «حوار» of a")), "{lines:?}");
        assert!(lines[2].starts_with(&format!("{name}:5: duplicate id \"a\"")), "{lines:?}");
        assert!(lines[3].starts_with(&format!("{name}:6: unknown part of speech \"adverb\"")), "{lines:?}");
        assert!(e.to_string().starts_with(&format!("{name}: 4 problems in the glossary:\n  {name}:3: ")), "{e}");
        // Past the cap, the others are counted.
        let many: String = (0..30).map(|i| format!("x{i},X,,,,,,,,\n")).collect();
        std::fs::write(&path, format!("{HEADER}{many}")).unwrap();
        let e = Glossary::load_files(std::slice::from_ref(&path), None).unwrap_err();
        assert_eq!(e.problems().len(), crate::error::MAX_LISTED_PROBLEMS);
        assert!(e.to_string().ends_with(&format!("… and {} more", 30 - crate::error::MAX_LISTED_PROBLEMS)), "{e}");
    }

    #[test]
    fn identical_rows_merge_with_a_notice_and_a_latin_rendering_may_be_the_english_name() {
        let g = load(&format!("{HEADER}a,A,,حوار,,,,,,\nb,GitHub,,GitHub,,,,,,\na,A,,حوار,,,,,,\n")).unwrap();
        assert_eq!(g.concepts.len(), 2);
        assert!(
            g.notices.iter().any(|n| n.contains("test.csv:4: the row of \"a\" repeats the one at test.csv:2; merged")),
            "{:?}",
            g.notices
        );
        // Listed twice alike in one row: harmless.
        assert!(load(&format!("{HEADER}a,A,,حوار,حوار | الحوار,,,,,\n")).is_err(), "preferred and admitted is a conflict");
        load(&format!("{HEADER}a,A,,لجنة,حوار | حوار,,,,,\n")).unwrap();
    }

    #[test]
    fn a_form_that_folds_to_nothing_is_an_error() {
        let e = load(&format!("{HEADER}a,A,,ـــ,,,,,,\n")).unwrap_err();
        assert!(e.to_string().contains("folds to nothing"), "{e}");
    }

    #[test]
    fn duplicate_ids_are_an_error() {
        let e = load(&format!("{HEADER}a,A,,حوار,,,,,,\na,B,,لجنة,,,,,,\n")).unwrap_err();
        assert!(e.to_string().starts_with("test.csv:3: duplicate id \"a\" (first at test.csv:2)"), "{e}");
    }
}
