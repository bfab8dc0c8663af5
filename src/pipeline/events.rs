//! From an article to events: the orchestrator of the pipeline. `Extractor::run`
//! cleans the article (`clean`), finds its language (`lang`) and folds its text once;
//! `Extractor::events` then takes it through the stages in order, each in its own
//! module:
//! 1. sentences (`sentences`, within the work bounds of `bounds`), each read once by
//!    the knowledge's matchers (triggers, actors, regions, towns, countries) and by
//!    `detect`, whose [`detect::Reader`] sets aside captions, credits and headline
//!    forms and makes event candidates, then lets agreements, talks and statements
//!    through only in an article about an armed conflict (its conflict gate);
//! 2. places and actors: `places::mentions` reads every sentence's place names in
//!    order, which tell where the article is (with the headline's places for a lede
//!    that names none), and `scene` where a strike came from;
//! 3. then sentence by sentence: its times (`dating`'s [`dating::Narrative`]: the time
//!    tagger of `timex`, the lede's news of its day, current news and the narrative's
//!    time for an act told without one); where its events happened
//!    (`places::mentions`), or, for a sentence that only names further places, the
//!    strike of the sentence before it continued there (`assemble`'s
//!    [`Continuation`]); `factuality` keeps the candidates told as acts that
//!    happened (threats, plans and hedges as such); `dating` pairs each act with its
//!    own clause's time (and an act that lasted with its onset); `assemble` makes each
//!    an event;
//! 4. `merge` folds them into one event per happening, region by region; at the end
//!    `dating` settles the ledes' dates and `scene` places acts by the article's focus.
//!
//! Regions, countries and actors come from the gazetteer and actor registry, towns and
//! cities from its place list (`places` chooses among namesakes with what the whole
//! article names, and tells surnames and names of agreements from places); a town sets
//! the event's point, and its region when the sentence names none. Sentences that
//! report only speech, or nothing datable, yield nothing. A lede — the first sentence,
//! and in a list of headlines every headline — that states no date reports the news of
//! its day: it is dated "day before publication .. publication day", inferred.
//! Triggers marked `headline` in the lexicon (present tenses, bare verbs) count only in
//! a list of headlines or a one-line text. How confident an event is, is `assemble`'s.

use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::annotate::Trace;
use super::assemble::{Assembler, Continuation, EventParts, Grammar, SourceBase};
use super::bounds::{self, Reached, Stop};
use super::detect::{self, Detector, Reading};
use super::factuality::Factuality;
use super::places::mentions::{Mentions, ReadSentence};
use super::places::names::Names;
use super::timex::TimeTagger;
use super::{clean, dating, lang, merge, scene, sentences};
use crate::domain::{Event, EventDate};
use crate::knowledge::Knowledge;
use crate::text::{Folded, fold};

/// An article as it arrives, before cleaning.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    pub url: Option<String>,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<Date>,
    /// An explicit language wins over detection.
    pub language: Option<String>,
    pub text: String,
    /// The text is an HTML page's main content as [`super::html::extract`] gives it:
    /// its short lines inside the article are subheads and list items, not the page's
    /// furniture, and cleaning keeps them.
    pub from_html: bool,
}

/// Everything the pipeline made of one article.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub article_id: String,
    pub content_hash: String,
    pub language: String,
    pub published: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    /// The cleaned text that evidence offsets point into.
    pub text: String,
    pub events: Vec<Event>,
    /// What the pipeline could not do, in words a user can act on.
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("the article has no text after cleaning")]
    Empty,
    #[error("unsupported language {0:?}: use one of id, en, ru, uk")]
    Language(String),
    #[error("extraction stopped: its request was answered or ran out of time")]
    Stopped,
}

/// The pipeline with its lexicons compiled; build once, use for many articles.
pub struct Extractor {
    kb: Arc<Knowledge>,
    timex: TimeTagger,
    detect: Detector,
    facts: Factuality,
    names: Names,
}

/// Crockford-style lower-case base32 of the first 10 bytes of a SHA-256: 16 characters.
pub(super) fn short_hash(parts: &[&str]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let d = h.finalize();
    let mut bits: u128 = 0;
    for b in &d[..10] {
        bits = (bits << 8) | u128::from(*b);
    }
    (0..16)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// The text a duplicate check compares: folded, whitespace collapsed.
pub fn content_hash(text: &str) -> String {
    hash_of_fold(&fold(text))
}

/// [`content_hash`] of the text whose fold is `folded`.
fn hash_of_fold(folded: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let d = Sha256::digest(folded.as_bytes());
    let mut out = String::with_capacity(2 * d.len());
    for b in d {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

impl Extractor {
    pub fn new(kb: Arc<Knowledge>) -> Self {
        let timex = TimeTagger::new(&kb);
        let detect = Detector::new().expect("the embedded cue lexicon is checked by tests");
        let facts = Factuality::new().expect("the embedded factuality lexicon is checked by tests");
        let names = Names::new(&kb);
        Extractor {
            names,
            kb,
            timex,
            detect,
            facts,
        }
    }

    pub fn knowledge(&self) -> &Arc<Knowledge> {
        &self.kb
    }

    pub fn extract(&self, input: &ArticleInput) -> Result<Extraction, ExtractError> {
        self.run(input, &Stop::never(), None)
    }

    /// [`Extractor::extract`] that gives up (with [`ExtractError::Stopped`]) between
    /// sentences once `stop` says so. Work is bounded either way (`bounds.rs`).
    pub fn extract_until(
        &self,
        input: &ArticleInput,
        stop: &Stop,
    ) -> Result<Extraction, ExtractError> {
        self.run(input, stop, None)
    }

    /// [`Extractor::extract_until`], with each stage noting what it found and decided
    /// in `trace` (for `annotate`); without a trace it costs nothing.
    pub fn extract_traced(
        &self,
        input: &ArticleInput,
        stop: &Stop,
        trace: Option<&mut Trace>,
    ) -> Result<Extraction, ExtractError> {
        self.run(input, stop, trace)
    }

    fn run(
        &self,
        input: &ArticleInput,
        stop: &Stop,
        trace: Option<&mut Trace>,
    ) -> Result<Extraction, ExtractError> {
        let cleaned = if input.from_html {
            clean::clean_main_content(&input.text, input.title.as_deref(), &self.kb)
        } else {
            clean::clean_text(&input.text, input.title.as_deref(), &self.kb)
        };
        if cleaned.text.trim().is_empty() {
            return Err(ExtractError::Empty);
        }
        let mut warnings = Vec::new();
        let language = match &input.language {
            Some(l) => lang::normalise(l)
                .ok_or_else(|| ExtractError::Language(l.clone()))?
                .to_string(),
            None => match lang::detect(&cleaned.text) {
                Some(l) => l.to_string(),
                None => {
                    warnings
                        .push("language not recognised; no events extracted (pass --lang)".into());
                    "und".to_string()
                }
            },
        };
        if !lang::SUPPORTED.contains(&language.as_str()) && language != "und" {
            warnings.push(format!(
                "no lexicon for language {language:?}; no events extracted"
            ));
        }
        // The day relative times are read against: the publication date, or without
        // one the day the text's lede states ("Selasa (17/10/2023)"; a dateline's
        // weekday and day/month, "Kamis (5/10)", on its latest such day up to today).
        let reference = input
            .published
            .or_else(|| dating::lede_reference(&self.timex, &cleaned.text, &language));
        if input.published.is_none() {
            // The provenance of the dates.
            warnings.push(
                match reference {
                    Some(d) => format!(
                        "no publication date: relative dates (weekdays, \"yesterday\", dates without a year) were resolved against {d}, the day the lede states"
                    ),
                    None => "no publication date, and none stated in the lede: relative dates (weekdays, \"yesterday\", dates without a year) were not resolved".into(),
                },
            );
        }
        // One fold of the text serves the hash and every sentence.
        let folded = Folded::new(&cleaned.text);
        let content_hash = hash_of_fold(&folded.text);
        let article_id = format!("art_{}", short_hash(&[&content_hash]));
        let source_base = SourceBase {
            article_id: article_id.clone(),
            url: input.url.clone(),
            title: cleaned.title.clone(),
            // The headline: the caller's title, or a title line the text opens with (a
            // headline-like line further down is a subhead of one item of a digest).
            headline: input.title.clone().or_else(|| {
                cleaned
                    .title
                    .clone()
                    .filter(|t| input.text.trim_start().starts_with(t.as_str()))
            }),
            publisher: input
                .publisher
                .clone()
                .or_else(|| input.url.as_deref().and_then(publisher_of)),
            published_at: input.published.map(|d| d.to_string()),
        };
        if stop.is_stopped() {
            return Err(ExtractError::Stopped);
        }
        let mut reached = Reached::default();
        let article = Article {
            text: &cleaned.text,
            folded: &folded,
            language: &language,
            reference,
            headlines: cleaned.headlines,
            src: &source_base,
        };
        let mut events = self.events(&article, (stop, &mut reached), trace)?;
        warnings.extend(reached.warnings());
        // A date no report can carry is a misreading (or a placeholder publication
        // date); the event goes, the article stays.
        events.retain(|e| match implausible_date(e, input.published) {
            Some(why) => {
                warnings.push(format!("dropped an event {why}: {:?}", e.title));
                false
            }
            None => true,
        });
        Ok(Extraction {
            article_id,
            content_hash,
            language,
            published: input.published.map(|d| d.to_string()),
            title: cleaned.title,
            url: input.url.clone(),
            publisher: source_base.publisher,
            text: cleaned.text,
            events,
            warnings,
        })
    }

    /// The events of `article`. Stops between sentences when `stop` says so; records
    /// in `reached` the work bounds the article reached, and in `trace` (for
    /// `annotate`) what each stage found.
    fn events(
        &self,
        article: &Article,
        (stop, reached): (&Stop, &mut Reached),
        mut trace: Option<&mut Trace>,
    ) -> Result<Vec<Event>, ExtractError> {
        let Article {
            text,
            folded,
            language,
            reference,
            headlines,
            src,
        } = *article;
        let Some(triggers) = self.kb.triggers(language) else {
            if let Some(t) = trace {
                t.unread(text, language);
            }
            return Ok(Vec::new());
        };
        let kb = &*self.kb;
        let mut narrative =
            dating::Narrative::new((&self.timex, kb), language, reference, headlines);
        let scene_words = scene::SceneWords::of(kb, language);
        // Sentences, each read once: what the matchers find in it, and its event
        // candidates.
        let reader = detect::Reader::new(
            kb,
            (&self.detect, &self.facts),
            language,
            triggers,
            headlines,
        );
        let Some(mut seen) = self.sentences(article, &reader, (stop, reached))? else {
            return Ok(Vec::new());
        };
        reader.conflict_gate(text, &mut seen);
        // Places and actors: where the article is, from every sentence's names.
        let mut mentions = Mentions::new(kb, &self.names, language, &scene_words);
        let headline = src.headline.as_deref().filter(|_| !headlines);
        let found = mentions.read_article((text, folded), seen, headline, trace.as_deref_mut());
        // Each sentence's events, in order.
        let grammar = Grammar::of(kb, language);
        let assembler = Assembler::new(kb);
        let mut strikes = Continuation::new(kb, language);
        let mut out: Vec<Event> = Vec::new();
        for (i, sentence) in found.into_iter().enumerate() {
            if stop.is_stopped() {
                return Err(ExtractError::Stopped);
            }
            if out.len() >= bounds::MAX_EVENTS {
                reached.events = true;
                break;
            }
            let ReadSentence {
                span,
                candidates: trig,
                actors,
                named,
                origins,
            } = sentence;
            let s = &text[span.start..span.end];
            let line_start = sentences::starts_line(text, span.start);
            let times = narrative.times(i, s, line_start, &trig, trace.as_deref_mut());
            let material = trig.iter().any(|c| detect::is_material(c.plover));
            let placed = mentions.place(i, s, named, &origins, material, trace.as_deref_mut());
            if let Some(strike) = strikes.of(i, s, trig.is_empty(), &placed) {
                let (places, regions) = (&placed.places, &placed.regions);
                let ev = assembler.continued(strike, places, regions, text, s, span.start);
                merge::add_traced(&mut out, ev, i, trace.as_deref_mut());
                continue;
            }
            if times.date_nothing() || trig.is_empty() {
                if let Some(t) = trace.as_deref_mut() {
                    t.no_event(i, trig.is_empty());
                }
                continue;
            }
            // Factuality: only acts told as having happened, and threats of them.
            let acts = self.facts.acts(language, s, &trig, &times.times);
            if acts.is_empty() {
                if let Some(t) = trace.as_deref_mut() {
                    t.not_asserted(i);
                }
                continue;
            }
            // Dating: each act with its own clause's time; merging: one event per
            // happening.
            // Main clauses joined by a coordinator, each with acts and places of its
            // own: each act takes its own clause's places, actors and time.
            let clauses = scene::Clauses::of(s, &acts, &placed, &actors, &scene_words);
            let mut dated = narrative.date_acts(i, s, &times, &acts);
            if let Some(c) = &clauses {
                dating::carry_to_later_clauses(&mut dated, c.spans());
            }
            for (time, k) in dated {
                let (regions, places, countries, actors) = match &clauses {
                    Some(c) => c.parts(k),
                    None => (
                        &placed.regions[..],
                        &placed.places[..],
                        &placed.countries[..],
                        &actors[..],
                    ),
                };
                let ev = assembler.build(EventParts {
                    text,
                    sentence: s,
                    offset: span.start,
                    language,
                    relatives: grammar.relative,
                    scene: &scene_words,
                    origins: &origins,
                    time: &time,
                    candidate: &acts[k],
                    regions,
                    places,
                    countries,
                    actors,
                    src,
                });
                narrative.made(&ev);
                strikes.made(i, &ev);
                for id in merge::add_traced(&mut out, ev, i, trace.as_deref_mut()) {
                    narrative.new_event(&times, id);
                }
            }
        }
        narrative.settle(&mut out);
        scene::article_focus(&mut out, mentions.focus());
        Ok(out)
    }
    /// The sentences of `article`, each read by `reader` (`None` when the matchers
    /// cannot read the language), within the work bounds: stops when `stop` says so,
    /// and records in `reached` the bounds the article reached.
    fn sentences<'a>(
        &self,
        article: &Article,
        reader: &detect::Reader<'a>,
        (stop, reached): (&Stop, &mut Reached),
    ) -> Result<Option<Vec<Reading<'a>>>, ExtractError> {
        let Article { text, language, .. } = *article;
        let mut seen = Vec::new();
        let spans = sentences::split(text, language);
        let mut hits_read = 0usize;
        for (n, mut span) in spans.iter().copied().enumerate() {
            if stop.is_stopped() {
                return Err(ExtractError::Stopped);
            }
            if n >= bounds::MAX_SENTENCES || hits_read >= bounds::MAX_HITS_PER_ARTICLE {
                reached.unread_sentences = spans.len() - n;
                break;
            }
            let end = bounds::sentence_end(text, span.start, span.end);
            if end < span.end {
                reached.cut_sentences += 1;
                span.end = end;
            }
            // Triggers, actors, region names, towns and countries in one pass.
            let Some(mut hits) = sentences::with_fold(text, article.folded, span, |s, f| {
                self.kb.sentence_hits(language, s, f)
            }) else {
                return Ok(None);
            };
            reached.crowded_sentences += usize::from(bounds::cap_hits(&mut hits, &mut hits_read));
            seen.push(reader.read(text, span, hits));
        }
        Ok(Some(seen))
    }
}

/// An article as the stages read it: its cleaned text and that text's fold, its
/// language and publication date, whether it is a list of headlines, and what its
/// events cite as their source.
struct Article<'a> {
    text: &'a str,
    folded: &'a Folded,
    language: &'a str,
    /// The publication date, or the day the lede states standing for it.
    reference: Option<Date>,
    headlines: bool,
    src: &'a SourceBase,
}

/// The publisher's domain from an article URL ("https://www.bbc.com/x" → "bbc.com").
pub fn publisher_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?.split('@').next_back()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

impl EventDate {
    /// The interval a stored event's date fields stand for.
    pub fn of_event(e: &Event) -> Option<EventDate> {
        EventDate::from_fields(&e.date, e.end_date.as_deref(), e.date_precision).ok()
    }
}

/// The first year an event may be dated in: what precedes it is a misread or a
/// placeholder (`0001-01-01`), not a report of an armed conflict.
pub const FIRST_EVENT_YEAR: i16 = 1000;

/// Why an event's date cannot be right, if it cannot: unreadable, before year 1000, or
/// more than a year after the article's publication (news does not report it).
pub fn implausible_date(e: &Event, published: Option<Date>) -> Option<String> {
    let Some(d) = EventDate::of_event(e) else {
        return Some(format!("its date {:?} is not a date", e.date));
    };
    if d.start.year() < FIRST_EVENT_YEAR {
        return Some(format!("dated {}, before year {FIRST_EVENT_YEAR}", e.date));
    }
    let limit = published.and_then(|p| p.checked_add(jiff::Span::new().years(1)).ok());
    if let (Some(p), Some(limit)) = (published, limit)
        && d.start > limit
    {
        return Some(format!(
            "dated {}, more than a year after publication ({p})",
            e.date
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publisher_is_the_bare_domain() {
        assert_eq!(
            publisher_of("https://www.tribunnews.com/x/y?z=1").as_deref(),
            Some("tribunnews.com")
        );
        assert_eq!(publisher_of("not a url"), None);
    }

    #[test]
    fn a_capital_that_acts_is_an_actor_and_one_you_are_in_is_a_place() {
        let x = Extractor::new(Knowledge::embedded());
        let input = ArticleInput {
            published: Some(jiff::civil::date(2024, 6, 20)),
            language: Some("en".into()),
            // "amid the war": agreements are events only in news of a conflict (the
            // conflict gate of `detect`).
            text: "On June 19, 2024, Putin and Kim Jong Un signed a treaty in Pyongyang amid the war in Ukraine.\nOn June 18, 2024, Pyongyang signed a trade deal with Moscow.".into(),
            ..Default::default()
        };
        let out = x.extract(&input).unwrap();
        let regions: Vec<Vec<&str>> = out
            .events
            .iter()
            .map(|e| e.regions.iter().map(|r| r.iso_code.as_str()).collect())
            .collect();
        assert_eq!(regions, vec![vec!["KP-01"], vec![]], "{:#?}", out.events);
    }

    /// The events `x` extracts from `text` in `lang`, published on `published`.
    fn events_of(
        x: &Extractor,
        published: jiff::civil::Date,
        lang: &str,
        text: &str,
    ) -> Vec<Event> {
        x.extract(&ArticleInput {
            published: Some(published),
            language: Some(lang.into()),
            text: text.into(),
            ..Default::default()
        })
        .unwrap()
        .events
    }

    /// An event's regions' codes.
    fn codes(e: &Event) -> Vec<String> {
        e.regions.iter().map(|r| r.iso_code.clone()).collect()
    }

    #[test]
    fn a_vague_attack_word_aimed_at_a_place_is_an_act_of_war() {
        let x = Extractor::new(Knowledge::embedded());
        let run = |lang: &str, text: &str| {
            events_of(&x, jiff::civil::date(2024, 3, 10), lang, text)
                .iter()
                .map(|e| (e.event_type.clone(), e.date.clone(), codes(e)))
                .collect::<Vec<_>>()
        };
        // Headline style: the attack noun, its aim and a day, no actor or weapon.
        for (lang, text) in [
            ("ru", "Удар по Одессе 4 марта."),
            ("uk", "Удар по Одесі 4 березня."),
            ("en", "Strike on Odesa on March 4."),
            ("id", "Serangan terhadap Odesa pada 4 Maret."),
        ] {
            let got = run(lang, text);
            assert_eq!(
                got,
                vec![(
                    "assault".to_string(),
                    "2024-03-04".to_string(),
                    vec!["UA-51".to_string()]
                )],
                "{lang}: {text}"
            );
        }
        // Other senses stay aside: no place after the aim, a place the act is in, a
        // possessor.
        for (lang, text) in [
            ("en", "The strike on Monday shut the factory."),
            ("en", "Dockers went on strike in Odesa on March 4."),
            (
                "en",
                "A heart attack on Odesa's seafront killed a man on March 4.",
            ),
        ] {
            assert!(run(lang, text).is_empty(), "{lang}: {text}");
        }
    }

    #[test]
    fn armed_actors_of_the_wars_beyond_ukraine_are_known_and_shooting_needs_one() {
        let x = Extractor::new(Knowledge::embedded());
        let run = |lang: &str, text: &str| {
            events_of(&x, jiff::civil::date(2024, 5, 9), lang, text)
                .into_iter()
                .map(|e| {
                    let actors: Vec<String> = e.actors.into_iter().map(|a| a.slug).collect();
                    (e.event_type, e.countries, actors)
                })
                .collect::<Vec<_>>()
        };
        for (lang, text, actor, country) in [
            (
                "en",
                "Hamas fighters attacked Israel on Tuesday.",
                "hamas",
                "IL",
            ),
            (
                "id",
                "Pasukan Israel menyerang Rafah pada Selasa.",
                "idf",
                "PS",
            ),
            (
                "en",
                "The Rapid Support Forces shelled El Fasher on Tuesday.",
                "rapid-support-forces",
                "SD",
            ),
            (
                "ru",
                "Армия Мьянмы нанесла удар по Сагайну во вторник.",
                "myanmar-military",
                "MM",
            ),
            (
                "id",
                "KKB menembak prajurit TNI di Papua pada Selasa.",
                "tpnpb-opm",
                "ID",
            ),
            (
                "en",
                "Houthi rebels fired missiles at Eilat on Tuesday.",
                "houthis",
                "IL",
            ),
        ] {
            let got = run(lang, text);
            assert!(
                got.iter().any(|(t, c, a)| t == "assault"
                    && c.iter().any(|c| c == country)
                    && a.iter().any(|a| a == actor)),
                "{lang}: {text}: {got:?}"
            );
        }
        // Shooting without an armed doer or victim beside it is another sense.
        for (lang, text) in [
            ("en", "The director shot the film in Kyiv on Tuesday."),
            ("id", "Ia menembak foto di Jakarta pada Selasa."),
        ] {
            assert!(run(lang, text).is_empty(), "{lang}: {text}");
        }
    }

    #[test]
    fn papua_s_regencies_place_an_act_in_their_province_since_the_2022_split() {
        let x = Extractor::new(Knowledge::embedded());
        for (lang, text, region) in [
            (
                "id",
                "Dua warga ditembak oleh pasukan TNI di Nduga pada Selasa.",
                "ID-PE",
            ),
            (
                "en",
                "Separatist rebels attacked a police post in Intan Jaya on Tuesday.",
                "ID-PT",
            ),
        ] {
            let regions: Vec<String> = events_of(&x, jiff::civil::date(2024, 5, 9), lang, text)
                .iter()
                .flat_map(codes)
                .collect();
            assert_eq!(regions, [region], "{lang}: {text}");
        }
    }

    #[test]
    fn a_town_places_the_event_and_names_its_region() {
        let x = Extractor::new(Knowledge::embedded());
        let run = |lang: &str, text: &str| {
            let out = x
                .extract(&ArticleInput {
                    published: Some(jiff::civil::date(2025, 3, 14)),
                    language: Some(lang.into()),
                    text: text.into(),
                    ..Default::default()
                })
                .unwrap();
            assert_eq!(out.events.len(), 1, "{:#?}", out.events);
            out.events.into_iter().next().unwrap()
        };
        let e = run("en", "On March 13, 2025, Russian forces recaptured Sudzha.");
        let regions: Vec<&str> = e.regions.iter().map(|r| r.iso_code.as_str()).collect();
        assert_eq!(regions, ["RU-KRS"]);
        assert_eq!(e.places.len(), 1);
        assert_eq!(e.places[0].name, "Sudzha");
        assert_eq!(e.places[0].region.as_deref(), Some("RU-KRS"));
        assert_eq!(e.places[0].geonames_id, Some(486816));
        let loc = e.location.unwrap();
        assert_eq!(loc.precision, "place");
        assert!((loc.lat - 51.19).abs() < 0.01 && (loc.lon - 35.27).abs() < 0.01);

        let e = run(
            "ru",
            "13 марта 2025 года российские войска освободили Суджу.",
        );
        assert_eq!(e.places[0].name, "Sudzha");
        // A named region stays the region; the town still sets the point.
        let e = run(
            "uk",
            "17 лютого 2024 року українські війська відступили з Авдіївки в Донецькій області.",
        );
        assert_eq!(e.regions[0].iso_code, "UA-14");
        assert_eq!(e.places[0].name, "Avdiivka");
        assert_eq!(e.location.unwrap().precision, "place");
    }

    #[test]
    fn every_headline_of_a_list_is_a_lede_and_headline_forms_count_only_there() {
        let x = Extractor::new(Knowledge::embedded());
        let run = |text: &str| {
            x.extract(&ArticleInput {
                published: Some(jiff::civil::date(2023, 2, 10)),
                language: Some("en".into()),
                text: text.into(),
                ..Default::default()
            })
            .unwrap()
            .events
        };
        // Headlines state no date: each is the news of its day (the day before
        // publication or the day itself), never an invented single day.
        let list =
            run("Russians destroy a barge near Kherson\nShelling of Kupiansk kills two civilians");
        let got: Vec<(&str, Option<&str>, &str)> = list
            .iter()
            .map(|e| {
                (
                    e.date.as_str(),
                    e.end_date.as_deref(),
                    e.regions[0].iso_code.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("2023-02-09", Some("2023-02-10"), "UA-65"),
                ("2023-02-09", Some("2023-02-10"), "UA-63")
            ]
        );
        assert!(list.iter().all(|e| e.date_inferred));
        // In prose the present tense is not a report: "vowed to destroy" is no event.
        let prose = run(
            "The commander spoke in Kyiv.\nOn February 9, he vowed to destroy every barge near Kherson.",
        );
        assert!(prose.is_empty(), "{prose:#?}");
    }

    #[test]
    fn a_country_that_acts_does_not_choose_among_namesakes() {
        let x = Extractor::new(Knowledge::embedded());
        let region = |text: &str| -> Vec<String> {
            let out = x
                .extract(&ArticleInput {
                    published: Some(jiff::civil::date(2023, 2, 17)),
                    language: Some("en".into()),
                    text: text.into(),
                    ..Default::default()
                })
                .unwrap();
            out.events[0]
                .regions
                .iter()
                .map(|r| r.iso_code.clone())
                .collect()
        };
        // Russia acts here: Donetsk is still the Ukrainian city's oblast.
        assert_eq!(
            region("On February 16, Russia lost a brigade near Donetsk."),
            ["UA-14"]
        );
        // Here the article is in Russia: the Donetsk of Rostov Oblast.
        assert_eq!(
            region("On February 16, drones struck Donetsk in Russia."),
            ["RU-ROS"]
        );
    }

    /// Each event's (ISO codes of its regions, its countries), for an article
    /// published on `day`.
    fn placed_on(
        x: &Extractor,
        day: (i16, i8, i8),
        lang: &str,
        text: &str,
    ) -> Vec<(Vec<String>, Vec<String>)> {
        x.extract(&ArticleInput {
            published: Some(jiff::civil::date(day.0, day.1, day.2)),
            language: Some(lang.into()),
            text: text.into(),
            ..Default::default()
        })
        .unwrap()
        .events
        .iter()
        .map(|e| {
            let r = e.regions.iter().map(|r| r.iso_code.clone()).collect();
            (r, e.countries.clone())
        })
        .collect()
    }

    /// The ISO codes of each event's regions, for an article published on `day`.
    fn regions_of(x: &Extractor, day: (i16, i8, i8), lang: &str, text: &str) -> Vec<Vec<String>> {
        placed_on(x, day, lang, text)
            .into_iter()
            .map(|(r, _)| r)
            .collect()
    }

    /// [`placed_on`] for an article published on 10 May 2024.
    fn placed_in(x: &Extractor, lang: &str, text: &str) -> Vec<(Vec<String>, Vec<String>)> {
        placed_on(x, (2024, 5, 10), lang, text)
    }

    #[test]
    fn demonyms_give_the_country_only_where_no_place_is_named() {
        let x = Extractor::new(Knowledge::embedded());
        for (lang, text, want) in [
            // A demonym of a country the actor registry lacks (demonyms.tsv) is who
            // acted, as a registry state is: arrests happen where the police are.
            (
                "en",
                "Egyptian police arrested 20 people on 6 May 2024.",
                "EG",
            ),
            // countryinfo's English demonyms, for the countries the list lacked.
            (
                "en",
                "Malawian police arrested 20 people on 6 May 2024.",
                "MW",
            ),
            (
                "ru",
                "Суданские военные задержали 20 человек 6 мая 2024 года.",
                "SD",
            ),
            (
                "uk",
                "Єгипетська поліція затримала 20 людей 6 травня 2024 року.",
                "EG",
            ),
            // Indonesian writes the country's name after the noun.
            (
                "id",
                "Polisi Mesir menangkap 20 orang pada 6 Mei 2024.",
                "EG",
            ),
        ] {
            let got = placed_in(&x, lang, text);
            assert!(!got.is_empty(), "{text}");
            assert!(
                got.iter().all(|(r, c)| r.is_empty() && c == &[want]),
                "{text}: {got:?}"
            );
        }
        // A place named wins: the demonym is no place of the event.
        for (lang, text, region, country) in [
            (
                "en",
                "Egyptian police arrested 20 people in Rafah on 6 May 2024.",
                "PS-RFH",
                "PS",
            ),
            (
                "ru",
                "Суданские военные задержали 20 человек в Рафахе 6 мая 2024 года.",
                "PS-RFH",
                "PS",
            ),
            (
                "uk",
                "Єгипетська поліція затримала 20 людей у Рафаху 6 травня 2024 року.",
                "PS-RFH",
                "PS",
            ),
            (
                "id",
                "Pasukan Israel menyerang Rafah pada 6 Mei 2024.",
                "PS-RFH",
                "PS",
            ),
        ] {
            let got = placed_in(&x, lang, text);
            assert!(
                got.iter().any(|(r, c)| r == &[region] && c == &[country]),
                "{text}: {got:?}"
            );
        }
    }

    #[test]
    fn first_level_regions_are_found_worldwide() {
        let x = Extractor::new(Knowledge::embedded());
        let regions = |lang: &str, text: &str| regions_of(&x, (2024, 6, 10), lang, text);
        for (lang, text, iso) in [
            (
                "en",
                "Fighting was reported in Ghazni province on 3 March 2021.",
                "AF-GHA",
            ),
            (
                "en",
                "The military shelled villages in Sagaing Region on 11 April 2023.",
                "MM-01",
            ),
            (
                "en",
                "RSF fighters attacked El Fasher in North Darfur on 10 May 2024.",
                "SD-DN",
            ),
            (
                "en",
                "Protesters clashed with police in Makassar, Sulawesi Selatan on 2 October 2019.",
                "ID-SN",
            ),
            (
                "id",
                "Kelompok bersenjata menyerang pos polisi di Papua Tengah pada 3 Juni 2024.",
                "ID-PT",
            ),
            (
                "en",
                "Police fired on protesters in Minnesota on 28 May 2020.",
                "US-MN",
            ),
        ] {
            assert_eq!(regions(lang, text), [[iso]], "{text}");
        }
    }

    #[test]
    fn a_region_name_several_countries_share_takes_the_country_the_text_points_to() {
        let x = Extractor::new(Knowledge::embedded());
        let regions = |text: &str| regions_of(&x, (2024, 6, 10), "en", text);
        // Palestine borders Israel, whose forces act here; bare "Gaza" is the Gaza Strip
        // (five governorates, no one region), the governorate is "Gaza Governorate".
        assert_eq!(
            placed_in(
                &x,
                "en",
                "On 6 May 2024 Israeli forces attacked a school in Gaza."
            ),
            [(vec![], vec!["PS".to_string()])]
        );
        assert_eq!(
            regions("On 6 May 2024 Israeli forces attacked a school in Gaza Governorate."),
            [["PS-GZA"]]
        );
        // Here the article names Mozambique.
        assert_eq!(
            regions("On 6 May 2024 gunmen attacked a village in Gaza, Mozambique."),
            [["MZ-G"]]
        );
    }

    #[test]
    fn dnipro_is_the_city_unless_the_words_make_it_the_river() {
        let x = Extractor::new(Knowledge::embedded());
        let regions = |lang: &str, text: &str| regions_of(&x, (2025, 3, 4), lang, text);
        assert_eq!(
            regions("en", "On March 3, Russian drones struck Dnipro."),
            [["UA-12"]]
        );
        assert_eq!(
            regions(
                "en",
                "On March 3, Ukrainian troops attacked across the Dnipro."
            ),
            [Vec::<String>::new()]
        );
        assert_eq!(
            regions("en", "On March 3, shelling hit the Dnipro River bank."),
            [Vec::<String>::new()]
        );
        assert_eq!(
            regions("ru", "3 марта российские дроны атаковали Днепр."),
            [["UA-12"]]
        );
        assert_eq!(
            regions("uk", "3 березня українські війська атакували через Дніпро."),
            [Vec::<String>::new()]
        );
        assert_eq!(
            regions("id", "Pada 3 Maret, drone Rusia menyerang kota Dnipro."),
            [["UA-12"]]
        );
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(short_hash(&["a", "b"]), short_hash(&["a", "b"]));
        assert_ne!(short_hash(&["a", "b"]), short_hash(&["ab", ""]));
        assert_eq!(short_hash(&["x"]).len(), 16);
    }

    #[test]
    fn a_long_article_is_read_within_bounds_and_stops_when_told() {
        let x = Extractor::new(Knowledge::embedded());
        let unit =
            "On 6 August 2024 Ukraine attacked Kursk, Sudzha, Donetsk, Kharkiv and Kherson. ";
        let input = ArticleInput {
            text: unit.repeat(2_000_000 / unit.len()),
            language: Some("en".into()),
            published: Some(jiff::civil::date(2024, 8, 8)),
            ..Default::default()
        };
        // Stopped before it starts, or by a deadline that passes while the text is
        // cleaned: it gives up between sentences.
        let stop = Stop::never();
        stop.stop();
        assert_eq!(
            x.extract_until(&input, &stop).unwrap_err(),
            ExtractError::Stopped
        );
        let soon = Stop::at(std::time::Instant::now() + std::time::Duration::from_millis(1));
        assert_eq!(
            x.extract_until(&input, &soon).unwrap_err(),
            ExtractError::Stopped
        );
        // Unstopped, the part read still gives its event, and the warning says what
        // was left.
        let out = x.extract(&input).unwrap();
        assert!(out.events.iter().any(|e| e.date == "2024-08-06"));
        assert!(
            out.warnings.iter().any(|w| w.contains("were not read")),
            "{:?}",
            out.warnings
        );
        // One sentence of 2 MB with no full stop: cut, its first matches read.
        let one = ArticleInput {
            text: unit.replace(". ", ", ").repeat(2_000_000 / unit.len()),
            ..input
        };
        let out = x.extract(&one).unwrap();
        assert!(out.events.iter().any(|e| e.date == "2024-08-06"));
        assert!(
            out.warnings
                .iter()
                .any(|w| w.contains("read only that far"))
        );
    }
}

/// Sentences written for these tests from the PLOVER and ACLED codebooks' definitions
/// (not from any evaluation set): each family of the lexicon, factuality, dating and
/// merging, as an article shows them.
#[cfg(test)]
pub(crate) mod stages {
    use super::*;

    /// The events of `text` in `lang`, published on the given day (for the pipeline's
    /// end-to-end tests here and in its stages' modules).
    pub(crate) fn extract(lang: &str, published: (i16, i8, i8), text: &str) -> Vec<Event> {
        let x = Extractor::new(Knowledge::embedded());
        x.extract(&ArticleInput {
            published: Some(jiff::civil::date(published.0, published.1, published.2)),
            language: Some(lang.into()),
            text: text.into(),
            ..Default::default()
        })
        .unwrap()
        .events
    }

    /// (PLOVER type, ACLED type) of each event.
    fn kinds(events: &[Event]) -> Vec<(String, Option<String>)> {
        events
            .iter()
            .map(|e| {
                (
                    e.event_type.clone(),
                    e.acled.as_ref().map(|a| a.event_type.clone()),
                )
            })
            .collect()
    }

    #[test]
    fn every_lemma_family_names_its_event_in_each_language() {
        let vac = Some("Violence against civilians".to_string());
        for (lang, text, plover, acled) in [
            // Violence against civilians: stabbings and beatings.
            (
                "en",
                "On 3 May 2024 a man stabbed two guards in Hebron.",
                "assault",
                vac.clone(),
            ),
            (
                "id",
                "Pada 3 Mei 2024 seorang pria menusuk dua penjaga di Hebron.",
                "assault",
                vac.clone(),
            ),
            (
                "ru",
                "3 мая 2024 года мужчина зарезал охранника в Херсоне.",
                "assault",
                vac.clone(),
            ),
            (
                "uk",
                "3 травня 2024 року чоловік зарізав охоронця в Херсоні.",
                "assault",
                vac.clone(),
            ),
            // Killings by firearm, and sexual violence.
            (
                "en",
                "On 3 May 2024 gunmen shot dead two farmers near Jos.",
                "assault",
                vac.clone(),
            ),
            (
                "en",
                "On 3 May 2024 unknown attackers gunned down a village head in Nabire.",
                "assault",
                vac.clone(),
            ),
            (
                "id",
                "Pada 3 Mei 2024 orang tak dikenal menembak mati dua petani di Nabire.",
                "assault",
                vac.clone(),
            ),
            (
                "ru",
                "3 мая 2024 года неизвестные застрелили двух фермеров в Хартуме.",
                "assault",
                vac.clone(),
            ),
            (
                "uk",
                "3 травня 2024 року невідомі застрелили двох фермерів у Хартумі.",
                "assault",
                vac.clone(),
            ),
            (
                "en",
                "On 3 May 2024 militiamen raped three women in El Geneina.",
                "assault",
                vac.clone(),
            ),
            // Repression of protests.
            (
                "en",
                "On 3 May 2024 police cracked down on protesters in Tbilisi.",
                "coerce",
                Some("Protests".into()),
            ),
            (
                "ru",
                "3 мая 2024 года полиция разогнала демонстрантов в Тбилиси.",
                "coerce",
                Some("Protests".into()),
            ),
            // Hostages taken and released.
            (
                "en",
                "On 3 May 2024 the group released hostages in Gaza.",
                "concede",
                Some("Strategic developments".into()),
            ),
            (
                "id",
                "Pada 3 Mei 2024 kelompok itu membebaskan sandera di Gaza.",
                "concede",
                Some("Strategic developments".into()),
            ),
            (
                "ru",
                "3 мая 2024 года боевики освободили заложников в Газе.",
                "concede",
                Some("Strategic developments".into()),
            ),
            (
                "uk",
                "3 травня 2024 року бойовики звільнили заручників у Газі.",
                "concede",
                Some("Strategic developments".into()),
            ),
            // Withdrawal, surrender, talks, mobilisation.
            (
                "en",
                "On 3 May 2024 the brigade withdrew from Robotyne.",
                "retreat",
                Some("Strategic developments".into()),
            ),
            (
                "ru",
                "3 мая 2024 года бригада отступила из Работино.",
                "retreat",
                Some("Strategic developments".into()),
            ),
            (
                "uk",
                "3 травня 2024 року делегації провели переговори про припинення вогню в Стамбулі.",
                "consult",
                None,
            ),
            (
                "id",
                "Pada 3 Mei 2024 pemerintah memobilisasi pasukan cadangan.",
                "mobilize",
                None,
            ),
            (
                "uk",
                "3 травня 2024 року уряд мобілізував резервістів.",
                "mobilize",
                Some("Strategic developments".into()),
            ),
        ] {
            let got = kinds(&extract(lang, (2024, 5, 5), text));
            assert_eq!(
                got.first(),
                Some(&(plover.to_string(), acled.clone())),
                "{text}: {got:?}"
            );
        }
    }

    #[test]
    fn negated_future_and_opinion_acts_are_no_events_and_threats_are_threaten() {
        for (lang, text) in [
            ("en", "On 3 May 2024 the army did not attack Kharkiv."),
            (
                "en",
                "On 3 May 2024 the senate said the bill would impose sanctions on Iran.",
            ),
            ("id", "Pada 3 Mei 2024 militer tidak menyerang Kharkiv."),
            ("id", "Pada 3 Mei 2024 pasukan itu akan menyerang Kharkiv."),
            ("ru", "3 мая 2024 года армия не обстреливала Харьков."),
            ("uk", "3 травня 2024 року армія не обстрілювала Харків."),
            // Fear of an act is an opinion of it.
            (
                "en",
                "On 3 May 2024 the mayor was afraid of an army attack on Kharkiv.",
            ),
            (
                "id",
                "Pada 3 Mei 2024 warga takut pasukan itu menyerang Kharkiv.",
            ),
        ] {
            let got = extract(lang, (2024, 5, 5), text);
            assert!(got.is_empty(), "{text}: {:?}", kinds(&got));
        }
        let got = extract(
            "en",
            (2024, 5, 5),
            "On 3 May 2024 the commander threatened to shell Kharkiv.",
        );
        assert_eq!(kinds(&got), [("threaten".to_string(), None)]);
        // A caption never sources an event.
        let got = extract(
            "en",
            (2024, 5, 5),
            "Smoke rises after shelling of Kharkiv on 3 May 2024. (AP Photo/Staff)",
        );
        assert!(got.is_empty(), "{:?}", kinds(&got));
        // Illness is no attack.
        let got = extract(
            "id",
            (2024, 5, 5),
            "Serangan stroke yang dideritanya 11 tahun lalu membuatnya lumpuh.",
        );
        assert!(got.is_empty(), "{:?}", kinds(&got));
    }

    #[test]
    fn each_event_takes_its_own_clause_s_time() {
        // The release, not the start of the captivity.
        let got = extract(
            "en",
            (2024, 5, 9),
            "Two aid workers held since 2016 were released from captivity on Tuesday in Gaza.",
        );
        assert_eq!(got[0].date, "2024-05-07", "{got:#?}");
        // The stabbing happened on or before the day it was reported.
        let got = extract(
            "en",
            (2024, 5, 9),
            "A soldier was stabbed to death in Hebron, the army reported on Wednesday.",
        );
        assert_eq!(
            (got[0].date.as_str(), got[0].end_date.as_deref()),
            ("2024-05-07", Some("2024-05-08")),
            "{got:#?}"
        );
        // A year that modifies a noun dates that noun only. ("strike" alone is vague:
        // a labour strike; the missile makes it an attack.)
        let got = extract(
            "en",
            (2024, 5, 9),
            "Unlike the 2001 attacks, the missile strike on Kharkiv on 8 May 2024 killed no one.",
        );
        let dates: Vec<&str> = got.iter().map(|e| e.date.as_str()).collect();
        assert!(dates.contains(&"2024-05-08"), "{dates:?}");
    }

    #[test]
    fn narrative_anchors_follow_the_last_dated_event_and_restatements_merge() {
        let got = extract(
            "en",
            (2024, 5, 20),
            "On 10 May 2024 Russian forces shelled Kharkiv. The parliament met on 1 May 2024. \
             The next day Russian drones struck Sumy.",
        );
        let sumy = got
            .iter()
            .find(|e| e.regions.iter().any(|r| r.iso_code == "UA-59"))
            .expect("the Sumy strike");
        assert_eq!(sumy.date, "2024-05-11", "{got:#?}");
        // The lede and a later paragraph tell one strike: one event, two evidences.
        let got = extract(
            "en",
            (2024, 5, 11),
            "Russian missiles struck Kharkiv on Friday.\nThe missile strike on Kharkiv on 10 May 2024 damaged a school.",
        );
        let kharkiv: Vec<&Event> = got
            .iter()
            .filter(|e| e.regions.iter().any(|r| r.iso_code == "UA-63"))
            .collect();
        assert_eq!(kharkiv.len(), 1, "{got:#?}");
        assert_eq!(kharkiv[0].sources.len(), 2);
        assert_eq!(kharkiv[0].date, "2024-05-10");
    }

    #[test]
    fn an_unplaced_attack_happened_in_the_side_its_preposition_marks() {
        for (lang, text) in [
            (
                "id",
                "Invasi Rusia ke Ukraina sejak 24 Februari 2022 telah memicu konflik paling mematikan.",
            ),
            (
                "en",
                "The Russian invasion of Ukraine on 24 February 2022 began the deadliest conflict in Europe.",
            ),
        ] {
            let got = extract(lang, (2022, 12, 26), text);
            let e = got
                .iter()
                .find(|e| e.event_type == "assault")
                .unwrap_or_else(|| panic!("{text}: {got:#?}"));
            assert_eq!(e.countries, ["UA"], "{text}");
        }
    }

    #[test]
    fn agreements_and_talks_are_news_of_a_conflict_only_in_an_article_about_one() {
        // A labour contract and a party debate: no conflict, no event.
        for text in [
            "On 9 November 2023 the union signed a contract agreement with the carmaker.",
            "The candidates held talks in Columbia on 18 February 2020 before the debate.",
        ] {
            let got = extract("en", (2023, 11, 10), text);
            assert!(got.is_empty(), "{text}: {got:#?}");
        }
        // The same acts in an article about a war.
        for text in [
            "On 9 November 2023 the two sides signed a ceasefire agreement. Shelling of the front had killed ten soldiers.",
            "On 18 February 2022 the delegations held talks in Istanbul. Troops had massed at the border.",
        ] {
            let got = extract("en", (2023, 11, 10), text);
            assert!(
                got.iter()
                    .any(|e| matches!(e.event_type.as_str(), "agree" | "consult")),
                "{text}: {got:#?}"
            );
        }
    }

    #[test]
    fn a_sentence_opening_with_a_prohibitive_asserts_nothing() {
        for (lang, text) in [
            (
                "id",
                "Jangan sampai karena membenci satu kaum, akhirnya kita menganiaya mereka pada 2015.",
            ),
            (
                "en",
                "Don't let hatred lead us, in the end, to attack them in 2015.",
            ),
            // Hortatives: an exhortation to the reader tells no news either.
            (
                "id",
                "Kita harus waspada terhadap kelompok yang mengajarkan kebencian sehingga akhirnya membantai orang dengan bom pada 2015.",
            ),
            (
                "en",
                "We must beware of sects whose followers bombed a market in 2015.",
            ),
            (
                "ru",
                "Мы должны помнить о сектах, чьи последователи в 2015 году расстреляли людей.",
            ),
            (
                "uk",
                "Ми повинні пам'ятати про секти, чиї послідовники у 2015 році розстріляли людей.",
            ),
        ] {
            let got = extract(lang, (2015, 3, 17), text);
            assert!(got.is_empty(), "{text}: {got:#?}");
        }
        for (lang, text) in [
            ("id", "Kita menganiaya mereka pada 2015."),
            ("id", "Kelompok itu membantai orang dengan bom pada 2015."),
            ("en", "The sect's followers bombed a market in 2015."),
            ("ru", "Последователи секты в 2015 году расстреляли людей."),
            ("uk", "Послідовники секти у 2015 році розстріляли людей."),
        ] {
            let got = extract(lang, (2015, 3, 17), text);
            assert!(!got.is_empty(), "{text}");
        }
    }

    #[test]
    fn annexation_is_territory_taken_by_force() {
        // The labelling guide types territory "captured, occupied, annexed or
        // retaken by force" as `assault`, as the lexicon already types seizure
        // and occupation; ACLED's sub-event type stays its own.
        // Its headline is the taking of territory, never a withdrawal (ACLED's
        // "Non-violent transfer of territory" is also the template of a retreat).
        for (lang, text, verb) in [
            ("en", "Russia annexed Crimea in March 2014.", "takes"),
            ("id", "Rusia mencaplok Krimea pada Maret 2014.", "merebut"),
            (
                "ru",
                "Россия аннексировала Крым в марте 2014 года.",
                "занимает",
            ),
            ("uk", "Росія анексувала Крим у березні 2014 року.", "займає"),
        ] {
            let got = extract(lang, (2024, 3, 1), text);
            assert!(
                got.iter().any(|e| e.event_type == "assault"
                    && e.event_mode.as_deref() == Some("annex")
                    && e.regions.iter().any(|r| r.iso_code == "UA-43")
                    && e.title.contains(verb)),
                "{text}: {got:#?}"
            );
            assert!(!got.iter().any(|e| e.event_type == "coerce"), "{text}");
        }
    }

    #[test]
    fn a_strike_during_a_commemoration_is_a_strike() {
        let got = extract(
            "id",
            (2023, 10, 6),
            "Setidaknya 20 orang tewas akibat serangan drone Rusia di Kharkiv saat warga menggelar peringatan bagi tentara yang gugur, Kamis (5/10).",
        );
        assert!(got.iter().any(|e| e.event_type == "assault"), "{got:#?}");
        assert!(!got.iter().any(|e| e.event_type == "threaten"), "{got:#?}");
    }

    #[test]
    fn an_air_raid_alert_is_no_attack() {
        for (lang, text) in [
            ("en", "An air raid alert was declared in Kharkiv on Monday."),
            (
                "id",
                "Peringatan serangan udara berbunyi di Kharkiv pada Senin.",
            ),
        ] {
            let got = extract(lang, (2023, 10, 10), text);
            assert!(
                !got.iter()
                    .any(|e| e.event_type == "assault" || e.event_type == "threaten"),
                "{text}: {got:#?}"
            );
        }
    }

    #[test]
    fn accession_to_an_alliance_is_no_annexation() {
        for (lang, text) in [
            (
                "ru",
                "30 сентября 2022 года Финляндия подписала документы о присоединении к НАТО.",
            ),
            (
                "uk",
                "30 вересня 2022 року Фінляндія підписала документи про приєднання до НАТО.",
            ),
        ] {
            let got = extract(lang, (2022, 10, 1), text);
            assert!(
                !got.iter().any(|e| e.event_mode.as_deref() == Some("annex")),
                "{text}: {got:#?}"
            );
        }
        let got = extract(
            "ru",
            (2022, 10, 1),
            "30 сентября 2022 года Путин подписал документы о присоединении Херсонской области.",
        );
        // The annexation makes the article one about a conflict: the signing is
        // news, in Kherson oblast.
        assert!(
            got.iter()
                .any(|e| e.regions.iter().any(|r| r.iso_code == "UA-65")),
            "{got:#?}"
        );
    }

    #[test]
    fn what_happened_near_a_city_that_is_a_region_happened_in_the_region_around_it() {
        for (lang, near, inside) in [
            (
                "en",
                "Russian artillery shelled positions near Kyiv on 20 April 2022.",
                "Russian artillery shelled positions in Kyiv on 20 April 2022.",
            ),
            (
                "id",
                "Artileri Rusia menembaki posisi di dekat Kyiv pada 20 April 2022.",
                "Artileri Rusia menembaki posisi di Kyiv pada 20 April 2022.",
            ),
            (
                "ru",
                "Российская артиллерия обстреляла позиции под Киевом 20 апреля 2022 года.",
                "Российская артиллерия обстреляла позиции в Киеве 20 апреля 2022 года.",
            ),
            (
                "uk",
                "Російська артилерія обстріляла позиції під Києвом 20 квітня 2022 року.",
                "Російська артилерія обстріляла позиції в Києві 20 квітня 2022 року.",
            ),
        ] {
            let regions = |text: &str| -> Vec<String> {
                extract(lang, (2022, 4, 25), text)
                    .iter()
                    .flat_map(|e| e.regions.iter().map(|r| r.iso_code.clone()))
                    .collect()
            };
            assert_eq!(regions(near), ["UA-32"], "{near}");
            assert_eq!(regions(inside), ["UA-30"], "{inside}");
        }
    }

    #[test]
    fn police_and_citizens_of_a_side_are_no_land_the_attack_took_place_in() {
        // A side's police or citizens are people, like its troops: an attack on them
        // is not placed in that side's country by their adjective.
        for (lang, text) in [
            ("id", "Orang bersenjata menembaki polisi Rusia pada Senin."),
            ("en", "Gunmen fired at Russian police on Monday."),
        ] {
            for e in extract(lang, (2024, 5, 7), text) {
                assert!(!e.countries.iter().any(|c| c == "RU"), "{text}: {e:?}");
            }
        }
    }

    #[test]
    fn without_a_publication_date_acts_told_without_a_time_are_news_of_the_lede_s_day() {
        let x = Extractor::new(Knowledge::embedded());
        let run = |lang: &str, text: &str| {
            x.extract(&ArticleInput {
                language: Some(lang.into()),
                text: text.into(),
                ..Default::default()
            })
            .unwrap()
            .events
            .into_iter()
            .map(|e| (e.date, e.end_date))
            .collect::<Vec<_>>()
        };
        for (lang, lede, body) in [
            (
                "en",
                "Russian troops attacked Avdiivka, the army said on Thursday, 19 October 2023.",
                "Ukrainian forces shelled Russian positions near Verbove.",
            ),
            (
                "id",
                "Pasukan Rusia menyerang Avdiivka, kata militer Ukraina pada Kamis, 19 Oktober 2023.",
                "Pasukan Ukraina menembaki posisi Rusia di dekat Verbove.",
            ),
        ] {
            let got = run(lang, &format!("{lede}\n{body}"));
            assert!(
                got.contains(&("2023-10-06".to_string(), Some("2023-10-19".to_string()))),
                "{lang}: {got:?}"
            );
            // With no full date in the lede there is no day to count back from.
            let got = run(lang, body);
            assert!(got.is_empty(), "{lang}: {got:?}");
        }
    }

    #[test]
    fn without_a_publication_date_relative_times_are_read_against_the_lede_s_full_date() {
        let x = Extractor::new(Knowledge::embedded());
        for (lang, text) in [
            (
                "en",
                "Russian troops attacked Avdiivka, the army said on Thursday, 19 October 2023.\nUkrainian forces recaptured Robotyne last month.",
            ),
            (
                "id",
                "Pasukan Rusia menyerang Avdiivka, kata militer Ukraina pada Kamis, 19 Oktober 2023.\nPasukan Ukraina merebut kembali Robotyne bulan lalu.",
            ),
            (
                "ru",
                "Российские войска атаковали Авдеевку, сообщили военные в четверг, 19 октября 2023 года.\nВ прошлом месяце украинские войска освободили Работино.",
            ),
        ] {
            let got = x
                .extract(&ArticleInput {
                    language: Some(lang.into()),
                    text: text.into(),
                    ..Default::default()
                })
                .unwrap()
                .events;
            assert!(
                got.iter().any(|e| e.date == "2023-09"),
                "{lang}: {:?}",
                got.iter().map(|e| &e.date).collect::<Vec<_>>()
            );
        }
    }
}
