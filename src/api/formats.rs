//! The formats newsrooms and scripts already use, for `/events`: JSON (the default),
//! CSV (RFC 4180, flat columns), NDJSON, GeoJSON (RFC 7946), TimelineJS3 JSON and
//! iCalendar (RFC 5545). Chosen by path extension (`/events.csv`) or `Accept`.
//! CSV, NDJSON and iCalendar are exports: they stream every matching event, a chunk
//! at a time, in constant memory. Article text is data everywhere: escaped for HTML in
//! TimelineJS, for iCalendar's syntax, and against spreadsheet formula injection in CSV.

use serde_json::{Value, json};

use crate::domain::{Event, Precision};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Ndjson,
    GeoJson,
    TimelineJs,
    Ical,
}

impl Format {
    /// The format a path extension names (`events.csv` → Csv).
    pub fn from_extension(ext: &str) -> Option<Format> {
        Some(match ext {
            "json" => Format::Json,
            "csv" => Format::Csv,
            "ndjson" | "jsonl" => Format::Ndjson,
            "geojson" => Format::GeoJson,
            "timeline.json" | "timelinejs" => Format::TimelineJs,
            "ics" => Format::Ical,
            _ => return None,
        })
    }

    /// The first format an `Accept` header asks for that we serve; JSON otherwise.
    pub fn from_accept(accept: Option<&str>) -> Format {
        let Some(accept) = accept else {
            return Format::Json;
        };
        let mut best: Option<(f32, usize, Format)> = None;
        for (i, part) in accept.split(',').enumerate() {
            let mut bits = part.split(';');
            let mime = bits.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = bits
                .filter_map(|b| b.trim().strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let f = match mime.as_str() {
                "application/json" | "application/*" | "*/*" => Format::Json,
                "text/csv" => Format::Csv,
                "application/x-ndjson" | "application/ndjson" | "application/jsonl" => {
                    Format::Ndjson
                }
                "application/geo+json" => Format::GeoJson,
                "text/calendar" => Format::Ical,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                best = Some((q, i, f));
            }
        }
        best.map_or(Format::Json, |b| b.2)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json | Format::TimelineJs => "application/json",
            Format::Csv => "text/csv; charset=utf-8; header=present",
            Format::Ndjson => "application/x-ndjson",
            Format::GeoJson => "application/geo+json",
            Format::Ical => "text/calendar; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
            Format::GeoJson => "geojson",
            Format::TimelineJs => "timeline.json",
            Format::Ical => "ics",
        }
    }

    /// Exports stream every matching event; the others are pages.
    pub fn is_export(self) -> bool {
        matches!(self, Format::Csv | Format::Ndjson | Format::Ical)
    }
}

// ---------------------------------------------------------------- CSV

pub const CSV_COLUMNS: [&str; 27] = [
    "id",
    "date",
    "end_date",
    "date_precision",
    "date_inferred",
    "event_type",
    "event_mode",
    "acled_event_type",
    "acled_sub_event_type",
    "title",
    "summary",
    "language",
    "region_codes",
    "region_names",
    "countries",
    "lat",
    "lon",
    "location_precision",
    "actors",
    "actor_names",
    "fatalities_best",
    "confidence",
    "source_count",
    "source_urls",
    "first_published_at",
    "status",
    "updated_at",
];

/// A text cell a spreadsheet must not read as a formula: `=`, `+`, `-`, `@`, tab and
/// carriage return at the start get a leading apostrophe (OWASP's advice).
fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn join<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join(";")
}

/// One CSV row per event, in `CSV_COLUMNS` order.
pub fn csv_row(e: &Event) -> Vec<String> {
    let first_published = e
        .sources
        .iter()
        .filter_map(|s| s.published_at.as_deref())
        .min();
    vec![
        e.id.clone(),
        e.date.clone(),
        e.end_date.clone().unwrap_or_default(),
        e.date_precision.as_str().to_string(),
        e.date_inferred.to_string(),
        e.event_type.clone(),
        e.event_mode.clone().unwrap_or_default(),
        e.acled
            .as_ref()
            .map(|a| a.event_type.clone())
            .unwrap_or_default(),
        e.acled
            .as_ref()
            .and_then(|a| a.sub_event_type.clone())
            .unwrap_or_default(),
        cell(&e.title),
        cell(&e.summary),
        e.language.clone(),
        join(e.regions.iter().map(|r| r.iso_code.as_str())),
        cell(&join(e.regions.iter().map(|r| r.name.as_str()))),
        join(e.countries.iter().map(String::as_str)),
        e.location
            .as_ref()
            .map(|l| l.lat.to_string())
            .unwrap_or_default(),
        e.location
            .as_ref()
            .map(|l| l.lon.to_string())
            .unwrap_or_default(),
        e.location
            .as_ref()
            .map(|l| l.precision.clone())
            .unwrap_or_default(),
        join(e.actors.iter().map(|a| a.slug.as_str())),
        cell(&join(e.actors.iter().map(|a| a.name.as_str()))),
        e.fatalities
            .as_ref()
            .and_then(|f| f.best)
            .map(|b| b.to_string())
            .unwrap_or_default(),
        e.confidence.to_string(),
        e.sources.len().to_string(),
        cell(
            &e.sources
                .iter()
                .filter_map(|s| s.url.as_deref())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        first_published.unwrap_or_default().to_string(),
        e.status.as_str().to_string(),
        e.updated_at.clone(),
    ]
}

/// CSV bytes for some rows (and the header first when asked).
pub fn csv_chunk(events: &[Event], header: bool) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    if header {
        let _ = w.write_record(CSV_COLUMNS);
    }
    for e in events {
        let _ = w.write_record(csv_row(e));
    }
    w.into_inner().unwrap_or_default()
}

// ---------------------------------------------------------------- GeoJSON

/// A FeatureCollection: a point per event where it has a location (its place, or its
/// region's centre, as `location_precision` says), null geometry otherwise.
pub fn geojson(events: &[Event], next: Option<&str>) -> Value {
    let features: Vec<Value> = events
        .iter()
        .map(|e| {
            let geometry = e
                .location
                .as_ref()
                .map(|l| json!({"type": "Point", "coordinates": [l.lon, l.lat]}))
                .unwrap_or(Value::Null);
            json!({
                "type": "Feature",
                "id": e.id,
                "geometry": geometry,
                "properties": {
                    "id": e.id,
                    "date": e.date,
                    "end_date": e.end_date,
                    "date_precision": e.date_precision,
                    "event_type": e.event_type,
                    "title": e.title,
                    "summary": e.summary,
                    "regions": e.regions.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
                    "region_codes": e.regions.iter().map(|r| r.iso_code.as_str()).collect::<Vec<_>>(),
                    "location_precision": e.location.as_ref().map(|l| l.precision.as_str()),
                    "confidence": e.confidence,
                    "source_url": e.sources.first().and_then(|s| s.url.as_deref()),
                    "source_count": e.sources.len(),
                    "event_url": format!("/events/{}", e.id),
                }
            })
        })
        .collect();
    let mut fc = json!({"type": "FeatureCollection", "features": features});
    if let Some(n) = next {
        fc["next"] = json!(n);
    }
    fc
}

// ---------------------------------------------------------------- TimelineJS3

/// Escapes text for HTML: TimelineJS renders `headline` and `text` as HTML.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A TimelineJS date object with only the parts the precision allows.
fn tl_date(date: &str, precision: Precision) -> Value {
    let mut parts = date.split('-');
    let mut d = serde_json::Map::new();
    if let Some(y) = parts.next() {
        d.insert("year".into(), json!(y.parse::<i32>().unwrap_or(0)));
    }
    if precision != Precision::Year {
        if let Some(m) = parts.next() {
            d.insert("month".into(), json!(m.parse::<u32>().unwrap_or(1)));
        }
        if matches!(precision, Precision::Day | Precision::Week)
            && let Some(day) = parts.next()
        {
            d.insert("day".into(), json!(day.parse::<u32>().unwrap_or(1)));
        }
    }
    Value::Object(d)
}

/// The TimelineJS3 JSON document: one slide per event, grouped by region, with the
/// sources linked in the text. Embedders should pass TimelineJS `font: null` and a
/// local `script_path`: its defaults load Google Fonts and Knight Lab's CDN.
pub fn timelinejs(events: &[Event], headline: &str) -> Value {
    let slides: Vec<Value> = events
        .iter()
        .map(|e| {
            // Where it happened, then the source's sentence; the headline and the date
            // at its precision are TimelineJS's own fields.
            let mut place: Vec<&str> = Vec::new();
            for n in e
                .places
                .iter()
                .map(|p| p.name.as_str())
                .chain(e.regions.iter().map(|r| r.name.as_str()))
            {
                if !place.contains(&n) {
                    place.push(n);
                }
            }
            let mut text = String::new();
            if !place.is_empty() {
                text += &format!("<p><strong>{}</strong></p>", html_escape(&place.join(", ")));
            }
            text += &format!("<p>{}</p>", html_escape(&e.summary));
            for s in &e.sources {
                let label = s
                    .publisher
                    .as_deref()
                    .or(s.url.as_deref())
                    .unwrap_or("source");
                match s
                    .url
                    .as_deref()
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                {
                    Some(u) => {
                        text += &format!(
                            "<p><a href=\"{}\" target=\"_blank\" rel=\"noopener\">{}</a></p>",
                            html_escape(u),
                            html_escape(label)
                        )
                    }
                    None => text += &format!("<p>{}</p>", html_escape(label)),
                }
            }
            let mut slide = json!({
                "start_date": tl_date(&e.date, e.date_precision),
                "text": {"headline": html_escape(&e.title), "text": text},
                "group": e.regions.first().map(|r| r.name.as_str()).unwrap_or("Elsewhere"),
                "unique_id": e.id,
            });
            if let Some(end) = &e.end_date {
                slide["end_date"] = tl_date(end, e.date_precision);
            }
            // No `media`: TimelineJS would load an article URL as an image. Sources
            // are links in the slide's text.
            slide
        })
        .collect();
    json!({
        "title": {"text": {"headline": html_escape(headline), "text": "<p>Events extracted by linimasa, with their sources.</p>"}},
        "events": slides,
    })
}

// ---------------------------------------------------------------- iCalendar

/// Escapes TEXT values (RFC 5545 §3.3.11).
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (§3.1).
fn fold_line(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

fn ics_date(d: &str) -> String {
    d.replace('-', "")
}

pub const ICS_HEAD: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//linimasa//events//EN\r\nCALSCALE:GREGORIAN\r\nX-WR-CALNAME:linimasa\r\n";
pub const ICS_TAIL: &str = "END:VCALENDAR\r\n";

/// VEVENTs for some events: all-day events spanning the event's interval.
pub fn ics_chunk(events: &[Event]) -> Vec<u8> {
    let mut out = String::new();
    for e in events {
        let Some(interval) = crate::domain::EventDate::of_event(e) else {
            continue;
        };
        let end_exclusive = interval.end.tomorrow().unwrap_or(interval.end);
        let stamp = e.updated_at.replace(['-', ':'], "");
        let mut lines = vec![
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}@linimasa", e.id),
            format!(
                "DTSTAMP:{}",
                if stamp.is_empty() {
                    "19700101T000000Z".to_string()
                } else {
                    stamp
                }
            ),
            format!(
                "DTSTART;VALUE=DATE:{}",
                ics_date(&interval.start.to_string())
            ),
            format!("DTEND;VALUE=DATE:{}", ics_date(&end_exclusive.to_string())),
            format!("SUMMARY:{}", ics_text(&e.title)),
        ];
        let mut desc = e.summary.clone();
        for s in &e.sources {
            desc += &format!(
                "\n{}",
                s.url.as_deref().or(s.publisher.as_deref()).unwrap_or("")
            );
        }
        lines.push(format!("DESCRIPTION:{}", ics_text(&desc)));
        lines.push(format!("CATEGORIES:{}", ics_text(&e.event_type)));
        if !e.regions.is_empty() {
            let names: Vec<&str> = e.regions.iter().map(|r| r.name.as_str()).collect();
            lines.push(format!("LOCATION:{}", ics_text(&names.join(", "))));
        }
        if let Some(l) = &e.location {
            lines.push(format!("GEO:{:.5};{:.5}", l.lat, l.lon));
        }
        if let Some(u) = e
            .sources
            .iter()
            .find_map(|s| s.url.as_deref())
            .filter(|u| u.starts_with("http"))
        {
            lines.push(format!("URL:{}", u.replace(['\r', '\n'], "")));
        }
        lines.push("END:VEVENT".into());
        for l in lines {
            fold_line(&l, &mut out);
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_headers_pick_the_best_served_format() {
        assert_eq!(Format::from_accept(None), Format::Json);
        assert_eq!(Format::from_accept(Some("text/csv")), Format::Csv);
        assert_eq!(
            Format::from_accept(Some("text/html, text/calendar;q=0.9, */*;q=0.1")),
            Format::Ical
        );
        assert_eq!(
            Format::from_accept(Some("application/geo+json;q=0.5, text/csv;q=0.8")),
            Format::Csv
        );
        assert_eq!(Format::from_accept(Some("image/png")), Format::Json);
    }

    #[test]
    fn formulas_and_markup_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("Kursk"), "Kursk");
        assert_eq!(
            html_escape("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(ics_text("a;b,c\nd\\"), "a\\;b\\,c\\nd\\\\");
    }

    #[test]
    fn ical_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        fold_line(&format!("SUMMARY:{}", "Херсон ".repeat(20)), &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "Херсон ".repeat(20))
        );
    }

    #[test]
    fn timelinejs_dates_carry_only_what_the_precision_allows() {
        assert_eq!(
            tl_date("2024-08-06", Precision::Day),
            json!({"year": 2024, "month": 8, "day": 6})
        );
        assert_eq!(
            tl_date("2024-06", Precision::Month),
            json!({"year": 2024, "month": 6})
        );
        assert_eq!(tl_date("2024", Precision::Year), json!({"year": 2024}));
    }
}
