//! Event assembly: an event of its parts. Each act a sentence tells, with the time
//! `dating` paired it with, becomes an [`Event`] ([`Assembler::build`]): its regions
//! and towns (a town adds its region), its actors with their roles and the countries
//! the act happened in (`scene`), a title, its evidence and source, and a confidence —
//! the product of: the trigger's weight (how reliably the phrase names a real
//! happening), how the date was stated (1.0 a full date, 0.95 a year taken from
//! publication, 0.9 relative, 0.85 a season or period), where (1.0 a region, 0.9 a
//! country only, 0.8 nowhere), who (1.0 a known actor, 0.85 none), how close the
//! trigger and the date stand (0.9 when more than 80 characters apart) and whether the
//! act is told as done (0.5 for a plan, 0.7 for "may have"). A sentence right after a
//! strike that names further places by bridging anaphora ("Other areas included…")
//! extends that strike to them ([`Continuation`], [`Assembler::continued`]).

use std::collections::BTreeSet;

use super::detect::{self, Candidate};
use super::events::short_hash;
use super::places::PlaceHit;
use super::places::mentions::Placed;
use super::scene;
use super::timex::TimeExpr;
use crate::domain::{
    AcledType, ActorRef, Event, Evidence, Location, Place, Precision, RegionRef, Source, Status,
};
use crate::knowledge::Knowledge;
use crate::text::{Hit, fold};

/// Makes the events of one article ([`Assembler::build`], [`Assembler::continued`]).
pub struct Assembler<'a> {
    kb: &'a Knowledge,
}

impl<'a> Assembler<'a> {
    pub fn new(kb: &'a Knowledge) -> Self {
        Assembler { kb }
    }

    /// The strike `strike` in the places of the sentence `s` (at byte `offset` of
    /// `text`) that continues it: its towns and regions (and the towns' regions), with
    /// that sentence as evidence.
    pub fn continued(
        &self,
        strike: &Event,
        towns: &[PlaceHit],
        hits: &[crate::text::Hit],
        text: &str,
        s: &str,
        offset: usize,
    ) -> Event {
        let kb = &self.kb;
        let mut e = strike.clone();
        e.places = Vec::new();
        e.regions = Vec::new();
        for h in towns {
            let Some(pl) = kb.towns.get(h.place) else {
                continue;
            };
            if !e
                .places
                .iter()
                .any(|x| x.name == pl.name && x.geonames_id == pl.geonames_id)
            {
                e.places.push(Place {
                    name: pl.name.to_string(),
                    lat: pl.lat,
                    lon: pl.lon,
                    region: Some(pl.region.to_string()),
                    geonames_id: pl.geonames_id,
                });
            }
        }
        let codes = hits
            .iter()
            .map(|h| kb.regions[h.payload].iso_code.clone())
            .chain(e.places.iter().filter_map(|p| p.region.clone()));
        for code in codes {
            if let Some(r) = kb.region(&code)
                && !e.regions.iter().any(|x| x.iso_code == r.iso_code)
            {
                e.regions.push(r.to_ref());
            }
        }
        e.countries = e.regions.iter().map(|r| r.country.clone()).collect();
        e.countries.dedup();
        e.location = match e.places.first() {
            Some(pl) => Some(Location {
                lat: pl.lat,
                lon: pl.lon,
                precision: "place".into(),
            }),
            None => e.regions.first().and_then(|r| {
                let reg = kb.region(&r.iso_code)?;
                Some(Location {
                    lat: reg.lat?,
                    lon: reg.lon?,
                    precision: "region".into(),
                })
            }),
        };
        e.id = format!(
            "evt_{}",
            short_hash(&[&e.id, &offset.to_string(), "continued"])
        );
        let summary = s.trim().to_string();
        let char_start = text[..offset].chars().count();
        e.summary = summary.clone();
        if let Some(src) = e.sources.first_mut() {
            src.evidence = Evidence {
                text: summary,
                start: char_start,
                end: char_start + s.chars().count(),
            };
        }
        e.fatalities = super::fatalities::find(&e.language, s);
        if let Some(lang) = crate::headline::Lang::parse(&e.language) {
            e.title = crate::headline::headline(&e, kb, lang);
        }
        e
    }

    pub fn build(&self, p: EventParts) -> Event {
        let kb = &self.kb;
        let (ts, te) = (p.candidate.hit.start, p.candidate.hit.end);
        let trigger = p.candidate.trigger;
        let mut regions: Vec<RegionRef> = Vec::new();
        for h in p.regions {
            let r = &kb.regions[h.payload];
            if !regions.iter().any(|x| x.iso_code == r.iso_code) {
                regions.push(r.to_ref());
            }
        }
        let mut places: Vec<Place> = Vec::new();
        for h in p.places {
            let Some(pl) = kb.towns.get(h.place) else {
                continue;
            };
            if places.iter().any(|x| {
                x.geonames_id == pl.geonames_id
                    && x.name == pl.name
                    && x.region.as_deref() == Some(pl.region)
            }) {
                continue;
            }
            places.push(Place {
                name: pl.name.to_string(),
                lat: pl.lat,
                lon: pl.lon,
                region: Some(pl.region.to_string()),
                geonames_id: pl.geonames_id,
            });
        }
        // A town places the event in the town's region, beside the regions the sentence
        // names ("a corridor to Crimea … control over … Mariupol": UA-43 and UA-14).
        {
            for pl in &places {
                let Some(r) = pl.region.as_deref().and_then(|c| kb.region(c)) else {
                    continue;
                };
                if !regions.iter().any(|x| x.iso_code == r.iso_code) {
                    regions.push(r.to_ref());
                }
            }
        }
        let mut actors: Vec<ActorRef> = Vec::new();
        let initiators = scene::roles(p.sentence, (ts, te), p.actors, p.scene);
        for (h, initiator) in p.actors.iter().zip(initiators) {
            let a = &kb.actors[h.payload];
            if actors.iter().any(|x| x.slug == a.slug) {
                continue;
            }
            let role = if initiator { "initiator" } else { "target" };
            actors.push(ActorRef {
                slug: a.slug.clone(),
                name: a.name.clone(),
                country: a.country.clone(),
                role: role.to_string(),
            });
        }
        let mut countries: Vec<String> = regions.iter().map(|r| r.country.clone()).collect();
        for h in p.countries {
            // A country inside an actor's name ("pasukan Ukraina") names the actor, not a
            // place; a country's bare name that stands for its state ("Syria said") is
            // the actor too, unless a preposition of place makes it the land of the act
            // ([`scene::locative_land`]).
            let locative = || scene::locative_land(p.sentence, (ts, te), h, p.scene);
            if p.actors.iter().any(|a| {
                a.start <= h.start
                    && h.end <= a.end
                    && !((a.start, a.end) == (h.start, h.end) && locative())
            }) {
                continue;
            }
            countries.push(kb.countries[h.payload].code.clone());
        }
        // An act told without a place happened where its actors put it (`scene`).
        if regions.is_empty() && countries.is_empty() {
            let place = scene::unplaced_country(
                kb,
                p.sentence,
                p.candidate,
                p.actors,
                &actors,
                (p.countries, p.origins),
                p.scene,
            );
            countries.extend(place);
        }
        let mut seen = BTreeSet::new();
        countries.retain(|c| seen.insert(c.clone()));

        let location = match places.first() {
            Some(pl) => Some(Location {
                lat: pl.lat,
                lon: pl.lon,
                precision: "place".into(),
            }),
            None => regions.first().and_then(|r| {
                let reg = kb.region(&r.iso_code)?;
                Some(Location {
                    lat: reg.lat?,
                    lon: reg.lon?,
                    precision: "region".into(),
                })
            }),
        };
        let date = p.time.value;
        let time_factor = match (date.precision, p.time.relative, p.time.inferred) {
            (Precision::Season | Precision::Quarter, _, _) => 0.85,
            (_, _, _) if date.end_date_string().is_some() => 0.85,
            (_, true, _) => 0.9,
            (_, false, true) => 0.95,
            _ => 1.0,
        };
        let place_factor = if !regions.is_empty() {
            1.0
        } else if !countries.is_empty() {
            0.9
        } else {
            0.8
        };
        let actor_factor = if actors.is_empty() { 0.85 } else { 1.0 };
        // A plan is no report of the act.
        let plan_factor = p.candidate.certainty;
        let near = if distance((ts, te), (p.time.start, p.time.end)) > 80 {
            0.9
        } else {
            1.0
        };
        let confidence = (trigger.weight
            * time_factor
            * place_factor
            * actor_factor
            * near
            * plan_factor
            * 100.0)
            .round()
            / 100.0;

        let summary = p.sentence.trim().to_string();
        let char_start = p.text[..p.offset].chars().count();
        let char_end = char_start + p.sentence.chars().count();
        let id = format!(
            "evt_{}",
            short_hash(&[
                &p.src.article_id,
                &p.offset.to_string(),
                &trigger.phrase,
                &date.to_string()
            ])
        );
        let mut e = Event {
            id,
            date: date.date_string(),
            end_date: date.end_date_string(),
            date_precision: date.precision,
            date_inferred: p.time.inferred,
            event_type: p.candidate.plover.to_string(),
            event_mode: p.candidate.mode.map(str::to_string),
            acled: p.candidate.acled_type.map(|t| AcledType {
                event_type: t.to_string(),
                sub_event_type: p.candidate.acled_sub.map(str::to_string),
            }),
            title: title(
                p.sentence,
                (ts.min(p.time.start), te.max(p.time.end)),
                p.relatives,
            ),
            summary: summary.clone(),
            language: p.language.to_string(),
            regions,
            places,
            location,
            actors,
            countries,
            fatalities: super::fatalities::find(p.language, p.sentence),
            confidence,
            sources: vec![Source {
                article_id: p.src.article_id.clone(),
                url: p.src.url.clone(),
                title: p.src.title.clone(),
                publisher: p.src.publisher.clone(),
                published_at: p.src.published_at.clone(),
                evidence: Evidence {
                    text: summary,
                    start: char_start,
                    end: char_end,
                },
            }],
            status: Status::Extracted,
            created_at: String::new(),
            updated_at: String::new(),
            title_edited: false,
            lang: None,
            event_type_label: None,
        };
        // The headline in the article's language, from what the event is; the clause
        // around the trigger stays only for a language without headline templates.
        if let Some(lang) = crate::headline::Lang::parse(p.language) {
            e.title = crate::headline::headline(&e, kb, lang);
        }
        e
    }
}

/// The last strike (remote violence) made, with its sentence's number: a sentence
/// right after it that names further places by bridging anaphora ("Other areas
/// included…") extends it to them.
pub struct Continuation<'a> {
    /// `grammar(language, "continuation")`.
    words: &'a [String],
    last_strike: Option<(usize, Event)>,
}

impl<'a> Continuation<'a> {
    pub fn new(kb: &'a Knowledge, language: &str) -> Self {
        Continuation {
            words: kb.grammar(language, "continuation"),
            last_strike: None,
        }
    }

    /// Notes an event sentence `i` made.
    pub fn made(&mut self, i: usize, ev: &Event) {
        if ev.event_type == "assault"
            && ev
                .acled
                .as_ref()
                .is_some_and(|a| a.event_type == detect::REMOTE_VIOLENCE)
        {
            self.last_strike = Some((i, ev.clone()));
        }
    }

    /// The strike that sentence `i` (`s`, in `placed`; `no_candidate`: it names no act
    /// of its own) continues, if it continues one: "…the strikes extended far beyond
    /// the city. Other areas included the central city of Cherkasy … and the
    /// north-eastern Kharkiv region.": the strike of the sentence before, in the places
    /// this one names.
    pub fn of(&self, i: usize, s: &str, no_candidate: bool, placed: &Placed) -> Option<&Event> {
        if no_candidate
            && !(placed.regions.is_empty() && placed.places.is_empty())
            && opens_with(s, self.words)
            && let Some((j, strike)) = &self.last_strike
            && j + 1 == i
        {
            Some(strike)
        } else {
            None
        }
    }
}

/// What each event of an article cites of it as its source.
pub struct SourceBase {
    pub article_id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    /// The article's headline, whose places a lede without any takes.
    pub headline: Option<String>,
    pub publisher: Option<String>,
    pub published_at: Option<String>,
}

/// The function words of the article's language that events read
/// ([`Knowledge::grammar`]), looked up once per article.
pub struct Grammar<'a> {
    pub relative: &'a [String],
}

impl<'a> Grammar<'a> {
    pub fn of(kb: &'a Knowledge, language: &str) -> Self {
        Grammar {
            relative: kb.grammar(language, "relative"),
        }
    }
}

/// What [`Assembler::build`] makes one event of: an act of a sentence, its time, and
/// the sentence's places and actors.
pub struct EventParts<'a> {
    pub text: &'a str,
    pub sentence: &'a str,
    pub offset: usize,
    pub language: &'a str,
    /// `grammar(language, "relative")`.
    pub relatives: &'a [String],
    pub scene: &'a scene::SceneWords<'a>,
    /// Phrases of origin of the sentence ([`scene::origins`]).
    pub origins: &'a [(usize, usize)],
    pub time: &'a TimeExpr,
    pub candidate: &'a Candidate<'a>,
    pub regions: &'a [Hit],
    pub places: &'a [PlaceHit],
    pub countries: &'a [Hit],
    pub actors: &'a [Hit],
    pub src: &'a SourceBase,
}

/// Whether sentence `s` opens with one of `phrases` (folded), a whole word or words.
fn opens_with(s: &str, phrases: &[String]) -> bool {
    let f = crate::text::fold(s.trim_start());
    phrases.iter().any(|p| {
        f.strip_prefix(p.as_str())
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
    })
}

fn distance(a: (usize, usize), b: (usize, usize)) -> usize {
    if a.1 <= b.0 {
        b.0 - a.1
    } else {
        a.0.saturating_sub(b.1)
    }
}

const TITLE_MAX: usize = 140;

/// A short title: the clause(s) of the sentence around the trigger and the date.
fn title(sentence: &str, key: (usize, usize), relatives: &[String]) -> String {
    let s = sentence.trim_end_matches(['.', '!', '?', ' ']);
    let bounds: Vec<usize> = s.match_indices([',', ';', ':']).map(|(i, _)| i).collect();
    let mut start = bounds
        .iter()
        .rev()
        .find(|&&b| b < key.0)
        .map_or(0, |b| b + 1);
    let end = bounds
        .iter()
        .find(|&&b| b >= key.1.min(s.len()))
        .copied()
        .unwrap_or(s.len());
    // A relative or short clause needs the one before it to make sense.
    let clause = s[start..end].trim_start();
    let first_word = fold(clause.split_whitespace().next().unwrap_or(""));
    let relative = relatives.contains(&first_word);
    if (relative || clause.chars().count() < 40) && start > 0 {
        start = bounds
            .iter()
            .rev()
            .find(|&&b| b + 1 < start)
            .map_or(0, |b| b + 1);
    }
    let mut piece = s[start..end].trim().to_string();
    if piece.chars().count() > TITLE_MAX {
        let chars: Vec<char> = piece.chars().collect();
        let key_end = s[start..key.1.min(s.len()).max(start)]
            .trim_start()
            .chars()
            .count();
        let (from, to) = if key_end <= TITLE_MAX {
            (0, TITLE_MAX)
        } else {
            (
                key_end.saturating_sub(TITLE_MAX - 10),
                (key_end + 10).min(chars.len()),
            )
        };
        let mut cut: String = chars[from..to.min(chars.len())].iter().collect();
        if to < chars.len() {
            if let Some(i) = cut.rfind(' ') {
                cut.truncate(i);
            }
            cut.push('…');
        }
        if from > 0 {
            let c = cut.find(' ').map_or(cut.as_str(), |i| &cut[i + 1..]);
            cut = format!("…{c}");
        }
        piece = cut;
    }
    let mut cs = piece.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => piece,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_keep_the_clause_that_says_what_happened() {
        let s = "Komisi Militer Pusat menyatakan bahwa pengerahan pasukan dilakukan berdasarkan Pasal 4 Perjanjian Kemitraan Strategis Komprehensif Rusia-Korea Utara, yang ditandatangani pada bulan Juni 2024.";
        let k = s.find("ditandatangani").unwrap();
        let t = title(s, (k, s.len() - 1), &["yang".to_string()]);
        assert!(
            t.ends_with("yang ditandatangani pada bulan Juni 2024"),
            "{t}"
        );
        assert!(t.chars().count() <= TITLE_MAX + 2, "{t}");
        let short = title("On Friday, Russian forces struck Kharkiv.", (0, 20), &[]);
        assert_eq!(short, "On Friday, Russian forces struck Kharkiv");
    }
}
