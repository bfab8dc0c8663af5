//! `linimasa eval`: scores the extractor against the externally labelled sets in
//! `../shared/eval` (see its README), exactly as that README defines the figures.
//! The sets are read at run time and never copied into the repository.
//!
//! - ACLED notes: date accuracy (some extracted event's date equals `gold_date`) and
//!   region accuracy (the row's event carries `gold_admin1_iso`). The notes carry no
//!   publication date and none is given: the date must come from the note's text.
//! - UCDP headlines: region accuracy, and date resolution on day-precise rows with the
//!   first `source_date` as the publication date.
//! - IndoTimex `test_gold`: TempEval-3 strict and relaxed span F1, and value accuracy
//!   on gold DATE expressions, with `dct` as the publication date.
//! - Robustness: every article of the two news sets through the extractor.
//!
//! "The row's event" is the first event the extractor returns (text order): ACLED
//! notes and UCDP headlines lead with the happening they were coded from.
//! Each figure prints as `name: value (numerator/denominator)`; every miss goes to
//! `<out>/eval-misses-<set>.tsv` with a coarse class, counted in the report.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use jiff::civil::Date;
use serde::Deserialize;

use crate::domain::{Event, EventDate, Precision};
use crate::knowledge::Knowledge;
use crate::pipeline::events::{ArticleInput, ExtractError};
use crate::pipeline::sentences;
use crate::pipeline::timex::{TimeContext, TimeTagger, TimexType};
use crate::pipeline::{Extraction, Extractor};

pub mod body;
pub mod devset;
pub mod geo;
pub mod timebank;

pub const ACLED_FILE: &str = "acled-ukraine-notes-400.csv";
pub const UCDP_FILE: &str = "ucdp-ukraine-2022-2023.csv";
pub const INDOTIMEX_FILE: &str = "indotimex-kompas.jsonl";
pub const NEWS_EN_FILE: &str = "news-en-2022-2024.jsonl";
pub const NEWS_ID_FILE: &str = "news-id-2022-2024.jsonl";

// ---------------------------------------------------------------------------------
// Figures and misses
// ---------------------------------------------------------------------------------

/// How a figure was computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    /// `num / den`.
    Ratio { num: usize, den: usize },
    /// F1 of precision `p_num / p_den` and recall `r_num / r_den`.
    F1 {
        p_num: usize,
        p_den: usize,
        r_num: usize,
        r_den: usize,
    },
    /// F1 of a mean precision `p` and a mean recall `r` over `pages` (the article-body
    /// benchmark's own way of averaging).
    MeanF1 { p: f64, r: f64, pages: usize },
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl Measure {
    pub fn value(&self) -> f64 {
        match *self {
            Measure::Ratio { num, den } => ratio(num, den),
            Measure::F1 {
                p_num,
                p_den,
                r_num,
                r_den,
            } => f1(ratio(p_num, p_den), ratio(r_num, r_den)),
            Measure::MeanF1 { p, r, .. } => f1(p, r),
        }
    }
}

/// One reported number.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub name: String,
    pub measure: Measure,
}

impl Figure {
    fn ratio(name: &str, num: usize, den: usize) -> Self {
        Figure {
            name: name.to_string(),
            measure: Measure::Ratio { num, den },
        }
    }

    pub fn value(&self) -> f64 {
        self.measure.value()
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.measure {
            Measure::Ratio { num, den } => {
                write!(f, "{}: {:.3} ({num}/{den})", self.name, self.value())
            }
            Measure::F1 {
                p_num,
                p_den,
                r_num,
                r_den,
            } => write!(
                f,
                "{}: {:.3} (P {p_num}/{p_den} = {:.3}, R {r_num}/{r_den} = {:.3})",
                self.name,
                self.value(),
                ratio(p_num, p_den),
                ratio(r_num, r_den)
            ),
            Measure::MeanF1 { p, r, pages } => write!(
                f,
                "{}: {:.3} (P {p:.3}, R {r:.3}, means over {pages} pages)",
                self.name,
                self.value()
            ),
        }
    }
}

/// One row the extractor got wrong for one figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub id: String,
    /// The figure it counts against.
    pub metric: &'static str,
    /// A coarse error class, counted in the report.
    pub class: String,
    pub gold: String,
    pub produced: String,
    /// Where to look: the gold expression or the event's evidence sentence.
    pub context: String,
}

/// The figures and misses of one evaluation set.
#[derive(Debug, Clone, Default)]
pub struct SetScore {
    pub set: &'static str,
    pub rows: usize,
    /// Rows the extractor returned an error for (or panicked on).
    pub errors: usize,
    pub figures: Vec<Figure>,
    pub misses: Vec<Miss>,
}

impl SetScore {
    /// Miss counts per (metric, class), most frequent first.
    pub fn classes(&self) -> Vec<(&'static str, String, usize)> {
        let mut m: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
        for x in &self.misses {
            *m.entry((x.metric, x.class.clone())).or_default() += 1;
        }
        let mut v: Vec<_> = m.into_iter().map(|((a, b), n)| (a, b, n)).collect();
        v.sort_by(|a, b| a.0.cmp(b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(&b.1)));
        v
    }

    /// Writes `<out>/eval-misses-<set>.tsv`.
    pub fn write_misses(&self, out: &Path) -> anyhow::Result<PathBuf> {
        std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        let path = out.join(format!("eval-misses-{}.tsv", self.set));
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?,
        );
        writeln!(w, "id\tmetric\tclass\tgold\tproduced\tcontext")?;
        for m in &self.misses {
            writeln!(
                w,
                "{}\t{}\t{}\t{}\t{}\t{}",
                tsv(&m.id),
                m.metric,
                tsv(&m.class),
                tsv(&m.gold),
                tsv(&m.produced),
                tsv(&m.context)
            )?;
        }
        w.flush()?;
        Ok(path)
    }
}

fn tsv(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Robustness over a set of full articles.
#[derive(Debug, Clone, Default)]
pub struct Robustness {
    pub set: &'static str,
    pub articles: usize,
    pub events: usize,
    /// Articles whose whole text is one line the cleaner takes as the title, leaving
    /// no body ("the article has no text after cleaning"): headline-only input, listed
    /// apart from the real errors.
    pub headline_only: Vec<String>,
    /// Other articles the extractor returned an error for: (id, error).
    pub errors: Vec<(String, String)>,
    /// Articles the extractor panicked on: (id, message).
    pub panics: Vec<(String, String)>,
    pub slowest: Duration,
    pub slowest_id: String,
    pub total: Duration,
    /// Every event made, one TSV row each (article id, line number in the set, date,
    /// end date, type, regions, countries, evidence), for reading what a change did
    /// to text outside the development set: `<out>/eval-events-<set>.tsv`.
    pub rows: Vec<String>,
}

impl Robustness {
    /// Writes [`Robustness::rows`] to `<out>/eval-events-<set>.tsv`.
    pub fn write_events(&self, out: &Path) -> anyhow::Result<PathBuf> {
        std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        let path = out.join(format!("eval-events-{}.tsv", self.set));
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?,
        );
        writeln!(w, "id\tline\tdate\tend\ttype\tregions\tcountries\tevidence")?;
        for r in &self.rows {
            writeln!(w, "{r}")?;
        }
        w.flush()?;
        Ok(path)
    }
}

impl fmt::Display for Robustness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} robustness: {} articles, {} events, {} errors, {} panics, {} headline-only articles without a body; slowest {:.1} ms ({}), total {:.2} s",
            self.set,
            self.articles,
            self.events,
            self.errors.len(),
            self.panics.len(),
            self.headline_only.len(),
            self.slowest.as_secs_f64() * 1000.0,
            self.slowest_id,
            self.total.as_secs_f64()
        )?;
        for (id, e) in self.errors.iter().chain(&self.panics) {
            writeln!(f, "  failed {id}: {e}")?;
        }
        if !self.headline_only.is_empty() {
            writeln!(f, "  headline-only: {}", self.headline_only.join(", "))?;
        }
        Ok(())
    }
}

/// Everything `linimasa eval` measured.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub sets: Vec<SetScore>,
    pub robustness: Vec<Robustness>,
    /// The misses files written, one per set.
    pub written: Vec<PathBuf>,
    /// Pages of `html-body/` through the HTML path (extraction and cleaning) and the
    /// time they took.
    pub body_speed: Option<(usize, Duration)>,
    /// Sets that were not found and so not scored.
    pub skipped: Vec<String>,
}

impl Report {
    /// The figure called `name`, from any set.
    pub fn figure(&self, name: &str) -> Option<&Figure> {
        self.sets
            .iter()
            .flat_map(|s| &s.figures)
            .find(|f| f.name == name)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.sets {
            writeln!(
                f,
                "== {} ({} rows, {} extractor errors)",
                s.set, s.rows, s.errors
            )?;
            for x in &s.figures {
                writeln!(f, "{x}")?;
            }
            if !s.misses.is_empty() {
                writeln!(f, "misses by class:")?;
                for (metric, class, n) in s.classes() {
                    writeln!(f, "  {metric} / {class}: {n}")?;
                }
            }
        }
        if let Some((n, t)) = self.body_speed {
            writeln!(
                f,
                "html-body: {n} pages through the HTML path in {:.3} s ({:.1} pages/s)",
                t.as_secs_f64(),
                n as f64 / t.as_secs_f64().max(1e-9)
            )?;
        }
        for s in &self.skipped {
            writeln!(f, "== {s}: not found, skipped")?;
        }
        writeln!(f, "== robustness")?;
        for r in &self.robustness {
            write!(f, "{r}")?;
        }
        for p in &self.written {
            writeln!(f, "misses written to {}", p.display())?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------
// Reading the sets
// ---------------------------------------------------------------------------------

/// Parses RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes;
/// records end in LF or CRLF.
pub fn parse_csv(text: &str) -> anyhow::Result<Vec<Vec<String>>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut at_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            ',' => {
                row.push(std::mem::take(&mut field));
                at_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                at_start = true;
            }
            _ => {
                field.push(c);
                at_start = false;
            }
        }
    }
    if quoted {
        bail!("unterminated quoted field in record {}", rows.len() + 1);
    }
    if !at_start || !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// A CSV file with a header row, read by column name.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> anyhow::Result<Table> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let mut rows = parse_csv(&text).with_context(|| format!("parsing {}", path.display()))?;
        if rows.is_empty() {
            bail!("{} is empty", path.display());
        }
        let header = rows.remove(0);
        rows.retain(|r| !(r.len() == 1 && r[0].is_empty()));
        if let Some((i, r)) = rows
            .iter()
            .enumerate()
            .find(|(_, r)| r.len() != header.len())
        {
            bail!(
                "{}: record {} has {} fields, the header {}",
                path.display(),
                i + 2,
                r.len(),
                header.len()
            );
        }
        Ok(Table { header, rows })
    }

    fn col(&self, name: &str) -> anyhow::Result<usize> {
        self.header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("no column {name:?}"))
    }
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<Vec<T>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{} line {}", path.display(), i + 1))
        })
        .collect()
}

/// `YYYY-MM-DD` or `DD/MM/YYYY` (UCDP's `source_date` uses both).
pub fn parse_day(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Some((d, rest)) = s.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        return Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok();
    }
    s.parse().ok()
}

// ---------------------------------------------------------------------------------
// Helpers shared by the sets
// ---------------------------------------------------------------------------------

/// The extractor's result for one row, panics caught.
fn extract(x: &Extractor, input: &ArticleInput) -> Result<Extraction, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| x.extract(input))) {
        Ok(Ok(e)) => Ok(e),
        Ok(Err(e)) => Err(e.to_string()),
        Err(p) => Err(format!("panic: {}", panic_message(&p))),
    }
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

fn event_date(e: &Event) -> String {
    match &e.end_date {
        Some(end) => format!("{}/{end}", e.date),
        None => e.date.clone(),
    }
}

fn event_regions(e: &Event) -> String {
    let v: Vec<&str> = e.regions.iter().map(|r| r.iso_code.as_str()).collect();
    if v.is_empty() {
        "-".into()
    } else {
        v.join(",")
    }
}

/// `date@regions` for every event, `;`-separated.
fn describe(events: &[Event]) -> String {
    if events.is_empty() {
        return "(no event)".into();
    }
    events
        .iter()
        .map(|e| format!("{}@{}", event_date(e), event_regions(e)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn evidence(events: &[Event]) -> String {
    events
        .first()
        .map(|e| e.sources[0].evidence.text.clone())
        .unwrap_or_default()
}

/// Why an article yielded no event: did the extractor fail, and did the tagger find
/// any time expression in the raw text at all?
fn no_event_class(
    tagger: &TimeTagger,
    lang: &str,
    text: &str,
    published: Option<Date>,
    failure: Option<&str>,
) -> String {
    let timex = !tag_document(tagger, lang, text, published).is_empty();
    match (failure, timex) {
        (Some(e), true) => format!("no event: extractor error ({e})"),
        (Some(e), false) => {
            format!("no event: extractor error ({e}); no time expression either")
        }
        (None, false) => "no event: no time expression".into(),
        (None, true) => "no event: time expression but no trigger beside it".into(),
    }
}

fn region_class(first: Option<&Event>, no_event: &dyn Fn() -> String) -> String {
    match first {
        None => no_event(),
        Some(e) if e.regions.is_empty() => "event without region".into(),
        Some(_) => "other region".into(),
    }
}

/// Confidence buckets of the row's event: the share of rows in each bucket that the
/// metric counts as right. A confidence that means something rises with its bucket.
/// The UCDP rows our reading of the region misses classes B or C: their headlines name
/// no place in Ukraine or Russia, or only other regions or a direction spanning several
/// (`data/eval/ucdp-region-misses.tsv`, written in session 4 and kept since).
fn ucdp_unplaced_rows() -> std::collections::BTreeSet<&'static str> {
    include_str!("../data/eval/ucdp-region-misses.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            let (id, class) = (f.next()?, f.next()?);
            matches!(class, "B" | "C").then_some(id)
        })
        .collect()
}

const CONFIDENCE_BUCKETS: [(f64, f64); 4] = [(0.0, 0.5), (0.5, 0.65), (0.65, 0.8), (0.8, 1.01)];

fn calibration(metric: &str, rows: &[(f64, bool)]) -> Vec<Figure> {
    CONFIDENCE_BUCKETS
        .iter()
        .map(|&(lo, hi)| {
            let inside: Vec<bool> = rows
                .iter()
                .filter(|(c, _)| lo <= *c && *c < hi)
                .map(|(_, ok)| *ok)
                .collect();
            let ok = inside.iter().filter(|b| **b).count();
            Figure::ratio(
                &format!(
                    "{metric}, event confidence in [{lo:.2}, {:.2}) (calibration, diagnostic)",
                    hi.min(1.0)
                ),
                ok,
                inside.len(),
            )
        })
        .collect()
}

/// Whether words of `text` that the gazetteer knows (a region name of `lang`, or a
/// town of `iso`'s) name the region `iso` at all: no extractor can place a row in a
/// region its text never names.
fn names_region(kb: &Knowledge, lang: &str, text: &str, iso: &str) -> bool {
    kb.region_matcher_for(lang)
        .find(text)
        .iter()
        .any(|h| kb.regions[h.payload].iso_code == iso)
        || kb.towns.find(text).iter().any(|h| {
            kb.towns
                .candidates(h.payload)
                .iter()
                .any(|&i| kb.towns.get(i).is_some_and(|p| p.region == iso))
        })
}

// ---------------------------------------------------------------------------------
// ACLED
// ---------------------------------------------------------------------------------

/// ACLED notes, English, no publication date (the notes have none; giving the gold
/// date would leak the answer, and the README gives no other).
pub fn acled(x: &Extractor, tagger: &TimeTagger, path: &Path) -> anyhow::Result<SetScore> {
    let t = Table::read(path)?;
    let (c_id, c_text, c_date, c_iso) = (
        t.col("id")?,
        t.col("text")?,
        t.col("gold_date")?,
        t.col("gold_admin1_iso")?,
    );
    let (c_type, c_sub) = (t.col("gold_event_type")?, t.col("gold_sub_event_type")?);
    let mut s = SetScore {
        set: "acled",
        rows: t.rows.len(),
        ..Default::default()
    };
    let (mut date_ok, mut date_n) = (0, 0);
    let (mut reg_ok, mut reg_any_ok, mut reg_n) = (0, 0, 0);
    let (mut type_ok, mut sub_ok, mut type_n) = (0, 0, 0);
    let mut calibrated: Vec<(f64, bool)> = Vec::new();
    for r in &t.rows {
        let id = &r[c_id];
        let text = &r[c_text];
        let input = ArticleInput {
            language: Some("en".into()),
            text: text.clone(),
            ..Default::default()
        };
        let (events, failure) = match extract(x, &input) {
            Ok(e) => (e.events, None),
            Err(e) => {
                s.errors += 1;
                (Vec::new(), Some(e))
            }
        };
        let no_event = || no_event_class(tagger, "en", text, None, failure.as_deref());
        let produced = describe(&events);
        let gold_date = r[c_date].trim();
        if !gold_date.is_empty() {
            date_n += 1;
            // One day, that day: a period that starts on it does not count.
            let hit = events.iter().any(|e| {
                e.date_precision == Precision::Day && e.end_date.is_none() && e.date == gold_date
            });
            if hit {
                date_ok += 1;
            } else {
                let class = if events.is_empty() {
                    no_event()
                } else if events.iter().any(|e| e.date.starts_with(gold_date)) {
                    "right day, stated as a period".into()
                } else if events.iter().any(|e| {
                    EventDate::of_event(e)
                        .is_some_and(|d| EventDate::parse(gold_date).is_ok_and(|g| d.overlaps(&g)))
                }) {
                    "coarser date containing the day".into()
                } else {
                    "other date".into()
                };
                s.misses.push(Miss {
                    id: id.clone(),
                    metric: "date",
                    class,
                    gold: gold_date.to_string(),
                    produced: produced.clone(),
                    context: evidence(&events),
                });
            }
        }
        let gold_type = r[c_type].trim();
        if !gold_type.is_empty() {
            type_n += 1;
            // The row's event is the first the note yields, as for regions.
            let ours = events.first().and_then(|e| e.acled.as_ref());
            if ours.is_some_and(|a| a.event_type == gold_type) {
                type_ok += 1;
                if ours.and_then(|a| a.sub_event_type.as_deref()) == Some(r[c_sub].trim()) {
                    sub_ok += 1;
                }
            } else {
                let class = match (events.first(), ours) {
                    (None, _) => no_event(),
                    (Some(e), None) => format!("{} without an ACLED type", e.event_type),
                    (Some(_), Some(a)) => format!("{gold_type} read as {}", a.event_type),
                };
                s.misses.push(Miss {
                    id: id.clone(),
                    metric: "event type",
                    class,
                    gold: format!("{gold_type} / {}", r[c_sub].trim()),
                    produced: produced.clone(),
                    context: evidence(&events),
                });
            }
        }
        let iso = r[c_iso].trim();
        if !iso.is_empty() {
            reg_n += 1;
            let carries = |e: &Event| e.regions.iter().any(|g| g.iso_code == iso);
            if events.iter().any(carries) {
                reg_any_ok += 1;
            }
            if let Some(e) = events.first() {
                calibrated.push((e.confidence, carries(e)));
            }
            if events.first().is_some_and(carries) {
                reg_ok += 1;
            } else {
                s.misses.push(Miss {
                    id: id.clone(),
                    metric: "region",
                    class: region_class(events.first(), &no_event),
                    gold: iso.to_string(),
                    produced,
                    context: evidence(&events),
                });
            }
        }
    }
    s.figures = vec![
        Figure::ratio("acled date accuracy", date_ok, date_n),
        Figure::ratio("acled region accuracy", reg_ok, reg_n),
        Figure::ratio("acled event type accuracy", type_ok, type_n),
        Figure::ratio("acled sub-event type accuracy (diagnostic)", sub_ok, type_n),
        Figure::ratio(
            "acled region accuracy, any event (diagnostic)",
            reg_any_ok,
            reg_n,
        ),
    ];
    s.figures
        .extend(calibration("acled region accuracy", &calibrated));
    Ok(s)
}

// ---------------------------------------------------------------------------------
// UCDP
// ---------------------------------------------------------------------------------

/// UCDP headlines, English. The `;` that joins a row's headlines is a field separator,
/// not text: each headline goes on its own line (the sentence splitter's boundary).
/// The publication date is the first `source_date`.
pub fn ucdp(x: &Extractor, tagger: &TimeTagger, path: &Path) -> anyhow::Result<SetScore> {
    let t = Table::read(path)?;
    let (c_id, c_text, c_from, c_to, c_prec, c_iso, c_src) = (
        t.col("id")?,
        t.col("text")?,
        t.col("gold_date")?,
        t.col("gold_date_end")?,
        t.col("gold_date_prec")?,
        t.col("gold_admin1_iso")?,
        t.col("source_date")?,
    );
    let mut s = SetScore {
        set: "ucdp",
        rows: t.rows.len(),
        ..Default::default()
    };
    let (mut reg_ok, mut reg_any_ok, mut reg_n, mut reg_dated) = (0, 0, 0, 0);
    let mut reg_named = 0;
    // Rows whose headlines name a place in Ukraine or Russia: every row but those our
    // reading of the misses classes B (no such place named) or C (only other regions,
    // or a direction spanning several), data/eval/ucdp-region-misses.tsv.
    let unplaced = ucdp_unplaced_rows();
    let (mut placed_ok, mut placed_n) = (0, 0);
    let mut calibrated: Vec<(f64, bool)> = Vec::new();
    let kb = x.knowledge();
    let (mut res_ok, mut res_n, mut res_pub, mut res_eve) = (0, 0, 0, 0);
    for r in &t.rows {
        let id = &r[c_id];
        let text = r[c_text]
            .split(';')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n");
        let published = r[c_src].split(';').next().and_then(parse_day);
        let input = ArticleInput {
            language: Some("en".into()),
            published,
            text: text.clone(),
            ..Default::default()
        };
        let (events, failure) = match extract(x, &input) {
            Ok(e) => (e.events, None),
            Err(e) => {
                s.errors += 1;
                (Vec::new(), Some(e))
            }
        };
        let no_event = || no_event_class(tagger, "en", &text, published, failure.as_deref());
        let produced = describe(&events);
        let iso = r[c_iso].trim();
        if !iso.is_empty() {
            reg_n += 1;
            let carries = |e: &Event| e.regions.iter().any(|g| g.iso_code == iso);
            if events.iter().any(carries) {
                reg_any_ok += 1;
            }
            // Diagnostic: the places the extractor finds once every headline states a
            // date ("On 8 September 2022, <headline>."), which headlines rarely do.
            if let Some(p) = published {
                let dated: Vec<String> = r[c_text]
                    .split(';')
                    .map(|h| {
                        let h = h.trim().trim_end_matches(['.', '!', '?']);
                        format!(
                            "On {} {} {}, {h}.",
                            p.day(),
                            crate::synthetic::MONTH_NAMES[crate::synthetic::MONTH_EN]
                                [p.month() as usize - 1],
                            p.year()
                        )
                    })
                    .collect();
                let input = ArticleInput {
                    language: Some("en".into()),
                    published,
                    text: dated.join("\n"),
                    ..Default::default()
                };
                let got = extract(x, &input).map(|e| e.events).unwrap_or_default();
                if got.first().is_some_and(carries) {
                    reg_dated += 1;
                } else {
                    s.misses.push(Miss {
                        id: id.clone(),
                        metric: "region, dated headlines (diagnostic)",
                        class: region_class(got.first(), &|| {
                            "no event: no trigger beside the date".into()
                        }),
                        gold: iso.to_string(),
                        produced: describe(&got),
                        context: evidence(&got),
                    });
                }
            }
            if names_region(kb, "en", &text, iso) {
                reg_named += 1;
            }
            if let Some(e) = events.first() {
                calibrated.push((e.confidence, carries(e)));
            }
            let placed = !unplaced.contains(id.as_str());
            placed_n += usize::from(placed);
            if events.first().is_some_and(carries) {
                reg_ok += 1;
                placed_ok += usize::from(placed);
            } else {
                s.misses.push(Miss {
                    id: id.clone(),
                    metric: "region",
                    class: region_class(events.first(), &no_event),
                    gold: iso.to_string(),
                    produced: produced.clone(),
                    context: evidence(&events),
                });
            }
        }
        if r[c_prec].trim() == "1" {
            let (Some(from), Some(to)) = (parse_day(&r[c_from]), parse_day(&r[c_to])) else {
                bail!("{id}: gold_date..gold_date_end is not a pair of days");
            };
            res_n += 1;
            if published.is_some_and(|p| from <= p && p <= to) {
                res_pub += 1;
            }
            let eve = published.and_then(|p| p.yesterday().ok());
            if eve.is_some_and(|p| from <= p && p <= to) {
                res_eve += 1;
            }
            let got = events.first().and_then(EventDate::of_event);
            if got.is_some_and(|d| from <= d.start && d.end <= to) {
                res_ok += 1;
            } else {
                let class = match got {
                    None => no_event(),
                    Some(d)
                        if d.overlaps(&EventDate::day(from)) || d.overlaps(&EventDate::day(to)) =>
                    {
                        "coarser date containing the gold span".into()
                    }
                    Some(d) if d.end < from => "earlier than gold".into(),
                    Some(_) => "later than gold".into(),
                };
                s.misses.push(Miss {
                    id: id.clone(),
                    metric: "date resolution",
                    class,
                    gold: format!(
                        "{from}..{to} (published {})",
                        published.map_or("?".into(), |d| d.to_string())
                    ),
                    produced,
                    context: evidence(&events),
                });
            }
        }
    }
    s.figures = vec![
        Figure::ratio("ucdp region accuracy", reg_ok, reg_n),
        Figure::ratio(
            "ucdp region accuracy over rows naming a place in Ukraine or Russia (not classed B/C in data/eval/ucdp-region-misses.tsv)",
            placed_ok,
            placed_n,
        ),
        Figure::ratio(
            "ucdp region accuracy, any event (diagnostic)",
            reg_any_ok,
            reg_n,
        ),
        Figure::ratio(
            "ucdp region accuracy were each headline to state its publication date (diagnostic)",
            reg_dated,
            reg_n,
        ),
        Figure::ratio(
            "ucdp rows whose headlines name the gold region in words the gazetteer knows (ceiling, diagnostic)",
            reg_named,
            reg_n,
        ),
        Figure::ratio("ucdp date resolution", res_ok, res_n),
        Figure::ratio(
            "ucdp date resolution of the publication date itself (baseline, diagnostic)",
            res_pub,
            res_n,
        ),
        Figure::ratio(
            "ucdp date resolution of the day before publication (baseline, diagnostic)",
            res_eve,
            res_n,
        ),
    ];
    s.figures
        .extend(calibration("ucdp region accuracy", &calibrated));
    Ok(s)
}

// ---------------------------------------------------------------------------------
// IndoTimex
// ---------------------------------------------------------------------------------

/// A time expression of a whole document, offsets in characters (Unicode scalar
/// values) of the document, as IndoTimex counts them.
#[derive(Debug, Clone, PartialEq)]
pub struct DocTimex {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: TimexType,
    /// The date or period; `None` for a duration, a set, an expression that could
    /// not be resolved and a reference to the present, past or future.
    pub date: Option<EventDate>,
    /// The value as TIMEX3 writes it (see [`timex_value`]; `PRESENT_REF` etc.).
    pub value: String,
}

/// Tags a whole document sentence by sentence, as the extractor does (one narrative
/// context across sentences), and maps offsets back to the document's characters.
/// Every expression TIMEX3 counts is included ([`TimeTagger::tag_noted`]): dates,
/// times, durations, sets, and references to the present, past and future.
pub fn tag_document(
    tagger: &TimeTagger,
    lang: &str,
    text: &str,
    published: Option<Date>,
) -> Vec<DocTimex> {
    let mut ctx = TimeContext::new(published);
    let mut out = Vec::new();
    // Byte offset → character offset, advanced monotonically.
    let (mut byte, mut chars) = (0usize, 0usize);
    let mut to_char = |b: usize| {
        chars += text[byte..b].chars().count();
        byte = b;
        chars
    };
    let mut notes = Vec::new();
    for span in sentences::split(text, lang) {
        let s = &text[span.start..span.end];
        notes.clear();
        tagger.tag_noted(lang, s, &mut ctx, Some(&mut notes));
        for n in notes.drain(..) {
            out.push(DocTimex {
                start: to_char(span.start + n.start),
                end: to_char(span.start + n.end),
                text: s[n.start..n.end].to_string(),
                kind: n.kind,
                date: n.resolved.map(|r| r.value),
                value: n.value,
            });
        }
    }
    out
}

/// An [`EventDate`] as a TIMEX3 value (the pipeline's [`timex3_value`]).
pub use crate::pipeline::timex::timex3_value as timex_value;

#[derive(Debug, Deserialize)]
struct IndoDoc {
    doc_id: String,
    split: String,
    dct: String,
    text: String,
    /// Null for the `development_dct_only` docs.
    #[serde(default)]
    timexes: Option<Vec<GoldTimex>>,
}

#[derive(Debug, Deserialize)]
struct GoldTimex {
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: String,
    value: String,
    text: String,
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// IndoTimex `test_gold`: TempEval-3 span scores over every gold TIMEX3 (DATE, TIME,
/// DURATION, SET) and value accuracy on gold DATE expressions.
///
/// - strict: a prediction and a gold expression match when their spans are equal;
///   relaxed: when they overlap. Precision = predictions that match some gold /
///   predictions; recall = gold that some prediction matches / gold.
/// - DATE value accuracy: of all gold DATE expressions, the share whose overlapping
///   prediction (the one overlapping most, the earlier on a tie) has exactly the gold
///   value; `PRESENT_REF`, `P1Y` and the like count as misses unless produced.
pub fn indotimex(tagger: &TimeTagger, path: &Path) -> anyhow::Result<SetScore> {
    let docs: Vec<IndoDoc> = read_jsonl(path)?;
    let docs: Vec<(&IndoDoc, &[GoldTimex])> = docs
        .iter()
        .filter(|d| d.split == "test_gold")
        .map(|d| (d, d.timexes.as_deref().unwrap_or_default()))
        .collect();
    let mut s = SetScore {
        set: "indotimex",
        rows: docs.len(),
        ..Default::default()
    };
    let (mut pred_n, mut gold_n) = (0, 0);
    let (mut p_strict, mut r_strict, mut p_relaxed, mut r_relaxed) = (0, 0, 0, 0);
    let (mut val_ok, mut date_n, mut date_matched) = (0, 0, 0);
    for (d, gold) in docs {
        let dct = parse_day(&d.dct).with_context(|| format!("{}: dct {:?}", d.doc_id, d.dct))?;
        // Gold offsets must be character offsets of `text`.
        let chars: Vec<char> = d.text.chars().collect();
        for g in gold {
            let at: String = chars
                .get(g.start..g.end)
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            if at != g.text {
                bail!(
                    "{}: gold offsets {}..{} do not hold {:?} as characters",
                    d.doc_id,
                    g.start,
                    g.end,
                    g.text
                );
            }
        }
        let pred = tag_document(tagger, "id", &d.text, Some(dct));
        pred_n += pred.len();
        gold_n += gold.len();
        let gspan = |g: &GoldTimex| (g.start, g.end);
        let pspan = |p: &DocTimex| (p.start, p.end);
        for p in &pred {
            if gold.iter().any(|g| gspan(g) == pspan(p)) {
                p_strict += 1;
            }
            if gold.iter().any(|g| overlap(gspan(g), pspan(p)) > 0) {
                p_relaxed += 1;
            } else {
                s.misses.push(Miss {
                    id: d.doc_id.clone(),
                    metric: "span",
                    class: format!(
                        "spurious ({})",
                        p.date.as_ref().map_or("reference", precision_name)
                    ),
                    gold: "-".into(),
                    produced: format!("{} = {}", p.text, p.value),
                    context: format!("{}..{}", p.start, p.end),
                });
            }
        }
        for g in gold {
            let best = pred
                .iter()
                .filter(|p| overlap(gspan(g), pspan(p)) > 0)
                .max_by(|a, b| {
                    overlap(gspan(g), pspan(a))
                        .cmp(&overlap(gspan(g), pspan(b)))
                        .then(b.start.cmp(&a.start))
                });
            if pred.iter().any(|p| pspan(p) == gspan(g)) {
                r_strict += 1;
            }
            let gold = format!("{} = {} {}", g.text, g.kind, g.value);
            match best {
                Some(p) => {
                    r_relaxed += 1;
                    if pspan(p) != gspan(g) {
                        s.misses.push(Miss {
                            id: d.doc_id.clone(),
                            metric: "span",
                            class: "span differs (strict miss)".into(),
                            gold: gold.clone(),
                            produced: format!("{} = {}", p.text, p.value),
                            context: format!("{}..{}", g.start, g.end),
                        });
                    }
                }
                None => s.misses.push(Miss {
                    id: d.doc_id.clone(),
                    metric: "span",
                    class: format!("missed {}", gold_class(g)),
                    gold: gold.clone(),
                    produced: "-".into(),
                    context: format!("{}..{}", g.start, g.end),
                }),
            }
            if g.kind != "DATE" {
                continue;
            }
            date_n += 1;
            if best.is_some() {
                date_matched += 1;
            }
            match best {
                Some(p) if p.value == g.value => val_ok += 1,
                _ => s.misses.push(Miss {
                    id: d.doc_id.clone(),
                    metric: "DATE value",
                    class: match best {
                        None => format!("not tagged: {}", gold_class(g)),
                        Some(p) => value_class(&g.value, &p.value),
                    },
                    gold,
                    produced: best.map_or("-".into(), |p| format!("{} = {}", p.text, p.value)),
                    context: format!("{}..{}", g.start, g.end),
                }),
            }
        }
    }
    s.figures = vec![
        Figure {
            name: "indotimex strict span F1".into(),
            measure: Measure::F1 {
                p_num: p_strict,
                p_den: pred_n,
                r_num: r_strict,
                r_den: gold_n,
            },
        },
        Figure {
            name: "indotimex relaxed span F1".into(),
            measure: Measure::F1 {
                p_num: p_relaxed,
                p_den: pred_n,
                r_num: r_relaxed,
                r_den: gold_n,
            },
        },
        Figure::ratio("indotimex DATE value accuracy", val_ok, date_n),
        Figure::ratio(
            "indotimex DATE value accuracy, tagged DATEs only (diagnostic)",
            val_ok,
            date_matched,
        ),
    ];
    Ok(s)
}

fn precision_name(d: &EventDate) -> &'static str {
    if d.end_date_string().is_some() && !matches!(d.precision, Precision::Season) {
        "period"
    } else {
        d.precision.as_str()
    }
}

/// The shape of a gold expression: its type and the form of its value.
fn gold_class(g: &GoldTimex) -> String {
    format!("{} {}", g.kind, value_shape(&g.value))
}

fn value_shape(v: &str) -> String {
    if v.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
        return v.to_string(); // PRESENT_REF, PAST_REF, FUTURE_REF
    }
    let shape: String = v
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    match shape.as_str() {
        "9999-99-99" => "day".into(),
        "9999-99" => "month".into(),
        "9999" => "year".into(),
        _ if v.starts_with('P') => "duration".into(),
        _ if v.contains('T') => "time".into(),
        _ => shape,
    }
}

/// Why a tagged gold DATE got the wrong value.
fn value_class(gold: &str, ours: &str) -> String {
    let (gs, os) = (value_shape(gold), value_shape(ours));
    if gs != os {
        format!("granularity: gold {gs}, ours {os}")
    } else if gold.get(..4) != ours.get(..4) {
        format!("wrong year ({gs})")
    } else {
        format!("wrong {gs}")
    }
}

// ---------------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------------

#[derive(Debug, Deserialize, Clone)]
struct NewsDoc {
    id: String,
    #[serde(default)]
    seen_date: Option<String>,
    #[serde(default)]
    published_iso: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    title: Option<String>,
    text: String,
}

/// A news set's article as the pipeline takes it: its text, title and language, and
/// its publication date (or the day it was seen).
fn news_input(d: NewsDoc) -> ArticleInput {
    let published = d
        .published_iso
        .as_deref()
        .or(d.seen_date.as_deref())
        .and_then(|s| parse_day(s.get(..10).unwrap_or(s)));
    ArticleInput {
        title: d.title,
        published,
        language: d.lang,
        text: d.text,
        ..Default::default()
    }
}

/// Every article of a news set through the extractor: counts, failures, time.
pub fn robustness(x: &Extractor, set: &'static str, path: &Path) -> anyhow::Result<Robustness> {
    let docs: Vec<NewsDoc> = read_jsonl(path)?;
    let mut r = Robustness {
        set,
        ..Default::default()
    };
    let all = Instant::now();
    for (line, d) in docs.into_iter().enumerate() {
        let one_line = !d.text.trim().contains('\n');
        let id = d.id.clone();
        let input = news_input(d);
        let t = Instant::now();
        let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| x.extract(&input)));
        let took = t.elapsed();
        r.articles += 1;
        if took > r.slowest {
            r.slowest = took;
            r.slowest_id = id.clone();
        }
        match res {
            Ok(Ok(e)) => {
                r.events += e.events.len();
                for ev in &e.events {
                    let regions: Vec<&str> =
                        ev.regions.iter().map(|x| x.iso_code.as_str()).collect();
                    r.rows.push(format!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        tsv(&id),
                        line + 1,
                        ev.date,
                        ev.end_date.as_deref().unwrap_or(""),
                        ev.event_type,
                        regions.join(","),
                        ev.countries.join(","),
                        tsv(ev.sources.first().map_or("", |x| x.evidence.text.as_str()))
                    ));
                }
            }
            Ok(Err(ExtractError::Empty)) if one_line => r.headline_only.push(id),
            Ok(Err(e)) => r.errors.push((id, e.to_string())),
            Err(p) => r.panics.push((id, panic_message(&p))),
        }
    }
    r.total = all.elapsed();
    Ok(r)
}

// ---------------------------------------------------------------------------------
// Publication dates of web pages
// ---------------------------------------------------------------------------------

#[derive(Deserialize)]
struct GoldPage {
    file: String,
    date: String,
}

/// The folder of the publication-date set, under the sets' folder.
pub const PUBLISHED_DATE_DIR: &str = "published-date";

/// Publication dates of web pages (`published-date/`): the share of pages whose date
/// is the gold day. The misses name the URL, the gold and our day, and which part of
/// the page ours came from; never the page's text.
/// A saved page (`.gz`) as text, in the charset it declares.
fn read_page(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path)?).read_to_end(&mut bytes)?;
    Ok(crate::pipeline::charset::decode_html(&bytes, None).0)
}

pub fn published_date(dir: &Path) -> anyhow::Result<SetScore> {
    let gold_path = dir.join("gold.json");
    let gold: BTreeMap<String, GoldPage> = serde_json::from_slice(
        &std::fs::read(&gold_path).with_context(|| format!("reading {}", gold_path.display()))?,
    )
    .with_context(|| format!("parsing {}", gold_path.display()))?;
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let mut s = SetScore {
        set: "published-date",
        ..SetScore::default()
    };
    let mut right = 0;
    for (url, g) in &gold {
        s.rows += 1;
        let path = dir.join("pages").join(&g.file);
        let html = match read_page(&path) {
            Ok(h) => h,
            Err(e) => {
                s.errors += 1;
                s.misses.push(Miss {
                    id: url.clone(),
                    metric: "published_date",
                    class: "unreadable".into(),
                    gold: g.date.clone(),
                    produced: String::new(),
                    context: format!("{}: {e}", path.display()),
                });
                continue;
            }
        };
        let doc = dom_query::Document::from(html.as_str());
        let found = crate::pipeline::published::find(&doc, Some(url), today);
        let ours = found.map(|f| f.date.to_string()).unwrap_or_default();
        if ours == g.date {
            right += 1;
            continue;
        }
        let class = match found {
            None => "none".to_string(),
            Some(f) => {
                let far = parse_day(&g.date).is_some_and(|gd| {
                    (f.date - gd).get_days().abs() > 1 || f.date.month() != gd.month()
                });
                format!(
                    "{}: {}",
                    f.source,
                    if far { "other day" } else { "a day off" }
                )
            }
        };
        s.misses.push(Miss {
            id: url.clone(),
            metric: "published_date",
            class,
            gold: g.date.clone(),
            produced: ours,
            context: g.file.clone(),
        });
    }
    s.figures
        .push(Figure::ratio("published-date accuracy", right, s.rows));
    Ok(s)
}

// ---------------------------------------------------------------------------------
// The whole evaluation
// ---------------------------------------------------------------------------------

/// The sets `linimasa eval --set` can run alone.
pub const SETS: &[&str] = &[
    "acled",
    "ucdp",
    "indotimex",
    "timebank",
    "robustness",
    "published-date",
    "devset",
    "lgl",
    "geovirus",
];

/// Runs every evaluation on the sets in `data` and writes the misses files to `out`.
pub fn run(data: &Path, out: &Path) -> anyhow::Result<Report> {
    run_sets(data, out, &[])
}

/// Runs the evaluations named in `only` (all of them when it is empty).
pub fn run_sets(data: &Path, out: &Path, only: &[String]) -> anyhow::Result<Report> {
    if let Some(bad) = only.iter().find(|s| !SETS.contains(&s.as_str())) {
        bail!(
            "--set {bad:?} is not an evaluation set: use one of {}",
            SETS.join(", ")
        );
    }
    let wanted = |set: &str| only.is_empty() || only.iter().any(|s| s == set);
    let needs_extractor = [
        "acled",
        "ucdp",
        "indotimex",
        "timebank",
        "robustness",
        "devset",
        "lgl",
        "geovirus",
    ]
    .iter()
    .any(|s| wanted(s));
    if needs_extractor && !data.join(ACLED_FILE).exists() {
        bail!(
            "{} holds no evaluation sets (expected {ACLED_FILE} and the others); pass --data DIR",
            data.display()
        );
    }
    let mut report = Report {
        sets: Vec::new(),
        robustness: Vec::new(),
        ..Default::default()
    };
    if needs_extractor {
        let kb = Knowledge::embedded();
        let x = Extractor::new(kb.clone());
        let tagger = TimeTagger::new(&kb);
        if wanted("acled") {
            report
                .sets
                .push(acled(&x, &tagger, &data.join(ACLED_FILE))?);
        }
        if wanted("ucdp") {
            report.sets.push(ucdp(&x, &tagger, &data.join(UCDP_FILE))?);
        }
        if wanted("indotimex") {
            report
                .sets
                .push(indotimex(&tagger, &data.join(INDOTIMEX_FILE))?);
        }
        // A copy of the sets without TimeBank still runs the rest.
        let tml = data.join(timebank::TIMEBANK_DIR);
        if wanted("timebank") && (tml.exists() || !only.is_empty()) {
            report.sets.push(timebank::timebank(&tagger, &tml)?);
        }
        if wanted("devset") {
            if devset::available(data) {
                report.sets.push(devset::devset(&x, data)?);
            } else if only.is_empty() {
                report.skipped.push("devset".to_string());
            } else {
                bail!(
                    "{} lacks a set the development set draws on ({NEWS_EN_FILE}, {NEWS_ID_FILE}, {}/, {PUBLISHED_DATE_DIR}/)",
                    data.display(),
                    body::HTML_BODY_DIR
                );
            }
        }
        // The geoparsing sets: a copy of the sets without `geo/` still runs the rest.
        for (set, file) in [("lgl", geo::LGL_FILE), ("geovirus", geo::GEOVIRUS_FILE)] {
            let path = data.join(file);
            if !wanted(set) {
                continue;
            }
            if !path.exists() && only.is_empty() {
                report.skipped.push(set.to_string());
                continue;
            }
            report.sets.push(match set {
                "lgl" => geo::lgl(&x, &path)?,
                _ => geo::geovirus(&x, &path)?,
            });
        }
        if wanted("robustness") {
            report.robustness = vec![
                robustness(&x, "news-en", &data.join(NEWS_EN_FILE))?,
                robustness(&x, "news-id", &data.join(NEWS_ID_FILE))?,
            ];
            for r in &report.robustness {
                report.written.push(r.write_events(out)?);
            }
        }
    }
    // Pages of the publication-date set need no extractor; a copy of the sets
    // without them still runs the rest.
    let pages = data.join(PUBLISHED_DATE_DIR);
    if wanted("published-date") && (pages.exists() || !only.is_empty()) {
        report.sets.push(published_date(&pages)?);
    }
    for s in &report.sets {
        report.written.push(s.write_misses(out)?);
    }
    // The article-body figure runs with everything, or alone with `--body`.
    if only.is_empty() {
        add_body(&mut report, data, out)?;
    }
    Ok(report)
}

/// The article-body figure alone (`linimasa eval --body`), and the figures of other
/// extractors' output files scored the same way.
pub fn run_body(data: &Path, out: &Path, others: &[PathBuf]) -> anyhow::Result<Report> {
    let mut report = Report::default();
    add_body(&mut report, data, out)?;
    if !others.is_empty() {
        if report.sets.is_empty() {
            bail!("{} holds no {}/ set", data.display(), body::HTML_BODY_DIR);
        }
        let mut s = SetScore {
            set: "html-body, other extractors",
            rows: report.sets[0].rows,
            ..Default::default()
        };
        for file in others {
            s.figures.extend(body::score_file(data, file, out)?);
        }
        report.sets.push(s);
    }
    Ok(report)
}

fn add_body(report: &mut Report, data: &Path, out: &Path) -> anyhow::Result<()> {
    if !data
        .join(body::HTML_BODY_DIR)
        .join("ground-truth.json")
        .exists()
    {
        report.skipped.push(body::HTML_BODY_DIR.to_string());
        return Ok(());
    }
    let (score, took, written) = body::html_body(data, out)?;
    report.body_speed = Some((score.rows, took));
    report.sets.push(score);
    report.written.push(written);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn csv_quotes_commas_newlines_and_crlf() {
        let t = "a,b,c\r\n1,\"x, \"\"y\"\"\nz\",\r\n\"\",2,3";
        assert_eq!(
            parse_csv(t).unwrap(),
            vec![
                vec!["a", "b", "c"],
                vec!["1", "x, \"y\"\nz", ""],
                vec!["", "2", "3"]
            ]
        );
        assert!(parse_csv("a,\"b").is_err());
        assert_eq!(parse_csv("a\n").unwrap(), vec![vec!["a"]]);
    }

    #[test]
    fn days_in_both_source_formats() {
        assert_eq!(parse_day("08/09/2022"), Some(date(2022, 9, 8)));
        assert_eq!(parse_day("2022-09-12"), Some(date(2022, 9, 12)));
        assert_eq!(parse_day("2022-13-01"), None);
    }

    #[test]
    fn timex3_values() {
        let v = |d: EventDate| timex_value(&d);
        assert_eq!(v(EventDate::day(date(2014, 12, 28))), "2014-12-28");
        assert_eq!(v(EventDate::month(2014, 12).unwrap()), "2014-12");
        assert_eq!(v(EventDate::year(2014).unwrap()), "2014");
        assert_eq!(v(EventDate::week_of(date(2014, 12, 29))), "2015-W01");
        assert_eq!(
            v(EventDate::months((2014, 12), (2015, 2), Precision::Season).unwrap()),
            "2014-WI"
        );
        assert_eq!(
            v(EventDate::months((2014, 10), (2014, 12), Precision::Quarter).unwrap()),
            "2014-Q4"
        );
        assert_eq!(
            v(EventDate::months((2014, 1), (2014, 6), Precision::Month).unwrap()),
            "2014-01/2014-06"
        );
    }

    #[test]
    fn document_offsets_are_characters() {
        let kb = Knowledge::embedded();
        let t = TimeTagger::new(&kb);
        let text = "Jakarta — Kamis (25/12/2014).\r\nSerangan terjadi pada 6 Agustus 2024.";
        let got = tag_document(&t, "id", text, Some(date(2014, 12, 29)));
        let chars: Vec<char> = text.chars().collect();
        for g in &got {
            let s: String = chars[g.start..g.end].iter().collect();
            assert_eq!(s, g.text);
        }
        let values: Vec<&str> = got.iter().map(|g| g.value.as_str()).collect();
        assert_eq!(values, ["2014-12-25", "2024-08-06"]);
    }

    #[test]
    fn f1_and_display() {
        let f = Figure {
            name: "x".into(),
            measure: Measure::F1 {
                p_num: 1,
                p_den: 2,
                r_num: 1,
                r_den: 4,
            },
        };
        assert!((f.value() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(
            Figure::ratio("acled date accuracy", 3, 4).to_string(),
            "acled date accuracy: 0.750 (3/4)"
        );
        assert_eq!(Figure::ratio("empty", 0, 0).value(), 0.0);
    }
}
