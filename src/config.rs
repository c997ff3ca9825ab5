//! `qamus.toml`: discovery (the current directory or its nearest parent with a
//! `qamus.toml` or `.qamus.toml`, or `--config FILE`), parsing with unknown keys
//! as errors, and resolution against the glossary (rule ids, concept ids,
//! levels, globs). The command line overrides what the file says; this module
//! only reports what the file says.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::glossary::Glossary;
use crate::judge::{Rule, Severity};

/// File names searched for, in order, in each directory.
pub const FILE_NAMES: &[&str] = &["qamus.toml", ".qamus.toml"];

/// The largest configuration file qamus reads (a few hundred bytes is usual).
pub const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// The file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    glossaries: Vec<String>,
    include: Vec<String>,
    exclude: Vec<String>,
    fail_on: Option<String>,
    min_severity: Option<String>,
    format: Option<String>,
    encoding: Option<String>,
    jobs: Option<usize>,
    source_by: Option<String>,
    input_format: Option<String>,
    text_field: Option<String>,
    text_column: Option<String>,
    include_fuzzy: bool,
    source_locale: Option<String>,
    severity: BTreeMap<String, String>,
    concept_severity: BTreeMap<String, ConceptLevels>,
    ignore: Vec<RawIgnore>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum ConceptLevels {
    All(String),
    ByRule(BTreeMap<String, String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    path: String,
    #[serde(default)]
    concepts: Vec<String>,
    #[serde(default)]
    rules: Vec<String>,
}

/// A loaded configuration file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from (`None` when there is none).
    pub path: Option<PathBuf>,
    /// The directory relative paths and globs are resolved against.
    pub root: PathBuf,
    raw: RawConfig,
}

/// One `[[ignore]]` entry, resolved.
#[derive(Debug, Clone)]
pub struct IgnoreRule {
    /// Which files (relative to the config's directory).
    pub paths: GlobSet,
    /// The glob as written, for messages.
    pub pattern: String,
    /// Concept ids (all when empty).
    pub concepts: Vec<String>,
    /// Rules (all when empty).
    pub rules: Vec<Rule>,
}

/// A level in a config file: a severity or `off`.
pub type Level = Option<Severity>;

impl Config {
    /// No configuration: everything at its default, paths relative to `dir`.
    pub fn none(dir: &Path) -> Config {
        Config { root: dir.to_path_buf(), ..Config::default() }
    }

    /// Finds the configuration for a run started in `dir`: the nearest
    /// `qamus.toml` or `.qamus.toml` in `dir` or a parent. None is no error.
    pub fn discover(dir: &Path) -> Result<Config> {
        let mut current = Some(dir);
        while let Some(d) = current {
            for name in FILE_NAMES {
                let candidate = d.join(name);
                if candidate.is_file() {
                    return Config::load(&candidate);
                }
            }
            current = d.parent();
        }
        Ok(Config::none(dir))
    }

    /// Loads a named configuration file (a regular file of at most
    /// [`MAX_CONFIG_BYTES`]).
    pub fn load(path: &Path) -> Result<Config> {
        let shown = path.display().to_string();
        let bytes = crate::input::read_whole_file(path, "a configuration", MAX_CONFIG_BYTES)?;
        let text = String::from_utf8(bytes)
            .map_err(|e| Error::new(ErrorKind::Config(format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to())), &shown))?;
        let raw: RawConfig = toml::from_str(&text).map_err(|e| {
            let (line, column) = e.span().map_or((None, None), |span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                (Some(line), Some(column))
            });
            let message = e.message().trim().replace('\n', " ");
            let error = Error::new(ErrorKind::Config(format!("invalid configuration: {message}")), shown.clone());
            match line {
                Some(line) => error.at(line, column),
                None => error,
            }
        })?;
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = if root.as_os_str().is_empty() { PathBuf::from(".") } else { root };
        Ok(Config { path: Some(path.to_path_buf()), root, raw })
    }

    fn error(&self, message: String) -> Error {
        let path = self.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "qamus.toml".into());
        Error::new(ErrorKind::Config(message), path)
    }

    /// Glossary files, resolved against the config's directory.
    pub fn glossaries(&self) -> Vec<PathBuf> {
        self.raw.glossaries.iter().map(|g| self.root.join(g)).collect()
    }

    /// `fail-on`, if set.
    pub fn fail_on(&self) -> Option<&str> {
        self.raw.fail_on.as_deref()
    }

    /// `min-severity`, if set.
    pub fn min_severity(&self) -> Option<&str> {
        self.raw.min_severity.as_deref()
    }

    /// `format`, if set.
    pub fn format(&self) -> Option<&str> {
        self.raw.format.as_deref()
    }

    /// `encoding`, if set.
    pub fn encoding(&self) -> Option<&str> {
        self.raw.encoding.as_deref()
    }

    /// `jobs`, if set.
    pub fn jobs(&self) -> Option<usize> {
        self.raw.jobs
    }

    /// `input-format`, if set.
    pub fn input_format(&self) -> Option<&str> {
        self.raw.input_format.as_deref()
    }

    /// `text-field`, if set (the text of a JSON Lines record).
    pub fn text_field(&self) -> Option<&str> {
        self.raw.text_field.as_deref()
    }

    /// `text-column`, if set (the text of a CSV record).
    pub fn text_column(&self) -> Option<&str> {
        self.raw.text_column.as_deref()
    }

    /// `include-fuzzy`.
    pub fn include_fuzzy(&self) -> bool {
        self.raw.include_fuzzy
    }

    /// `source-locale`, if set.
    pub fn source_locale(&self) -> Option<&str> {
        self.raw.source_locale.as_deref()
    }

    /// `source-by`, if set.
    pub fn source_by(&self) -> Option<&str> {
        self.raw.source_by.as_deref()
    }

    /// The `include` globs as a set, `None` when there are none.
    pub fn include(&self) -> Result<Option<GlobSet>> {
        if self.raw.include.is_empty() {
            return Ok(None);
        }
        self.globs(&self.raw.include, "include").map(Some)
    }

    /// The `include` patterns as written.
    pub fn include_patterns(&self) -> &[String] {
        &self.raw.include
    }

    /// The `exclude` globs as a set.
    pub fn exclude(&self) -> Result<GlobSet> {
        self.globs(&self.raw.exclude, "exclude")
    }

    fn globs(&self, patterns: &[String], key: &str) -> Result<GlobSet> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let glob = Glob::new(pattern).map_err(|e| self.error(format!("{key}: bad glob {pattern:?}: {}", e.kind())))?;
            builder.add(glob);
        }
        builder.build().map_err(|e| self.error(format!("{key}: {e}")))
    }

    /// The per-rule levels.
    pub fn rule_levels(&self) -> Result<Vec<(Rule, Level)>> {
        self.raw
            .severity
            .iter()
            .map(|(rule, level)| {
                let rule: Rule = rule.parse().map_err(|e| self.error(format!("[severity]: {e}")))?;
                Ok((rule, self.level(level, "[severity]")?))
            })
            .collect()
    }

    /// The per-concept levels: concept id, the rule (all when `None`), level.
    pub fn concept_levels(&self, glossary: &Glossary) -> Result<Vec<(String, Option<Rule>, Level)>> {
        let mut out = Vec::new();
        for (concept, levels) in &self.raw.concept_severity {
            self.known_concept(glossary, concept, "[concept-severity]")?;
            match levels {
                ConceptLevels::All(level) => out.push((concept.clone(), None, self.level(level, "[concept-severity]")?)),
                ConceptLevels::ByRule(rules) => {
                    for (rule, level) in rules {
                        let rule: Rule = rule.parse().map_err(|e| self.error(format!("[concept-severity.{concept}]: {e}")))?;
                        out.push((concept.clone(), Some(rule), self.level(level, "[concept-severity]")?));
                    }
                }
            }
        }
        Ok(out)
    }

    /// The `[[ignore]]` entries.
    pub fn ignores(&self, glossary: &Glossary) -> Result<Vec<IgnoreRule>> {
        self.raw
            .ignore
            .iter()
            .map(|entry| {
                for concept in &entry.concepts {
                    self.known_concept(glossary, concept, "[[ignore]]")?;
                }
                let rules = entry
                    .rules
                    .iter()
                    .map(|r| r.parse::<Rule>().map_err(|e| self.error(format!("[[ignore]]: {e}"))))
                    .collect::<Result<Vec<_>>>()?;
                Ok(IgnoreRule {
                    paths: self.globs(std::slice::from_ref(&entry.path), "[[ignore]] path")?,
                    pattern: entry.path.clone(),
                    concepts: entry.concepts.clone(),
                    rules,
                })
            })
            .collect()
    }

    fn known_concept(&self, glossary: &Glossary, id: &str, key: &str) -> Result<()> {
        if glossary.concepts.iter().any(|c| c.id == id) {
            Ok(())
        } else {
            Err(self.error(format!("{key}: no concept {id:?} in the glossary")))
        }
    }

    fn level(&self, level: &str, key: &str) -> Result<Level> {
        match level {
            "off" => Ok(None),
            other => other
                .parse::<Severity>()
                .map(Some)
                .map_err(|_| self.error(format!("{key}: unknown level {other:?} (expected error, warning, info, note or off)"))),
        }
    }
}

impl Config {
    /// The configuration in effect, as TOML a run reads the same way: every
    /// key the file sets, and every other at its default (commented so),
    /// `[severity]` with every rule's level after the file's settings. Every
    /// value is checked as a run checks it (rules, levels, concept ids against
    /// `glossary`, globs), so that this is also how a configuration is tested.
    pub fn effective(&self, glossary: &Glossary) -> Result<String> {
        use std::fmt::Write;
        let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
        let list = |items: &[String]| format!("[{}]", items.iter().map(|i| quote(i)).collect::<Vec<_>>().join(", "));
        let mut out = String::new();
        match &self.path {
            Some(path) => {
                let _ = writeln!(out, "# The configuration in effect: {} (paths relative to {}).", path.display(), self.root.display());
            }
            None => {
                let _ = writeln!(out, "# No qamus.toml here or above: every value is the default.");
            }
        }
        let _ = writeln!(out, "# Flags on the command line override it.\n");
        let set = |out: &mut String, key: &str, value: Option<String>, default: &str| {
            let _ = match value {
                Some(value) => writeln!(out, "{key} = {value}"),
                None => writeln!(out, "# {key}: {default} (default)"),
            };
        };
        let raw = &self.raw;
        let glossaries: Vec<String> = self.glossaries().iter().map(|p| p.display().to_string()).collect();
        set(&mut out, "glossaries", (!glossaries.is_empty()).then(|| list(&glossaries)), "the embedded glossary");
        self.include()?;
        self.exclude()?;
        set(&mut out, "include", (!raw.include.is_empty()).then(|| list(&raw.include)), "every file below this folder that a walk reads");
        set(&mut out, "exclude", (!raw.exclude.is_empty()).then(|| list(&raw.exclude)), "none");
        // (Their values are checked by the command line's own parsers.)
        for (key, value, default) in
            [("fail-on", &raw.fail_on, "\"error\""), ("min-severity", &raw.min_severity, "\"info\""), ("format", &raw.format, "\"text\"")]
        {
            set(&mut out, key, value.as_deref().map(quote), default);
        }
        if let Some(encoding) = &raw.encoding {
            crate::input::Encoding::for_label(encoding).map_err(|kind| Error { kind, ..self.error(String::new()) })?;
        }
        set(&mut out, "encoding", raw.encoding.as_deref().map(quote), "\"utf-8\" where a file has no byte-order mark");
        set(&mut out, "jobs", raw.jobs.map(|j| j.to_string()), "one a core");
        if let Some(format) = &raw.input_format {
            if crate::input::InputFormat::from_name(format).is_none() {
                return Err(self.error(format!("input-format: unknown format {format:?}")));
            }
        }
        set(&mut out, "input-format", raw.input_format.as_deref().map(quote), "by each file's extension");
        for (key, value, what) in [("text-field", &raw.text_field, "JSON Lines"), ("text-column", &raw.text_column, "CSV")] {
            if value.as_deref() == Some("") {
                return Err(self.error(format!("{key}: the name is empty")));
            }
            let default = format!("\"{}\" (the text of a {what} corpus's records)", crate::input::corpus::DEFAULT_FIELD);
            set(&mut out, key, value.as_deref().map(quote), &default);
        }
        let _ = writeln!(out, "include-fuzzy = {}{}", raw.include_fuzzy, if raw.include_fuzzy { "" } else { "  # default" });
        set(&mut out, "source-locale", raw.source_locale.as_deref().map(quote), "\"en\"");
        set(&mut out, "source-by", raw.source_by.as_deref().map(quote), "\"file\" (qamus report)");
        let mut levels: BTreeMap<&str, (String, bool)> =
            Rule::ALL.iter().map(|r| (r.id(), (r.default_severity().as_str().to_string(), false))).collect();
        for (rule, level) in self.rule_levels()? {
            levels.insert(rule.id(), (level.map_or("off", |l| l.as_str()).to_string(), true));
        }
        let _ = writeln!(out, "\n[severity]");
        for rule in Rule::ALL {
            let (level, from_file) = &levels[rule.id()];
            let _ = writeln!(out, "{} = {}{}", rule.id(), quote(level), if *from_file { "" } else { "  # default" });
        }
        let concept_levels = self.concept_levels(glossary)?;
        if !concept_levels.is_empty() {
            let _ = writeln!(out, "\n[concept-severity]");
            for (concept, rule, level) in concept_levels {
                let level = quote(level.map_or("off", |l| l.as_str()));
                let _ = match rule {
                    None => writeln!(out, "{concept} = {level}"),
                    Some(rule) => writeln!(out, "{concept}.{} = {level}", rule.id()),
                };
            }
        }
        for ignore in self.ignores(glossary)? {
            let _ = writeln!(out, "\n[[ignore]]\npath = {}", quote(&ignore.pattern));
            if !ignore.concepts.is_empty() {
                let _ = writeln!(out, "concepts = {}", list(&ignore.concepts));
            }
            if !ignore.rules.is_empty() {
                let rules: Vec<String> = ignore.rules.iter().map(|r| r.id().to_string()).collect();
                let _ = writeln!(out, "rules = {}", list(&rules));
            }
        }
        Ok(out)
    }
}

/// The starter configuration `qamus init` writes.
pub const STARTER: &str = r#"# qamus configuration. qamus reads the nearest qamus.toml (or .qamus.toml)
# in the current directory or a parent; `--config FILE` names another and
# `--no-config` ignores it. Flags on the command line override this file.
# Unknown keys are errors.

# Glossary files (CSV), relative to this file. Empty: the embedded glossary.
# glossaries = ["terminology/glossary.csv"]

# Files to check when `qamus check` is run without paths (globs relative to
# this file). Empty: every file below this directory a walk reads: text,
# Markdown, HTML, and Arabic PO, XLIFF, TMX, JSON and YAML locale files.
# include = ["articles/**/*.md", "translations/**/*.txt"]

# Files never to check, even when a walk finds them.
# exclude = ["drafts/**", "vendor/**"]

# Exit with 1 when a finding is at least this severe:
# error, warning, info, note or never.
# fail-on = "error"

# Show findings at least this severe (notes are hidden by default).
# min-severity = "info"

# Output format: text, json, jsonl, sarif or github.
# format = "text"

# Encoding of files without a byte-order mark (default UTF-8).
# encoding = "windows-1256"

# Files checked in parallel (default: all cores).
# jobs = 4

# Read every input as one format instead of choosing by extension:
# text, markdown, html, po, xliff, tmx, json or yaml; or as a corpus whose
# records are each a document named FILE#LINE: jsonl (JSON Lines, one
# object a line) or csv (with a header row). A directory walk then reads
# only .jsonl, .ndjson, .jsonlines, or .csv, .tsv files.
# input-format = "po"

# The text of each record of a corpus: for jsonl a top-level key, or a JSON
# Pointer such as "/article/body"; for csv a column of the header.
# text-field = "text"
# text-column = "text"

# Check fuzzy PO entries and untranslated XLIFF targets too.
# include-fuzzy = false

# Locale code of the source files beside Arabic locale files (en.json beside ar.json).
# source-locale = "en"

# Severity of a rule: error, warning, info, note or off.
[severity]
# mixed-renderings = "warning"
# orthographic-variant = "note"

# Severity for one concept: a level for all its findings, or one per rule.
[concept-severity]
# isis = "off"
# hmc = { mixed-renderings = "info" }

# Findings to ignore in some files (all concepts and rules unless narrowed).
# [[ignore]]
# path = "quotes/**"
# concepts = ["hmc"]
# rules = ["deprecated-rendering"]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_parses() {
        let raw: RawConfig = toml::from_str(STARTER).unwrap();
        assert!(raw.glossaries.is_empty() && raw.severity.is_empty());
    }

    #[test]
    fn unknown_keys_are_errors_naming_key_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qamus.toml");
        std::fs::write(&path, "fail-on = \"error\"\ncolour = \"red\"\n").unwrap();
        let e = Config::load(&path).unwrap_err().to_string();
        assert!(e.contains("qamus.toml:2:1: invalid configuration: unknown field `colour`"), "{e}");
    }

    #[test]
    fn wrong_types_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qamus.toml");
        std::fs::write(&path, "jobs = \"four\"\n").unwrap();
        let e = Config::load(&path).unwrap_err().to_string();
        assert!(e.contains("qamus.toml:1:8: invalid configuration"), "{e}");
    }
}
