//! Extraction throughput (BENCHMARKS.md): articles per second on one core for the whole
//! pipeline (clean, language, sentences, time expressions, events), and for date
//! finding alone (sentences and time expressions over the same articles, cleaned
//! beforehand: what `scripts/bench_dateparser.py` compares with dateparser, which only
//! finds dates), over real articles —
//! `../shared/eval/news-en-2022-2024.jsonl` (English) and the Indonesian pages of
//! `news-id-2022-2024.jsonl` and `indotimex-kompas.jsonl`. Skips, with a message, the
//! sets that are absent. Writes the figures to `target/bench/extract.json`, which
//! `scripts/bench_dateparser.py` reads for its ratio.
//!
//! `cargo bench --bench extract` (the shared folder may be moved with LINIMASA_SHARED).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use linimasa::knowledge::Knowledge;
use linimasa::pipeline::Extractor;
use linimasa::pipeline::events::ArticleInput;
use linimasa::pipeline::timex::{TimeContext, TimeTagger};
use linimasa::pipeline::{clean, lang, sentences};

/// (name, file, language, the JSON field holding the publication date)
const SETS: &[(&str, &str, &str, &str)] = &[
    ("news-en", "eval/news-en-2022-2024.jsonl", "en", "seen_date"),
    (
        "news-id",
        "eval/news-id-2022-2024.jsonl",
        "id",
        "published_iso",
    ),
    (
        "indotimex-kompas",
        "eval/indotimex-kompas.jsonl",
        "id",
        "dct",
    ),
];

fn shared() -> PathBuf {
    std::env::var_os("LINIMASA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn load(file: &str, lang: &str, date_field: &str) -> Option<Vec<ArticleInput>> {
    let path = shared().join(file);
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("NOTICE: {} is absent; skipping that set", path.display());
        return None;
    };
    Some(
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| {
                Some(ArticleInput {
                    url: None,
                    title: v["title"].as_str().map(str::to_string),
                    publisher: None,
                    published: v[date_field]
                        .as_str()
                        .and_then(|d| d.get(..10))
                        .and_then(|d| d.parse().ok()),
                    language: Some(lang.to_string()),
                    text: v["text"].as_str()?.to_string(),
                    ..Default::default()
                })
            })
            .collect(),
    )
}

static START: std::sync::LazyLock<Instant> = std::sync::LazyLock::new(Instant::now);

/// CPU time this thread has run (`CLOCK_THREAD_CPUTIME_ID`, exact to the call), so that
/// figures taken on a busy machine still say what one core does.
fn thread_cpu_secs() -> Option<f64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9)
}

/// Articles per second: the median of five timed samples, each as many passes of `pass`
/// over the `n` articles as fill ~200 ms (one pass over the nine news-id pages takes
/// ~0.3 ms, too short to be timed alone). Timed by the thread's CPU time where the
/// system gives it (the same as the wall clock on a quiet machine; on a busy one it still says
/// what one core does), by the wall clock elsewhere.
fn median_rate(n: usize, mut pass: impl FnMut()) -> f64 {
    let now = || thread_cpu_secs().unwrap_or_else(|| START.elapsed().as_secs_f64());
    let t = Instant::now();
    pass();
    let once = t.elapsed().as_secs_f64().max(1e-6);
    let reps = ((0.2 / once).ceil() as usize).max(1);
    let mut rates: Vec<f64> = (0..5)
        .map(|_| {
            let t = now();
            for _ in 0..reps {
                pass();
            }
            (n * reps) as f64 / (now() - t).max(1e-9)
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    rates[2]
}

fn main() {
    // Start-up (issue 15's budget): the embedded knowledge (regions, countries, actors,
    // lexicons and the worldwide gazetteer's compiled maps) as a fresh process loads it,
    // then the first article, which builds the matchers that are made on first use.
    let (t, cpu) = (Instant::now(), thread_cpu_secs());
    let kb = Knowledge::embedded();
    let knowledge_load_ms = t.elapsed().as_secs_f64() * 1e3;
    let knowledge_load_cpu_ms = cpu
        .zip(thread_cpu_secs())
        .map(|(a, b)| (b - a) * 1e3)
        .unwrap_or(f64::NAN);
    let (t, cpu) = (Instant::now(), thread_cpu_secs());
    let extractor = Extractor::new(kb.clone());
    let tagger = TimeTagger::new(&kb);
    let first = ArticleInput {
        text: "Russian forces shelled Sudzha in Kursk Oblast on 6 August 2024.".to_string(),
        published: "2024-08-07".parse().ok(),
        ..Default::default()
    };
    std::hint::black_box(extractor.extract(&first).ok());
    let first_article_ms = t.elapsed().as_secs_f64() * 1e3;
    let first_article_cpu_ms = cpu
        .zip(thread_cpu_secs())
        .map(|(a, b)| (b - a) * 1e3)
        .unwrap_or(f64::NAN);
    println!(
        "start-up: knowledge loaded in {knowledge_load_ms:.1} ms ({knowledge_load_cpu_ms:.1} ms of CPU); extractor (time rules' regexes) and first article {first_article_ms:.1} ms ({first_article_cpu_ms:.1} ms of CPU); load average {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    // For instruction counts (`valgrind --tool=callgrind`, repeatable on a busy
    // machine): LINIMASA_BENCH_PASSES=n stops here after n plain passes of extraction
    // over news-en (0: the start-up alone), without Criterion.
    if let Some(passes) = std::env::var("LINIMASA_BENCH_PASSES")
        .ok()
        .and_then(|p| p.parse::<usize>().ok())
    {
        let (name, file, lang, date_field) = SETS[0];
        if let Some(articles) = load(file, lang, date_field).filter(|_| passes > 0) {
            // LINIMASA_BENCH_DUMP=file: every extraction as one JSON line, to show that a
            // change of machinery leaves what is extracted as it was.
            if let Some(dump) = std::env::var_os("LINIMASA_BENCH_DUMP") {
                let lines: Vec<String> = articles
                    .iter()
                    .map(|a| match extractor.extract(a) {
                        Ok(x) => serde_json::to_string(&x).unwrap_or_default(),
                        Err(e) => e.to_string(),
                    })
                    .collect();
                if let Err(e) = std::fs::write(&dump, lines.join("\n")) {
                    eprintln!("writing {}: {e}", PathBuf::from(&dump).display());
                }
            }
            let cpu = thread_cpu_secs();
            for _ in 0..passes {
                for a in &articles {
                    std::hint::black_box(extractor.extract(a).ok());
                }
            }
            let secs = cpu.zip(thread_cpu_secs()).map_or(f64::NAN, |(a, b)| b - a);
            println!(
                "{name}: {passes} pass(es) over {} articles in {secs:.3} s of CPU ({:.0} articles/s)",
                articles.len(),
                (passes * articles.len()) as f64 / secs
            );
        }
        return;
    }
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let mut figures = serde_json::Map::new();
    figures.insert(
        "startup".to_string(),
        serde_json::json!({
            "knowledge_load_ms": knowledge_load_ms,
            "knowledge_load_cpu_ms": knowledge_load_cpu_ms,
            "first_article_ms": first_article_ms,
            "first_article_cpu_ms": first_article_cpu_ms,
        }),
    );
    let mut group = c.benchmark_group("extract");
    for (name, file, lang, date_field) in SETS {
        let Some(articles) = load(file, lang, date_field) else {
            continue;
        };
        if articles.is_empty() {
            continue;
        }
        let chars: usize = articles.iter().map(|a| a.text.chars().count()).sum();
        group.throughput(Throughput::Elements(articles.len() as u64));
        group.bench_function(format!("{name} ({} articles)", articles.len()), |b| {
            b.iter(|| {
                for a in &articles {
                    std::hint::black_box(extractor.extract(std::hint::black_box(a)).ok());
                }
            })
        });
        // Date finding alone, like for like with dateparser: the same articles,
        // cleaned outside the timing, split into sentences and tagged in order.
        let cleaned: Vec<(String, Option<jiff::civil::Date>)> = articles
            .iter()
            .map(|a| {
                let c = clean::clean_text(&a.text, a.title.as_deref(), &kb);
                (c.text, a.published)
            })
            .collect();
        let find_dates = || {
            for (text, published) in &cleaned {
                let mut ctx = TimeContext::new(*published);
                for span in sentences::split(text, lang) {
                    std::hint::black_box(tagger.tag(lang, &text[span.start..span.end], &mut ctx));
                }
            }
        };
        group.bench_function(
            format!("{name} dates only ({} articles)", articles.len()),
            |b| b.iter(find_dates),
        );
        // The plain figures: the median of five timed passes over the set.
        let median = median_rate(articles.len(), || {
            for a in &articles {
                std::hint::black_box(extractor.extract(a).ok());
            }
        });
        let dates_only = median_rate(articles.len(), find_dates);
        // Language identification alone on the cleaned texts (the benchmarked extraction
        // is told each article's language, as ingest is when the feed or page says):
        // what detecting it adds, beside whatlang 0.16 on 4,000 characters as it was.
        let detect = median_rate(articles.len(), || {
            for (text, _) in &cleaned {
                std::hint::black_box(lang::detect(text));
            }
        });
        let whatlang_before = median_rate(articles.len(), || {
            for (text, _) in &cleaned {
                let sample: String = text.chars().take(4000).collect();
                std::hint::black_box(whatlang::detect(&sample));
            }
        });
        println!(
            "{name}: language detection {detect:.0} articles/s ({:.1} % of an extraction's time), whatlang 0.16 alone as before {whatlang_before:.0} articles/s ({:.1} %)",
            100.0 * median / detect,
            100.0 * median / whatlang_before
        );
        println!(
            "{name}: {median:.0} articles/s on one core (median of 5 samples of ~200 ms over {} articles, {} characters on average); date finding alone {dates_only:.0} articles/s",
            articles.len(),
            chars / articles.len()
        );
        figures.insert(
            name.to_string(),
            serde_json::json!({
                "articles": articles.len(),
                "articles_per_sec": median,
                "dates_only_articles_per_sec": dates_only,
                "language_detection_articles_per_sec": detect,
                "whatlang_0_16_articles_per_sec": whatlang_before,
                "avg_chars": chars / articles.len(),
            }),
        );
    }
    group.finish();
    c.final_summary();
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    if figures.len() > 1 && std::fs::create_dir_all(&out).is_ok() {
        let _ = std::fs::write(
            out.join("extract.json"),
            serde_json::Value::Object(figures).to_string(),
        );
    }
}
