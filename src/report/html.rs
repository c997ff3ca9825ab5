//! The consistency report as one self-contained HTML page: no external
//! scripts, fonts or styles; `lang` and `dir` on every Arabic element and
//! bidi isolation so that Latin acronyms and numbers inside Arabic keep their
//! order; light and dark; printable. The matrix sorts by clicking a header and
//! a filter box narrows the rows, in a few lines of inline script; without the
//! script the page reads the same. Every location links back to `path#Lline`.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::consistency::{plural, ReportData};
use super::markdown::short_names;

/// How many of the documents that are no sources the page names.
const LEFT_OUT_LISTED: usize = 20;

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Arabic text, isolated and right-to-left.
fn ar(text: &str) -> String {
    format!(r#"<bdi lang="ar" dir="rtl">{}</bdi>"#, esc(text))
}

/// A link to a place in a file.
fn location(path: &str, line: usize, column: Option<usize>) -> String {
    let shown = match column {
        Some(c) => format!("{path}:{line}:{c}"),
        None => format!("{path}:{line}"),
    };
    format!(r#"<a class="loc" href="{}#L{line}"><bdi dir="ltr">{}</bdi></a>"#, esc(&super::uri(path)), esc(&shown))
}

const STYLE: &str = r#"
:root { --fg:#1b1f24; --bg:#ffffff; --muted:#59636e; --line:#d1d9e0; --head:#f6f8fa;
  --preferred:#1a7f37; --admitted:#0969da; --deprecated:#9a6700; --forbidden:#cf222e; --differs:#fff8c5;
  --concept: 11rem; --dominant: 16rem; }
@media (prefers-color-scheme: dark) { :root { --fg:#e6edf3; --bg:#0d1117; --muted:#9198a1; --line:#3d444d; --head:#151b23;
  --preferred:#3fb950; --admitted:#4493f8; --deprecated:#d29922; --forbidden:#f85149; --differs:#3b2f00; } }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Naskh Arabic", Tahoma, sans-serif; color: var(--fg); background: var(--bg); margin: 2rem; overflow-wrap: break-word; }
@media (max-width: 59.99rem) { body { margin: 1rem; } }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
.header, .issue, .left-out { overflow-wrap: anywhere; }
.header { color: var(--muted); } .header b { color: var(--fg); }
table { border-collapse: collapse; margin: .5rem 0; } th, td { border: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; }
th { background: var(--head); text-align: start; } th.sort { cursor: pointer; } th[scope="row"] { white-space: nowrap; }
td[dir="rtl"] { text-align: right; white-space: nowrap; } .scroll { overflow-x: auto; } bdi { unicode-bidi: isolate; }
.matrix { overflow: auto; max-width: 100%; max-height: max(16rem, calc(100vh - 13rem)); border: 1px solid var(--line); margin: .5rem 0; }
@media (max-width: 59.99rem) { .matrix { max-height: max(16rem, calc(100vh - 16rem)); } }
.matrix { scrollbar-color: var(--muted) var(--head); } .matrix:focus-visible { outline: 2px solid var(--admitted); }
.hint { color: var(--muted); font-size: .9em; margin: .25rem 0; }
#matrix { border-collapse: separate; border-spacing: 0; margin: 0; }
/* The grid is drawn with inset shadows, not borders: Chromium draws the borders of cells scrolled under sticky cells over them. */
#matrix th, #matrix td { border: 0; box-shadow: inset -1px -1px 0 var(--line); background: var(--bg); }
#matrix thead th { position: sticky; top: 0; z-index: 2; background: var(--head); vertical-align: bottom; }
#matrix .concept { position: sticky; left: 0; z-index: 1; background: var(--head); width: var(--concept); min-width: var(--concept); max-width: var(--concept); white-space: normal; overflow-wrap: anywhere; }
#matrix .dominant { width: var(--dominant); min-width: var(--dominant); max-width: var(--dominant); white-space: normal; box-shadow: inset -3px -1px 0 var(--line); }
#matrix thead .concept, #matrix thead .dominant { z-index: 3; }
@media (min-width: 60rem) { #matrix .dominant { position: sticky; left: var(--concept); z-index: 1; } #matrix thead .dominant { z-index: 3; } }
@media (max-width: 59.99rem) { #matrix .concept { box-shadow: inset -3px -1px 0 var(--line); } #matrix .dominant { box-shadow: inset -1px -1px 0 var(--line); } }
#matrix th.source { font-size: .9em; min-width: 8rem; white-space: normal; overflow-wrap: anywhere; }
.r { font-weight: 600; } .preferred { color: var(--preferred); } .admitted { color: var(--admitted); }
.deprecated { color: var(--deprecated); } .forbidden { color: var(--forbidden); }
.differs { background: var(--differs); } .entry { white-space: nowrap; } .mark { margin-inline-end: .25em; font-weight: 700; }
.count { color: var(--muted); font-size: .85em; } .legend span { margin-inline-end: 1rem; }
.issue { margin: .5rem 0; } .sev-error { color: var(--forbidden); } .sev-warning { color: var(--deprecated); } .sev-info, .sev-note { color: var(--admitted); }
.ctx { display: block; margin-inline-start: 1.5rem; } .ctx mark { background: var(--differs); color: inherit; }
a { color: var(--admitted); } a.loc { color: var(--muted); font-family: ui-monospace, monospace; font-size: .85em; }
.left-out { color: var(--muted); font-size: .9em; }
#filter { font: inherit; padding: .2rem .4rem; margin: .5rem 0; width: 20rem; max-width: 100%; }
@media print { body { margin: 0; } #filter, .hint { display: none; } details { display: block; } details > * { display: block; } a.loc { color: inherit; }
  .matrix, .scroll { overflow: visible; max-height: none; border: 0; }
  #matrix { font-size: .8em; border-collapse: collapse; }
  #matrix th, #matrix td { position: static !important; box-shadow: none !important; border: 1px solid var(--line); }
  #matrix .concept, #matrix .dominant { width: auto; min-width: 0; max-width: none; }
  #matrix th.source { min-width: 0; }
  #matrix td[dir="rtl"], #matrix .entry { white-space: normal; }
  thead { display: table-header-group; } tr { break-inside: avoid; } }
"#;

const SCRIPT: &str = r#"
(function () {
  var table = document.getElementById('matrix'); if (!table) return;
  var filter = document.getElementById('filter'); filter.hidden = false;
  var box = table.parentNode, hint = document.getElementById('scroll-hint');
  var wide = function () { hint.hidden = box.scrollWidth <= box.clientWidth; };
  wide(); window.addEventListener('resize', wide);
  filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    table.querySelectorAll('tbody tr').forEach(function (tr) { tr.hidden = q && tr.textContent.toLowerCase().indexOf(q) < 0; });
  });
  table.querySelectorAll('th.sort').forEach(function (th, i) {
    th.addEventListener('click', function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows), up = th.dataset.dir !== 'up';
      rows.sort(function (a, b) { var x = a.cells[i].textContent, y = b.cells[i].textContent; return up ? x.localeCompare(y) : y.localeCompare(x); });
      th.dataset.dir = up ? 'up' : 'down'; rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
"#;

/// Column names: [`short_names`] (without the folders all sources share),
/// then without the path every name ends with (`dispatches/brief.txt` for
/// `outlet-01/dispatches/brief.txt`, `outlet-02/dispatches/brief.txt`, …),
/// which is returned to be said once. Sources have distinct names, so what
/// is left still tells them apart; a name keeps one part at least.
fn column_names(names: &[String]) -> (Vec<String>, Option<String>) {
    let short = short_names(names);
    if short.len() < 2 {
        return (short, None);
    }
    let parts: Vec<Vec<&str>> = short.iter().map(|n| n.split('/').collect()).collect();
    let fewest = parts.iter().map(Vec::len).min().unwrap_or(0);
    let from_end = |p: &Vec<&str>, k: usize| p[p.len() - 1 - k].to_string();
    let mut common = 0;
    while common + 1 < fewest && parts.iter().all(|p| from_end(p, common) == from_end(&parts[0], common)) {
        common += 1;
    }
    if common == 0 {
        return (short, None);
    }
    let ending = parts[0][parts[0].len() - common..].join("/");
    (parts.iter().map(|p| p[..p.len() - common].join("/")).collect(), Some(ending))
}

/// Renders the report as an HTML page.
pub fn to_string(data: &ReportData) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"qamus {}\">\n<title>qamus consistency report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        data.qamus
    );
    let _ = writeln!(out, "<h1>qamus consistency report</h1>");
    let h = data.header();
    let _ = writeln!(
        out,
        "<p class=\"header\"><b>Corpus</b> {} · <b>Glossary</b> {} · <b>Findings</b> <span class=\"sev-error\">{}</span>, <span class=\"sev-warning\">{}</span>, {} · {}</p>",
        esc(&h.corpus),
        esc(&h.glossary),
        esc(&h.errors),
        esc(&h.warnings),
        esc(&h.rest),
        esc(&h.made)
    );
    let _ = writeln!(out, "<h2>Concepts × sources</h2>");
    let _ = writeln!(
        out,
        "<p class=\"legend\"><span class=\"r preferred\">■ preferred</span><span class=\"r admitted\">■ admitted</span><span class=\"r deprecated\">■ deprecated</span><span class=\"r forbidden\">■ forbidden</span><span class=\"differs\"><span class=\"mark\">≠</span>not the dominant rendering (the acceptable form most used across sources)</span></p>"
    );
    let _ = writeln!(out, "<input id=\"filter\" type=\"search\" placeholder=\"Filter concepts…\" aria-label=\"Filter concepts\" hidden>");
    let names: Vec<String> = data.sources.iter().map(|s| s.name.clone()).collect();
    let (short, ending) = column_names(&names);
    let _ = writeln!(
        out,
        "<p class=\"hint\">{}<span id=\"scroll-hint\" hidden>The matrix scrolls sideways in its box (Shift and the wheel, or the arrow keys); the concept column and the header row stay.</span></p>",
        match ending {
            Some(ending) => format!(
                "Every source's name ends in <code><bdi dir=\"ltr\">/{}</bdi></code>, left out of the column names (a header's tooltip has the whole name). ",
                esc(&ending)
            ),
            None => String::new(),
        }
    );
    // The matrix scrolls in its own box, both ways, under a sticky header
    // row and a sticky concept column (and dominant column, where the
    // window is wide enough); a source's header is its short name, breaking
    // after each `/`, with the whole name in its title.
    let _ = write!(
        out,
        "<div class=\"matrix\" role=\"region\" aria-label=\"Concepts × sources\" tabindex=\"0\"><table id=\"matrix\">\n<thead><tr><th class=\"sort concept\" scope=\"col\">concept</th><th class=\"sort dominant\" scope=\"col\">dominant</th>"
    );
    for (s, name) in data.sources.iter().zip(&short) {
        let _ = write!(
            out,
            "<th class=\"sort source\" scope=\"col\" title=\"{} ({}, {})\"><bdi>{}</bdi></th>",
            esc(&s.name),
            plural(s.files, "file"),
            plural(s.words, "word"),
            esc(name).replace('/', "/<wbr>")
        );
    }
    let _ = writeln!(out, "</tr></thead>\n<tbody>");
    for row in &data.matrix {
        let _ = write!(
            out,
            "<tr id=\"concept-{}\" data-concept=\"{}\"><th class=\"concept\" scope=\"row\" title=\"{}\"><a href=\"#detail-{}\">{}</a></th><td class=\"dominant\" lang=\"ar\" dir=\"rtl\"><span class=\"r {}\">{}</span></td>",
            esc(&row.id),
            esc(&row.id),
            esc(&row.en),
            esc(&row.id),
            esc(&row.label),
            row.dominant_status,
            ar(&row.dominant)
        );
        if let Some(m) = &row.most_used {
            // Before the cell's end: the most used form when it is a bad one.
            out.truncate(out.len() - "</td>".len());
            let _ = write!(
                out,
                "<br><small><span lang=\"en\" dir=\"ltr\">most used:</span> <span class=\"r {}\" data-status=\"{}\">{}</span> <bdi class=\"count\" dir=\"ltr\">×{}</bdi></small></td>",
                m.status,
                m.status,
                ar(&m.form),
                m.count
            );
        }
        for (column, entries) in row.cells.iter().enumerate() {
            let _ = write!(out, "<td lang=\"ar\" dir=\"rtl\" data-source=\"{}\">", esc(&data.sources[column].name));
            for (i, e) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str("<br>");
                }
                let _ = write!(
                    out,
                    "<span class=\"{}\" title=\"{} — {}:{}\">{}<span class=\"r {}\" data-status=\"{}\">{}</span> <bdi class=\"count\" dir=\"ltr\">×{}</bdi></span>",
                    if e.differs { "entry differs" } else { "entry" },
                    e.status,
                    esc(&e.path),
                    e.line,
                    if e.differs { "<span class=\"mark\">≠</span>" } else { "" },
                    e.status,
                    e.status,
                    ar(&e.form),
                    e.count
                );
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    let _ = writeln!(out, "</tbody>\n</table></div>");
    if !data.left_out.is_empty() {
        let shown: Vec<String> = data
            .left_out
            .iter()
            .take(LEFT_OUT_LISTED)
            .map(|l| format!("<code><bdi dir=\"ltr\">{}</bdi></code> ({})", esc(&l.path), esc(&l.why())))
            .collect();
        let more = data.left_out.len().saturating_sub(LEFT_OUT_LISTED);
        let _ = writeln!(
            out,
            "<p class=\"left-out\"><b>Not sources</b> (no Arabic targets): {}{}.</p>",
            shown.join(", "),
            if more > 0 { format!(", and {} more", plural(more, "file")) } else { String::new() }
        );
    }
    let _ = writeln!(out, "<h2>Inconsistencies</h2>");
    if data.inconsistencies.is_empty() {
        let _ = writeln!(out, "<p>None.</p>");
    }
    let _ = writeln!(out, "<ol>");
    for issue in &data.inconsistencies {
        let _ = writeln!(
            out,
            "<li class=\"issue\"><b class=\"sev-{}\">{}</b> <code>{}</code> <b>{}</b>: {} {}<span class=\"ctx\" lang=\"ar\" dir=\"rtl\">{}<mark>{}</mark>{}</span></li>",
            issue.severity,
            issue.severity,
            issue.rule,
            esc(&issue.label),
            message(&issue.message),
            location(&issue.path, issue.line, Some(issue.column)),
            esc(&issue.before),
            esc(&issue.surface),
            esc(&issue.after)
        );
    }
    let _ = writeln!(out, "</ol>");
    let _ = writeln!(out, "<h2>Per-concept detail</h2>");
    for d in &data.details {
        let _ = writeln!(
            out,
            "<details id=\"detail-{}\"><summary><b>{}</b>{} — <span class=\"r preferred\">{}</span></summary>",
            esc(&d.id),
            esc(&d.label),
            if d.label == d.en { String::new() } else { format!(" — {}", esc(&d.en)) },
            ar(&d.preferred)
        );
        let _ = writeln!(
            out,
            "<div class=\"scroll\"><table><thead><tr><th>rendering</th><th>status</th><th>count</th><th>sources</th><th>example</th></tr></thead><tbody>"
        );
        for r in &d.renderings {
            let example = match (&r.example, &r.path, r.line) {
                (Some(e), Some(p), Some(l)) => format!("<span lang=\"ar\" dir=\"rtl\">{}</span> {}", example(e), location(p, l, None)),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "<tr><td lang=\"ar\" dir=\"rtl\"><span class=\"r {}\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.status,
                ar(&r.form),
                r.status,
                r.count,
                r.sources,
                example
            );
        }
        let _ = writeln!(out, "</tbody></table></div>");
        if let Some(note) = &d.note {
            let _ = writeln!(out, "<p>{}</p>", message(note));
        }
        let _ = writeln!(out, "</details>");
    }
    if !data.unseen.is_empty() {
        let _ = writeln!(out, "<h2>Not seen</h2>\n<p>{}</p>", data.unseen.iter().map(|u| esc(&u.label)).collect::<Vec<_>>().join(" · "));
    }
    let _ = writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>");
    out
}

/// English text with «Arabic» quotes isolated as Arabic.
fn message(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('«') {
        out.push_str(&esc(&rest[..start]));
        let after = &rest[start + '«'.len_utf8()..];
        match after.find('»') {
            Some(end) => {
                let _ = write!(out, "«{}»", ar(&after[..end]));
                rest = &after[end + '»'.len_utf8()..];
            }
            None => {
                out.push_str(&esc(&rest[start..]));
                rest = "";
            }
        }
    }
    out.push_str(&esc(rest));
    out
}

/// An example with its ⟦marked⟧ surface as a `<mark>`.
fn example(text: &str) -> String {
    esc(text).replace('⟦', "<mark>").replace('⟧', "</mark>")
}

/// Writes the report as HTML.
pub fn emit(data: &ReportData, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(to_string(data).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_drop_the_common_folder_and_the_common_ending() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (short, ending) = column_names(&names(&["news/a/x/brief.txt", "news/b/x/brief.txt", "news/c/x/brief.txt"]));
        assert_eq!((short, ending.as_deref()), (names(&["a", "b", "c"]), Some("x/brief.txt")));
        // Names that end differently keep their ends.
        let (short, ending) = column_names(&names(&["news/a/x.txt", "news/b/y.txt"]));
        assert_eq!((short, ending), (names(&["a/x.txt", "b/y.txt"]), None));
        // A name keeps one part: `a.txt` and `b/a.txt` share only `a.txt`.
        let (short, ending) = column_names(&names(&["a.txt", "b/a.txt"]));
        assert_eq!((short, ending), (names(&["a.txt", "b/a.txt"]), None));
        let (short, ending) = column_names(&names(&["only/one.txt"]));
        assert_eq!((short, ending), (names(&["one.txt"]), None));
    }
}
