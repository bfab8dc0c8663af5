//! Editorial corrections: a `PATCH /events/{id}` body, validated against the
//! gazetteer, actor registry and date rules, applied to an event. What changed is
//! recorded field by field for the event's history.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::{ActorRef, EventDate, Location, PLOVER_TYPES, Precision, RegionRef, Status};
use crate::domain::Event;
use crate::knowledge::Knowledge;

/// Fields an editor may correct; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2024-08-06", "date_precision": "day", "regions": ["kursk"], "status": "verified"}))]
pub struct EventPatch {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, matching `date_precision`; without
    /// `date_precision`, the precision its form gives (day, month, year) unless the
    /// event's own precision has that form (a week, a season, a quarter).
    #[schema(
        pattern = "^(?:(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)|[0-9]{4}(?:-(?:0[1-9]|1[0-2]))?)$"
    )]
    pub date: Option<String>,
    /// Same form as `date`; `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = "^(?:(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)|[0-9]{4}(?:-(?:0[1-9]|1[0-2]))?)$")]
    pub end_date: Option<Option<String>>,
    pub date_precision: Option<Precision>,
    /// A PLOVER type (any case).
    #[schema(
        pattern = "^(?:[Aa][Gg][Rr][Ee][Ee]|[Cc][Oo][Nn][Ss][Uu][Ll][Tt]|[Ss][Uu][Pp][Pp][Oo][Rr][Tt]|[Cc][Oo][Nn][Cc][Ee][Dd][Ee]|[Cc][Oo][Oo][Pp][Ee][Rr][Aa][Tt][Ee]|[Aa][Ii][Dd]|[Rr][Ee][Tt][Rr][Ee][Aa][Tt]|[Rr][Ee][Qq][Uu][Ee][Ss][Tt]|[Aa][Cc][Cc][Uu][Ss][Ee]|[Rr][Ee][Jj][Ee][Cc][Tt]|[Tt][Hh][Rr][Ee][Aa][Tt][Ee][Nn]|[Pp][Rr][Oo][Tt][Ee][Ss][Tt]|[Ss][Aa][Nn][Cc][Tt][Ii][Oo][Nn]|[Mm][Oo][Bb][Ii][Ll][Ii][Zz][Ee]|[Cc][Oo][Ee][Rr][Cc][Ee]|[Aa][Ss][Ss][Aa][Uu][Ll][Tt])$"
    )]
    pub event_type: Option<String>,
    /// Region slugs, ISO 3166-2 codes or names; replaces the list.
    pub regions: Option<Vec<String>>,
    /// Actor slugs or names; replaces the list.
    pub actors: Option<Vec<String>>,
    /// One line, 1 to 2,000 characters besides the spaces around them.
    #[schema(
        max_length = 2000,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
    )]
    pub title: Option<String>,
    /// Lines of text, 1 to 2,000 characters besides the spaces around them.
    #[schema(
        max_length = 2000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    )]
    pub summary: Option<String>,
    /// `verified` or `hidden` (or `edited` to un-hide).
    #[schema(value_type = Option<EditableStatus>)]
    pub status: Option<Status>,
}

/// The statuses an editor may set (`extracted` is the pipeline's alone); for the
/// OpenAPI document, the field is read as a `Status`.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum EditableStatus {
    Edited,
    Verified,
    Hidden,
}

/// Distinguishes an absent field from an explicit `null`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A correction that cannot be applied, naming the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {detail}")]
pub struct PatchError {
    pub field: String,
    pub detail: String,
    pub suggestions: Vec<String>,
}

fn err(field: &str, detail: impl Into<String>) -> PatchError {
    PatchError {
        field: field.into(),
        detail: detail.into(),
        suggestions: vec![],
    }
}

/// One entry of an event's history.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// RFC 3339.
    pub at: String,
    /// The name of the API key that made the change.
    pub by: String,
    /// `{field: {"from": …, "to": …}}`.
    #[schema(value_type = Object)]
    pub changes: Value,
}

fn date_len(p: Precision) -> usize {
    match p {
        Precision::Day | Precision::Week => 10,
        Precision::Month | Precision::Season | Precision::Quarter => 7,
        Precision::Year => 4,
    }
}

/// Every text of a correction, checked for control characters (`fields`).
fn check_text(p: &EventPatch) -> Result<(), PatchError> {
    use super::fields::{Kind, check};
    let one = |field: &str, v: &Option<String>, kind| match v {
        Some(v) => check(field, v, kind).map_err(|d| err(field, d)),
        None => Ok(()),
    };
    one("date", &p.date, Kind::Line)?;
    one("end_date", &p.end_date.clone().flatten(), Kind::Line)?;
    one("event_type", &p.event_type, Kind::Line)?;
    one("title", &p.title, Kind::Line)?;
    one("summary", &p.summary, Kind::Text)?;
    for (field, names) in [("regions", &p.regions), ("actors", &p.actors)] {
        for name in names.iter().flatten() {
            check(field, name, Kind::Line).map_err(|d| err(field, d))?;
        }
    }
    Ok(())
}

/// Applies `patch` to `e`, returning the corrected event and what changed.
pub fn apply(e: &Event, patch: &EventPatch, kb: &Knowledge) -> Result<(Event, Value), PatchError> {
    check_text(patch)?;
    let mut n = e.clone();
    if patch.date.is_some() || patch.end_date.is_some() || patch.date_precision.is_some() {
        // A new date without a precision has the precision its form states.
        let precision = match (patch.date_precision, &patch.date) {
            (Some(p), _) => p,
            (None, Some(d)) if d.len() != date_len(e.date_precision) => match d.len() {
                4 => Precision::Year,
                7 => Precision::Month,
                _ => Precision::Day,
            },
            (None, _) => e.date_precision,
        };
        let date = patch.date.clone().unwrap_or_else(|| e.date.clone());
        let end = match &patch.end_date {
            Some(v) => v.clone(),
            None => e.end_date.clone(),
        };
        for (field, v) in [("date", Some(&date)), ("end_date", end.as_ref())] {
            if let Some(v) = v {
                EventDate::parse(v).map_err(|x| err(field, x.to_string()))?;
                if v.len() != date_len(precision) {
                    return Err(err(
                        field,
                        format!("{v:?} does not have {} precision", precision.as_str()),
                    ));
                }
            }
        }
        let d = EventDate::from_fields(&date, end.as_deref(), precision)
            .map_err(|x| err("date", x.to_string()))?;
        if d.end < d.start {
            return Err(err("end_date", "end_date is before date"));
        }
        n.date = d.date_string();
        n.end_date = d.end_date_string();
        n.date_precision = precision;
        n.date_inferred = false;
    }
    if let Some(t) = &patch.event_type {
        let t = t.to_ascii_lowercase();
        if !PLOVER_TYPES.contains(&t.as_str()) {
            return Err(PatchError {
                suggestions: crate::knowledge::suggest(&t, PLOVER_TYPES.iter().copied()),
                ..err("event_type", format!("{t:?} is not a PLOVER type"))
            });
        }
        if t != e.event_type {
            n.acled = None;
            n.event_mode = None;
        }
        n.event_type = t;
    }
    if let Some(names) = &patch.regions {
        let mut regions: Vec<RegionRef> = Vec::new();
        for name in names {
            let found = kb.lookup_regions(name);
            let r = match found.as_slice() {
                [r] => *r,
                [] => {
                    return Err(PatchError {
                        suggestions: kb.suggest_regions(name),
                        ..err("regions", format!("unknown region {name:?}"))
                    });
                }
                many => {
                    return Err(PatchError {
                        suggestions: many.iter().map(|r| r.iso_code.clone()).collect(),
                        ..err(
                            "regions",
                            format!("{name:?} names several regions; use an ISO 3166-2 code"),
                        )
                    });
                }
            };
            if !regions.iter().any(|x| x.iso_code == r.iso_code) {
                regions.push(r.to_ref());
            }
        }
        // Countries the old regions implied give way to the new regions' countries.
        let old: Vec<&String> = e.regions.iter().map(|r| &r.country).collect();
        let mut countries: Vec<String> = regions.iter().map(|r| r.country.clone()).collect();
        for c in &e.countries {
            if !old.contains(&c) && !countries.contains(c) {
                countries.push(c.clone());
            }
        }
        countries.dedup();
        n.location = regions.first().and_then(|r| {
            let g = kb.region(&r.iso_code)?;
            Some(Location {
                lat: g.lat?,
                lon: g.lon?,
                precision: "region".into(),
            })
        });
        n.places.retain(|p| {
            p.region
                .as_ref()
                .is_some_and(|r| regions.iter().any(|x| &x.iso_code == r))
        });
        n.regions = regions;
        n.countries = countries;
    }
    if let Some(names) = &patch.actors {
        let mut actors: Vec<ActorRef> = Vec::new();
        for name in names {
            let found = kb.lookup_actors(name);
            let Some(a) = found.first() else {
                return Err(PatchError {
                    suggestions: kb.suggest_actors(name),
                    ..err("actors", format!("unknown actor {name:?}"))
                });
            };
            if actors.iter().any(|x| x.slug == a.slug) {
                continue;
            }
            let role = e
                .actors
                .iter()
                .find(|x| x.slug == a.slug)
                .map_or("mentioned".to_string(), |x| x.role.clone());
            actors.push(ActorRef {
                slug: a.slug.clone(),
                name: a.name.clone(),
                country: a.country.clone(),
                role,
            });
        }
        n.actors = actors;
    }
    for (field, v, target) in [
        ("title", &patch.title, &mut n.title),
        ("summary", &patch.summary, &mut n.summary),
    ] {
        if let Some(v) = v {
            let v = v.trim();
            if v.is_empty() || v.chars().count() > 2000 {
                return Err(err(
                    field,
                    format!("{field} must have 1 to 2000 characters"),
                ));
            }
            *target = v.to_string();
        }
    }
    // A correction of what happened (type, places, actors) rewrites the headline,
    // unless an editor wrote the title.
    if patch.title.is_none()
        && !n.title_edited
        && (n.event_type != e.event_type || n.regions != e.regions || n.actors != e.actors)
        && let Some(lang) = crate::headline::Lang::parse(&n.language)
    {
        n.title = crate::headline::headline(&n, kb, lang);
    }
    let content_changed = n != *e;
    n.status = match patch.status {
        Some(Status::Extracted) => {
            return Err(err("status", "status can be edited, verified or hidden"));
        }
        Some(s) => s,
        None if content_changed && e.status == Status::Extracted => Status::Edited,
        None => e.status,
    };
    let changes = diff(e, &n);
    if changes.as_object().is_none_or(|m| m.is_empty()) {
        return Err(err("body", "the correction changes nothing"));
    }
    // From now on the editor's title is served in every language.
    n.title_edited |= patch.title.is_some();
    Ok((n, changes))
}

/// `{field: {"from", "to"}}` for every top-level field that differs.
fn diff(a: &Event, b: &Event) -> Value {
    let (Ok(Value::Object(x)), Ok(Value::Object(y))) =
        (serde_json::to_value(a), serde_json::to_value(b))
    else {
        return json!({});
    };
    let mut out = serde_json::Map::new();
    for (k, v) in &y {
        if matches!(k.as_str(), "updated_at" | "created_at" | "sources") {
            continue;
        }
        if x.get(k) != Some(v) {
            out.insert(k.clone(), json!({"from": x.get(k), "to": v}));
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Event {
        serde_json::from_value(json!({
            "id": "evt_1", "date": "2024-08-06", "end_date": null, "date_precision": "day", "date_inferred": true,
            "event_type": "assault", "event_mode": "ground", "acled": null, "title": "t", "summary": "s", "language": "en",
            "regions": [], "places": [], "location": null, "actors": [], "countries": ["UA"], "fatalities": null,
            "confidence": 0.5, "sources": [], "status": "extracted", "created_at": "", "updated_at": ""
        }))
        .unwrap()
    }

    fn patch(v: Value) -> EventPatch {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_date_without_a_precision_has_the_precision_of_its_form() {
        let kb = Knowledge::embedded();
        let (n, _) = apply(&event(), &patch(json!({"date": "2024-08"})), &kb).unwrap();
        assert_eq!(
            (n.date.as_str(), n.date_precision),
            ("2024-08", Precision::Month)
        );
        let (n, _) = apply(&event(), &patch(json!({"date": "2024"})), &kb).unwrap();
        assert_eq!(n.date_precision, Precision::Year);
        // A date of the event's own form keeps its precision.
        let (n, _) = apply(&event(), &patch(json!({"date": "2024-08-09"})), &kb).unwrap();
        assert_eq!(
            (n.date.as_str(), n.date_precision),
            ("2024-08-09", Precision::Day)
        );
        // A stated precision still has to match.
        let e = apply(
            &event(),
            &patch(json!({"date": "2024-08", "date_precision": "day"})),
            &kb,
        )
        .unwrap_err();
        assert_eq!(e.field, "date");
    }

    #[test]
    fn corrections_apply_and_mark_the_event_edited() {
        let kb = Knowledge::embedded();
        let (n, changes) = apply(
            &event(),
            &patch(json!({"date": "2024-08", "date_precision": "month", "regions": ["Курская область"]})),
            &kb,
        )
        .unwrap();
        assert_eq!(
            (n.date.as_str(), n.date_precision),
            ("2024-08", Precision::Month)
        );
        assert_eq!(n.regions[0].iso_code, "RU-KRS");
        assert_eq!(n.countries, ["RU", "UA"]);
        assert_eq!(n.status, Status::Edited);
        assert!(!n.date_inferred);
        assert_eq!(changes["date"]["from"], "2024-08-06");
        assert_eq!(changes["status"]["to"], "edited");
    }

    #[test]
    fn bad_corrections_name_the_field() {
        let kb = Knowledge::embedded();
        for (body, field) in [
            (json!({"date": "2024-13"}), "date"),
            (json!({"date": "2024-06", "date_precision": "day"}), "date"),
            (json!({"date_precision": "year"}), "date"),
            (json!({"end_date": "2024-08-01"}), "end_date"),
            (json!({"event_type": "asault"}), "event_type"),
            (json!({"regions": ["kurks"]}), "regions"),
            (json!({"actors": ["nobody at all"]}), "actors"),
            (json!({"title": " "}), "title"),
            (json!({"status": "extracted"}), "status"),
            (json!({}), "body"),
            (json!({"event_type": "assault"}), "body"),
        ] {
            let e = apply(&event(), &patch(body.clone()), &kb).unwrap_err();
            assert_eq!(e.field, field, "{body}: {e}");
        }
        assert!(serde_json::from_value::<EventPatch>(json!({"colour": "red"})).is_err());
    }

    #[test]
    fn hiding_keeps_the_content() {
        let kb = Knowledge::embedded();
        let (n, _) = apply(&event(), &patch(json!({"status": "hidden"})), &kb).unwrap();
        assert_eq!(n.status, Status::Hidden);
        assert_eq!(n.date, "2024-08-06");
    }
}
