#![allow(dead_code, reason = "each fuzz target uses one check")]
//! What the fuzz targets assert, shared with the regression tests that replay every
//! committed case (`tests/it/fuzz_cases.rs` includes this file): nothing panics, and
//! what comes out keeps the promises the API makes about it.
//!
//! The first input byte chooses the language hint and the publication date, so every
//! lexicon and the "no publication date" path are reached; the rest is the input.

use std::sync::LazyLock;

use linimasa::api::params;
use linimasa::domain::EventDate;
use linimasa::ingest::{ArticleJson, Defaults, parse_blob};
use linimasa::knowledge::Knowledge;
use linimasa::pipeline::Extractor;
use linimasa::pipeline::events::ArticleInput;

static EXTRACTOR: LazyLock<Extractor> = LazyLock::new(|| Extractor::new(Knowledge::embedded()));

fn defaults(selector: u8) -> Defaults {
    let language = match selector % 5 {
        0 => None,
        1 => Some("id"),
        2 => Some("en"),
        3 => Some("ru"),
        _ => Some("uk"),
    };
    Defaults {
        published: (selector & 0x80 == 0).then(|| jiff::civil::date(2025, 4, 29)),
        url: None,
        language: language.map(str::to_string),
    }
}

fn split(data: &[u8]) -> (u8, &[u8]) {
    data.split_first().map_or((0, &[][..]), |(a, b)| (*a, b))
}

/// Arbitrary bytes as a file `linimasa ingest` reads: `fuzz.txt`, `fuzz.html`, ….
pub fn article_file(data: &[u8], extension: &str) {
    let (selector, body) = split(data);
    for loaded in parse_blob(
        &format!("fuzz.{extension}"),
        body.to_vec(),
        &defaults(selector),
    ) {
        if let Ok(input) = loaded.article {
            extraction(&input);
        }
    }
}

/// Arbitrary bytes as the body of `POST /articles`, through the same checks the
/// handler makes.
pub fn article_json(data: &[u8]) {
    let Ok(article) = serde_json::from_slice::<ArticleJson>(data) else {
        return;
    };
    if let Err(e) = article.check_fields() {
        assert!(!e.field.is_empty() && !e.detail.is_empty());
        return;
    }
    if let Ok(input) = article.into_input(&Defaults::default()) {
        extraction(&input);
    }
}

/// The pipeline on one article, and what its output must satisfy.
pub fn extraction(input: &ArticleInput) {
    let Ok(x) = EXTRACTOR.extract(input) else {
        return;
    };
    let text: Vec<char> = x.text.chars().collect();
    for e in &x.events {
        assert!(e.id.starts_with("evt_"), "{}", e.id);
        let d = EventDate::of_event(e)
            .unwrap_or_else(|| panic!("event date does not parse: {:?} {:?}", e.date, e.end_date));
        assert!(d.start <= d.end, "{d:?}");
        assert_eq!(d.precision, e.date_precision);
        assert!(
            (0.0..=1.0).contains(&e.confidence),
            "confidence {}",
            e.confidence
        );
        for s in &e.sources {
            let (a, b) = (s.evidence.start, s.evidence.end);
            assert!(
                a <= b && b <= text.len(),
                "evidence {a}..{b} of {}",
                text.len()
            );
            assert_eq!(
                text[a..b].iter().collect::<String>(),
                s.evidence.text,
                "evidence offsets point at its text"
            );
        }
    }
    serde_json::to_string(&x).expect("an extraction serialises");
}

/// An arbitrary string as the query string of `GET /events`.
pub fn events_params(data: &[u8]) {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let kb = EXTRACTOR.knowledge();
    match params::parse(Some(raw), kb) {
        Ok(req) => {
            let q = &req.query;
            assert!((1..=params::MAX_LIMIT).contains(&q.limit));
            if let (Some(f), Some(t)) = (q.from, q.to) {
                assert!(f <= t, "from {f} after to {t}");
            }
            // The `next` link is built from `pairs`: it must ask for the same thing.
            let again = serde_urlencoded::to_string(&req.pairs).expect("pairs encode");
            let back = params::parse(Some(&again), kb).expect("the next link parses");
            let mut want = q.clone();
            want.after = None;
            assert_eq!(back.query, want, "{raw:?} -> {again:?}");
        }
        Err(e) => {
            let linimasa::api::error::ApiError::InvalidParameter {
                parameter, detail, ..
            } = e
            else {
                panic!("a bad query string is a 400 naming the parameter: {e:?}");
            };
            assert!(!parameter.is_empty() && !detail.is_empty());
        }
    }
}
