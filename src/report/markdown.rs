//! The consistency report as GitHub-flavoured Markdown, sized for a pull
//! request comment: the matrix as a table, details folded in `<details>`,
//! and under [`MAX_CHARS`] characters, summarising (and saying so) when the
//! corpus is large.

use std::fmt::Write as _;
use std::io::{self, Write};

pub use super::consistency::plural;
use super::consistency::ReportData;

/// How many of the documents that are no sources are named.
const LEFT_OUT_LISTED: usize = 20;

/// GitHub's limit for a comment body, with room to spare.
pub const MAX_CHARS: usize = 65_000;

fn badge(status: &str) -> &'static str {
    match status {
        "preferred" => "🟢",
        "admitted" => "🔵",
        "deprecated" => "🟠",
        "forbidden" => "🔴",
        _ => "⚪",
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Short column names: source names without their common folder.
pub fn short_names(names: &[String]) -> Vec<String> {
    if names.len() < 2 {
        return names.iter().map(|n| n.rsplit('/').next().unwrap_or(n).to_string()).collect();
    }
    let first: Vec<&str> = names[0].split('/').collect();
    let mut common = first.len().saturating_sub(1);
    for name in &names[1..] {
        let parts: Vec<&str> = name.split('/').collect();
        common = common.min(first.iter().zip(&parts).take_while(|(a, b)| a == b).count()).min(parts.len().saturating_sub(1));
    }
    names.iter().map(|n| n.split('/').skip(common).collect::<Vec<_>>().join("/")).collect()
}

fn render(data: &ReportData, details: bool, max_issues: usize, max_rows: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# qamus consistency report\n");
    if let Some(note) = &data.summarised {
        let _ = writeln!(out, "> **Summarised:** {note}\n");
    }
    let h = data.header();
    let _ = writeln!(
        out,
        "**Corpus** {} · **Glossary** {} · **Findings** {}, {}, {} · {}\n",
        h.corpus, h.glossary, h.errors, h.warnings, h.rest, h.made
    );
    let _ = writeln!(out, "## Concepts × sources\n");
    let _ = writeln!(out, "🟢 preferred · 🔵 admitted · 🟠 deprecated · 🔴 forbidden · **≠** not the dominant rendering (the acceptable form most used across sources)\n");
    let names: Vec<String> = data.sources.iter().map(|s| s.name.clone()).collect();
    let short = short_names(&names);
    let _ = write!(out, "| concept | dominant |");
    for s in &short {
        let _ = write!(out, " {} |", cell(s));
    }
    let _ = write!(out, "\n|---|---|");
    for _ in &short {
        let _ = write!(out, "---|");
    }
    out.push('\n');
    for row in data.matrix.iter().take(max_rows) {
        let _ = write!(out, "| **{}** | {} {}", cell(&row.label), badge(row.dominant_status), cell(&row.dominant));
        if let Some(m) = &row.most_used {
            let _ = write!(out, "<br>most used: {} {} ×{}", badge(m.status), cell(&m.form), m.count);
        }
        out.push_str(" |");
        for entries in &row.cells {
            let text: Vec<String> = entries
                .iter()
                .map(|e| format!("{}{} {} ×{}", if e.differs { "**≠** " } else { "" }, badge(e.status), cell(&e.form), e.count))
                .collect();
            let _ = write!(out, " {} |", text.join("<br>"));
        }
        out.push('\n');
    }
    if data.matrix.len() > max_rows {
        let more = crate::words::plural(data.matrix.len() - max_rows, "more concept");
        let _ = writeln!(out, "\n… and {more} (see the JSON or HTML report).");
    }
    if !data.left_out.is_empty() {
        let shown: Vec<String> = data.left_out.iter().take(LEFT_OUT_LISTED).map(|l| format!("`{}` ({})", cell(&l.path), l.why())).collect();
        let more = data.left_out.len().saturating_sub(LEFT_OUT_LISTED);
        let _ = writeln!(
            out,
            "\n**Not sources** (no Arabic targets): {}{}.",
            shown.join(", "),
            if more > 0 { format!(", and {} more", plural(more, "file")) } else { String::new() }
        );
    }
    let _ = writeln!(out, "\n## Inconsistencies\n");
    if data.inconsistencies.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for (i, issue) in data.inconsistencies.iter().take(max_issues).enumerate() {
        let _ = writeln!(
            out,
            "{}. **{}** `{}` **{}**: {}  \n   `{}:{}:{}` {}**{}**{}",
            i + 1,
            issue.severity,
            issue.rule,
            cell(&issue.label),
            cell(&issue.message),
            issue.path,
            issue.line,
            issue.column,
            cell(&issue.before),
            cell(&issue.surface),
            cell(&issue.after)
        );
    }
    if data.inconsistencies.len() > max_issues {
        let _ = writeln!(out, "\n… and {} more.", data.inconsistencies.len() - max_issues);
    }
    if details {
        let _ = writeln!(out, "\n## Per-concept detail\n");
        for d in &data.details {
            let name = if d.label == d.en { cell(&d.label) } else { format!("{} — {}", cell(&d.label), cell(&d.en)) };
            let _ = writeln!(out, "<details><summary><b>{name}</b> — {}</summary>\n", cell(&d.preferred));
            let _ = writeln!(out, "| rendering | status | count | sources | example |\n|---|---|---|---|---|");
            for r in &d.renderings {
                let example = match (&r.example, &r.path, r.line) {
                    (Some(e), Some(p), Some(l)) => format!("{} (`{p}:{l}`)", cell(e)),
                    _ => String::new(),
                };
                let _ =
                    writeln!(out, "| {} {} | {} | {} | {} | {} |", badge(r.status), cell(&r.form), r.status, r.count, r.sources, example);
            }
            if let Some(note) = &d.note {
                let _ = writeln!(out, "\n{}", cell(note));
            }
            let _ = writeln!(out, "\n</details>");
        }
    }
    if !data.unseen.is_empty() {
        let _ = writeln!(out, "\n## Not seen\n");
        let ids: Vec<String> = data.unseen.iter().map(|u| cell(&u.label)).collect();
        let _ = writeln!(out, "{}", ids.join(" · "));
    }
    out
}

/// Renders the report, summarising to stay under [`MAX_CHARS`].
pub fn to_string(data: &ReportData) -> String {
    let full = render(data, true, usize::MAX, usize::MAX);
    if full.chars().count() <= MAX_CHARS {
        return full;
    }
    let mut data = data.clone();
    let mut issues = data.inconsistencies.len();
    let mut rows = data.matrix.len();
    loop {
        data.summarised = Some(format!(
            "the full report is over {MAX_CHARS} characters, so per-concept detail is left out{}{}; `qamus report --format html` or `--format json` has everything.",
            if issues < data.inconsistencies.len() { if issues == 1 { ", and only the worst inconsistency is listed".to_string() } else { format!(", and only the {issues} worst inconsistencies are listed") } } else { String::new() },
            if rows < data.matrix.len() { if rows == 1 { ", and only 1 concept is in the matrix".to_string() } else { format!(", and only {rows} concepts are in the matrix") } } else { String::new() },
        ));
        let text = render(&data, false, issues, rows);
        if text.chars().count() <= MAX_CHARS || (issues == 0 && rows == 0) {
            return text;
        }
        if issues > 0 {
            issues /= 2;
        } else {
            rows /= 2;
        }
    }
}

/// Writes the report as Markdown.
pub fn emit(data: &ReportData, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(to_string(data).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_drop_the_common_folder() {
        let names = vec!["news/a/x.txt".to_string(), "news/b/y.txt".to_string()];
        assert_eq!(short_names(&names), vec!["a/x.txt", "b/y.txt"]);
        assert_eq!(short_names(&["news/a.txt".to_string()]), vec!["a.txt"]);
    }
}
