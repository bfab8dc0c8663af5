//! The event record and its parts, exactly as they appear on the wire.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::date::Precision;

/// One real-world happening, with every source that reported it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "evt_5k2m9q7w3x1c8v4b",
    "date": "2024-08-06", "end_date": null, "date_precision": "day", "date_inferred": false,
    "event_type": "assault", "event_mode": "ground",
    "acled": {"event_type": "Battles", "sub_event_type": "Armed clash"},
    "title": "Ukraine's military launched an attack into Russia's Kursk region",
    "summary": "On 6 August 2024 Ukraine's military launched an attack into Russia's Kursk region.",
    "language": "en",
    "regions": [{"slug": "kursk", "iso_code": "RU-KRS", "name": "Kursk Oblast", "country": "RU"}],
    "places": [],
    "location": {"lat": 51.73, "lon": 36.19, "precision": "region"},
    "actors": [{"slug": "ukraine-military", "name": "Armed Forces of Ukraine", "country": "UA", "role": "initiator"}],
    "countries": ["RU", "UA"],
    "fatalities": null,
    "confidence": 0.86,
    "sources": [{"article_id": "art_0c1d2e3f4a5b6c7d", "url": "https://example.org/kursk", "title": "Kursk incursion",
                 "publisher": "example.org", "published_at": "2024-08-08",
                 "evidence": {"text": "On 6 August 2024 Ukraine's military launched an attack into Russia's Kursk region.", "start": 0, "end": 82}}],
    "status": "extracted",
    "created_at": "2026-11-25T12:00:00Z", "updated_at": "2026-11-25T12:00:00Z"
}))]
pub struct Event {
    /// Stable identifier (`evt_` + 16 base32 characters).
    pub id: String,
    /// ISO 8601 truncated to its precision: `2024-08-06`, `2024-08` or `2024`.
    pub date: String,
    /// Last day/month/year of a period, same form as `date`; null for a single date.
    pub end_date: Option<String>,
    pub date_precision: Precision,
    /// True when part of the date came from the publication date or context rather
    /// than the text itself.
    pub date_inferred: bool,
    /// PLOVER event type, lower case.
    pub event_type: String,
    pub event_mode: Option<String>,
    pub acled: Option<AcledType>,
    /// The headline: written from the event's structure in the reader's language
    /// (`lang`), at most 90 characters; an editor's title instead, once one is set.
    pub title: String,
    /// True once an editor has set the title: it is then served as written, in every
    /// language.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub title_edited: bool,
    /// The evidence sentence, cleaned: from a source in the reader's language when the
    /// event has one.
    pub summary: String,
    /// ISO 639-1 code of the summary's language.
    pub language: String,
    /// With `lang` (or `Accept-Language`): the language of the headline, names and
    /// labels (`id`, `en`, `ru` or `uk`); `language` says whether the summary is in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// With `lang`: the event type's name in that language ("serangan", "переговоры").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type_label: Option<String>,
    pub regions: Vec<RegionRef>,
    pub places: Vec<Place>,
    pub location: Option<Location>,
    pub actors: Vec<ActorRef>,
    /// ISO 3166-1 alpha-2 codes of the countries the event is located in or names as a place.
    #[serde(default)]
    pub countries: Vec<String>,
    pub fatalities: Option<Fatalities>,
    /// 0..1: how sure the extractor is that this is a real, correctly dated event.
    pub confidence: f64,
    pub sources: Vec<Source>,
    pub status: Status,
    /// RFC 3339 timestamps; empty in `extract` output, which stores nothing.
    pub created_at: String,
    pub updated_at: String,
}

/// ACLED's event type and sub-type, where one applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AcledType {
    pub event_type: String,
    pub sub_event_type: Option<String>,
}

/// A first-level administrative region (ISO 3166-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RegionRef {
    pub slug: String,
    pub iso_code: String,
    pub name: String,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Place {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub region: Option<String>,
    pub geonames_id: Option<i64>,
}

/// A point for maps, with what it stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
    /// `place` (a town or site) or `region` (the region's centre).
    pub precision: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ActorRef {
    pub slug: String,
    pub name: String,
    pub country: Option<String>,
    /// `initiator`, `target` or `mentioned`.
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Fatalities {
    pub low: Option<u32>,
    pub best: Option<u32>,
    pub high: Option<u32>,
}

/// One article that reported the event, with the sentence that says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Source {
    pub article_id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub published_at: Option<String>,
    pub evidence: Evidence,
}

/// The evidence sentence; `start`/`end` are Unicode code point offsets into the
/// article's cleaned text (as served by `GET /articles/{id}`), end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Evidence {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Extracted,
    Edited,
    Verified,
    Hidden,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Extracted => "extracted",
            Status::Edited => "edited",
            Status::Verified => "verified",
            Status::Hidden => "hidden",
        }
    }
}

/// The PLOVER event types (openeventdata/PLOVER), lower case, in the ontology's order.
pub const PLOVER_TYPES: [&str; 16] = [
    "agree",
    "consult",
    "support",
    "concede",
    "cooperate",
    "aid",
    "retreat",
    "request",
    "accuse",
    "reject",
    "threaten",
    "protest",
    "sanction",
    "mobilize",
    "coerce",
    "assault",
];

/// One line of description per PLOVER type, for `/event-types`.
pub fn plover_description(t: &str) -> &'static str {
    match t {
        "agree" => "Agree to, sign or settle: treaties, ceasefires, deals",
        "consult" => "Meet, negotiate, visit, talk by phone",
        "support" => "Praise, thank, endorse or defend another actor",
        "concede" => "Ease restrictions, release, retreat from a demand",
        "cooperate" => "Cooperate on security, economy or exchanges (prisoners, bodies)",
        "aid" => "Give military, economic or humanitarian aid",
        "retreat" => "Withdraw troops or give up positions",
        "request" => "Ask for aid, action or talks",
        "accuse" => "Criticise, condemn, accuse, express concern",
        "reject" => "Refuse a request, proposal or demand",
        "threaten" => "Threaten force, sanctions or other action",
        "protest" => "Demonstrate, strike, boycott",
        "sanction" => "Impose sanctions, embargoes, expel diplomats",
        "mobilize" => "Deploy, mobilise or send troops; raise alert",
        "coerce" => "Seize, arrest, deport, ban, cyber attack",
        "assault" => "Use armed force: battles, strikes, shelling, capture of territory",
        _ => "",
    }
}
