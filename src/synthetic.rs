//! `linimasa demo --synthetic N`: a store filled quickly with realistic synthetic events,
//! for load tests and benchmarks at newsroom-archive scale.
//!
//! The events are what the real ingest would store — the same rows in `articles`,
//! `events` (the doc is the serde of [`Event`] with its sources and without its
//! timestamps, as `event_doc` writes it), `event_regions`, `event_countries`, `event_actors`,
//! `event_sources`, the full-text table (`event_text`: a view over `event_fts` on SQLite, a table on
//! PostgreSQL) and a `data_version` bump per transaction — so the API serves them like
//! any other. They are skewed the way an archive is: regions Zipf-like (Donetsk,
//! Kharkiv, Zaporizhzhia, Kherson, Kursk, Belgorod, …; Kursk mostly from August 2024),
//! PLOVER types and actors weighted, dates 2022-02-24..2026-06-30 with the intensity of
//! the war's phases, 1–4 sources per event, titles and summaries from templates in
//! English, Indonesian, Russian and Ukrainian. The same seed gives the same events.
//!
//! Rows are written with multi-row `INSERT`s in large transactions on one connection,
//! while a second thread generates the next batch.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use jiff::ToSpan;
use jiff::civil::Date;
use sqlx::{AnyConnection, AssertSqlSafe, Connection, Executor};

use crate::domain::{
    AcledType, ActorRef, Event, EventDate, Evidence, Location, Place, Precision, RegionRef, Source,
    Status,
};
use crate::knowledge::Knowledge;
use crate::store::{self, db::Backend};
use crate::text::fold;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// How many events.
    pub events: u64,
    /// Same seed, same events (ids included).
    pub seed: u64,
    /// Events per transaction.
    pub batch: usize,
    /// Print progress on standard error.
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            events: 10_000,
            seed: 1,
            batch: 20_000,
            progress: false,
        }
    }
}

/// What [`fill`] wrote.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub events: u64,
    pub articles: u64,
    pub sources: u64,
    pub seconds: f64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} events, {} articles, {} sources in {:.1} s ({:.0} events/s)",
            self.events,
            self.articles,
            self.sources,
            self.seconds,
            self.events as f64 / self.seconds.max(1e-9)
        )
    }
}

/// `linimasa demo`: with `synthetic`, that many generated events; without, the built-in
/// demo articles through the real pipeline.
pub async fn command(database_url: &str, synthetic: Option<u64>, seed: u64) -> anyhow::Result<()> {
    match synthetic {
        None => {
            let store = store::connect(database_url).await?;
            let extractor =
                std::sync::Arc::new(crate::pipeline::Extractor::new(Knowledge::embedded()));
            let loaded = crate::demo::ARTICLES
                .iter()
                .flat_map(|(name, json)| {
                    crate::ingest::parse_blob(
                        name,
                        json.as_bytes().to_vec(),
                        &crate::ingest::Defaults::default(),
                    )
                })
                .collect();
            let failed = crate::cli::ingest_all(&*store, extractor, loaded).await;
            if failed > 0 {
                bail!("{failed} demo article(s) could not be ingested");
            }
        }
        Some(n) => {
            let report = fill(
                database_url,
                &Options {
                    events: n,
                    seed,
                    progress: true,
                    ..Options::default()
                },
            )
            .await?;
            println!("{report}");
        }
    }
    Ok(())
}

/// Migrates the store at `database_url` and adds `opts.events` synthetic events.
pub async fn fill(database_url: &str, opts: &Options) -> anyhow::Result<Report> {
    let backend = Backend::from_url(database_url)
        .with_context(|| format!("unsupported database URL {database_url:?}"))?;
    // Creates (SQLite) and migrates the store the way every other command does.
    drop(store::connect(database_url).await?);
    let mut conn = AnyConnection::connect(database_url)
        .await
        .with_context(|| format!("connecting to {database_url}"))?;
    if backend == Backend::Sqlite {
        for pragma in [
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 10000",
            "PRAGMA cache_size = -524288",
            "PRAGMA temp_store = MEMORY",
        ] {
            conn.execute(pragma).await?;
        }
    }

    // The rows below bypass the writers that keep the facet counts: until they are
    // recounted at the end, a start recounts them.
    conn.execute("UPDATE facet_counts_state SET fresh = 0 WHERE id = 1")
        .await?;
    let started = Instant::now();
    let kb = Knowledge::embedded();
    let total = opts.events;
    let batch = opts.batch.max(1) as u64;
    let seed = opts.seed;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Rows>(2);
    let producer = std::thread::spawn(move || {
        let mut g = Generator::new(kb, seed, total);
        let mut i = 0;
        while i < total {
            let n = batch.min(total - i);
            let rows = g.batch(i, n, backend);
            i += n;
            if tx.blocking_send(rows).is_err() {
                break;
            }
        }
    });

    let mut report = Report::default();
    let mut sql = SqlCache::default();
    let (mut waited, mut wrote) = (0.0, 0.0);
    loop {
        let w0 = Instant::now();
        let Some(rows) = rx.recv().await else { break };
        waited += w0.elapsed().as_secs_f64();
        let w1 = Instant::now();
        let mut t = conn.begin().await?;
        rows.write(&mut t, &mut sql, backend).await.map_err(|e| {
            anyhow::anyhow!(
                "{e}{}",
                if e.to_string().contains("UNIQUE") || e.to_string().contains("duplicate key") {
                    " (this store already holds events of this seed: use another --seed or a fresh database)"
                } else {
                    ""
                }
            )
        })?;
        sqlx::query("UPDATE data_version SET version = version + 1 WHERE id = 1")
            .execute(&mut *t)
            .await?;
        t.commit().await?;
        wrote += w1.elapsed().as_secs_f64();
        report.events += rows.events;
        report.articles += rows.articles;
        report.sources += rows.sources;
        if opts.progress {
            let s = started.elapsed().as_secs_f64();
            eprintln!(
                "{:>9} / {total} events  {:>6.1} s  {:>7.0} events/s  (writing {wrote:.1} s, waiting for the generator {waited:.1} s)",
                report.events,
                s,
                report.events as f64 / s.max(1e-9)
            );
        }
    }
    producer
        .join()
        .map_err(|_| anyhow::anyhow!("the generator thread panicked"))?;
    store::counts::recount(&mut conn).await?;
    // Planner statistics, as PostgreSQL's autovacuum would gather them anyway.
    if backend == Backend::Postgres {
        conn.execute("ANALYZE").await?;
    } else {
        // One full-text segment instead of the hundreds a bulk load leaves: checking
        // a word per candidate event is then one seek (a region page with a common
        // word: 30 ms -> 7 ms at 1M events).
        conn.execute("INSERT INTO event_fts (event_fts) VALUES ('optimize')")
            .await?;
    }
    conn.close().await?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// A bound value.
#[derive(Debug, Clone)]
enum V {
    T(String),
    O(Option<String>),
    I(i64),
    R(f64),
}

/// One transaction's rows, table by table, flattened (columns per row known per table).
#[derive(Default)]
struct Rows {
    events: u64,
    articles: u64,
    sources: u64,
    article_rows: Vec<V>,
    event_rows: Vec<V>,
    region_rows: Vec<V>,
    country_rows: Vec<V>,
    actor_rows: Vec<V>,
    source_rows: Vec<V>,
    text_rows: Vec<V>,
}

const ARTICLE_COLS: &[&str] = &[
    "id",
    "url",
    "content_hash",
    "title",
    "publisher",
    "published_at",
    "language",
    "text",
    "ingested_at",
];
const EVENT_COLS: &[&str] = &[
    "id",
    "date_lo",
    "date_hi",
    "event_type",
    "confidence",
    "status",
    "doc",
    "doc_sources",
    "created_at",
    "updated_at",
];
const SOURCE_COLS: &[&str] = &[
    "event_id",
    "article_id",
    "position",
    "url",
    "title",
    "publisher",
    "published_at",
    "evidence_text",
    "evidence_start",
    "evidence_end",
];

/// Multi-row `INSERT` texts by (table, rows), built once.
#[derive(Default)]
struct SqlCache(HashMap<(&'static str, usize), String>);

impl SqlCache {
    /// `?` placeholders on SQLite (numbered ones cost SQLite a walk of the parameter
    /// list per bind, quadratic in the row count), `$n` on PostgreSQL.
    fn get(&mut self, table: &'static str, cols: &[&str], rows: usize, backend: Backend) -> &str {
        self.0.entry((table, rows)).or_insert_with(|| {
            let mut s = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
            let mut n = 0;
            for r in 0..rows {
                if r > 0 {
                    s.push_str(", ");
                }
                s.push('(');
                for c in 0..cols.len() {
                    if c > 0 {
                        s.push_str(", ");
                    }
                    n += 1;
                    match backend {
                        Backend::Sqlite => s.push('?'),
                        Backend::Postgres => s.push_str(&format!("${n}")),
                    }
                }
                s.push(')');
            }
            s
        })
    }
}

/// Parameters per statement (SQLite allows 32,766, PostgreSQL 65,535).
const MAX_PARAMS: usize = 1_000;

impl Rows {
    async fn write(
        &self,
        conn: &mut AnyConnection,
        sql: &mut SqlCache,
        backend: Backend,
    ) -> Result<(), sqlx::Error> {
        // PostgreSQL's link rows carry their event's word signature (migration 0018).
        let pg = backend == Backend::Postgres;
        let link_cols = |cols: &'static [&'static str], signed: &'static [&'static str]| {
            if pg { signed } else { cols }
        };
        let tables: [(&'static str, &[&str], &Vec<V>); 7] = [
            ("articles", ARTICLE_COLS, &self.article_rows),
            ("events", EVENT_COLS, &self.event_rows),
            (
                "event_regions",
                link_cols(
                    &["iso_code", "date_lo", "date_hi", "event_id"],
                    &[
                        "iso_code", "date_lo", "date_hi", "event_id", "w0", "w1", "w2", "w3", "w4",
                    ],
                ),
                &self.region_rows,
            ),
            (
                "event_countries",
                link_cols(
                    &["country", "date_lo", "date_hi", "event_id"],
                    &[
                        "country", "date_lo", "date_hi", "event_id", "w0", "w1", "w2", "w3", "w4",
                    ],
                ),
                &self.country_rows,
            ),
            (
                "event_actors",
                link_cols(
                    &["actor", "date_lo", "date_hi", "event_id", "role"],
                    &[
                        "actor", "date_lo", "date_hi", "event_id", "role", "w0", "w1", "w2", "w3",
                        "w4",
                    ],
                ),
                &self.actor_rows,
            ),
            ("event_sources", SOURCE_COLS, &self.source_rows),
            ("event_text", &["event_id", "body"], &self.text_rows),
        ];
        for (table, cols, values) in tables {
            let t0 = Instant::now();
            let per = (MAX_PARAMS / cols.len()).max(1) * cols.len();
            for chunk in values.chunks(per) {
                let text = sql.get(table, cols, chunk.len() / cols.len(), backend);
                let mut q = sqlx::query(AssertSqlSafe(text));
                for v in chunk {
                    q = match v {
                        V::T(s) => q.bind(s.as_str()),
                        V::O(s) => q.bind(s.as_deref()),
                        V::I(i) => q.bind(*i),
                        V::R(r) => q.bind(*r),
                    };
                }
                q.execute(&mut *conn).await?;
            }
            if std::env::var_os("LINIMASA_SYNTHETIC_TRACE").is_some() {
                eprintln!("  {table}: {:.2} s", t0.elapsed().as_secs_f64());
            }
        }
        Ok(())
    }
}

/// splitmix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5eed_11a1_a5a0_0001)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// `prefix` + 16 lower-case base32 characters (80 random bits), like the real ids.
    pub fn id(&mut self, prefix: &str) -> String {
        const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
        let bits = (u128::from(self.next_u64()) << 16) ^ u128::from(self.next_u64() >> 48);
        let mut s = String::with_capacity(prefix.len() + 16);
        s.push_str(prefix);
        for i in (0..16).rev() {
            s.push(ALPHABET[((bits >> (i * 5)) & 31) as usize] as char);
        }
        s
    }
}

/// Weighted choice by cumulative weights.
#[derive(Debug, Clone)]
struct Weighted(Vec<f64>);

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut acc = 0.0;
        Weighted(
            weights
                .into_iter()
                .map(|w| {
                    acc += w.max(0.0);
                    acc
                })
                .collect(),
        )
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let total = *self.0.last().unwrap_or(&0.0);
        let x = rng.f64() * total;
        self.0
            .partition_point(|&c| c <= x)
            .min(self.0.len().saturating_sub(1))
    }
}

const LANGS: [&str; 4] = ["en", "id", "ru", "uk"];
const LANG_WEIGHTS: [f64; 4] = [0.40, 0.15, 0.20, 0.25];

/// A region the generator places events in, with its phrases per language.
struct RegionInfo {
    r: RegionRef,
    lat: Option<f64>,
    lon: Option<f64>,
    /// "in the Kursk region", "di wilayah Kursk", "в Курской области", "у Курській області".
    phrase: [String; 4],
    /// Towns of the region from the gazetteer, weighted by √population.
    towns: Vec<Town>,
    town_weights: Weighted,
}

struct Town {
    place: Place,
    /// Its Cyrillic name, for Russian and Ukrainian text.
    cyrillic: String,
}

/// (ISO code, English short name, Russian locative, Ukrainian locative, city?) by rank:
/// Zipf-like weights follow this order.
const REGIONS: &[(&str, &str, &str, &str, bool)] = &[
    (
        "UA-14",
        "Donetsk",
        "в Донецкой области",
        "на Донеччині",
        false,
    ),
    (
        "UA-63",
        "Kharkiv",
        "в Харьковской области",
        "на Харківщині",
        false,
    ),
    (
        "UA-23",
        "Zaporizhzhia",
        "в Запорожской области",
        "на Запоріжжі",
        false,
    ),
    (
        "UA-65",
        "Kherson",
        "в Херсонской области",
        "на Херсонщині",
        false,
    ),
    (
        "RU-KRS",
        "Kursk",
        "в Курской области",
        "у Курській області",
        false,
    ),
    (
        "RU-BEL",
        "Belgorod",
        "в Белгородской области",
        "у Бєлгородській області",
        false,
    ),
    (
        "UA-09",
        "Luhansk",
        "в Луганской области",
        "на Луганщині",
        false,
    ),
    (
        "UA-12",
        "Dnipropetrovsk",
        "в Днепропетровской области",
        "на Дніпропетровщині",
        false,
    ),
    ("UA-59", "Sumy", "в Сумской области", "на Сумщині", false),
    (
        "UA-48",
        "Mykolaiv",
        "в Николаевской области",
        "на Миколаївщині",
        false,
    ),
    ("UA-30", "Kyiv", "в Киеве", "у Києві", true),
    ("UA-51", "Odesa", "в Одесской области", "на Одещині", false),
    ("UA-32", "Kyiv", "в Киевской области", "на Київщині", false),
    (
        "UA-74",
        "Chernihiv",
        "в Черниговской области",
        "на Чернігівщині",
        false,
    ),
    ("UA-43", "Crimea", "в Крыму", "у Криму", false),
    (
        "RU-BRY",
        "Bryansk",
        "в Брянской области",
        "у Брянській області",
        false,
    ),
    (
        "UA-53",
        "Poltava",
        "в Полтавской области",
        "на Полтавщині",
        false,
    ),
    (
        "UA-46",
        "Lviv",
        "во Львовской области",
        "на Львівщині",
        false,
    ),
    (
        "RU-ROS",
        "Rostov",
        "в Ростовской области",
        "у Ростовській області",
        false,
    ),
    (
        "UA-18",
        "Zhytomyr",
        "в Житомирской области",
        "на Житомирщині",
        false,
    ),
    ("RU-MOW", "Moscow", "в Москве", "у Москві", true),
    (
        "UA-71",
        "Cherkasy",
        "в Черкасской области",
        "на Черкащині",
        false,
    ),
    (
        "UA-05",
        "Vinnytsia",
        "в Винницкой области",
        "на Вінниччині",
        false,
    ),
    (
        "RU-VOR",
        "Voronezh",
        "в Воронежской области",
        "у Воронезькій області",
        false,
    ),
    (
        "UA-40",
        "Sevastopol",
        "в Севастополе",
        "у Севастополі",
        true,
    ),
    (
        "UA-56",
        "Rivne",
        "в Ровненской области",
        "на Рівненщині",
        false,
    ),
    (
        "UA-35",
        "Kirovohrad",
        "в Кировоградской области",
        "на Кіровоградщині",
        false,
    ),
    (
        "UA-68",
        "Khmelnytskyi",
        "в Хмельницкой области",
        "на Хмельниччині",
        false,
    ),
    (
        "RU-KDA",
        "Krasnodar",
        "в Краснодарском крае",
        "у Краснодарському краї",
        false,
    ),
    (
        "BY-HO",
        "Gomel",
        "в Гомельской области",
        "у Гомельській області",
        false,
    ),
    ("KP-01", "Pyongyang", "в Пхеньяне", "у Пхеньяні", true),
];

/// Actor labels in en, id, ru, uk.
const ACTORS: &[(&str, [&str; 4])] = &[
    (
        "russia-military",
        [
            "Russian forces",
            "pasukan Rusia",
            "российские войска",
            "російські війська",
        ],
    ),
    (
        "russia-aerospace-forces",
        [
            "Russian Aerospace Forces",
            "Angkatan Udara Rusia",
            "ВКС России",
            "ПКС Росії",
        ],
    ),
    (
        "wagner",
        [
            "Wagner fighters",
            "pasukan Wagner",
            "бойцы «Вагнера»",
            "бійці «Вагнера»",
        ],
    ),
    (
        "kpa",
        [
            "North Korean troops",
            "tentara Korea Utara",
            "северокорейские военные",
            "північнокорейські військові",
        ],
    ),
    (
        "black-sea-fleet",
        [
            "the Black Sea Fleet",
            "Armada Laut Hitam",
            "Черноморский флот",
            "Чорноморський флот",
        ],
    ),
    (
        "ukraine-military",
        ["Ukrainian forces", "pasukan Ukraina", "ВСУ", "ЗСУ"],
    ),
    (
        "ukraine-air-force",
        [
            "Ukraine's air force",
            "Angkatan Udara Ukraina",
            "ВВС Украины",
            "Повітряні сили ЗСУ",
        ],
    ),
    (
        "gur",
        [
            "Ukraine's military intelligence",
            "intelijen militer Ukraina",
            "ГУР Украины",
            "ГУР",
        ],
    ),
    ("sbu", ["the SBU", "SBU", "СБУ", "СБУ"]),
    (
        "ukraine-national-guard",
        [
            "Ukraine's National Guard",
            "Garda Nasional Ukraina",
            "Нацгвардия Украины",
            "Нацгвардія",
        ],
    ),
    (
        "russian-volunteer-corps",
        [
            "the Russian Volunteer Corps",
            "Korps Relawan Rusia",
            "Русский добровольческий корпус",
            "Російський добровольчий корпус",
        ],
    ),
    ("russia", ["Russia", "Rusia", "Россия", "Росія"]),
    ("ukraine", ["Ukraine", "Ukraina", "Украина", "Україна"]),
    (
        "united-states",
        ["the United States", "Amerika Serikat", "США", "США"],
    ),
    (
        "north-korea",
        ["North Korea", "Korea Utara", "КНДР", "КНДР"],
    ),
    ("china", ["China", "China", "Китай", "Китай"]),
    ("belarus", ["Belarus", "Belarus", "Белоруссия", "Білорусь"]),
    (
        "united-kingdom",
        [
            "the United Kingdom",
            "Inggris",
            "Великобритания",
            "Велика Британія",
        ],
    ),
    ("germany", ["Germany", "Jerman", "Германия", "Німеччина"]),
    ("france", ["France", "Prancis", "Франция", "Франція"]),
    ("poland", ["Poland", "Polandia", "Польша", "Польща"]),
    ("turkey", ["Turkey", "Turki", "Турция", "Туреччина"]),
    ("iran", ["Iran", "Iran", "Иран", "Іран"]),
    (
        "vladimir-putin",
        [
            "Vladimir Putin",
            "Vladimir Putin",
            "Владимир Путин",
            "Володимир Путін",
        ],
    ),
    (
        "volodymyr-zelensky",
        [
            "Volodymyr Zelensky",
            "Volodymyr Zelensky",
            "Владимир Зеленский",
            "Володимир Зеленський",
        ],
    ),
    (
        "kim-jong-un",
        ["Kim Jong Un", "Kim Jong Un", "Ким Чен Ын", "Кім Чен Ин"],
    ),
    (
        "sergei-lavrov",
        [
            "Sergei Lavrov",
            "Sergei Lavrov",
            "Сергей Лавров",
            "Сергій Лавров",
        ],
    ),
    (
        "joe-biden",
        ["Joe Biden", "Joe Biden", "Джо Байден", "Джо Байден"],
    ),
    (
        "donald-trump",
        [
            "Donald Trump",
            "Donald Trump",
            "Дональд Трамп",
            "Дональд Трамп",
        ],
    ),
];

/// Who attacks in a region of each side, with weights.
const RU_FORCES: &[(&str, f64)] = &[
    ("russia-military", 6.0),
    ("russia-aerospace-forces", 2.0),
    ("wagner", 0.6),
    ("black-sea-fleet", 0.3),
    ("kpa", 0.4),
];
const UA_FORCES: &[(&str, f64)] = &[
    ("ukraine-military", 6.0),
    ("ukraine-air-force", 1.0),
    ("gur", 0.6),
    ("sbu", 0.5),
    ("ukraine-national-guard", 0.5),
    ("russian-volunteer-corps", 0.3),
];
const STATES: &[(&str, f64)] = &[
    ("russia", 6.0),
    ("ukraine", 6.0),
    ("united-states", 3.0),
    ("vladimir-putin", 2.0),
    ("volodymyr-zelensky", 2.0),
    ("north-korea", 1.0),
    ("kim-jong-un", 0.6),
    ("china", 1.0),
    ("belarus", 0.8),
    ("united-kingdom", 1.0),
    ("germany", 1.0),
    ("france", 0.8),
    ("poland", 0.8),
    ("turkey", 0.6),
    ("iran", 0.5),
    ("sergei-lavrov", 0.8),
    ("joe-biden", 0.8),
    ("donald-trump", 0.8),
];

/// A kind of event: its PLOVER type, mode and ACLED type, and clause templates per
/// language with `{A}` (initiator), `{T}` (target) and `{P}` (where).
struct Kind {
    plover: &'static str,
    mode: Option<&'static str>,
    acled: Option<(&'static str, &'static str)>,
    weight: f64,
    /// Fought in a region by the two sides' forces; otherwise between states and leaders.
    armed: bool,
    confidence: f64,
    text: [&'static [&'static str]; 4],
}

const KINDS: &[Kind] = &[
    Kind {
        plover: "assault",
        mode: Some("drone"),
        acled: Some(("Explosions/Remote violence", "Air/drone strike")),
        weight: 20.0,
        armed: true,
        confidence: 0.9,
        text: [
            &[
                "{A} launched a drone attack {P}",
                "{A} struck energy infrastructure {P} with attack drones",
            ],
            &[
                "{A} melancarkan serangan drone {P}",
                "drone {A} menghantam infrastruktur energi {P}",
            ],
            &[
                "{A} атаковали беспилотниками объекты {P}",
                "{A} нанесли удар дронами {P}",
            ],
            &[
                "{A} атакували дронами об'єкти {P}",
                "{A} завдали удару безпілотниками {P}",
            ],
        ],
    },
    Kind {
        plover: "assault",
        mode: Some("missile"),
        acled: Some((
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
        )),
        weight: 12.0,
        armed: true,
        confidence: 0.92,
        text: [
            &[
                "{A} launched a missile strike {P}",
                "missiles fired by {A} hit an energy facility {P}",
            ],
            &[
                "{A} meluncurkan serangan rudal {P}",
                "rudal yang ditembakkan {A} menghantam fasilitas energi {P}",
            ],
            &[
                "{A} нанесли ракетный удар {P}",
                "{A} выпустили ракеты по энергетическому объекту {P}",
            ],
            &[
                "{A} завдали ракетного удару {P}",
                "{A} випустили ракети по енергетичному об'єкту {P}",
            ],
        ],
    },
    Kind {
        plover: "assault",
        mode: Some("artillery"),
        acled: Some((
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
        )),
        weight: 12.0,
        armed: true,
        confidence: 0.88,
        text: [
            &[
                "{A} shelled the positions of {T} {P}",
                "artillery fire from {A} hit residential areas {P}",
            ],
            &[
                "{A} menembaki posisi {T} {P}",
                "tembakan artileri {A} menghantam permukiman {P}",
            ],
            &[
                "{A} обстреляли позиции противника {P}",
                "{A} вели артиллерийский огонь по жилым кварталам {P}",
            ],
            &[
                "{A} обстріляли позиції противника {P}",
                "{A} вели артилерійський вогонь по житлових кварталах {P}",
            ],
        ],
    },
    Kind {
        plover: "assault",
        mode: Some("ground"),
        acled: Some(("Battles", "Armed clash")),
        weight: 15.0,
        armed: true,
        confidence: 0.9,
        text: [
            &[
                "{A} clashed with {T} {P}",
                "{A} attacked the positions of {T} {P}",
                "{A} launched an assault {P}",
            ],
            &[
                "{A} bertempur dengan {T} {P}",
                "{A} menyerbu posisi {T} {P}",
            ],
            &[
                "{A} вступили в бой с противником {P}",
                "{A} пошли в наступление {P}",
            ],
            &[
                "{A} вступили в бій з противником {P}",
                "{A} пішли в наступ {P}",
            ],
        ],
    },
    Kind {
        plover: "assault",
        mode: Some("aerial"),
        acled: Some(("Explosions/Remote violence", "Air/drone strike")),
        weight: 5.0,
        armed: true,
        confidence: 0.88,
        text: [
            &["{A} dropped guided bombs {P}"],
            &["{A} menjatuhkan bom berpemandu {P}"],
            &["{A} сбросили управляемые авиабомбы {P}"],
            &["{A} скинули керовані авіабомби {P}"],
        ],
    },
    Kind {
        plover: "assault",
        mode: Some("seize"),
        acled: Some(("Battles", "Non-state actor overtakes territory")),
        weight: 3.0,
        armed: true,
        confidence: 0.86,
        text: [
            &[
                "{A} captured a village {P}",
                "{A} took control of a settlement {P}",
            ],
            &["{A} merebut sebuah desa {P}"],
            &["{A} заняли населённый пункт {P}"],
            &["{A} захопили населений пункт {P}"],
        ],
    },
    Kind {
        plover: "assault",
        mode: Some("retake"),
        acled: Some(("Battles", "Government regains territory")),
        weight: 2.0,
        armed: true,
        confidence: 0.86,
        text: [
            &["{A} recaptured a village {P}"],
            &["{A} merebut kembali sebuah desa {P}"],
            &["{A} освободили населённый пункт {P}"],
            &["{A} звільнили населений пункт {P}"],
        ],
    },
    Kind {
        plover: "mobilize",
        mode: Some("deploy"),
        acled: Some(("Strategic developments", "Change to group/activity")),
        weight: 5.0,
        armed: true,
        confidence: 0.8,
        text: [
            &["{A} deployed additional troops {P}"],
            &["{A} mengerahkan pasukan tambahan {P}"],
            &["{A} перебросили дополнительные подразделения {P}"],
            &["{A} перекинули додаткові підрозділи {P}"],
        ],
    },
    Kind {
        plover: "retreat",
        mode: Some("withdraw"),
        acled: Some((
            "Strategic developments",
            "Non-violent transfer of territory",
        )),
        weight: 2.0,
        armed: true,
        confidence: 0.82,
        text: [
            &["{A} withdrew from positions {P}"],
            &["{A} mundur dari posisi {P}"],
            &["{A} отошли с позиций {P}"],
            &["{A} відійшли з позицій {P}"],
        ],
    },
    Kind {
        plover: "coerce",
        mode: Some("deport"),
        acled: None,
        weight: 2.0,
        armed: true,
        confidence: 0.78,
        text: [
            &["{A} deported civilians {P}"],
            &["{A} mendeportasi warga sipil {P}"],
            &["{A} депортировали мирных жителей {P}"],
            &["{A} депортували цивільних {P}"],
        ],
    },
    Kind {
        plover: "accuse",
        mode: None,
        acled: None,
        weight: 5.0,
        armed: false,
        confidence: 0.75,
        text: [
            &["{A} accused {T} of attacking civilians {P}"],
            &["{A} menuduh {T} menyerang warga sipil {P}"],
            &["{A} обвинили {T} в ударах по мирным жителям {P}"],
            &["{A} звинуватили {T} в ударах по цивільних {P}"],
        ],
    },
    Kind {
        plover: "aid",
        mode: Some("military-aid"),
        acled: None,
        weight: 4.0,
        armed: false,
        confidence: 0.8,
        text: [
            &["{A} announced a new military aid package for {T}"],
            &["{A} mengumumkan paket bantuan militer baru untuk {T}"],
            &["{A} объявили о новом пакете военной помощи: получатель {T}"],
            &["{A} оголосили новий пакет військової допомоги: отримувач {T}"],
        ],
    },
    Kind {
        plover: "sanction",
        mode: Some("sanctions"),
        acled: None,
        weight: 3.0,
        armed: false,
        confidence: 0.82,
        text: [
            &["{A} imposed new sanctions on {T}"],
            &["{A} menjatuhkan sanksi baru terhadap {T}"],
            &["{A} ввели новые санкции против {T}"],
            &["{A} запровадили нові санкції проти {T}"],
        ],
    },
    Kind {
        plover: "consult",
        mode: Some("call"),
        acled: None,
        weight: 3.0,
        armed: false,
        confidence: 0.78,
        text: [
            &["{A} held talks with {T}"],
            &["{A} mengadakan pembicaraan dengan {T}"],
            &["{A} провели переговоры: {T}"],
            &["{A} провели переговори: {T}"],
        ],
    },
    Kind {
        plover: "agree",
        mode: Some("treaty"),
        acled: Some(("Strategic developments", "Agreement")),
        weight: 1.0,
        armed: false,
        confidence: 0.85,
        text: [
            &["{A} and {T} signed an agreement"],
            &["{A} dan {T} menandatangani perjanjian"],
            &["{A} и {T} подписали соглашение"],
            &["{A} і {T} підписали угоду"],
        ],
    },
    Kind {
        plover: "cooperate",
        mode: Some("prisoner-exchange"),
        acled: Some(("Strategic developments", "Other")),
        weight: 2.0,
        armed: false,
        confidence: 0.84,
        text: [
            &["{A} and {T} exchanged prisoners of war"],
            &["{A} dan {T} bertukar tawanan perang"],
            &["{A} и {T} провели обмен военнопленными"],
            &["{A} і {T} провели обмін полоненими"],
        ],
    },
    Kind {
        plover: "threaten",
        mode: None,
        acled: None,
        weight: 2.0,
        armed: false,
        confidence: 0.72,
        text: [
            &["{A} threatened {T} with retaliation"],
            &["{A} mengancam akan membalas {T}"],
            &["{A} пригрозили ответными мерами: {T}"],
            &["{A} пригрозили відповіддю: {T}"],
        ],
    },
];

/// Month names as dates are written: English, Indonesian, Russian and Ukrainian in the
/// genitive ("6 августа", "6 серпня"), and Russian in the prepositional ("в августе").
/// Index with the `MONTH_*` constants; the evaluation and the tests write dates with
/// them too.
pub const MONTH_EN: usize = 0;
pub const MONTH_ID: usize = 1;
pub const MONTH_RU_GEN: usize = 2;
pub const MONTH_UK_GEN: usize = 3;
pub const MONTH_RU_PREP: usize = 4;
pub const MONTH_NAMES: [[&str; 12]; 5] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ],
    [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    [
        "січня",
        "лютого",
        "березня",
        "квітня",
        "травня",
        "червня",
        "липня",
        "серпня",
        "вересня",
        "жовтня",
        "листопада",
        "грудня",
    ],
    // Russian prepositional ("в августе"); Ukrainian locative is below.
    [
        "январе",
        "феврале",
        "марте",
        "апреле",
        "мае",
        "июне",
        "июле",
        "августе",
        "сентябре",
        "октябре",
        "ноябре",
        "декабре",
    ],
];
/// Ukrainian month names in the locative ("у серпні").
pub const UK_MONTHS_LOC: [&str; 12] = [
    "січні",
    "лютому",
    "березні",
    "квітні",
    "травні",
    "червні",
    "липні",
    "серпні",
    "вересні",
    "жовтні",
    "листопаді",
    "грудні",
];

const PUBLISHERS: [&[&str]; 4] = [
    &[
        "reuters.com",
        "apnews.com",
        "bbc.com",
        "kyivindependent.com",
        "theguardian.com",
        "aljazeera.com",
        "nytimes.com",
    ],
    &[
        "kompas.com",
        "tribunnews.com",
        "detik.com",
        "cnnindonesia.com",
        "antaranews.com",
        "tempo.co",
    ],
    &[
        "meduza.io",
        "tass.ru",
        "ria.ru",
        "interfax.ru",
        "novayagazeta.eu",
        "rbc.ru",
    ],
    &[
        "pravda.com.ua",
        "ukrinform.ua",
        "suspilne.media",
        "unian.ua",
        "nv.ua",
        "hromadske.ua",
    ],
];
const TAILS: [&[&str]; 4] = [
    &[
        ", officials said",
        ", the regional governor said",
        ", according to the General Staff",
        "",
    ],
    &[", kata pejabat setempat", ", menurut gubernur setempat", ""],
    &[", сообщили власти", ", заявил губернатор", ""],
    &[", повідомила влада", ", повідомив голова ОВА", ""],
];
const FILLER: [&str; 4] = [
    "The claim could not be independently verified.",
    "Klaim tersebut belum dapat diverifikasi secara independen.",
    "Эти данные не удалось независимо проверить.",
    "Ці дані не вдалося незалежно перевірити.",
];
const DATELINES: [&str; 4] = ["KYIV", "JAKARTA", "МОСКВА", "КИЇВ"];

/// The generator: deterministic for a seed and a total.
pub struct Generator {
    rng: Rng,
    regions: Vec<RegionInfo>,
    region_weights: Weighted,
    /// The same with Kursk at its August 2024 – April 2025 intensity.
    region_weights_kursk: Weighted,
    kind_weights: Weighted,
    lang_weights: Weighted,
    actors: HashMap<&'static str, (ActorRef, [&'static str; 4])>,
    ru_forces: Weighted,
    ua_forces: Weighted,
    states: Weighted,
    /// Cumulative intensity per day from `first_day`.
    day_cdf: Vec<f64>,
    first_day: Date,
    total: u64,
    ingested_at: String,
}

impl Generator {
    pub fn new(kb: Arc<Knowledge>, seed: u64, total: u64) -> Self {
        let mut regions = Vec::new();
        let mut weights = Vec::new();
        let mut weights_kursk = Vec::new();
        for (rank, (iso, short, ru, uk, city)) in REGIONS.iter().enumerate() {
            let Some(reg) = kb.region(iso) else { continue };
            let in_region: Vec<_> = kb.towns.iter().filter(|p| p.region == *iso).collect();
            let towns: Vec<Town> = in_region
                .iter()
                .map(|p| Town {
                    place: Place {
                        name: p.name.to_string(),
                        lat: p.lat,
                        lon: p.lon,
                        region: Some(p.region.to_string()),
                        geonames_id: p.geonames_id,
                    },
                    cyrillic: p
                        .aliases()
                        .find(|a| a.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)))
                        .unwrap_or(p.name)
                        .to_string(),
                })
                .collect();
            let town_weights = Weighted::new(
                in_region
                    .iter()
                    .map(|p| (p.population.max(1000) as f64).sqrt()),
            );
            let (en, id) = if *city {
                (format!("in {short}"), format!("di {short}"))
            } else {
                (
                    format!("in the {short} region"),
                    format!("di wilayah {short}"),
                )
            };
            // Zipf with s = 1.1 over the ranks.
            let w = 1.0 / ((rank + 1) as f64).powf(1.1);
            weights.push(if *iso == "RU-KRS" { w * 0.25 } else { w });
            weights_kursk.push(if *iso == "RU-KRS" { w * 5.0 } else { w });
            regions.push(RegionInfo {
                r: RegionRef {
                    slug: reg.slug.clone(),
                    iso_code: reg.iso_code.clone(),
                    name: reg.name.clone(),
                    country: reg.country.clone(),
                },
                lat: reg.lat,
                lon: reg.lon,
                phrase: [en, id, ru.to_string(), uk.to_string()],
                towns,
                town_weights,
            });
        }
        let mut actors = HashMap::new();
        for (slug, labels) in ACTORS {
            if let Some(a) = kb.actor(slug) {
                actors.insert(
                    *slug,
                    (
                        ActorRef {
                            slug: a.slug.clone(),
                            name: a.name.clone(),
                            country: a.country.clone(),
                            role: String::new(),
                        },
                        *labels,
                    ),
                );
            }
        }
        let weighted = |xs: &[(&str, f64)]| Weighted::new(xs.iter().map(|x| x.1));
        let first_day = jiff::civil::date(2022, 2, 24);
        let last_day = jiff::civil::date(2026, 6, 30);
        let mut day_cdf = Vec::new();
        let mut acc = 0.0;
        let mut d = first_day;
        while d <= last_day {
            acc += intensity(d);
            day_cdf.push(acc);
            match d.tomorrow() {
                Ok(next) => d = next,
                Err(_) => break,
            }
        }
        Generator {
            rng: Rng::new(seed),
            regions,
            region_weights: Weighted::new(weights),
            region_weights_kursk: Weighted::new(weights_kursk),
            kind_weights: Weighted::new(KINDS.iter().map(|k| k.weight)),
            lang_weights: Weighted::new(LANG_WEIGHTS),
            actors,
            ru_forces: weighted(RU_FORCES),
            ua_forces: weighted(UA_FORCES),
            states: weighted(STATES),
            day_cdf,
            first_day,
            total: total.max(1),
            ingested_at: store::now(),
        }
    }

    /// The day of event `i`: events come in date order, denser where the war was.
    fn day(&mut self, i: u64) -> Date {
        let t = (i as f64 + self.rng.f64()) / self.total as f64;
        let total = *self.day_cdf.last().unwrap_or(&1.0);
        let k = self
            .day_cdf
            .partition_point(|&c| c < t * total)
            .min(self.day_cdf.len() - 1);
        self.first_day
            .checked_add((k as i64).days())
            .unwrap_or(self.first_day)
    }

    fn actor(&self, slug: &str, role: &str) -> Option<(ActorRef, [&'static str; 4])> {
        self.actors.get(slug).map(|(a, l)| {
            let mut a = a.clone();
            a.role = role.to_string();
            (a, *l)
        })
    }

    /// One event with its sources' articles, as rows.
    pub fn event(&mut self, i: u64) -> Generated {
        let day = self.day(i);
        let kind = &KINDS[self.kind_weights.sample(&mut self.rng)];
        let kursk_time =
            day >= jiff::civil::date(2024, 8, 6) && day <= jiff::civil::date(2025, 4, 30);
        // Where.
        let with_region = kind.armed || self.rng.chance(0.3);
        let mut regions: Vec<usize> = Vec::new();
        if with_region {
            let w = if kursk_time {
                &self.region_weights_kursk
            } else {
                &self.region_weights
            };
            regions.push(w.sample(&mut self.rng));
            if kind.armed && self.rng.chance(0.08) {
                let other = w.sample(&mut self.rng);
                if other != regions[0] {
                    regions.push(other);
                }
            }
        }
        // Who.
        let (a_slug, t_slug): (&str, &str) = if kind.armed {
            let country = regions
                .first()
                .map(|&r| self.regions[r].r.country.as_str())
                .unwrap_or("UA");
            let ukraine_attacks = match country {
                "RU" | "BY" => self.rng.chance(0.8),
                _ => self.rng.chance(0.12),
            };
            if ukraine_attacks {
                let mut a = UA_FORCES[self.ua_forces.sample(&mut self.rng)].0;
                if a == "russian-volunteer-corps" && country != "RU" {
                    a = "ukraine-military";
                }
                (a, "russia-military")
            } else {
                let mut a = RU_FORCES[self.ru_forces.sample(&mut self.rng)].0;
                if (a == "kpa" && !(kursk_time && country == "RU"))
                    || (a == "wagner" && day.year() > 2023)
                {
                    a = "russia-military";
                }
                (a, "ukraine-military")
            }
        } else {
            let a = STATES[self.states.sample(&mut self.rng)].0;
            let mut t = STATES[self.states.sample(&mut self.rng)].0;
            for _ in 0..8 {
                if t != a
                    && self.actors.get(t).map(|x| &x.0.country)
                        != self.actors.get(a).map(|x| &x.0.country)
                {
                    break;
                }
                t = STATES[self.states.sample(&mut self.rng)].0;
            }
            (a, t)
        };
        // When, at what precision.
        let p = self.rng.f64();
        let (date, inferred) = if p < 0.82 {
            (EventDate::day(day), self.rng.chance(0.12))
        } else if p < 0.86 {
            (EventDate::week_of(day), true)
        } else if p < 0.96 {
            (
                EventDate::month(day.year(), day.month()).unwrap_or(EventDate::day(day)),
                self.rng.chance(0.3),
            )
        } else if p < 0.98 {
            let first = (day.year(), day.month());
            let end = day.checked_add(2.months()).unwrap_or(day);
            (
                EventDate::months(first, (end.year(), end.month()), Precision::Month)
                    .unwrap_or(EventDate::day(day)),
                false,
            )
        } else {
            (
                EventDate::year(day.year()).unwrap_or(EventDate::day(day)),
                true,
            )
        };
        let lang0 = self.lang_weights.sample(&mut self.rng);
        let variant = self.rng.below(4);
        let tail_pick = self.rng.below(8);
        let mut town = None;
        if let Some(&r) = regions.first()
            && !self.regions[r].towns.is_empty()
            && self.rng.chance(0.45)
        {
            town = Some(self.regions[r].town_weights.sample(&mut self.rng));
        }
        let n_sources = match self.rng.f64() {
            x if x < 0.5 => 1,
            x if x < 0.78 => 2,
            x if x < 0.92 => 3,
            _ => 4,
        };
        let mut source_langs = vec![lang0];
        for _ in 1..n_sources {
            source_langs.push(self.lang_weights.sample(&mut self.rng));
        }
        let confidence = {
            let noise = (self.rng.f64() - 0.5) * 0.2;
            let place = if regions.is_empty() { 0.9 } else { 1.0 };
            let time = if date.precision == Precision::Day {
                1.0
            } else {
                0.88
            };
            ((kind.confidence * place * time + noise).clamp(0.3, 0.99) * 100.0).round() / 100.0
        };
        let event_id = self.rng.id("evt_");

        let a = self.actor(a_slug, "initiator");
        let t = self.actor(t_slug, "target");
        let render = |lang: usize, v: usize| -> String {
            let templates = kind.text[lang];
            let tpl = templates[v % templates.len()];
            let place = match (regions.as_slice(), town) {
                ([], _) => String::new(),
                ([r], Some(k)) => {
                    let reg = &self.regions[*r];
                    let tw = &reg.towns[k];
                    match lang {
                        0 => format!("near {} {}", tw.place.name, reg.phrase[0]),
                        1 => format!("di dekat {}, {}", tw.place.name, &reg.phrase[1][3..]),
                        2 => format!("в районе н. п. {} {}", tw.cyrillic, reg.phrase[2]),
                        _ => format!("поблизу н. п. {} {}", tw.cyrillic, reg.phrase[3]),
                    }
                }
                (rs, _) => {
                    let and = ["and", "dan", "и", "і"][lang];
                    rs.iter()
                        .map(|&r| self.regions[r].phrase[lang].as_str())
                        .collect::<Vec<_>>()
                        .join(&format!(" {and} "))
                }
            };
            let s = tpl
                .replace("{A}", a.as_ref().map_or("", |x| x.1[lang]))
                .replace("{T}", t.as_ref().map_or("", |x| x.1[lang]))
                .replace("{P}", &place);
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let sentence = |lang: usize, v: usize, tail: usize| -> String {
            let clause = render(lang, v);
            let tails = TAILS[lang];
            let tail = tails[tail % tails.len()];
            let d = date_phrase(&date, lang);
            let body = match lang {
                0 | 1 => format!("{d}, {clause}{tail}."),
                _ => format!("{d} {clause}{tail}."),
            };
            capitalise(&body)
        };

        let title = capitalise(&render(lang0, variant));
        let summary = sentence(lang0, variant, tail_pick);
        let mut countries: Vec<String> = Vec::new();
        for &r in &regions {
            let c = &self.regions[r].r.country;
            if !countries.contains(c) {
                countries.push(c.clone());
            }
        }
        if regions.is_empty() {
            for x in [&a, &t].into_iter().flatten() {
                if let Some(c) = &x.0.country
                    && !countries.contains(c)
                {
                    countries.push(c.clone());
                }
            }
        }
        let uses_t = kind.text[lang0][variant % kind.text[lang0].len()].contains("{T}");
        let mut actors = Vec::new();
        if let Some(x) = &a {
            actors.push(x.0.clone());
        }
        if let Some(x) = &t
            && uses_t
            && x.0.slug != a_slug
        {
            actors.push(x.0.clone());
        }
        let places: Vec<Place> = match (regions.as_slice(), town) {
            ([r], Some(k)) => vec![self.regions[*r].towns[k].place.clone()],
            _ => Vec::new(),
        };
        let location = match places.first() {
            Some(p) => Some(Location {
                lat: p.lat,
                lon: p.lon,
                precision: "place".into(),
            }),
            None => regions.first().and_then(|&r| {
                let reg = &self.regions[r];
                Some(Location {
                    lat: reg.lat?,
                    lon: reg.lon?,
                    precision: "region".into(),
                })
            }),
        };
        let event = Event {
            id: event_id.clone(),
            date: date.date_string(),
            end_date: date.end_date_string(),
            date_precision: date.precision,
            date_inferred: inferred,
            event_type: kind.plover.to_string(),
            event_mode: kind.mode.map(str::to_string),
            acled: kind.acled.map(|(t, s)| AcledType {
                event_type: t.to_string(),
                sub_event_type: Some(s.to_string()),
            }),
            title: title.clone(),
            summary: summary.clone(),
            language: LANGS[lang0].to_string(),
            regions: regions.iter().map(|&r| self.regions[r].r.clone()).collect(),
            places,
            location,
            actors,
            countries,
            fatalities: None,
            confidence,
            sources: Vec::new(),
            status: Status::Extracted,
            created_at: String::new(),
            updated_at: String::new(),
            title_edited: false,
            lang: None,
            event_type_label: None,
        };

        // The articles that reported it, each in its own language.
        let mut sources = Vec::with_capacity(n_sources);
        for (k, &lang) in source_langs.iter().enumerate() {
            let v = if k == 0 { variant } else { variant + k };
            let evidence = if k == 0 {
                summary.clone()
            } else {
                sentence(lang, v, tail_pick + k)
            };
            let headline = if k == 0 && lang == lang0 {
                title.clone()
            } else {
                capitalise(&render(lang, v))
            };
            let publisher = *self.rng.pick(PUBLISHERS[lang]);
            let published = date
                .start
                .max(day)
                .checked_add(((k as i64) + self.rng.below(3) as i64).days())
                .unwrap_or(day);
            let article_id = self.rng.id("art_");
            let prefix = format!("{} ({publisher}) — ", DATELINES[lang]);
            // The story reference keeps two reports of the same words distinct articles.
            let text = format!(
                "{prefix}{evidence} {}\n\nRef. {}",
                FILLER[lang],
                &article_id[4..12]
            );
            let start = prefix.chars().count();
            let end = start + evidence.chars().count();
            sources.push(GenSource {
                article_id: article_id.clone(),
                url: format!(
                    "https://{publisher}/{}/{}",
                    published.strftime("%Y/%m/%d"),
                    &article_id[4..]
                ),
                title: headline,
                publisher: publisher.to_string(),
                published_at: published.to_string(),
                language: LANGS[lang].to_string(),
                content_hash: crate::pipeline::events::content_hash(&text),
                text,
                evidence,
                start,
                end,
            });
        }
        let created = format!(
            "{}T{:02}:{:02}:{:02}Z",
            sources[0].published_at,
            self.rng.below(24),
            self.rng.below(60),
            self.rng.below(60)
        );
        Generated {
            event,
            date,
            sources,
            created_at: created,
        }
    }

    /// Events `first..first + n` as one transaction's rows.
    fn batch(&mut self, first: u64, n: u64, backend: Backend) -> Rows {
        let mut rows = Rows::default();
        for i in first..first + n {
            let g = self.event(i);
            g.push_rows(&mut rows, &self.ingested_at, backend);
        }
        rows
    }
}

/// One generated event and the articles it came from.
pub struct Generated {
    /// Without sources and timestamps (the doc gets the sources from `sources`).
    pub event: Event,
    pub date: EventDate,
    pub sources: Vec<GenSource>,
    pub created_at: String,
}

pub struct GenSource {
    pub article_id: String,
    pub url: String,
    pub title: String,
    pub publisher: String,
    pub published_at: String,
    pub language: String,
    pub content_hash: String,
    pub text: String,
    pub evidence: String,
    pub start: usize,
    pub end: usize,
}

impl Generated {
    fn push_rows(self, rows: &mut Rows, ingested_at: &str, backend: Backend) {
        let e = &self.event;
        let lo = self.date.start.to_string();
        let hi = self.date.end.to_string();
        // PostgreSQL: each link row carries the signature of its event's words
        // (migration 0018), made from the texts below.
        let bodies: Vec<String> = self
            .sources
            .iter()
            .map(|s| fold(&format!("{}\n{}\n{}", e.title, s.evidence, s.title)))
            .collect();
        let words = (backend == Backend::Postgres)
            .then(|| store::words::signature(bodies.iter().map(String::as_str)));
        let signed = |mut row: Vec<V>| {
            if let Some(w) = words {
                row.extend(w.map(V::I));
            }
            row
        };
        // The doc holds the sources, as `event_doc` writes it for the store.
        let mut with_sources = e.clone();
        with_sources.sources = self
            .sources
            .iter()
            .map(|s| Source {
                article_id: s.article_id.clone(),
                url: Some(s.url.clone()),
                title: Some(s.title.clone()),
                publisher: Some(s.publisher.clone()),
                published_at: Some(s.published_at.clone()),
                evidence: Evidence {
                    text: s.evidence.clone(),
                    start: s.start,
                    end: s.end,
                },
            })
            .collect();
        let doc = crate::store::db::event_doc(&with_sources).expect("an event serialises");
        rows.events += 1;
        rows.event_rows.extend([
            V::T(e.id.clone()),
            V::T(lo.clone()),
            V::T(hi.clone()),
            V::T(e.event_type.clone()),
            V::R(e.confidence),
            V::T("extracted".into()),
            V::T(doc),
            V::I(1),
            V::T(self.created_at.clone()),
            V::T(self.created_at.clone()),
        ]);
        for r in &e.regions {
            rows.region_rows.extend(signed(vec![
                V::T(r.iso_code.clone()),
                V::T(lo.clone()),
                V::T(hi.clone()),
                V::T(e.id.clone()),
            ]));
        }
        for c in &e.countries {
            rows.country_rows.extend(signed(vec![
                V::T(c.clone()),
                V::T(lo.clone()),
                V::T(hi.clone()),
                V::T(e.id.clone()),
            ]));
        }
        for a in &e.actors {
            rows.actor_rows.extend(signed(vec![
                V::T(a.slug.clone()),
                V::T(lo.clone()),
                V::T(hi.clone()),
                V::T(e.id.clone()),
                V::T(a.role.clone()),
            ]));
        }
        for ((position, s), body) in self.sources.into_iter().enumerate().zip(bodies) {
            rows.articles += 1;
            rows.sources += 1;
            rows.text_rows.extend([V::T(e.id.clone()), V::T(body)]);
            rows.source_rows.extend([
                V::T(e.id.clone()),
                V::T(s.article_id.clone()),
                V::I(position as i64),
                V::O(Some(s.url.clone())),
                V::O(Some(s.title.clone())),
                V::O(Some(s.publisher.clone())),
                V::O(Some(s.published_at.clone())),
                V::T(s.evidence),
                V::I(s.start as i64),
                V::I(s.end as i64),
            ]);
            rows.article_rows.extend([
                V::T(s.article_id),
                V::O(Some(s.url)),
                V::T(s.content_hash),
                V::O(Some(s.title)),
                V::O(Some(s.publisher)),
                V::O(Some(s.published_at)),
                V::T(s.language),
                V::T(s.text),
                V::T(ingested_at.to_string()),
            ]);
        }
    }
}

/// How much happened on a day, relative: the invasion's first weeks, the 2022
/// counter-offensives, Avdiivka, the Kursk incursion.
fn intensity(d: Date) -> f64 {
    let between = |a: (i16, i8, i8), b: (i16, i8, i8)| {
        d >= jiff::civil::date(a.0, a.1, a.2) && d <= jiff::civil::date(b.0, b.1, b.2)
    };
    let base = match d.year() {
        2022 => 1.3,
        2023 => 1.0,
        2024 => 1.1,
        2025 => 0.9,
        _ => 0.7,
    };
    let peak = if between((2022, 2, 24), (2022, 4, 30)) {
        2.2
    } else if between((2022, 8, 29), (2022, 11, 15)) {
        1.6
    } else if between((2023, 10, 10), (2024, 2, 20)) {
        1.3
    } else if between((2024, 8, 6), (2024, 10, 31)) {
        1.8
    } else {
        1.0
    };
    base * peak
}

fn date_phrase(d: &EventDate, lang: usize) -> String {
    let (y, m, day) = (d.start.year(), d.start.month() as usize - 1, d.start.day());
    match (d.precision, lang) {
        (Precision::Day, 0) => format!("on {day} {} {y}", MONTH_NAMES[MONTH_EN][m]),
        (Precision::Day, 1) => format!("pada {day} {} {y}", MONTH_NAMES[MONTH_ID][m]),
        (Precision::Day, 2) => format!("{day} {} {y} года", MONTH_NAMES[MONTH_RU_GEN][m]),
        (Precision::Day, _) => format!("{day} {} {y} року", MONTH_NAMES[MONTH_UK_GEN][m]),
        (Precision::Week, 0) => format!("in the week of {day} {} {y}", MONTH_NAMES[MONTH_EN][m]),
        (Precision::Week, 1) => format!("pada pekan {day} {} {y}", MONTH_NAMES[MONTH_ID][m]),
        (Precision::Week, 2) => format!(
            "на неделе с {day} {} {y} года",
            MONTH_NAMES[MONTH_RU_GEN][m]
        ),
        (Precision::Week, _) => format!(
            "протягом тижня з {day} {} {y} року",
            MONTH_NAMES[MONTH_UK_GEN][m]
        ),
        (Precision::Year, 0) => format!("in {y}"),
        (Precision::Year, 1) => format!("pada tahun {y}"),
        (Precision::Year, 2) => format!("в {y} году"),
        (Precision::Year, _) => format!("у {y} році"),
        (_, lang) => {
            let end = d.end_date_string().map(|_| {
                let em = d.end.month() as usize - 1;
                (em, d.end.year())
            });
            match (lang, end) {
                (0, None) => format!("in {} {y}", MONTH_NAMES[MONTH_EN][m]),
                (0, Some((em, ey))) => {
                    format!(
                        "from {} {y} to {} {ey}",
                        MONTH_NAMES[MONTH_EN][m], MONTH_NAMES[MONTH_EN][em]
                    )
                }
                (1, None) => format!("pada {} {y}", MONTH_NAMES[MONTH_ID][m]),
                (1, Some((em, ey))) => {
                    format!(
                        "dari {} {y} hingga {} {ey}",
                        MONTH_NAMES[MONTH_ID][m], MONTH_NAMES[MONTH_ID][em]
                    )
                }
                (2, None) => format!("в {} {y} года", MONTH_NAMES[MONTH_RU_PREP][m]),
                (2, Some((em, ey))) => {
                    format!(
                        "с {} {y} по {} {ey} года",
                        MONTH_NAMES[MONTH_RU_GEN][m], MONTH_NAMES[MONTH_RU_GEN][em]
                    )
                }
                (_, None) => format!("у {} {y} року", UK_MONTHS_LOC[m]),
                (_, Some((em, ey))) => {
                    format!(
                        "з {} {y} по {} {ey} року",
                        MONTH_NAMES[MONTH_UK_GEN][m], MONTH_NAMES[MONTH_UK_GEN][em]
                    )
                }
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_events_and_valid_dates() {
        let kb = Knowledge::embedded();
        let mut a = Generator::new(kb.clone(), 7, 1000);
        let mut b = Generator::new(kb, 7, 1000);
        let mut last = String::new();
        for i in 0..1000 {
            let (x, y) = (a.event(i), b.event(i));
            assert_eq!(x.event, y.event);
            let e = &x.event;
            let d = EventDate::from_fields(&e.date, e.end_date.as_deref(), e.date_precision)
                .expect("a valid date");
            assert_eq!(d, x.date);
            assert!(e.id.starts_with("evt_") && e.id.len() == 20);
            assert!(!x.sources.is_empty() && x.sources.len() <= 4);
            for s in &x.sources {
                let got: String = s.text.chars().skip(s.start).take(s.end - s.start).collect();
                assert_eq!(got, s.evidence, "evidence offsets point into the text");
            }
            // A year-precision event of 2022 starts on 1 January.
            assert!(x.date.start >= jiff::civil::date(2022, 1, 1));
            // Days are drawn in order (a week or month may start earlier).
            let day = x.sources[0].published_at.clone();
            assert!(
                day >= last || x.date.precision != Precision::Day,
                "{day} < {last}"
            );
            if x.date.precision == Precision::Day {
                last = x.date.start.to_string();
            }
        }
    }

    #[test]
    fn regions_are_skewed() {
        let kb = Knowledge::embedded();
        let mut g = Generator::new(kb, 1, 20_000);
        let mut counts: HashMap<String, usize> = HashMap::new();
        for i in 0..20_000 {
            for r in g.event(i).event.regions {
                *counts.entry(r.slug).or_default() += 1;
            }
        }
        assert!(counts["donetsk"] > counts["kharkiv"]);
        assert!(counts["kharkiv"] > counts["odesa"]);
        assert!(counts.get("kursk").copied().unwrap_or(0) > 200);
    }
}
