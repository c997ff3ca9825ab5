//! Synthetic corpora and glossaries for the benchmarks (`benches/`,
//! `bench/run.sh`, `examples/gen_corpus.rs`): deterministic Arabic news-like
//! text with glossary terms planted at a known rate in all their forms, and
//! glossaries of N concepts. Not part of the checking pipeline.
//!
//! The vocabulary follows Zipf's law, as running text does: the rank of each
//! word is drawn with probability ∝ 1/rank over a million types. The first
//! ranks are composed common words of news prose; the rest are built from
//! triliteral roots, derivation patterns, proclitics and suffixes, so that the
//! long tail holds hundreds of thousands of distinct, Arabic-shaped tokens (as
//! an archive does) and a cache of frequent tokens gains no more than it would
//! on real text.

/// Words drawn per planted glossary term, on average.
pub const PLANT_EVERY: u64 = 40;

/// A small permuted congruential generator: the same seed, the same text.
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 31 random bits.
    pub fn next_bits(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A uniform float in [0, 1).
    fn unit(&mut self) -> f64 {
        self.next_bits() as f64 / (1u64 << 31) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_bits() % items.len() as u64) as usize]
    }
}

/// Distinct word types of the vocabulary.
const TYPES: f64 = 1_000_000.0;

/// The most frequent words, in rank order (composed).
const COMMON: &[&str] = &[
    "قال",
    "أكد",
    "أعلن",
    "ذكر",
    "أضاف",
    "أشار",
    "مصدر",
    "مسؤول",
    "رسمي",
    "اليوم",
    "أمس",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "خلال",
    "بعد",
    "قبل",
    "في",
    "من",
    "إلى",
    "على",
    "عن",
    "مع",
    "بين",
    "حول",
    "أن",
    "إن",
    "التي",
    "الذي",
    "هذا",
    "هذه",
    "ذلك",
    "كما",
    "وقد",
    "حيث",
    "وفق",
    "بيان",
    "مشترك",
    "اجتماع",
    "جولة",
    "مباحثات",
    "وفد",
    "الوفد",
    "العراقي",
    "الأمريكي",
    "الجانبين",
    "البلدين",
    "الحكومة",
    "الوزارة",
    "العاصمة",
    "بغداد",
    "واشنطن",
    "أربيل",
    "المنطقة",
    "الأمن",
    "الاستقرار",
    "التعاون",
    "الشراكة",
    "الدعم",
    "التدريب",
    "المشورة",
    "المستقبل",
    "المرحلة",
    "الجديدة",
    "الحالية",
    "المقبلة",
    "السابقة",
    "ملف",
    "قضايا",
    "مجموعة",
    "عمل",
    "خطة",
    "جدول",
    "زمني",
    "تقرير",
    "مصادر",
    "مطلعة",
    "وكالة",
    "الأنباء",
    "صحيفة",
    "مراسل",
    "تصريحات",
    "صحفية",
    "مؤتمر",
    "الأسبوع",
    "الماضي",
    "المقبل",
    "العام",
    "الشهر",
    "نهاية",
    "بداية",
    "مواصلة",
    "تعزيز",
    "تطوير",
    "بناء",
    "القدرات",
    "العسكرية",
    "الأمنية",
    "الدفاعية",
    "الإقليمي",
];

const ROOT_LETTERS: &[char] = &[
    'ب', 'ت', 'ث', 'ج', 'ح', 'خ', 'د', 'ذ', 'ر', 'ز', 'س', 'ش', 'ص', 'ض', 'ط', 'ظ', 'ع', 'غ', 'ف', 'ق', 'ك', 'ل', 'م', 'ن', 'ه', 'و', 'ي',
    'ء',
];

/// Derivation patterns; 1, 2 and 3 stand for the root's letters.
const PATTERNS: &[&str] = &[
    "123", "1a23", "m12w3", "t12y3", "a1t2a3", "ast12a3", "m1a2a3a", "12a3a", "12y3", "m123", "m1t2a3", "t1a2a3", "1a2a3", "m12a3", "12w3",
    "a12a3",
];
const PREFIXES: &[&str] = &["", "", "", "", "ال", "ال", "ال", "و", "وال", "ب", "بال", "ل", "لل", "ف"];
const SUFFIXES: &[&str] = &["", "", "", "", "ة", "ة", "ات", "ين", "ون", "ي", "ية", "ها", "هم", "ا"];

/// The word of a vocabulary rank (0 is the most frequent).
fn word_of_rank(rank: u64, out: &mut String) {
    if let Some(word) = COMMON.get(rank as usize) {
        out.push_str(word);
        return;
    }
    // A fixed mixing of the rank picks root, pattern, prefix and suffix.
    let mut h = rank.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut take = |n: usize| {
        h ^= h >> 29;
        h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        (h >> 32) as usize % n
    };
    let root = [ROOT_LETTERS[take(ROOT_LETTERS.len())], ROOT_LETTERS[take(ROOT_LETTERS.len())], ROOT_LETTERS[take(ROOT_LETTERS.len())]];
    let pattern = PATTERNS[take(PATTERNS.len())];
    out.push_str(PREFIXES[take(PREFIXES.len())]);
    for p in pattern.chars() {
        out.push(match p {
            '1' => root[0],
            '2' => root[1],
            '3' => root[2],
            'a' => 'ا',
            'm' => 'م',
            't' => 'ت',
            'w' => 'و',
            'y' => 'ي',
            's' => 'س',
            other => other,
        });
    }
    out.push_str(SUFFIXES[take(SUFFIXES.len())]);
}

/// A Zipf-distributed rank: P(rank) ∝ 1/(rank + 1).
fn zipf_rank(rng: &mut Rng) -> u64 {
    ((TYPES + 1.0).powf(rng.unit()) - 1.0) as u64
}

/// A glossary form written as text may write it: proclitics, bare alef,
/// Persian letters, final ى, tatweel, shadda, the indefinite pattern.
fn variant(form: &str, rng: &mut Rng, out: &mut String) {
    let form = match rng.next_bits() % 12 {
        0 => form.replace(['أ', 'إ'], "ا"),
        1 => form.replace('ي', "ی").replace('ك', "ک"),
        2 => match form.strip_suffix('ي') {
            Some(stem) => format!("{stem}ى"),
            None => form.to_string(),
        },
        3 => form.replacen(' ', "ـ ", 1),
        4 => form.replacen('ل', "لّ", 1),
        // The indefinite pattern: every article dropped.
        5 => form.split(' ').map(|w| w.strip_prefix("ال").filter(|s| s.chars().count() >= 2).unwrap_or(w)).collect::<Vec<_>>().join(" "),
        _ => form.to_string(),
    };
    let proclitic = *rng.pick(&["", "", "", "و", "ل", "ب", "ف", "وب"]);
    if proclitic.ends_with('ل') && form.starts_with("ال") {
        out.push_str(proclitic);
        out.push_str(&form["ا".len()..]);
    } else {
        out.push_str(proclitic);
        out.push_str(&form);
    }
}

/// About `bytes` bytes of news-like text: sentences of 12 to 30 words,
/// paragraphs of one to four sentences, one planted form of `plant` every
/// [`PLANT_EVERY`] words on average.
pub fn article(rng: &mut Rng, bytes: usize, plant: &[String]) -> String {
    let mut out = String::with_capacity(bytes + 256);
    let mut words_left = 12 + rng.next_bits() % 19;
    let mut sentences_left = 1 + rng.next_bits() % 4;
    while out.len() < bytes {
        if !plant.is_empty() && rng.next_bits() % PLANT_EVERY == 0 {
            variant(&plant[(rng.next_bits() % plant.len() as u64) as usize], rng, &mut out);
        } else {
            word_of_rank(zipf_rank(rng), &mut out);
        }
        words_left -= 1;
        if words_left > 0 {
            out.push_str(if rng.next_bits() % 12 == 0 { "، " } else { " " });
            continue;
        }
        out.push('.');
        words_left = 12 + rng.next_bits() % 19;
        sentences_left -= 1;
        if sentences_left == 0 {
            sentences_left = 1 + rng.next_bits() % 4;
            out.push_str(if rng.next_bits() % 3 == 0 { "\n\n" } else { "\n" });
        } else {
            out.push(' ');
        }
    }
    out
}

/// The Arabic forms of a generated glossary's concept `n` (see [`glossary_csv`]).
pub fn generated_form(n: usize) -> Option<String> {
    const A: &[&str] = &[
        "لجنة",
        "هيئة",
        "مجلس",
        "وكالة",
        "قوة",
        "بعثة",
        "إدارة",
        "مديرية",
        "دائرة",
        "جهاز",
        "مكتب",
        "مركز",
        "برنامج",
        "صندوق",
        "مشروع",
        "اتفاقية",
    ];
    const B: &[&str] = &[
        "التنسيق",
        "الدفاع",
        "الأمن",
        "التدريب",
        "الإسناد",
        "الاستخبارات",
        "الحدود",
        "الطوارئ",
        "الإمداد",
        "النقل",
        "الاتصالات",
        "الهندسة",
        "الطيران",
        "البحرية",
        "الصحة",
        "الإعلام",
        "التخطيط",
        "المتابعة",
        "التفتيش",
        "العمليات",
        "المشتريات",
        "الصيانة",
        "الرقابة",
        "التحقيق",
        "الحماية",
        "الإغاثة",
        "التعليم",
        "البحوث",
    ];
    const C: &[&str] = &[
        "العليا",
        "المشتركة",
        "الوطنية",
        "الاتحادية",
        "المركزية",
        "الإقليمية",
        "الفنية",
        "الدائمة",
        "المؤقتة",
        "الخاصة",
        "العامة",
        "الدولية",
        "الميدانية",
        "المتقدمة",
        "الشمالية",
        "الجنوبية",
        "الغربية",
        "الشرقية",
        "الأولى",
        "الثانية",
        "الثالثة",
        "الرابعة",
        "الخامسة",
        "السادسة",
        "السابعة",
        "الثامنة",
        "التاسعة",
        "العاشرة",
    ];
    let (a, rest) = (n / (B.len() * C.len() * C.len()), n % (B.len() * C.len() * C.len()));
    let (b, rest) = (rest / (C.len() * C.len()), rest % (C.len() * C.len()));
    let (c, d) = (rest / C.len(), rest % C.len());
    let a = A.get(a)?;
    // d indexes a fourth word, or none when it equals c (no word twice).
    Some(if d == c { format!("{a} {} {}", B[b], C[c]) } else { format!("{a} {} {} {}", B[b], C[c], C[d]) })
}

/// The largest generated glossary.
pub const MAX_GENERATED_CONCEPTS: usize = 16 * 28 * 28 * 28;

/// Letters of the generated verbs' stems: none that a proclitic, a suffix
/// or a pattern of the generated vocabulary writes (ا و ي ء ب ل ف ك ه م ت س
/// ن), so that a verb's forms are in the corpus only where planted: a
/// glossary's size then changes what is found there as little as a noun's.
const VERB_LETTERS: &[char] = &['ث', 'ج', 'ح', 'خ', 'د', 'ذ', 'ر', 'ز', 'ش', 'ص', 'ض', 'ط', 'ظ', 'ع', 'غ', 'ق'];

/// The verb of generated concept `n`, when it has one — every eighth
/// concept is also rendered by a verb of a four-letter stem of its own: its
/// perfect, its imperfect and its participle («دحرج», «يدحرج», «مدحرج»).
pub fn generated_verb(n: usize) -> Option<[String; 3]> {
    if n % 8 != 3 {
        return None;
    }
    let k = n / 8;
    let l = VERB_LETTERS.len();
    let stem: String = [k / (l * l * l), k / (l * l), k / l, k].iter().map(|&x| VERB_LETTERS[x % l]).collect();
    Some([stem.clone(), format!("ي{stem}"), format!("م{stem}")])
}

/// The listed plural of generated concept `n`, when it has one — every
/// fourth concept lists its form with the head noun in the plural
/// («لجان التنسيق العليا» for «لجنة التنسيق العليا»).
pub fn generated_plural(n: usize) -> Option<String> {
    const PLURALS: &[(&str, &str)] = &[
        ("لجنة", "لجان"),
        ("هيئة", "هيئات"),
        ("مجلس", "مجالس"),
        ("وكالة", "وكالات"),
        ("قوة", "قوات"),
        ("بعثة", "بعثات"),
        ("إدارة", "إدارات"),
        ("مديرية", "مديريات"),
        ("دائرة", "دوائر"),
        ("جهاز", "أجهزة"),
        ("مكتب", "مكاتب"),
        ("مركز", "مراكز"),
        ("برنامج", "برامج"),
        ("صندوق", "صناديق"),
        ("مشروع", "مشاريع"),
        ("اتفاقية", "اتفاقيات"),
    ];
    if n % 4 != 1 {
        return None;
    }
    let form = generated_form(n)?;
    let (head, rest) = form.split_once(' ')?;
    let plural = PLURALS.iter().find(|(singular, _)| *singular == head)?.1;
    Some(format!("{plural} {rest}"))
}

/// A curated-CSV glossary of `concepts` generated concepts (`c0`, `c1`, …),
/// each with one Arabic form of three or four words, all distinct; every
/// fourth with its plural listed in `ar_forms`, every eighth also rendered
/// by a verb of its own ([`generated_verb`]) with its imperfect and
/// participle listed.
pub fn glossary_csv(concepts: usize) -> String {
    assert!(concepts <= MAX_GENERATED_CONCEPTS, "at most {MAX_GENERATED_CONCEPTS} generated concepts");
    let mut out = String::from("id,en,ar,ar_admitted,ar_forms\n");
    for n in 0..concepts {
        let form = generated_form(n).expect("within the limit");
        let (admitted, forms) = match (generated_verb(n), generated_plural(n)) {
            (Some([perfect, imperfect, participle]), _) => {
                (format!("{perfect} (verb)"), format!("{perfect}: {imperfect}، {participle} (adj)"))
            }
            (None, Some(plural)) => (String::new(), format!("{form}: {plural}")),
            (None, None) => (String::new(), String::new()),
        };
        out.push_str(&format!("c{n},concept {n},{form},{admitted},{forms}\n"));
    }
    out
}

/// What a generated corpus plants: every form of the embedded glossary and
/// the forms of the first 10,000 generated concepts, in equal shares.
pub fn planted_forms() -> Vec<String> {
    planted_forms_of(PLANTED_CONCEPTS)
}

/// Generated concepts whose forms [`planted_forms`] plants.
pub const PLANTED_CONCEPTS: usize = 10_000;

/// [`planted_forms`] with the forms of only the first `concepts` generated
/// concepts (each planted as often as the others, so a corpus planted with
/// 10 has as many glossary forms as one planted with 10,000). A glossary of
/// `concepts` generated concepts or more then finds the same generated
/// forms in it, whatever its size: the corpus for measuring flatness.
pub fn planted_forms_of(concepts: usize) -> Vec<String> {
    assert!((1..=PLANTED_CONCEPTS).contains(&concepts), "1 to {PLANTED_CONCEPTS} planted concepts");
    let glossary = crate::Glossary::embedded().expect("the embedded glossary loads");
    let shipped: Vec<String> = glossary
        .concepts
        .iter()
        .flat_map(|c| c.terms.iter().filter(|t| t.role == crate::glossary::TermRole::Arabic).map(|t| t.text.clone()))
        .collect();
    let mut forms = Vec::new();
    for n in 0..PLANTED_CONCEPTS {
        // The concept's form, or its plural, or its verb inflected (the
        // future with a plural subject, or the perfect with a suffix).
        let concept = n % concepts;
        let form = match (n / concepts % 2, generated_verb(concept), generated_plural(concept)) {
            (1, Some([perfect, ..]), _) if n % 4 < 2 => format!("سي{perfect}ون"),
            (1, Some([perfect, ..]), _) => format!("{perfect}ت"),
            (1, None, Some(plural)) => plural,
            _ => generated_form(concept).expect("within the limit"),
        };
        forms.push(form);
        forms.push(shipped[n % shipped.len()].clone());
    }
    forms
}

/// The term every [`pathological`] input ends with, as prose its reader
/// must still find where it stands.
pub const PATHOLOGICAL_TERM: &str = "اللجنة العسكرية العليا";

/// The inputs that once made a reader quadratic (see [`pathological`]),
/// by name, with the format each is read as and a file extension for it.
pub const PATHOLOGICAL: &[(&str, crate::input::Format, &str)] = {
    use crate::input::Format::*;
    &[
        ("html-bare-ampersands", Html, "html"),
        ("html-skipped-elements", Html, "html"),
        ("html-open-braces", Html, "html"),
        ("html-open-printf-names", Html, "html"),
        ("html-comments-after-a-pragma", Html, "html"),
        ("markdown-open-tags", Markdown, "md"),
        ("markdown-open-destinations", Markdown, "md"),
        ("markdown-backtick-runs", Markdown, "md"),
        ("markdown-brackets", Markdown, "md"),
        ("markdown-comments-after-a-pragma", Markdown, "md"),
        ("po-pragma-lines", Po, "po"),
        ("po-open-braces", Po, "po"),
        ("po-plural-forms", Po, "po"),
        ("xliff-segments-sharing-a-unit", Xliff, "xlf"),
        ("xliff-open-braces", Xliff, "xlf"),
        ("tmx-open-braces", Tmx, "tmx"),
        ("json-open-braces", Json, "json"),
        ("json-nested-plurals", Json, "json"),
        ("yaml-open-braces", Yaml, "yml"),
    ]
};

/// A pathological input of about `bytes` bytes for a reader: a construct
/// repeated that, before each reader was made linear, cost a search or a
/// copy of the rest of the document (or line) each time, then
/// [`PATHOLOGICAL_TERM`] as prose. `None` for a kind not in
/// [`PATHOLOGICAL`].
///
/// - `html-bare-ampersands`: `a & b` with no `;` anywhere (each `&` looked
///   for one in the rest of the document);
/// - `html-skipped-elements`: `<code>`, `<svg>`, `<script>`, … closed in
///   any case (each lowercased a copy of the rest to find its closing tag);
/// - `*-open-braces`, `html-open-printf-names`: `{` and `%(` that nothing
///   closes (each looked for its `}` or `)` to the end of its text);
/// - `*-comments-after-a-pragma`: a `qamus-ignore` comment, then many
///   comments (each counted its line from the start of the document);
/// - `markdown-open-tags`, `markdown-open-destinations`: `<x` without `>`,
///   `](` without `)` on one line (each searched the rest of the line);
/// - `markdown-backtick-runs`: runs of backticks of falling lengths on one
///   line, each closed by none after it;
/// - `markdown-brackets`: `[` on one line;
/// - `po-pragma-lines`: one entry with a pragma on each of its comment
///   lines (each copied itself to every line to the end of the entry);
/// - `po-plural-forms`, `xliff-segments-sharing-a-unit`: many forms or
///   segments of one entry or unit with a long id and notes (each copied
///   them, and matched the shared English source again);
/// - `json-nested-plurals`: ICU plurals nested in one another's cases (each
///   level walked the rest again, recursively: a deep one overflowed the
///   stack).
pub fn pathological(kind: &str, bytes: usize) -> Option<String> {
    let term = PATHOLOGICAL_TERM;
    let times = |unit: &str| unit.repeat((bytes / unit.len()).max(1));
    Some(match kind {
        "html-bare-ampersands" => format!("<p>{}</p>\n<p>{term}</p>\n", times("a & b ")),
        "html-skipped-elements" => {
            format!("<p>{}</p>\n<p>{term}</p>\n", times("<code>x</CODE> <SVG>y</svg> <Script>z</script> <pre>w</pre> "))
        }
        "html-open-braces" => format!("<p>{}{term}</p>\n", times("{ ")),
        "html-open-printf-names" => format!("<p>{}{term}</p>\n", times("%( ")),
        "html-comments-after-a-pragma" => format!("<!-- qamus-ignore-line jscd -->\n{}<p>{term}</p>\n", times("<!-- c -->\n")),
        "markdown-open-tags" => format!("{}{term}\n", times("<x ")),
        "markdown-open-destinations" => format!("{} {term}\n", times("](")),
        "markdown-backtick-runs" => {
            // Runs of n, n - 1, …, 1 backticks: none is closed by a later
            // one. (Not at the start of the line, where three open a fence.)
            let mut line = String::with_capacity(bytes + term.len() + 4);
            line.push_str("x ");
            let longest = ((2 * bytes) as f64).sqrt() as usize;
            for n in (1..=longest).rev() {
                line.extend(std::iter::repeat_n('`', n));
                line.push('x');
            }
            format!("{line} {term}\n")
        }
        "markdown-brackets" => format!("{} {term}\n", times("[")),
        "markdown-comments-after-a-pragma" => format!("<!-- qamus-ignore-line jscd -->\n{}{term}\n", times("<!-- c -->\n")),
        "po-pragma-lines" => {
            format!("{}msgid \"Higher Military Commission\"\nmsgstr \"{term}\"\n", times("# qamus-ignore-line jscd\n"))
        }
        "po-open-braces" => format!("msgid \"Higher Military Commission\"\nmsgstr \"{}{term}\"\n", times("{ ")),
        "po-plural-forms" => {
            let half = bytes / 2;
            let id = "word ".repeat((half / 5).max(1));
            let forms: String = (0..(half / 16).max(1)).map(|n| format!("msgstr[{n}] \"ن\"\n")).collect();
            format!("msgid \"{id}\"\n{forms}msgstr[{}] \"{term}\"\n", (half / 16).max(1))
        }
        "xliff-segments-sharing-a-unit" => {
            let quarter = bytes / 4;
            let segment = "<segment><source>x</source><target>ن</target></segment>\n";
            format!(
                "<xliff version=\"2.0\" srcLang=\"en\" trgLang=\"ar\"><file id=\"f\"><unit id=\"{}\"><notes><note>{}</note></notes>\n{}<segment><source>Higher Military Commission</source><target>{term}</target></segment>\n</unit></file></xliff>\n",
                "u".repeat(quarter.max(1)),
                "n ".repeat((quarter / 2).max(1)),
                segment.repeat((bytes / 2 / segment.len()).max(1)),
            )
        }
        "xliff-open-braces" => format!(
            "<xliff version=\"2.0\" srcLang=\"en\" trgLang=\"ar\"><file id=\"f\"><unit id=\"u\"><segment><source>x</source><target>{}{term}</target></segment></unit></file></xliff>\n",
            times("{ ")
        ),
        "tmx-open-braces" => format!(
            "<tmx version=\"1.4\"><header srclang=\"en\"/><body><tu><tuv xml:lang=\"en\"><seg>x</seg></tuv><tuv xml:lang=\"ar\"><seg>{}{term}</seg></tuv></tu></body></tmx>\n",
            times("{ ")
        ),
        "json-open-braces" => format!("{{\"a\": \"{}{term}\"}}\n", times("{ ")),
        "json-nested-plurals" => {
            let open = "{n, plural, other {";
            let depth = (bytes / (open.len() + 2)).max(1);
            format!("{{\"a\": \"{}{term}{}\"}}\n", open.repeat(depth), "}}".repeat(depth))
        }
        "yaml-open-braces" => format!("ar:\n  a: \"{}{term}\"\n", times("{ ")),
        _ => return None,
    })
}

/// The files of many short strings that measure what a unit costs in
/// memory (see [`short_strings`]), by name, with their file names: the
/// Arabic locale files are checked with their English twins beside them.
pub const SHORT_STRINGS: &[(&str, &str)] = &[
    ("json", "ar.json"),
    ("json-en", "en.json"),
    ("yaml", "ar.yml"),
    ("yaml-en", "en.yml"),
    ("po", "ar.po"),
    ("xliff", "ar.xlf"),
    ("tmx", "ar.tmx"),
];

/// Interface words, Arabic and English, that no glossary concept names.
const SHORT_WORDS: &[(&str, &str)] = &[
    ("ملف", "File"),
    ("حفظ", "Save"),
    ("فتح", "Open"),
    ("إغلاق", "Close"),
    ("نسخ", "Copy"),
    ("لصق", "Paste"),
    ("بحث", "Search"),
    ("طباعة", "Print"),
];

/// A file of about `bytes` bytes of many short strings, each a word and a
/// number under a key of its own, as a locale file or a catalogue of an
/// interface holds (`json`, `yaml`: Arabic locale files; `json-en`,
/// `yaml-en`: their English twins, key for key; `po`, `xliff`, `tmx`: the
/// Arabic and the English of each string). What memory a document costs
/// beyond its text grows with its units: these have as many as a file of
/// real strings can. `None` for a kind not in [`SHORT_STRINGS`].
pub fn short_strings(kind: &str, bytes: usize) -> Option<String> {
    let entry = |n: usize| -> String {
        let (ar, en) = SHORT_WORDS[n % SHORT_WORDS.len()];
        match kind {
            "json" => format!("{}\"k{n}\": \"{ar} {n}\"", if n == 0 { "{\n  " } else { ",\n  " }),
            "json-en" => format!("{}\"k{n}\": \"{en} {n}\"", if n == 0 { "{\n  " } else { ",\n  " }),
            "yaml" => format!("  k{n}: {ar} {n}\n"),
            "yaml-en" => format!("  k{n}: {en} {n}\n"),
            "po" => format!("msgid \"{en} {n}\"\nmsgstr \"{ar} {n}\"\n\n"),
            "xliff" => format!("<trans-unit id=\"k{n}\"><source>{en} {n}</source><target>{ar} {n}</target></trans-unit>\n"),
            _ => format!("<tu><tuv xml:lang=\"en\"><seg>{en} {n}</seg></tuv><tuv xml:lang=\"ar\"><seg>{ar} {n}</seg></tuv></tu>\n"),
        }
    };
    let (head, tail) = match kind {
        "json" | "json-en" => ("", "\n}\n"),
        "yaml" => ("ar:\n", ""),
        "yaml-en" => ("en:\n", ""),
        "po" => ("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n", ""),
        "xliff" => (
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\"><file source-language=\"en\" target-language=\"ar\" datatype=\"plaintext\" original=\"ui\"><body>\n",
            "</body></file></xliff>\n",
        ),
        "tmx" => ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n", "</body></tmx>\n"),
        _ => return None,
    };
    let mut text = String::with_capacity(bytes + 256);
    text.push_str(head);
    let mut n = 0;
    while text.len() + tail.len() < bytes || n == 0 {
        text.push_str(&entry(n));
        n += 1;
    }
    text.push_str(tail);
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{csv, Glossary};

    #[test]
    fn generated_glossaries_load_with_their_verbs_and_plurals() {
        let glossary = generated(2_000);
        let terms = || glossary.concepts.iter().flat_map(|c| &c.terms);
        assert_eq!(terms().filter(|t| t.pos.contains(crate::glossary::PartsOfSpeech::VERB)).count(), 2 * 2_000 / 8);
        assert!(terms().filter(|t| t.form_of.is_some()).count() >= 2_000 / 4);
    }

    fn generated(concepts: usize) -> Glossary {
        let mut glossary = csv::parse(glossary_csv(concepts).as_bytes(), "generated.csv").unwrap();
        glossary.validate().unwrap();
        glossary
    }

    #[test]
    fn a_corpus_planted_with_few_concepts_is_matched_alike_by_larger_glossaries() {
        let plant = planted_forms_of(10);
        assert_eq!(plant.len(), planted_forms().len(), "as many planted forms as the usual corpus");
        let text = article(&mut Rng::new(3), 120_000, &plant);
        let small = generated(10);
        let large = generated(1_000);
        // The matches of the first 10 concepts, as (concept id, span).
        let of_first_ten = |glossary: &Glossary| -> Vec<(String, std::ops::Range<usize>)> {
            crate::Matcher::new(glossary)
                .find(&text)
                .into_iter()
                .map(|m| (glossary.concepts[m.concept].id.clone(), m.span))
                .filter(|(id, _)| id[1..].parse::<usize>().is_ok_and(|n| n < 10))
                .collect()
        };
        let found = of_first_ten(&small);
        assert!(found.len() > 40, "{} planted matches", found.len());
        // Verbs and listed plurals are planted and found among them.
        let inflected = crate::Matcher::new(&small).find(&text).iter().filter(|m| m.kind == crate::MatchKind::Inflected).count();
        assert!(inflected >= 5, "{inflected} inflected matches");
        assert_eq!(of_first_ten(&large), found);
        // With the usual planting, the 10 concepts find a few of its forms only.
        let usual = article(&mut Rng::new(3), 120_000, &planted_forms());
        assert!(crate::Matcher::new(&small).find(&usual).len() * 20 < found.len());
    }
}
