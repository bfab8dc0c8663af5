//! `linimasa eval --set devset`: the project's own hand-labelled development set
//! (`data/eval/devset-labels.tsv`, labelling guide in README.md). The labels name
//! articles of `../shared/eval` by id or file; the texts stay there.
//!
//! Each article runs through the pipeline as a user would send it: the news sets'
//! articles as text with their dates, pages through the HTML path with the
//! publication date it detects. An emitted event is **right** when its whole date
//! interval lies inside a labelled window and its place matches that label (the
//! label's region, or any region or place of the label's country when the label
//! names only a country). Emitted and labelled events are paired one to one
//! (maximum matching, same-type pairs first), so a happening emitted twice counts once.
//!
//! Figures, per language of the article and overall: recall (labels found / labels),
//! precision (right / emitted events of the labelled types), type accuracy (pairs
//! whose PLOVER type agrees / pairs), and on control pages the pages with any event
//! and the events (of any type) emitted there.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};
use jiff::civil::Date;

use super::{Figure, Miss, NewsDoc, SetScore, read_jsonl};
use crate::domain::{Event, EventDate};
use crate::ingest::{ArticleJson, Defaults};
use crate::pipeline::Extractor;
use crate::pipeline::events::{ArticleInput, ExtractError};

/// The labels, compiled in so that `eval` needs only the sets' folder.
pub const LABELS: &str = include_str!("../../data/eval/devset-labels.tsv");

/// The PLOVER types the labels cover: happenings of armed conflict and unrest.
/// Emitted events of other types (talks, aid, sanctions, statements…) on a conflict
/// article are counted apart, not scored; on a control page every event is a false alarm.
pub const SCORED_TYPES: [&str; 6] = [
    "assault",
    "coerce",
    "protest",
    "concede",
    "cooperate",
    "retreat",
];

const COLUMNS: [&str; 11] = [
    "set",
    "doc",
    "lang",
    "published",
    "n",
    "kind",
    "earliest",
    "latest",
    "region",
    "type",
    "what",
];

/// One labelled happening.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub n: u32,
    pub earliest: Date,
    pub latest: Date,
    /// ISO 3166-2 codes, or ISO 3166-1 alpha-2 codes when the text names no region;
    /// any one of them matches.
    pub regions: Vec<String>,
    pub event_type: String,
    pub what: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// An article about armed conflict or unrest (its labels may be none).
    Conflict,
    /// A page that reports no conflict event: every event from it is a false alarm.
    Control,
}

/// One article of the set and its labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// `news-en`, `news-id`, `html-body` or `published-date`.
    pub set: String,
    pub id: String,
    pub lang: String,
    pub kind: DocKind,
    pub labels: Vec<Label>,
}

fn day(s: &str, line: usize, col: &str) -> anyhow::Result<Date> {
    s.parse::<Date>()
        .with_context(|| format!("line {line}: {col} {s:?} is not a YYYY-MM-DD day"))
}

fn is_region_code(c: &str) -> bool {
    let (country, sub) = c.split_once('-').unwrap_or((c, ""));
    country.len() == 2
        && country.bytes().all(|b| b.is_ascii_uppercase())
        && (c.len() == 2
            || (!sub.is_empty()
                && sub.len() <= 3
                && sub
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())))
}

/// Reads the labels file: one line per labelled event, or one line with `n` 0 for an
/// article without events (`kind` `none`) or a control page (`kind` `control`).
pub fn parse_labels(tsv: &str) -> anyhow::Result<Vec<Doc>> {
    let mut lines = tsv.lines().enumerate();
    let header: Vec<&str> = lines
        .next()
        .map(|(_, h)| h.split('\t').collect())
        .unwrap_or_default();
    if header != COLUMNS {
        bail!("the labels' header must be {}", COLUMNS.join(" "));
    }
    let mut docs: Vec<Doc> = Vec::new();
    let mut index: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, line) in lines {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() != COLUMNS.len() {
            bail!(
                "line {line_no}: {} columns, expected {}",
                c.len(),
                COLUMNS.len()
            );
        }
        let kind = match c[5] {
            "event" | "none" => DocKind::Conflict,
            "control" => DocKind::Control,
            k => bail!("line {line_no}: kind {k:?} is not event, none or control"),
        };
        let key = (c[0].to_string(), c[1].to_string());
        let at = *index.entry(key).or_insert_with(|| {
            docs.push(Doc {
                set: c[0].to_string(),
                id: c[1].to_string(),
                lang: c[2].to_string(),
                kind,
                labels: Vec::new(),
            });
            docs.len() - 1
        });
        let doc = &mut docs[at];
        if doc.kind != kind || doc.lang != c[2] {
            bail!("line {line_no}: {} is labelled two ways", c[1]);
        }
        if c[5] != "event" {
            if c[4] != "0" || c[6..].iter().any(|s| !s.is_empty()) {
                bail!("line {line_no}: a {} line has n 0 and nothing after", c[5]);
            }
            continue;
        }
        let n: u32 = c[4]
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .with_context(|| format!("line {line_no}: n {:?} is not a number from 1", c[4]))?;
        let (earliest, latest) = (
            day(c[6], line_no, "earliest")?,
            day(c[7], line_no, "latest")?,
        );
        if earliest > latest {
            bail!("line {line_no}: the window ends before it starts");
        }
        let regions: Vec<String> = c[8].split(',').map(|s| s.trim().to_string()).collect();
        if let Some(bad) = regions.iter().find(|r| !is_region_code(r)) {
            bail!("line {line_no}: {bad:?} is not an ISO 3166 code");
        }
        if !SCORED_TYPES.contains(&c[9]) {
            bail!(
                "line {line_no}: type {:?} is not one of {}",
                c[9],
                SCORED_TYPES.join(", ")
            );
        }
        if doc.labels.iter().any(|l| l.n == n) {
            bail!("line {line_no}: event {n} of {} is labelled twice", c[1]);
        }
        doc.labels.push(Label {
            n,
            earliest,
            latest,
            regions,
            event_type: c[9].to_string(),
            what: c[10].to_string(),
        });
    }
    Ok(docs)
}

/// An emitted event as the scorer compares it.
#[derive(Debug, Clone, PartialEq)]
pub struct Emitted {
    pub start: Date,
    pub end: Date,
    /// ISO 3166-2 codes of the event's regions.
    pub regions: Vec<String>,
    /// ISO 3166-1 codes of its countries.
    pub countries: Vec<String>,
    pub event_type: String,
    /// The event's title, for the misses file.
    pub title: String,
}

impl Emitted {
    /// `None` for an event whose date fields do not parse (it can match nothing).
    pub fn of_event(e: &Event) -> Option<Emitted> {
        let d = EventDate::of_event(e)?;
        Some(Emitted {
            start: d.start,
            end: d.end,
            regions: e.regions.iter().map(|r| r.iso_code.clone()).collect(),
            countries: e.countries.clone(),
            event_type: e.event_type.clone(),
            title: e.title.clone(),
        })
    }

    fn describe(&self) -> String {
        let place = if self.regions.is_empty() {
            self.countries.join(",")
        } else {
            self.regions.join(",")
        };
        format!(
            "{}..{} {} {}",
            self.start,
            self.end,
            if place.is_empty() { "-" } else { &place },
            self.event_type
        )
    }
}

fn in_window(e: &Emitted, l: &Label) -> bool {
    e.start >= l.earliest && e.end <= l.latest
}

fn in_place(e: &Emitted, l: &Label) -> bool {
    l.regions.iter().any(|code| {
        if code.len() == 2 {
            e.countries.iter().any(|c| c == code)
                || e.regions
                    .iter()
                    .any(|r| r.split('-').next() == Some(code.as_str()))
        } else {
            e.regions.iter().any(|r| r == code)
        }
    })
}

fn describe_label(l: &Label) -> String {
    format!(
        "#{} {}..{} {} {}: {}",
        l.n,
        l.earliest,
        l.latest,
        l.regions.join(","),
        l.event_type,
        l.what
    )
}

/// Counts of one article, one language or the whole set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub labels: usize,
    pub found: usize,
    /// Emitted events of the labelled types on conflict articles.
    pub emitted: usize,
    pub right: usize,
    /// Right pairs whose types agree.
    pub same_type: usize,
    /// Emitted events of other types on conflict articles (not scored).
    pub other_types: usize,
    pub control_pages: usize,
    pub control_pages_with_events: usize,
    pub control_events: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        self.labels += o.labels;
        self.found += o.found;
        self.emitted += o.emitted;
        self.right += o.right;
        self.same_type += o.same_type;
        self.other_types += o.other_types;
        self.control_pages += o.control_pages;
        self.control_pages_with_events += o.control_pages_with_events;
        self.control_events += o.control_events;
    }
}

/// Kuhn's augmenting path from emitted event `i`, over the edges `ok` allows.
fn augment(
    i: usize,
    edges: &[Vec<usize>],
    ok: &dyn Fn(usize, usize) -> bool,
    seen: &mut [bool],
    label_of: &mut [Option<usize>],
    emitted_of: &mut [Option<usize>],
) -> bool {
    for &j in &edges[i] {
        if !ok(i, j) || seen[j] {
            continue;
        }
        seen[j] = true;
        let free = match emitted_of[j] {
            None => true,
            Some(k) => augment(k, edges, ok, seen, label_of, emitted_of),
        };
        if free {
            emitted_of[j] = Some(i);
            label_of[i] = Some(j);
            return true;
        }
    }
    false
}

/// Scores one article's emitted events against its labels; what is missed or wrong
/// goes to `misses`.
pub fn score_doc(doc: &Doc, events: &[Emitted], misses: &mut Vec<Miss>) -> Tally {
    let id = format!("{}/{}", doc.set, doc.id);
    let mut t = Tally::default();
    if doc.kind == DocKind::Control {
        t.control_pages = 1;
        t.control_events = events.len();
        t.control_pages_with_events = usize::from(!events.is_empty());
        for e in events {
            misses.push(Miss {
                id: id.clone(),
                metric: "false alarm",
                class: format!("control page: {}", e.event_type),
                gold: String::new(),
                produced: e.describe(),
                context: e.title.clone(),
            });
        }
        return t;
    }
    let scored: Vec<&Emitted> = events
        .iter()
        .filter(|e| SCORED_TYPES.contains(&e.event_type.as_str()))
        .collect();
    t.other_types = events.len() - scored.len();
    t.labels = doc.labels.len();
    t.emitted = scored.len();
    let edges: Vec<Vec<usize>> = scored
        .iter()
        .map(|e| {
            (0..doc.labels.len())
                .filter(|&j| in_window(e, &doc.labels[j]) && in_place(e, &doc.labels[j]))
                .collect()
        })
        .collect();
    let mut label_of = vec![None; scored.len()];
    let mut emitted_of = vec![None; doc.labels.len()];
    let same = |i: usize, j: usize| scored[i].event_type == doc.labels[j].event_type;
    let any = |_: usize, _: usize| true;
    for ok in [&same as &dyn Fn(usize, usize) -> bool, &any] {
        for i in 0..scored.len() {
            if label_of[i].is_none() {
                let mut seen = vec![false; doc.labels.len()];
                augment(i, &edges, ok, &mut seen, &mut label_of, &mut emitted_of);
            }
        }
    }
    for (i, e) in scored.iter().enumerate() {
        match label_of[i] {
            Some(j) => {
                t.right += 1;
                if same(i, j) {
                    t.same_type += 1;
                } else {
                    misses.push(Miss {
                        id: id.clone(),
                        metric: "type",
                        class: format!("{} for {}", e.event_type, doc.labels[j].event_type),
                        gold: describe_label(&doc.labels[j]),
                        produced: e.describe(),
                        context: e.title.clone(),
                    });
                }
            }
            None => {
                let class = if edges[i].is_empty() {
                    "matches no label"
                } else {
                    "a second event for one label"
                };
                misses.push(Miss {
                    id: id.clone(),
                    metric: "precision",
                    class: class.into(),
                    gold: String::new(),
                    produced: e.describe(),
                    context: e.title.clone(),
                });
            }
        }
    }
    for (j, l) in doc.labels.iter().enumerate() {
        if emitted_of[j].is_some() {
            t.found += 1;
            continue;
        }
        let near = |f: &dyn Fn(&Emitted) -> bool| scored.iter().copied().find(|e| f(e));
        let (class, closest) = if scored.is_empty() {
            ("no event emitted", None)
        } else if let Some(e) = near(&|e| in_place(e, l)) {
            ("place right, date outside the window", Some(e))
        } else if let Some(e) = near(&|e| in_window(e, l)) {
            ("date right, place wrong or missing", Some(e))
        } else {
            ("neither date nor place", None)
        };
        misses.push(Miss {
            id: id.clone(),
            metric: "recall",
            class: class.into(),
            gold: describe_label(l),
            produced: closest.map(Emitted::describe).unwrap_or_default(),
            context: closest.map(|e| e.title.clone()).unwrap_or_default(),
        });
    }
    t
}

/// The figures of one language (or `all`), `conflict` being its number of conflict
/// articles.
pub fn figures(lang: &str, t: &Tally, conflict: usize) -> Vec<Figure> {
    let name = |what: &str| format!("devset {lang} {what}");
    let mut v = Vec::new();
    if conflict > 0 {
        v.push(Figure::ratio(&name("recall"), t.found, t.labels));
        v.push(Figure::ratio(&name("precision"), t.right, t.emitted));
        v.push(Figure::ratio(&name("type accuracy"), t.same_type, t.right));
    }
    if t.control_pages > 0 {
        v.push(Figure::ratio(
            &name("control pages with events"),
            t.control_pages_with_events,
            t.control_pages,
        ));
        v.push(Figure::ratio(
            &name("events on control pages (per page)"),
            t.control_events,
            t.control_pages,
        ));
    }
    if conflict > 0 {
        v.push(Figure::ratio(
            &name("events of unlabelled types (per conflict article)"),
            t.other_types,
            conflict,
        ));
    }
    v
}

/// Scores `docs` given each one's emitted events (`None`: the extractor failed on
/// it), per language and overall.
pub fn score(docs: &[Doc], emitted: &[Option<Vec<Emitted>>]) -> SetScore {
    let mut s = SetScore {
        set: "devset",
        rows: docs.len(),
        ..SetScore::default()
    };
    let mut by_lang: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut conflict_docs: BTreeMap<&str, usize> = BTreeMap::new();
    let mut all = Tally::default();
    let mut all_conflict = 0;
    for (doc, ev) in docs.iter().zip(emitted) {
        if ev.is_none() {
            s.errors += 1;
        }
        let t = score_doc(doc, ev.as_deref().unwrap_or(&[]), &mut s.misses);
        *by_lang.entry(&doc.lang).or_default() += t;
        all += t;
        if doc.kind == DocKind::Conflict {
            *conflict_docs.entry(&doc.lang).or_default() += 1;
            all_conflict += 1;
        }
    }
    for (lang, t) in &by_lang {
        let conflict = conflict_docs.get(lang).copied().unwrap_or(0);
        s.figures.extend(figures(lang, t, conflict));
    }
    s.figures.extend(figures("all", &all, all_conflict));
    s
}

// ---------------------------------------------------------------------------------
// Reading the articles and running the pipeline
// ---------------------------------------------------------------------------------

/// An HTML page as `POST /articles` takes it: main content, title, language and the
/// publication date the page states.
fn html_input(html: String, url: Option<String>) -> Result<ArticleInput, String> {
    ArticleJson {
        url,
        title: None,
        publisher: None,
        published_at: None,
        language: None,
        text: None,
        html: Some(html),
        feed_date: None,
    }
    .into_input(&Defaults::default())
}

/// The pipeline's input for every article of `docs`, read from the sets in `data`.
fn inputs(docs: &[Doc], data: &Path) -> anyhow::Result<Vec<Result<ArticleInput, String>>> {
    let mut news: BTreeMap<String, NewsDoc> = BTreeMap::new();
    for file in [super::NEWS_EN_FILE, super::NEWS_ID_FILE] {
        for d in read_jsonl::<NewsDoc>(&data.join(file))? {
            news.insert(d.id.clone(), d);
        }
    }
    let body = super::body::read_pages(&data.join(super::body::HTML_BODY_DIR))?;
    let dates_dir = data.join(super::PUBLISHED_DATE_DIR);
    let gold_path = dates_dir.join("gold.json");
    let gold: BTreeMap<String, super::GoldPage> = serde_json::from_slice(
        &std::fs::read(&gold_path).with_context(|| format!("reading {}", gold_path.display()))?,
    )
    .with_context(|| format!("parsing {}", gold_path.display()))?;
    let url_of_file: BTreeMap<&str, &str> = gold
        .iter()
        .map(|(url, g)| (g.file.as_str(), url.as_str()))
        .collect();
    let mut out = Vec::with_capacity(docs.len());
    for d in docs {
        let input = match d.set.as_str() {
            "news-en" | "news-id" => match news.get(&d.id) {
                Some(n) => Ok(super::news_input(n.clone())),
                None => bail!("{} has no article {}", d.set, d.id),
            },
            "html-body" => match body.iter().find(|p| p.id == d.id) {
                Some(p) => html_input(p.html.clone(), p.url.clone()),
                None => bail!("html-body has no page {}", d.id),
            },
            "published-date" => {
                let Some(url) = url_of_file.get(d.id.as_str()) else {
                    bail!("published-date has no page {}", d.id);
                };
                let html = super::read_page(&dates_dir.join("pages").join(&d.id))
                    .with_context(|| format!("reading published-date page {}", d.id))?;
                html_input(html, Some(url.to_string()))
            }
            other => bail!("the labels name an unknown set {other:?}"),
        };
        out.push(input);
    }
    Ok(out)
}

/// Whether `data` holds every set the development set draws on.
pub fn available(data: &Path) -> bool {
    data.join(super::NEWS_EN_FILE).exists()
        && data.join(super::NEWS_ID_FILE).exists()
        && data.join(super::body::HTML_BODY_DIR).exists()
        && data.join(super::PUBLISHED_DATE_DIR).exists()
}

/// Runs the pipeline on every labelled article and scores it.
pub fn devset(x: &Extractor, data: &Path) -> anyhow::Result<SetScore> {
    let docs = parse_labels(LABELS)?;
    let inputs = inputs(&docs, data)?;
    let mut emitted = Vec::with_capacity(docs.len());
    let mut failures = Vec::new();
    for (d, input) in docs.iter().zip(inputs) {
        let got = input.and_then(|i| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| x.extract(&i)))
                .map_err(|p| format!("panic: {}", super::panic_message(&p)))?
                .map_err(|e: ExtractError| e.to_string())
        });
        match got {
            Ok(ex) => emitted.push(Some(
                ex.events.iter().filter_map(Emitted::of_event).collect(),
            )),
            Err(e) => {
                failures.push((format!("{}/{}", d.set, d.id), e));
                emitted.push(None);
            }
        }
    }
    let mut s = score(&docs, &emitted);
    for (id, e) in failures {
        s.misses.push(Miss {
            id,
            metric: "extraction",
            class: "the pipeline refused or failed".into(),
            gold: String::new(),
            produced: String::new(),
            context: e,
        });
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const HEAD: &str = "set\tdoc\tlang\tpublished\tn\tkind\tearliest\tlatest\tregion\ttype\twhat\n";

    /// Two conflict articles (en, id), one article without events and one control page.
    fn fixture() -> Vec<Doc> {
        let body = "\
news-en\ta\ten\t2024-03-10\t1\tevent\t2024-03-09\t2024-03-09\tUA-63\tassault\tstrike on a city\n\
news-en\ta\ten\t2024-03-10\t2\tevent\t2024-03-01\t2024-03-05\tUA\tprotest\trally somewhere\n\
news-en\ta\ten\t2024-03-10\t3\tevent\t2014-01-01\t2014-12-31\tUA-43\tassault\tannexation\n\
news-id\tb\tid\t\t1\tevent\t2023-10-05\t2023-10-05\tUA-14,UA-63\tcoerce\tdetention\n\
news-en\tc\ten\t2024-01-01\t0\tnone\t\t\t\t\t\n\
published-date\tp.html.gz\ten\t2020-01-01\t0\tcontrol\t\t\t\t\t\n";
        parse_labels(&format!("{HEAD}{body}")).unwrap()
    }

    fn ev(start: Date, end: Date, regions: &[&str], countries: &[&str], t: &str) -> Emitted {
        Emitted {
            start,
            end,
            regions: regions.iter().map(|s| s.to_string()).collect(),
            countries: countries.iter().map(|s| s.to_string()).collect(),
            event_type: t.into(),
            title: "t".into(),
        }
    }

    #[test]
    fn labels_parse_into_articles() {
        let docs = fixture();
        assert_eq!(docs.len(), 4);
        assert_eq!(docs[0].labels.len(), 3);
        assert_eq!(docs[1].labels[0].regions, ["UA-14", "UA-63"]);
        assert_eq!(docs[2].kind, DocKind::Conflict);
        assert!(docs[2].labels.is_empty());
        assert_eq!(docs[3].kind, DocKind::Control);
    }

    #[test]
    fn malformed_labels_are_refused_with_their_line() {
        let bad = [
            "news-en\ta\ten\t\t1\tevent\t2024-03-09\t2024-03-08\tUA\tassault\tx\n",
            "news-en\ta\ten\t\t1\tevent\t2024-03-09\t2024-03-09\tUkraine\tassault\tx\n",
            "news-en\ta\ten\t\t1\tevent\t2024-03-09\t2024-03-09\tUA\tconsult\tx\n",
            "news-en\ta\ten\t\t1\tevent\t2024-03-09\t2024-03-09\tUA\tassault\n",
            "news-en\ta\ten\t\t1\tcontrol\t\t\t\t\t\n",
            "news-en\ta\ten\t\t1\tevent\t2024-02-30\t2024-03-09\tUA\tassault\tx\n",
            "news-en\ta\ten\t\t1\tevent\t2024-03-09\t2024-03-09\tUA\tassault\tx\n\
             news-en\ta\ten\t\t1\tevent\t2024-03-09\t2024-03-09\tUA\tassault\ty\n",
        ];
        for b in bad {
            let e = parse_labels(&format!("{HEAD}{b}")).unwrap_err().to_string();
            assert!(e.starts_with("line "), "{e}");
        }
        assert!(parse_labels("doc\tset\n").is_err());
    }

    #[test]
    fn the_scorer_counts_recall_precision_type_and_false_alarms() {
        let docs = fixture();
        let d = |m, d| date(2024, m, d);
        let emitted = vec![
            Some(vec![
                // Right for label 1, but typed coerce: a pair with the wrong type.
                ev(d(3, 9), d(3, 9), &["UA-63"], &["UA"], "coerce"),
                // The same happening again: only one pair per label.
                ev(d(3, 9), d(3, 9), &["UA-63"], &["UA"], "coerce"),
                // A month does not lie inside a five-day window.
                ev(d(3, 1), d(3, 31), &[], &["UA"], "protest"),
                // Not a labelled type: counted apart.
                ev(d(3, 9), d(3, 9), &["UA-63"], &["UA"], "consult"),
                // Right for label 3 (a day inside the year; region given).
                ev(
                    date(2014, 3, 18),
                    date(2014, 3, 18),
                    &["UA-43"],
                    &["UA"],
                    "assault",
                ),
            ]),
            // Either region of the label matches; a country-only event does not
            // match a region-level label.
            Some(vec![
                ev(
                    date(2023, 10, 5),
                    date(2023, 10, 5),
                    &["UA-14"],
                    &["UA"],
                    "coerce",
                ),
                ev(date(2023, 10, 5), date(2023, 10, 5), &[], &["UA"], "coerce"),
            ]),
            // The extractor failed on the article without events.
            None,
            // Two events on the control page.
            Some(vec![
                ev(d(1, 1), d(1, 1), &[], &["US"], "accuse"),
                ev(d(1, 2), d(1, 2), &[], &["US"], "assault"),
            ]),
        ];
        let s = score(&docs, &emitted);
        assert_eq!(s.rows, 4);
        assert_eq!(s.errors, 1);
        let fig = |n: &str| {
            s.figures
                .iter()
                .find(|f| f.name == n)
                .map(|f| f.measure)
                .unwrap_or_else(|| panic!("no figure {n}"))
        };
        use super::super::Measure::Ratio;
        assert_eq!(fig("devset en recall"), Ratio { num: 2, den: 3 });
        assert_eq!(fig("devset en precision"), Ratio { num: 2, den: 4 });
        assert_eq!(fig("devset en type accuracy"), Ratio { num: 1, den: 2 });
        assert_eq!(fig("devset id recall"), Ratio { num: 1, den: 1 });
        assert_eq!(fig("devset id precision"), Ratio { num: 1, den: 2 });
        assert_eq!(fig("devset all recall"), Ratio { num: 3, den: 4 });
        assert_eq!(fig("devset all precision"), Ratio { num: 3, den: 6 });
        assert_eq!(fig("devset all type accuracy"), Ratio { num: 2, den: 3 });
        assert_eq!(
            fig("devset en control pages with events"),
            Ratio { num: 1, den: 1 }
        );
        assert_eq!(
            fig("devset all events on control pages (per page)"),
            Ratio { num: 2, den: 1 }
        );
        assert_eq!(
            fig("devset en events of unlabelled types (per conflict article)"),
            Ratio { num: 1, den: 2 }
        );
        let classes = s.classes();
        let count = |metric: &str, class: &str| {
            classes
                .iter()
                .find(|(m, c, _)| *m == metric && c == class)
                .map_or(0, |x| x.2)
        };
        assert_eq!(count("recall", "place right, date outside the window"), 1);
        assert_eq!(count("precision", "a second event for one label"), 1);
        assert_eq!(count("precision", "matches no label"), 2);
        assert_eq!(count("type", "coerce for assault"), 1);
        assert_eq!(count("false alarm", "control page: assault"), 1);
        assert_eq!(count("false alarm", "control page: accuse"), 1);
    }

    #[test]
    fn matching_prefers_pairs_of_the_same_type() {
        let text = format!(
            "{HEAD}news-en\ta\ten\t\t1\tevent\t2024-03-01\t2024-03-31\tUA\tassault\tx\n\
             news-en\ta\ten\t\t2\tevent\t2024-03-01\t2024-03-31\tUA\tprotest\ty\n"
        );
        let docs = parse_labels(&text).unwrap();
        let e = |t| ev(date(2024, 3, 5), date(2024, 3, 5), &[], &["UA"], t);
        let mut misses = Vec::new();
        let t = score_doc(&docs[0], &[e("protest"), e("assault")], &mut misses);
        assert_eq!((t.found, t.right, t.same_type), (2, 2, 2));
        assert!(misses.is_empty());
    }

    #[test]
    fn the_committed_labels_parse_and_cover_the_set() {
        let docs = parse_labels(LABELS).unwrap();
        let count = |set: &str, kind: DocKind| {
            docs.iter()
                .filter(|d| d.set == set && d.kind == kind)
                .count()
        };
        assert_eq!(count("news-en", DocKind::Conflict), 40);
        assert_eq!(count("news-id", DocKind::Conflict), 9);
        assert_eq!(
            docs.iter().filter(|d| d.kind == DocKind::Control).count(),
            20
        );
        for d in &docs {
            for l in &d.labels {
                assert!(l.earliest.year() >= 1900, "{} #{}", d.id, l.n);
            }
        }
    }
}
