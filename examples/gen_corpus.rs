//! A deterministic generator of Arabic news-like text with glossary terms
//! planted in all their forms, and of glossaries of N concepts, for the
//! benchmarks (`bench/run.sh`) and anyone measuring qamus.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- corpus DIR MEGABYTES [FILES]
//! cargo run --release --example gen_corpus -- glossary FILE.csv CONCEPTS [FORMS.txt]
//! ```
//!
//! The corpus mixes filler words from a composed vocabulary with the shipped
//! glossary's forms (one term every ~25 words) written with proclitics,
//! folding variants (bare alef, final ى, Persian ی/ک, tatweel, harakat),
//! indefinite and inflected forms and Latin acronyms. A generated glossary
//! has N synthetic concepts of two or three words each, all distinct, plus
//! the forms file that `rg -F -f` reads.

use std::io::Write;

/// A small LCG: the same seed, the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const FILLER: &[&str] = &[
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

fn variants(form: &str, rng: &mut Rng) -> String {
    let form = match rng.next() % 10 {
        0 => form.replace(['أ', 'إ'], "ا"),
        1 => form.replace('ي', "ی").replace('ك', "ک"),
        2 => {
            let mut s = form.to_string();
            if s.ends_with('ي') {
                s.pop();
                s.push('ى');
            }
            s
        }
        3 => form.replacen(' ', "ـ ", 1),
        4 => form.replacen('ل', "لّ", 1),
        _ => form.to_string(),
    };
    let proclitic = *rng.pick(&["", "", "", "و", "ل", "ب", "ف", "وب"]);
    if proclitic.ends_with('ل') && form.starts_with("ال") {
        format!("{proclitic}{}", &form["ا".len()..])
    } else {
        format!("{proclitic}{form}")
    }
}

fn corpus(dir: &str, megabytes: usize, files: usize) {
    let glossary = qamus::glossary::Glossary::embedded().unwrap();
    let forms: Vec<String> = glossary.concepts.iter().flat_map(|c| c.terms.iter().map(|t| t.text.clone())).collect();
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = Rng(0x5eed);
    let per_file = megabytes * 1024 * 1024 / files.max(1);
    for f in 0..files {
        let path = format!("{dir}/article-{f:05}.txt");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut written = 0;
        let mut words_in_line = 0;
        while written < per_file {
            let word = if rng.next() % 25 == 0 {
                let form = forms[(rng.next() % forms.len() as u64) as usize].clone();
                variants(&form, &mut rng)
            } else {
                rng.pick(FILLER).to_string()
            };
            let sep = if words_in_line > 18 && rng.next() % 4 == 0 {
                words_in_line = 0;
                ".\n"
            } else {
                words_in_line += 1;
                " "
            };
            out.write_all(word.as_bytes()).unwrap();
            out.write_all(sep.as_bytes()).unwrap();
            written += word.len() + sep.len();
        }
    }
}

fn glossary(file: &str, concepts: usize, forms_file: Option<&str>) {
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
    let mut out = std::io::BufWriter::new(std::fs::File::create(file).unwrap());
    let mut forms = forms_file.map(|f| std::io::BufWriter::new(std::fs::File::create(f).unwrap()));
    writeln!(out, "id,en,ar").unwrap();
    let mut n = 0;
    'all: for a in A {
        for b in B {
            for c in C {
                for d in std::iter::once("").chain(C.iter().copied()) {
                    if n == concepts {
                        break 'all;
                    }
                    let ar = if d.is_empty() { format!("{a} {b} {c}") } else { format!("{a} {b} {c} {d}") };
                    if !d.is_empty() && d == *c {
                        continue;
                    }
                    writeln!(out, "c{n},concept {n},{ar}").unwrap();
                    if let Some(f) = forms.as_mut() {
                        writeln!(f, "{ar}").unwrap();
                    }
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, concepts, "the vocabulary makes at most {n} concepts");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("corpus") => corpus(&args[1], args[2].parse().unwrap(), args.get(3).map_or(1, |f| f.parse().unwrap())),
        Some("glossary") => glossary(&args[1], args[2].parse().unwrap(), args.get(3).map(String::as_str)),
        _ => {
            eprintln!("usage: gen_corpus corpus DIR MEGABYTES [FILES] | glossary FILE.csv CONCEPTS [FORMS.txt]");
            std::process::exit(2);
        }
    }
}
