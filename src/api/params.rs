//! The `GET /events` query string: every parameter validated, names resolved through
//! the gazetteer and actor registry, and every mistake reported as a 400 naming the
//! parameter. Unknown parameters are errors too: a typo must never look like "no
//! events".

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::ApiError;
use crate::domain::{EventDate, PLOVER_TYPES};
use crate::headline::Lang;
use crate::knowledge::{Knowledge, suggest};
use crate::store::EventQuery;

pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;

/// Query parameters of `GET /events` (documentation; parsing is by hand so that every
/// error names its parameter).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsParams {
    /// Region slug, ISO 3166-2 code, or any known name in en/id/ru/uk (case- and
    /// accent-insensitive); comma-separated = any of.
    #[param(example = "kursk", min_length = 1, pattern = "[^,\\s]")]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 code or country name; comma = any of.
    #[param(example = "UA", min_length = 1, pattern = "[^,\\s]")]
    pub country: Option<String>,
    /// Actor slug or alias; comma = any of.
    #[param(example = "ukraine-military", min_length = 1, pattern = "[^,\\s]")]
    pub actor: Option<String>,
    /// PLOVER event type; comma = any of.
    #[param(
        example = "assault",
        pattern = "^[\\s,]*(?:[Aa][Gg][Rr][Ee][Ee]|[Cc][Oo][Nn][Ss][Uu][Ll][Tt]|[Ss][Uu][Pp][Pp][Oo][Rr][Tt]|[Cc][Oo][Nn][Cc][Ee][Dd][Ee]|[Cc][Oo][Oo][Pp][Ee][Rr][Aa][Tt][Ee]|[Aa][Ii][Dd]|[Rr][Ee][Tt][Rr][Ee][Aa][Tt]|[Rr][Ee][Qq][Uu][Ee][Ss][Tt]|[Aa][Cc][Cc][Uu][Ss][Ee]|[Rr][Ee][Jj][Ee][Cc][Tt]|[Tt][Hh][Rr][Ee][Aa][Tt][Ee][Nn]|[Pp][Rr][Oo][Tt][Ee][Ss][Tt]|[Ss][Aa][Nn][Cc][Tt][Ii][Oo][Nn]|[Mm][Oo][Bb][Ii][Ll][Ii][Zz][Ee]|[Cc][Oo][Ee][Rr][Cc][Ee]|[Aa][Ss][Ss][Aa][Uu][Ll][Tt])(?:\\s*,[\\s,]*(?:[Aa][Gg][Rr][Ee][Ee]|[Cc][Oo][Nn][Ss][Uu][Ll][Tt]|[Ss][Uu][Pp][Pp][Oo][Rr][Tt]|[Cc][Oo][Nn][Cc][Ee][Dd][Ee]|[Cc][Oo][Oo][Pp][Ee][Rr][Aa][Tt][Ee]|[Aa][Ii][Dd]|[Rr][Ee][Tt][Rr][Ee][Aa][Tt]|[Rr][Ee][Qq][Uu][Ee][Ss][Tt]|[Aa][Cc][Cc][Uu][Ss][Ee]|[Rr][Ee][Jj][Ee][Cc][Tt]|[Tt][Hh][Rr][Ee][Aa][Tt][Ee][Nn]|[Pp][Rr][Oo][Tt][Ee][Ss][Tt]|[Ss][Aa][Nn][Cc][Tt][Ii][Oo][Nn]|[Mm][Oo][Bb][Ii][Ll][Ii][Zz][Ee]|[Cc][Oo][Ee][Rr][Cc][Ee]|[Aa][Ss][Ss][Aa][Uu][Ll][Tt]))*[\\s,]*$"
    )]
    #[serde(rename = "type")]
    pub r#type: Option<String>,
    /// Events whose interval ends on or after this (`2024`, `2024-08` or `2024-08-06`).
    #[param(
        example = "2024-08",
        pattern = "^\\s*(?:(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)|[0-9]{4}(?:-(?:0[1-9]|1[0-2]))?)\\s*$"
    )]
    pub from: Option<String>,
    /// Events whose interval starts on or before this (`2024`, `2024-08` or `2024-08-06`).
    #[param(
        example = "2024-12-31",
        pattern = "^\\s*(?:(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)|[0-9]{4}(?:-(?:0[1-9]|1[0-2]))?)\\s*$"
    )]
    pub to: Option<String>,
    /// Full-text search over titles and evidence; every word (a run of letters or
    /// digits, at most 20 of at most 100 characters) must occur. A value with no word
    /// is refused (the pattern: something besides ASCII punctuation and spaces).
    #[param(
        example = "Sudzha",
        pattern = "[^\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]"
    )]
    pub q: Option<String>,
    /// Publisher domain of a source; comma = any of.
    #[param(
        example = "tribunnews.com",
        pattern = "^[^\\x00]*[^,\\s\\x00][^\\x00]*$"
    )]
    pub source: Option<String>,
    /// Only events at least this confident (0..1).
    #[param(example = 0.8, minimum = 0.0, maximum = 1.0)]
    pub min_confidence: Option<f64>,
    /// `date` (oldest first, the default) or `-date` (newest first).
    #[param(example = "-date", pattern = "^\\s*-?date\\s*$")]
    pub sort: Option<String>,
    /// Page size, 1..=1000 (default 100).
    #[param(example = 100, minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
    /// Only events created or corrected at or after this instant (RFC 3339, or a
    /// date meaning its midnight UTC); the response then also lists events hidden
    /// since then under `deleted`, so a client can sync.
    #[param(
        example = "2026-11-01T00:00:00Z",
        pattern = "^\\s*(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)(?:T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]))?\\s*$"
    )]
    pub updated_since: Option<String>,
    /// Opaque cursor from a previous page's `next_cursor`; empty = the first page.
    #[param(pattern = "^\\s*[A-Za-z0-9_-]*\\s*$")]
    pub cursor: Option<String>,
    /// `1` or `true`: send `Content-Disposition: attachment` (a file download).
    #[param(pattern = "^\\s*(0|1|true|false)\\s*$")]
    pub dl: Option<String>,
    /// The reader's language: `id`, `en`, `ru` or `uk`. Headlines, region, place and
    /// actor names and type labels come in it, and the summary from a source in it when
    /// the event has one (`language` says the summary's language). Without it,
    /// `Accept-Language` chooses; without either, events are served as stored (the
    /// headline in the language of their first report).
    #[param(example = "id", pattern = "^\\s*(id|en|ru|uk)\\s*$")]
    pub lang: Option<String>,
}

/// Every parameter `GET /events` (and its formats) accepts.
pub const KNOWN: [&str; 15] = [
    "region",
    "country",
    "actor",
    "type",
    "from",
    "to",
    "q",
    "source",
    "min_confidence",
    "sort",
    "limit",
    "cursor",
    "updated_since",
    "dl",
    "lang",
];

/// A validated `/events` request: the store query plus what is needed to link the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct EventsRequest {
    pub query: EventQuery,
    /// The parameters as given, without `cursor`, to build the `next` link.
    pub pairs: Vec<(String, String)>,
    /// The reader's language, when `lang` names one.
    pub lang: Option<Lang>,
}

/// The `lang` parameter's value, or a 400 naming it.
pub fn parse_lang(v: &str) -> Result<Lang, ApiError> {
    Lang::parse(v).ok_or_else(|| ApiError::InvalidParameter {
        parameter: "lang".into(),
        detail: format!(
            "{:?} is not a language of linimasa: use id, en, ru or uk",
            v.trim()
        ),
        suggestions: suggest(v.trim(), ["id", "en", "ru", "uk"].into_iter()),
    })
}

/// The reader's language: `lang` when given, else the `Accept-Language` header's
/// first choice among ours, else none (events as stored).
pub fn reader_lang(lang: Option<Lang>, headers: &axum::http::HeaderMap) -> Option<Lang> {
    lang.or_else(|| {
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
    })
}

fn values(v: &str) -> impl Iterator<Item = &str> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty())
}

pub fn parse(raw: Option<&str>, kb: &Knowledge) -> Result<EventsRequest, ApiError> {
    let pairs = query_pairs(raw)?;
    let mut q = EventQuery {
        limit: DEFAULT_LIMIT,
        ..Default::default()
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut from = None;
    let mut to = None;
    let mut cursor = None;
    let mut lang = None;
    for (k, v) in &pairs {
        let name = k.as_str();
        if !KNOWN.contains(&name) {
            return Err(ApiError::InvalidParameter {
                parameter: name.to_string(),
                detail: format!("unknown parameter {name:?}; known: {}", KNOWN.join(", ")),
                suggestions: suggest(name, KNOWN.iter().copied()),
            });
        }
        let single = !matches!(name, "region" | "country" | "actor" | "type" | "source");
        if single && seen.contains(&name) {
            return Err(ApiError::param(
                name,
                format!("{name} is given more than once"),
            ));
        }
        seen.push(name);
        // An empty cursor is the first page (a client that starts with what its last
        // page said, and nothing yet); every other empty value is a mistake.
        if name == "cursor" && v.trim().is_empty() {
            continue;
        }
        if v.trim().is_empty() {
            return Err(ApiError::param(
                name,
                format!("{name} is empty: give a value or leave {name} out"),
            ));
        }
        // `region=,` names no region: refused like `region=`, not read as "any region".
        if !single && values(v).next().is_none() {
            return Err(ApiError::param(
                name,
                format!("{name} names no value (only commas)"),
            ));
        }
        match name {
            "region" => {
                for r in values(v) {
                    let found = kb.lookup_regions(r);
                    if found.is_empty() {
                        return Err(ApiError::InvalidParameter {
                            parameter: "region".into(),
                            detail: format!(
                                "unknown region {r:?}: use a slug, an ISO 3166-2 code or a region name"
                            ),
                            suggestions: kb.suggest_regions(r),
                        });
                    }
                    q.regions
                        .extend(found.into_iter().map(|x| x.iso_code.clone()));
                }
            }
            "country" => {
                for c in values(v) {
                    let found = kb.lookup_country(c).ok_or_else(|| ApiError::InvalidParameter {
                        parameter: "country".into(),
                        detail: format!("unknown country {c:?}: use an ISO 3166-1 alpha-2 code or a country name"),
                        suggestions: suggest(c, kb.countries.iter().map(|x| x.name.as_str())),
                    })?;
                    q.countries.push(found.code.clone());
                }
            }
            "actor" => {
                for a in values(v) {
                    let found = kb.lookup_actors(a);
                    if found.is_empty() {
                        return Err(ApiError::InvalidParameter {
                            parameter: "actor".into(),
                            detail: format!("unknown actor {a:?}: see GET /actors"),
                            suggestions: kb.suggest_actors(a),
                        });
                    }
                    q.actors.extend(found.into_iter().map(|x| x.slug.clone()));
                }
            }
            "type" => {
                for t in values(v) {
                    let t = t.to_ascii_lowercase();
                    if !PLOVER_TYPES.contains(&t.as_str()) {
                        return Err(ApiError::InvalidParameter {
                            parameter: "type".into(),
                            detail: format!("unknown event type {t:?}: see GET /event-types"),
                            suggestions: suggest(&t, PLOVER_TYPES.iter().copied()),
                        });
                    }
                    q.types.push(t);
                }
            }
            "from" | "to" => {
                let d =
                    EventDate::parse(v.trim()).map_err(|e| ApiError::param(name, e.to_string()))?;
                if name == "from" {
                    from = Some(d);
                } else {
                    to = Some(d);
                }
            }
            "q" => {
                let words = search_words(v);
                // Punctuation alone (`'`, `*`, `""`) searches for nothing: refused
                // rather than read as "no search", which would return the archive.
                if words.is_empty() {
                    return Err(ApiError::param(
                        "q",
                        format!("{v:?} holds no word to search for (letters or digits)"),
                    ));
                }
                if words.len() > 20 || words.iter().any(|w| w.chars().count() > 100) {
                    return Err(ApiError::param(
                        "q",
                        "q takes at most 20 words of at most 100 characters",
                    ));
                }
                q.q = words;
            }
            "source" => q.sources.extend(values(v).map(|s| {
                s.to_ascii_lowercase()
                    .trim_start_matches("www.")
                    .to_string()
            })),
            "min_confidence" => {
                let c: f64 = v
                    .trim()
                    .parse()
                    .ok()
                    .filter(|c: &f64| (0.0..=1.0).contains(c))
                    .ok_or_else(|| {
                        ApiError::param(
                            "min_confidence",
                            format!("{v:?} is not a number between 0 and 1"),
                        )
                    })?;
                q.min_confidence = Some(c);
            }
            "sort" => {
                q.descending = match v.trim() {
                    "date" => false,
                    "-date" => true,
                    other => {
                        return Err(ApiError::param(
                            "sort",
                            format!("{other:?} is not a sort order: use date or -date"),
                        ));
                    }
                }
            }
            "limit" => {
                q.limit = v
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|l| (1..=MAX_LIMIT).contains(l))
                    .ok_or_else(|| {
                        ApiError::param(
                            "limit",
                            format!("{v:?} is not a whole number from 1 to {MAX_LIMIT}"),
                        )
                    })?;
            }
            "cursor" => cursor = Some(v.trim().to_string()),
            "lang" => lang = Some(parse_lang(v)?),
            "dl" => {
                if !matches!(v.trim(), "1" | "0" | "true" | "false") {
                    return Err(ApiError::param("dl", "dl is 1 (download as a file) or 0"));
                }
            }
            "updated_since" => {
                let ts = parse_since(v.trim()).ok_or_else(|| {
                    ApiError::param(
                        "updated_since",
                        format!("{v:?} is not an RFC 3339 timestamp or a date"),
                    )
                })?;
                q.updated_since = Some(ts);
            }
            _ => unreachable!("checked against KNOWN above"),
        }
    }
    // `from` after `to` is no mistake: the events whose interval spans the gap
    // between them (a siege from January to December, for from=2024-10&to=2024-03).
    q.from = from.map(|d| d.start);
    q.to = to.map(|d| d.end);
    if let Some(c) = cursor {
        let (desc, key) = decode_cursor(&c)
            .ok_or_else(|| ApiError::param("cursor", "the cursor is not one this API issued"))?;
        if desc != q.descending {
            return Err(ApiError::param(
                "cursor",
                "the cursor belongs to the other sort order",
            ));
        }
        q.after = Some(key);
    }
    let pairs = pairs.into_iter().filter(|(k, _)| k != "cursor").collect();
    Ok(EventsRequest {
        query: q,
        pairs,
        lang,
    })
}

/// The words `q` searches for: runs of letters and digits (what the full-text index
/// holds), punctuation and spaces between them.
pub fn search_words(v: &str) -> Vec<String> {
    v.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// `updated_since`: an RFC 3339 timestamp or a date (its midnight UTC). A valid
/// timestamp past the range a `jiff::Timestamp` holds (`9999-12-31T23:59:59Z` is past
/// its last instant, 9999-12-30T22:00:00Z) is clamped to that range's end, where it
/// means the same thing: nothing has changed since.
pub fn parse_since(s: &str) -> Option<String> {
    if let Some(ts) = crate::ingest::parse_instant(s) {
        return Some(ts);
    }
    // A civil date-time with an offset (RFC 3339 demands one) that jiff parses but
    // cannot turn into an instant: only the edges of the year range get here.
    let pieces = jiff::fmt::temporal::Pieces::parse(s).ok()?;
    pieces.time()?;
    pieces.offset()?;
    let year = pieces.date().year();
    let edge = if year >= 9999 {
        jiff::Timestamp::MAX
    } else if year <= -9999 {
        jiff::Timestamp::MIN
    } else {
        return None;
    };
    Some(
        jiff::Timestamp::from_second(edge.as_second())
            .ok()?
            .to_string(),
    )
}

/// A query string's (name, value) pairs, decoded; malformed encoding is a 400.
pub fn query_pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|e| {
            ApiError::param(
                "query",
                format!("the query string is not valid form encoding: {e}"),
            )
        })?;
    // No filter, name or text holds a NUL; PostgreSQL could not even compare one.
    if let Some((k, _)) = pairs
        .iter()
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
    {
        let name = if k.contains('\0') || k.trim().is_empty() {
            "query"
        } else {
            k.as_str()
        };
        return Err(ApiError::param(name, "contains a NUL character (%00)"));
    }
    if let Some((_, v)) = pairs.iter().find(|(k, _)| k.trim().is_empty()) {
        return Err(ApiError::param(
            "query",
            format!("a value without a parameter name ({:?})", format!("={v}")),
        ));
    }
    Ok(pairs)
}

/// Cursor: base64url of `1|asc|date_lo|id`.
pub fn encode_cursor(descending: bool, date_lo: &str, id: &str) -> String {
    let dir = if descending { "desc" } else { "asc" };
    URL_SAFE_NO_PAD.encode(format!("1|{dir}|{date_lo}|{id}"))
}

fn decode_cursor(c: &str) -> Option<(bool, (String, String))> {
    let bytes = URL_SAFE_NO_PAD.decode(c).ok()?;
    let s = String::from_utf8(bytes).ok()?;
    let mut parts = s.split('|');
    let (v, dir, date, id) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if v != "1" || parts.next().is_some() {
        return None;
    }
    let d = EventDate::parse(date).ok()?;
    if d.precision != crate::domain::Precision::Day
        || !id.starts_with("evt_")
        || id.len() > 40
        || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let desc = match dir {
        "asc" => false,
        "desc" => true,
        _ => return None,
    };
    Some((desc, (date.to_string(), id.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_forgeries() {
        let c = encode_cursor(true, "2024-08-06", "evt_abc");
        assert_eq!(
            decode_cursor(&c),
            Some((true, ("2024-08-06".into(), "evt_abc".into())))
        );
        for bad in [
            "",
            "zzz",
            "MXxhc2N8MjAyNC0xMy0wMXxldnRfYQ",
            &URL_SAFE_NO_PAD.encode("1|asc|2024-08-06|x; DROP"),
        ] {
            assert!(decode_cursor(bad).is_none(), "{bad}");
        }
    }
}
