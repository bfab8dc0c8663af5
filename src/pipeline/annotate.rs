//! What the pipeline read in one article, for `linimasa annotate` and `POST /annotate`:
//! the cleaned text, every time expression with its TIMEX3 type and value, every place
//! and actor, and for each sentence the events made from it or why none. None of it is
//! a second reading: [`Extractor::extract_traced`] runs the extraction itself with a
//! [`Trace`] that its stages note their findings and decisions in, so what is shown is
//! what the extraction saw, and its `events` are exactly `extract`'s. Offsets are
//! Unicode code points of `text`, as evidence offsets are.

use serde::Serialize;
use utoipa::ToSchema;

use super::bounds::Stop;
use super::detect::SetAside;
use super::events::{ArticleInput, ExtractError, Extraction, Extractor};
use super::places::PlaceHit;
use super::sentences::{self, Span};
use super::timex::{Timex3, TimexType};
use crate::domain::{Event, Precision};
use crate::knowledge::Knowledge;
use crate::text::Hit;

/// Runs the extraction on `input` and returns it with what each stage read.
pub fn annotate(x: &Extractor, input: &ArticleInput) -> Result<Annotation, ExtractError> {
    annotate_until(x, input, &Stop::never())
}

/// [`annotate`] that gives up (with [`ExtractError::Stopped`]) between sentences once
/// `stop` says so, as [`Extractor::extract_until`] does.
pub fn annotate_until(
    x: &Extractor,
    input: &ArticleInput,
    stop: &Stop,
) -> Result<Annotation, ExtractError> {
    let mut trace = Trace::default();
    let extraction = x.extract_traced(input, stop, Some(&mut trace))?;
    Ok(trace.into_annotation(extraction, x.knowledge()))
}

/// What the pipeline read in an article and made of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Annotation {
    /// The id the article is stored under when ingested.
    pub article_id: String,
    /// ISO 639-1 code the pipeline read the text in (`und` when not recognised).
    pub language: String,
    /// The publication date relative dates were resolved against.
    pub published: Option<String>,
    pub title: Option<String>,
    /// The cleaned text the pipeline read; every offset points into it.
    pub text: String,
    pub times: Vec<TimeMention>,
    pub places: Vec<PlaceMention>,
    pub actors: Vec<ActorMention>,
    pub sentences: Vec<SentenceNote>,
    /// The events, exactly as `linimasa extract` gives them.
    pub events: Vec<Event>,
    /// What the pipeline could not do, in words a user can act on.
    pub warnings: Vec<String>,
}

/// A time expression, as TIMEX3 annotates it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"start": 3, "end": 16, "text": "6 August 2024", "type": "DATE",
    "value": "2024-08-06", "date": "2024-08-06", "end_date": null, "date_precision": "day", "date_inferred": false}))]
pub struct TimeMention {
    /// Code point offsets into `text`, end exclusive.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// DATE, TIME, DURATION or SET.
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// The normalised TIMEX3 value: `2024-08-06`, `2024-08`, `2024-W32`, `2024-SU`,
    /// `P2W`, `PRESENT_REF`; `X` marks what the text leaves unknown (`XXXX-08-06`
    /// without a publication date).
    pub value: String,
    /// The date an event dated by this expression takes (the form of an event's
    /// `date`); null when it was not resolved or names no date.
    pub date: Option<String>,
    pub end_date: Option<String>,
    pub date_precision: Option<Precision>,
    /// Part of the date came from the publication date or the narrative.
    pub date_inferred: bool,
}

/// What a place name is in the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    Country,
    /// A first-level administrative region (ISO 3166-2).
    Region,
    /// A town, city or village.
    Town,
    /// A named area that is no town or region of its own: a self-proclaimed republic
    /// or a front direction, resolved to the region it lies in.
    Area,
    /// A state named by its demonym, adjective or abbreviation ("Israeli", "U.S.",
    /// "российские"): the country as evidence of who acts and where, not a place the
    /// text names.
    Demonym,
}

/// A place name and the gazetteer entry it was resolved to; a field the gazetteer has
/// no value for is null.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"start": 48, "end": 54, "text": "Sudzha", "name": "Sudzha", "kind": "town",
    "geonames_id": 486816, "iso_code": "RU-KRS", "country": "RU", "lat": 51.19, "lon": 35.27}))]
pub struct PlaceMention {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The gazetteer's name for it.
    pub name: String,
    pub kind: PlaceKind,
    pub geonames_id: Option<i64>,
    /// ISO 3166-2 code of the region (of the town's region, of the area's); ISO
    /// 3166-1 alpha-2 for a country.
    pub iso_code: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// An actor of the registry named in the text.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"start": 17, "end": 31, "text": "Ukraine's military", "id": "ukraine-military",
    "name": "Armed Forces of Ukraine", "country": "UA"}))]
pub struct ActorMention {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The actor's slug (as `GET /events?actor=` takes it).
    pub id: String,
    pub name: String,
    pub country: Option<String>,
}

/// Why a sentence gave no event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoEvent {
    /// The article's language has no lexicon (not recognised, or not supported).
    NoLexicon,
    /// No event predicate of the trigger lexicon.
    NoTrigger,
    /// Only headline forms ("Russians destroy…"), which count only in a list of
    /// headlines or a one-line text.
    HeadlineForm,
    /// An event predicate, but no time expression that resolves to a date (and no
    /// lede date).
    NoTime,
    /// Its events restate ones made from an earlier sentence (same type, date and
    /// regions): see `merged_into`.
    Merged,
    /// Its event predicates are negated, future, conditional, planned, called for or
    /// only believed: no act is told as having happened.
    NotAsserted,
    /// A photo caption, picture credit or byline: never an event.
    Caption,
    /// Its only event words mean something else here ("heart attack").
    OtherSense,
}

/// A sentence as the pipeline split it, and what came of it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"start": 0, "end": 82, "events": ["evt_5k2m9q7w3x1c8v4b"], "merged_into": [],
    "reason": null, "lede_date": false}))]
pub struct SentenceNote {
    pub start: usize,
    pub end: usize,
    /// Ids of the events made from it.
    pub events: Vec<String>,
    /// Ids of earlier events that events of this sentence restated (and were merged
    /// into).
    pub merged_into: Vec<String>,
    /// Why it gave no event; null when it gave one.
    pub reason: Option<NoEvent>,
    /// A lede that states no date, dated as the news of the publication day (the day
    /// before publication to the day itself).
    pub lede_date: bool,
}

/// What the extraction's stages noted while reading one article; see
/// [`Extractor::extract_traced`]. Offsets are bytes until [`Trace::into_annotation`].
#[derive(Debug, Default)]
pub struct Trace {
    sentences: Vec<SentenceTrace>,
}

#[derive(Debug, Default)]
struct SentenceTrace {
    start: usize,
    end: usize,
    /// Triggers were found but set aside as headline forms.
    headline_forms: bool,
    /// Triggers were found but set aside as words of another sense.
    other_sense: bool,
    /// The sentence is a caption, credit or byline.
    caption: bool,
    actors: Vec<Hit>,
    territories: Vec<(usize, usize)>,
    times: Vec<Timex3>,
    towns: Vec<PlaceHit>,
    regions: Vec<Hit>,
    countries: Vec<Hit>,
    lede_date: bool,
    events: Vec<String>,
    merged_into: Vec<String>,
    reason: Option<NoEvent>,
}

/// The hooks the extraction calls; `i` is a sentence's index in text order, offsets
/// are bytes of the sentence.
impl Trace {
    /// The language has no lexicon: the sentences are split, and nothing is read.
    pub(super) fn unread(&mut self, text: &str, language: &str) {
        self.sentences = sentences::split(text, language)
            .into_iter()
            .map(|s| SentenceTrace {
                start: s.start,
                end: s.end,
                reason: Some(NoEvent::NoLexicon),
                ..Default::default()
            })
            .collect();
    }

    /// The first reading of the next sentence: its actors, the territory names among
    /// its region names, and whether headline forms were set aside.
    pub(super) fn read(
        &mut self,
        span: Span,
        aside: SetAside,
        caption: bool,
        actors: &[Hit],
        territories: &[Hit],
    ) {
        self.sentences.push(SentenceTrace {
            start: span.start,
            end: span.end,
            headline_forms: aside.headline_forms,
            other_sense: aside.other_sense,
            caption,
            actors: actors.to_vec(),
            territories: territories.iter().map(|t| (t.start, t.end)).collect(),
            ..Default::default()
        });
    }

    /// Where the time tagger notes sentence `i`'s expressions.
    pub(super) fn times(&mut self, i: usize) -> Option<&mut Vec<Timex3>> {
        self.sentences.get_mut(i).map(|s| &mut s.times)
    }

    /// Sentence `i` was dated as a lede that states no date.
    pub(super) fn lede_dated(&mut self, i: usize) {
        if let Some(s) = self.sentences.get_mut(i) {
            s.lede_date = true;
        }
    }

    /// The places of sentence `i` as settled (towns chosen among namesakes, region
    /// names that stay regions) and its country names.
    pub(super) fn placed(
        &mut self,
        i: usize,
        towns: &[PlaceHit],
        regions: &[Hit],
        countries: &[Hit],
    ) {
        if let Some(s) = self.sentences.get_mut(i) {
            s.towns = towns.to_vec();
            s.regions = regions.to_vec();
            s.countries = countries.to_vec();
        }
    }

    /// Sentence `i` gave no event: it has no trigger (`no_trigger`), or no date.
    pub(super) fn no_event(&mut self, i: usize, no_trigger: bool) {
        if let Some(s) = self.sentences.get_mut(i) {
            s.reason = Some(match (no_trigger, s.headline_forms) {
                _ if no_trigger && s.caption => NoEvent::Caption,
                (true, true) => NoEvent::HeadlineForm,
                (true, false) if s.other_sense => NoEvent::OtherSense,
                (true, false) => NoEvent::NoTrigger,
                (false, _) => NoEvent::NoTime,
            });
        }
    }

    /// Sentence `i`'s event predicates are not told as acts that happened.
    pub(super) fn not_asserted(&mut self, i: usize) {
        if let Some(s) = self.sentences.get_mut(i) {
            s.reason = Some(NoEvent::NotAsserted);
        }
    }

    /// Sentence `i` gave the event `id`.
    pub(super) fn made(&mut self, i: usize, id: &str) {
        if let Some(s) = self.sentences.get_mut(i) {
            s.events.push(id.to_string());
        }
    }

    /// An event of sentence `i` restated the earlier event `into`.
    pub(super) fn merged(&mut self, i: usize, into: &str) {
        if let Some(s) = self.sentences.get_mut(i)
            && !s.merged_into.iter().any(|m| m == into)
        {
            s.merged_into.push(into.to_string());
        }
    }

    /// The annotation of `x`, the extraction this trace was noted in.
    pub fn into_annotation(self, x: Extraction, kb: &Knowledge) -> Annotation {
        let text = x.text.as_str();
        let chars = CharOffsets::new(text);
        let mut times = Vec::new();
        let mut places = Vec::new();
        let mut actors = Vec::new();
        let mut sentences = Vec::with_capacity(self.sentences.len());
        for s in self.sentences {
            let base = s.start;
            // (start, end, text) of a span of the sentence, in code points of `text`.
            let at = |a: usize, b: usize| {
                (
                    chars.of(base + a),
                    chars.of(base + b),
                    text.get(base + a..base + b).unwrap_or("").to_string(),
                )
            };
            for t in &s.times {
                let (start, end, words) = at(t.start, t.end);
                let date = t.resolved.as_ref().map(|r| r.value);
                times.push(TimeMention {
                    start,
                    end,
                    text: words,
                    kind: t.kind,
                    value: t.value.clone(),
                    date: date.map(|d| d.date_string()),
                    end_date: date.and_then(|d| d.end_date_string()),
                    date_precision: date.map(|d| d.precision),
                    date_inferred: t.resolved.as_ref().is_some_and(|r| r.inferred),
                });
            }
            let mut found = Vec::new();
            for h in &s.towns {
                let Some(p) = kb.towns.get(h.place) else {
                    continue;
                };
                let (start, end, words) = at(h.start, h.end);
                found.push(PlaceMention {
                    start,
                    end,
                    text: words,
                    name: p.name.to_string(),
                    kind: PlaceKind::Town,
                    geonames_id: p.geonames_id,
                    iso_code: Some(p.region.to_string()),
                    country: Some(p.country.to_string()),
                    lat: Some(p.lat),
                    lon: Some(p.lon),
                });
            }
            for h in &s.regions {
                let r = &kb.regions[h.payload];
                let (start, end, words) = at(h.start, h.end);
                let area = s.territories.contains(&(h.start, h.end));
                found.push(PlaceMention {
                    start,
                    end,
                    text: words,
                    name: r.name.clone(),
                    kind: if area {
                        PlaceKind::Area
                    } else {
                        PlaceKind::Region
                    },
                    geonames_id: r.geonames_id,
                    iso_code: Some(r.iso_code.clone()),
                    country: Some(r.country.clone()),
                    lat: r.lat,
                    lon: r.lon,
                });
            }
            // A country inside a longer actor's name ("pasukan Ukraina", "Ukraine's
            // military") names the actor, not a place, as the events have it. A country
            // named alone is a toponym even where it acts ("Israel said", "wired money
            // to Canada"): geoparsing counts it, though no event is placed by it.
            for h in s.countries.iter().filter(|h| {
                !s.actors.iter().any(|a| {
                    a.start <= h.start && h.end <= a.end && (a.start, a.end) != (h.start, h.end)
                })
            }) {
                let c = &kb.countries[h.payload];
                let (start, end, words) = at(h.start, h.end);
                found.push(PlaceMention {
                    start,
                    end,
                    text: words,
                    name: c.name.clone(),
                    kind: PlaceKind::Country,
                    geonames_id: c.geonames_id,
                    iso_code: Some(c.code.clone()),
                    country: Some(c.code.clone()),
                    lat: c.lat,
                    lon: c.lon,
                });
            }
            // States (their governments and forces) named by a demonym, adjective or
            // abbreviation that no place name covers ("Israeli", "U.S.", "Российские
            // войска"; not the capital metonyms "Moscow", "Kyiv", which are the cities
            // where the text is in them).
            for h in &s.actors {
                let a = &kb.actors[h.payload];
                let (Some(cc), "state" | "military" | "government") =
                    (a.country.as_deref(), a.kind.as_str())
                else {
                    continue;
                };
                let Some(c) = kb.country(cc) else {
                    continue;
                };
                let (start, end, words) = at(h.start, h.end);
                if found.iter().any(|p| p.start < end && start < p.end)
                    || kb.towns.named(&words).is_some()
                    || !kb.regions_named(&words).is_empty()
                {
                    continue;
                }
                found.push(demonym(start, end, words, c));
            }
            // Demonyms of other countries ("Egyptian", "суданские"), where no place or
            // state's name covers them. A sentence that was not read has none.
            let sentence = text.get(s.start..s.end).unwrap_or("");
            let read = s.reason != Some(NoEvent::NoLexicon);
            for h in kb
                .demonym_matcher()
                .find(sentence)
                .into_iter()
                .filter(|_| read)
            {
                let Some(c) = kb.countries.get(h.payload) else {
                    continue;
                };
                let (start, end, words) = at(h.start, h.end);
                if found.iter().any(|p| p.start < end && start < p.end) {
                    continue;
                }
                found.push(demonym(start, end, words, c));
            }
            found.sort_by_key(|p| (p.start, p.end));
            places.extend(found);
            for h in &s.actors {
                let a = &kb.actors[h.payload];
                let (start, end, words) = at(h.start, h.end);
                actors.push(ActorMention {
                    start,
                    end,
                    text: words,
                    id: a.slug.clone(),
                    name: a.name.clone(),
                    country: a.country.clone(),
                });
            }
            let reason = match s.reason {
                None if s.events.is_empty() && !s.merged_into.is_empty() => Some(NoEvent::Merged),
                r => r,
            };
            sentences.push(SentenceNote {
                start: chars.of(s.start),
                end: chars.of(s.end),
                events: s.events,
                merged_into: s.merged_into,
                reason,
                lede_date: s.lede_date,
            });
        }
        actors.sort_by_key(|a| (a.start, a.end));
        Annotation {
            article_id: x.article_id,
            language: x.language,
            published: x.published,
            title: x.title,
            times,
            places,
            actors,
            sentences,
            events: x.events,
            warnings: x.warnings,
            text: x.text,
        }
    }
}

/// Byte offsets of a text to code point offsets, by counting from the nearest of the
/// checkpoints taken every [`CharOffsets::STEP`] bytes: a long article with many
/// mentions is converted in time proportional to the mentions, not their product
/// with the text's length.
struct CharOffsets<'a> {
    bytes: &'a [u8],
    /// Code points before byte `k * STEP`, for every `k` up to `len / STEP`.
    checkpoints: Vec<usize>,
}

impl<'a> CharOffsets<'a> {
    const STEP: usize = 256;

    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut checkpoints = Vec::with_capacity(bytes.len() / Self::STEP + 1);
        let mut n = 0;
        for chunk in bytes.chunks(Self::STEP) {
            checkpoints.push(n);
            n += starts(chunk);
        }
        // The end, for a text whose length is a multiple of STEP.
        checkpoints.push(n);
        CharOffsets { bytes, checkpoints }
    }

    /// The code points before byte `b` (a character boundary), as
    /// `text[..b].chars().count()` counts them.
    fn of(&self, b: usize) -> usize {
        let b = b.min(self.bytes.len());
        let k = b / Self::STEP;
        let from = self.checkpoints.get(k).copied().unwrap_or(0);
        from + starts(&self.bytes[k * Self::STEP..b])
    }
}

/// How many characters start in `bytes` of UTF-8: the bytes that are no continuation
/// byte (`0b10xx_xxxx`).
fn starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// A demonym or country adjective as a place mention: country evidence, no place.
fn demonym(start: usize, end: usize, text: String, c: &crate::knowledge::Country) -> PlaceMention {
    PlaceMention {
        start,
        end,
        text,
        name: c.name.clone(),
        kind: PlaceKind::Demonym,
        geonames_id: c.geonames_id,
        iso_code: Some(c.code.clone()),
        country: Some(c.code.clone()),
        lat: c.lat,
        lon: c.lon,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn annotate_en(text: &str, published: Option<jiff::civil::Date>) -> Annotation {
        let x = Extractor::new(Knowledge::embedded());
        annotate(
            &x,
            &ArticleInput {
                published,
                language: Some("en".into()),
                text: text.into(),
                ..Default::default()
            },
        )
        .unwrap()
    }

    /// The code points of `text` from `start` to `end`.
    fn slice(text: &str, start: usize, end: usize) -> String {
        text.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn char_offsets_count_code_points_at_every_boundary() {
        let mixed = "Удар по Харькову 5 марта — “drones” 🚀 hit Kharkiv. ".repeat(40);
        // A text whose length is a multiple of the checkpoint step ends on one.
        let whole = "ж".repeat(CharOffsets::STEP);
        for text in [mixed.as_str(), whole.as_str(), "", "a"] {
            let c = CharOffsets::new(text);
            for (b, _) in text.char_indices().chain([(text.len(), ' ')]) {
                assert_eq!(
                    c.of(b),
                    text[..b].chars().count(),
                    "byte {b} of {}",
                    text.len()
                );
            }
        }
    }

    #[test]
    fn the_annotation_is_the_extraction_and_what_it_read() {
        let text = "Київ — On 6 August 2024 Ukraine's military launched an attack into Russia's Kursk region.\nThe governor spoke on Tuesday.\nOn Friday, Russian forces recaptured Sudzha.";
        let published = Some(date(2024, 8, 10));
        let a = annotate_en(text, published);
        let x = Extractor::new(Knowledge::embedded())
            .extract(&ArticleInput {
                published,
                language: Some("en".into()),
                text: text.into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(a.events, x.events, "the same events as extract");
        assert_eq!(a.text, x.text);
        for t in &a.times {
            assert_eq!(slice(&a.text, t.start, t.end), t.text);
        }
        for p in &a.places {
            assert_eq!(slice(&a.text, p.start, p.end), p.text);
        }
        for p in &a.actors {
            assert_eq!(slice(&a.text, p.start, p.end), p.text);
        }
        let values: Vec<(&str, &str)> = a
            .times
            .iter()
            .map(|t| (t.text.as_str(), t.value.as_str()))
            .collect();
        assert_eq!(
            values,
            [
                ("6 August 2024", "2024-08-06"),
                ("Tuesday", "2024-08-06"),
                ("Friday", "2024-08-09")
            ]
        );
        let kinds: Vec<(&str, PlaceKind, Option<&str>)> = a
            .places
            .iter()
            .map(|p| (p.text.as_str(), p.kind, p.iso_code.as_deref()))
            .collect();
        assert!(
            kinds.contains(&("Kursk region", PlaceKind::Region, Some("RU-KRS"))),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&("Sudzha", PlaceKind::Town, Some("RU-KRS"))),
            "{kinds:?}"
        );
        let sudzha = a.places.iter().find(|p| p.text == "Sudzha").unwrap();
        assert_eq!(sudzha.geonames_id, Some(486816));
        assert!(
            a.actors.iter().any(|x| x.text == "Ukraine's military"),
            "{:?}",
            a.actors
        );
        // Every event comes from a sentence, whose offsets are its evidence's.
        assert_eq!(a.sentences.len(), 3);
        for e in &a.events {
            let s = a
                .sentences
                .iter()
                .find(|s| s.events.contains(&e.id))
                .expect("a sentence made it");
            let ev = &e.sources[0].evidence;
            assert_eq!((s.start, s.end), (ev.start, ev.end));
        }
        assert_eq!(a.sentences[1].reason, Some(NoEvent::NoTrigger));
        assert!(a.sentences[0].reason.is_none() && a.sentences[2].reason.is_none());
    }

    #[test]
    fn timex3_values_for_durations_weeks_seasons_and_unknown_years() {
        let value = |text: &str,
                     published: Option<jiff::civil::Date>|
         -> Vec<(String, TimexType, String)> {
            annotate_en(text, published)
                .times
                .into_iter()
                .map(|t| (t.text, t.kind, t.value))
                .collect()
        };
        let p = Some(date(2024, 8, 10));
        assert_eq!(
            value("Fighting went on over the last two weeks.", p),
            [(
                "the last two weeks".to_string(),
                TimexType::Duration,
                "P2W".to_string()
            )]
        );
        assert_eq!(
            value("Shelling was reported last week.", p),
            [(
                "last week".to_string(),
                TimexType::Date,
                "2024-W31".to_string()
            )]
        );
        assert_eq!(
            value("The offensive began last summer.", p),
            [(
                "last summer".to_string(),
                TimexType::Date,
                "2023-SU".to_string()
            )]
        );
        // Without a publication date nothing relative resolves, but the words still
        // say what they can: a day of August, a Tuesday, a duration.
        let a = annotate_en(
            "On August 6 troops attacked. On Tuesday, over the last 20 months.",
            None,
        );
        let got: Vec<(&str, &str, Option<&str>)> = a
            .times
            .iter()
            .map(|t| (t.text.as_str(), t.value.as_str(), t.date.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("August 6", "XXXX-08-06", None),
                ("Tuesday", "XXXX-WXX-2", None),
                ("the last 20 months", "P20M", None)
            ]
        );
        assert_eq!(a.sentences[0].reason, Some(NoEvent::NoTime));
    }

    #[test]
    fn references_to_the_present_are_noted_but_date_nothing() {
        let x = Extractor::new(Knowledge::embedded());
        let a = annotate(
            &x,
            &ArticleInput {
                published: Some(date(2024, 8, 10)),
                language: Some("id".into()),
                text: "Saat ini pasukan Ukraina menyerang wilayah Kursk.".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let refs: Vec<(&str, &str)> = a
            .times
            .iter()
            .map(|t| (t.text.as_str(), t.value.as_str()))
            .collect();
        assert!(refs.iter().any(|r| r.1 == "PRESENT_REF"), "{refs:?}");
        assert!(a.times.iter().all(|t| t.date.is_none()));
        // The lede states no date of its own: it is the news of its day.
        assert!(a.sentences[0].lede_date, "{:?}", a.sentences);
        assert!(a.events.iter().all(|e| e.date_inferred));
    }

    #[test]
    fn a_restated_event_names_the_event_it_was_merged_into() {
        let a = annotate_en(
            "On 6 August 2024 Ukrainian forces attacked Kursk Oblast.\nOn 6 August 2024 Ukrainian forces attacked Kursk Oblast again.",
            Some(date(2024, 8, 10)),
        );
        assert_eq!(a.events.len(), 1);
        assert_eq!(a.sentences[1].reason, Some(NoEvent::Merged));
        assert_eq!(a.sentences[1].merged_into, [a.events[0].id.clone()]);
    }

    #[test]
    fn an_unsupported_language_is_split_but_not_read() {
        let x = Extractor::new(Knowledge::embedded());
        let a = annotate(
            &x,
            &ArticleInput {
                text: "Der Angriff begann am 6. August 2024. Die Truppen rückten vor.".into(),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(a.events.is_empty() && a.times.is_empty());
        assert!(!a.sentences.is_empty());
        assert!(
            a.sentences
                .iter()
                .all(|s| s.reason == Some(NoEvent::NoLexicon))
        );
        assert!(!a.warnings.is_empty());
    }

    fn places_in(lang: &str, text: &str) -> Vec<(String, PlaceKind, String)> {
        let x = Extractor::new(Knowledge::embedded());
        let a = annotate(
            &x,
            &ArticleInput {
                published: Some(date(2024, 5, 10)),
                language: Some(lang.into()),
                text: text.into(),
                ..Default::default()
            },
        )
        .unwrap();
        a.places
            .into_iter()
            .map(|p| (p.text, p.kind, p.iso_code.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn named_areas_resolve_in_four_languages_and_towns_keep_their_region() {
        use PlaceKind::*;
        let strip = |lang: &str, text: &str, words: &str| {
            let got = places_in(lang, text);
            assert!(
                got.contains(&(words.to_string(), Country, "PS".to_string())),
                "{text}: {got:?}"
            );
            got
        };
        let en = strip(
            "en",
            "Airstrikes killed 20 people in Khan Younis, Gaza Strip on 6 May 2024.",
            "Gaza Strip",
        );
        assert!(
            en.iter().any(|p| p.0 == "Khan Younis" && p.2 == "PS-KYS"),
            "{en:?}"
        );
        // "Gaza" inside "Gaza Strip" is not the Gaza governorate.
        assert!(!en.iter().any(|p| p.2 == "PS-GZA"), "{en:?}");
        strip(
            "id",
            "Serangan di Jalur Gaza pada 6 Mei 2024.",
            "Jalur Gaza",
        );
        strip(
            "ru",
            "Удары по Сектору Газа 6 мая 2024 года.",
            "Сектору Газа",
        );
        strip(
            "uk",
            "Удари по Сектору Гази 6 травня 2024 року.",
            "Сектору Гази",
        );
        assert_eq!(
            places_in("en", "Shelling in the Golan Heights on 6 May 2024."),
            [("Golan Heights".to_string(), Area, "SY-QU".to_string())]
        );
        assert_eq!(
            places_in("ru", "Обстрел Приднестровья 6 мая 2024 года."),
            [("Приднестровья".to_string(), Area, "MD-SN".to_string())]
        );
        // A region's longer name wins over the area inside it.
        let darfur = places_in(
            "en",
            "Troops attacked El Fasher in North Darfur on 6 May 2024.",
        );
        assert!(darfur.iter().all(|p| p.0 != "Darfur"), "{darfur:?}");
        // Bare "Gaza" is the strip as news means it, in four languages, not the Gaza
        // governorate (PS-GZA); "Gaza City" is the city, and Mozambique's Gaza Province
        // stays where the text says so.
        for (lang, text, words) in [
            ("en", "Israel takes Gaza after 6 May 2024 strikes.", "Gaza"),
            ("id", "Israel menggempur Gaza pada 6 Mei 2024.", "Gaza"),
            ("ru", "Израиль нанёс удары по Газе 6 мая 2024 года.", "Газе"),
            (
                "uk",
                "Ізраїль завдав ударів по Газі 6 травня 2024 року.",
                "Газі",
            ),
        ] {
            let got = strip(lang, text, words);
            assert!(got.iter().all(|p| p.2 != "PS-GZA"), "{text}: {got:?}");
        }
        let city = places_in("en", "Strikes hit Gaza City on 6 May 2024.");
        assert!(
            city.iter().any(|p| p.0 == "Gaza City" && p.2 == "PS-GZA"),
            "{city:?}"
        );
        let mz = places_in("en", "Floods hit Gaza, Mozambique on 6 May 2024.");
        assert!(mz.iter().any(|p| p.0 == "Gaza" && p.2 == "MZ-G"), "{mz:?}");
        // Only the capitalised name is the area: a river's west bank is not the West Bank.
        assert!(places_in("en", "Troops crossed to the west bank of the river.").is_empty());
    }

    #[test]
    fn a_foreign_region_s_name_is_the_town_the_article_is_about() {
        // Lesotho's Berea District holds the name in the town list; Berea, Kentucky is
        // the article's.
        let text = "A fire in Berea damaged a store on 6 May 2024. Berea lies in Madison \
                    County, Kentucky, south of Nicholasville.";
        let got = places_in("en", text);
        assert!(
            got.iter()
                .any(|p| p.0 == "Berea" && p.1 == PlaceKind::Town && p.2 == "US-KY"),
            "{got:?}"
        );
        assert!(got.iter().all(|p| p.2 != "LS-D"), "{got:?}");
        // Without such context the region stays.
        let alone = places_in("en", "A fire in Berea damaged a store on 6 May 2024.");
        assert!(alone.iter().any(|p| p.2 == "LS-D"), "{alone:?}");
    }

    #[test]
    fn a_capital_letter_inside_a_sentence_makes_an_ordinary_word_the_city() {
        let towns = |text: &str| -> Vec<(String, String)> {
            places_in("en", text)
                .into_iter()
                .filter(|p| p.1 == PlaceKind::Town)
                .map(|p| (p.0, p.2))
                .collect()
        };
        assert_eq!(
            towns("Police in Oxford arrested a man on 6 May 2024."),
            [("Oxford".to_string(), "GB-ENG".to_string())]
        );
        assert_eq!(
            towns("A man was shot in Buffalo on 6 May 2024."),
            [("Buffalo".to_string(), "US-NY".to_string())]
        );
        // At a sentence's start, before another capitalised word, in lower case, or as
        // a person's name, it stays the word.
        assert!(towns("Reading the report on 6 May 2024, police said two died.").is_empty());
        assert!(towns("Two died at Oxford University on 6 May 2024.").is_empty());
        assert!(towns("A herd of buffalo was shot on 6 May 2024.").is_empty());
        assert!(towns("Two died on 6 May 2024, said Bush.").is_empty());
    }

    #[test]
    fn demonyms_are_country_evidence_not_places() {
        let got = places_in(
            "en",
            "A Turkish policeman was killed in Ankara on 6 May 2024.",
        );
        assert_eq!(
            got[0],
            ("Turkish".to_string(), PlaceKind::Demonym, "TR".to_string())
        );
        assert_eq!(got[1].1, PlaceKind::Region);
        let ru = places_in(
            "ru",
            "Российские войска обстреляли Харьков 6 мая 2024 года.",
        );
        assert!(
            ru.iter().any(|p| p.1 == PlaceKind::Demonym && p.2 == "RU"),
            "{ru:?}"
        );
        // A capital named for its state stays out of the demonyms.
        let eg = places_in("en", "Egyptian police said on 6 May 2024 that two died.");
        assert_eq!(
            eg[0],
            ("Egyptian".to_string(), PlaceKind::Demonym, "EG".to_string())
        );
        let sd = places_in("ru", "Суданские военные заявили 6 мая 2024 года о боях.");
        assert!(
            sd.iter().any(|p| p.1 == PlaceKind::Demonym && p.2 == "SD"),
            "{sd:?}"
        );
        let moscow = places_in("en", "Moscow said on 6 May 2024 that talks failed.");
        assert!(
            moscow.iter().all(|p| p.1 != PlaceKind::Demonym),
            "{moscow:?}"
        );
    }

    #[test]
    fn a_country_name_is_the_us_state_in_american_local_news() {
        let got = places_in(
            "en",
            "Schools in Atlanta and Savannah cut jobs. Most Georgia school systems wait.",
        );
        assert!(
            got.iter().any(|p| p.0 == "Georgia" && p.2 == "US-GA"),
            "{got:?}"
        );
        let country = places_in(
            "en",
            "Troops left Tbilisi. Georgia said on 6 May 2024 it would talk.",
        );
        assert!(
            country.iter().any(|p| p.0 == "Georgia" && p.2 == "GE"),
            "{country:?}"
        );
    }

    /// The region (ISO code) `words` resolves to in `text` (English).
    fn region_of(text: &str, words: &str) -> String {
        places_in("en", text)
            .into_iter()
            .find(|p| p.0 == words)
            .map(|p| p.2)
            .unwrap_or_else(|| panic!("{words} not found in {text}"))
    }

    #[test]
    fn the_articles_other_names_choose_among_namesakes() {
        // Nothing else said: the most populous Paris.
        assert_eq!(region_of("The fair opened in Paris.", "Paris"), "FR-IDF");
        // "Lamar County" lies in four states; of them only Texas has a Paris: the
        // document's vote, though neither name alone is unambiguous.
        assert_eq!(
            region_of(
                "The fair opened in Paris. Lamar County deputies closed the road.",
                "Paris"
            ),
            "US-TX"
        );
        // Manhattan, Kansas is found by the name only as New York's namesake (the
        // build leaves "manhattan", an ordinary word, out of its aliases).
        assert_eq!(
            region_of(
                "Storms hit Manhattan on Monday. Kansas roads were closed.",
                "Manhattan"
            ),
            "US-KS"
        );
        assert_eq!(
            region_of("Stocks fell in Manhattan on Monday.", "Manhattan"),
            "US-NY"
        );
    }

    #[test]
    fn a_country_name_is_a_town_only_where_the_article_is_there() {
        let text = "A fire destroyed a barn near Palestine. Deputies from Grapeland and \
                    Anderson County, Texas, helped the Palestine fire department.";
        let got = places_in("en", text);
        assert!(
            got.iter()
                .filter(|p| p.0 == "Palestine")
                .all(|p| p.1 == PlaceKind::Town && p.2 == "US-TX"),
            "{got:?}"
        );
        // A report about the Middle East, or one that also names Texas, keeps the
        // country where no other name is in the town's country.
        let got = places_in("en", "Israel and Palestine resumed talks in Cairo.");
        assert!(
            got.iter().any(|p| p.0 == "Palestine" && p.2 == "PS"),
            "{got:?}"
        );
        let got = places_in(
            "en",
            "The outbreak started in Mexico and spread to New York and Texas.",
        );
        assert!(
            got.iter().any(|p| p.0 == "Mexico" && p.2 == "MX"),
            "{got:?}"
        );
    }

    #[test]
    fn continents_are_no_towns() {
        for (lang, text) in [
            ("en", "Cases were reported across Africa and Asia."),
            ("en", "The virus reached Latin America and the Middle East."),
            ("id", "Kasus dilaporkan di Afrika dan Timur Tengah."),
        ] {
            let got = places_in(lang, text);
            assert!(
                got.iter().all(|p| p.1 != PlaceKind::Town),
                "{text}: {got:?}"
            );
        }
        // A country inside a continent's name is no country either; one beside it is.
        let got = places_in("en", "Flights from South America to Mexico resumed.");
        assert!(got.iter().all(|p| p.0 != "America"), "{got:?}");
        assert!(got.iter().any(|p| p.0 == "Mexico"), "{got:?}");
    }

    #[test]
    fn a_town_after_an_indonesian_unit_noun_lies_in_indonesia() {
        // Paro is a town and a district of Bhutan; "Distrik Paro" is Papuan.
        let got = places_in("id", "Pesawat itu dibakar di Distrik Paro, Nduga.");
        assert!(got.iter().all(|p| !p.2.starts_with("BT")), "{got:?}");
        let got = places_in("id", "Wisatawan tiba di Paro, Bhutan.");
        assert!(got.iter().any(|p| p.0 == "Paro"), "{got:?}");
    }

    #[test]
    fn regions_and_countries_carry_their_geonames_ids() {
        let x = Extractor::new(Knowledge::embedded());
        let a = annotate(
            &x,
            &ArticleInput {
                language: Some("en".into()),
                text: "Floods hit Texas and Mexico.".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let id = |w: &str| {
            a.places
                .iter()
                .find(|p| p.text == w)
                .and_then(|p| p.geonames_id)
        };
        assert_eq!(id("Texas"), Some(4736286));
        assert_eq!(id("Mexico"), Some(3996063));
    }
}
