//! Toponym resolution on the two geoparsing development sets in `geo/` (LGL, local
//! US news, Lieberman et al. 2010; GeoVirus, disease outbreak reports, Gritta et al.
//! 2018), scored as the sets' README says, through `linimasa annotate`'s code path:
//!
//! - recall: the share of gold toponyms whose span overlaps a resolved place mention;
//! - accuracy@161 km: of those, the share whose mention's coordinates lie within
//!   161 km (100 miles) of the gold point (a mention without coordinates is wrong);
//! - admin1 accuracy (LGL, whose gold names the first-level region): of the found
//!   toponyms whose gold admin1 is a region of the gazetteer, the share whose mention
//!   carries that region's ISO 3166-2 code (a country mention carries none).
//!
//! Gold toponyms without coordinates (LGL's untagged ones) are not counted. Offsets
//! of the gold are code points of the article's text; where they do not quote the
//! toponym (GeoVirus's are one past it) the nearest occurrence of the name is used.
//! The annotation's offsets point into the cleaned text; a mention is carried back to
//! the original by the occurrence of its words nearest to where it stands.

use std::path::Path;

use anyhow::{Context, bail};

use super::{Figure, Miss, SetScore, overlap, panic_message};
use crate::knowledge::Knowledge;
use crate::pipeline::Extractor;
use crate::pipeline::annotate::{PlaceKind, PlaceMention, annotate};
use crate::pipeline::events::ArticleInput;
use crate::text::fold;

pub const LGL_FILE: &str = "geo/lgl.xml";
pub const GEOVIRUS_FILE: &str = "geo/geovirus.xml";

/// Within this distance a resolved place counts as the gold one (100 miles).
pub const KM: f64 = 161.0;

/// A geoparsing article: its text and gold toponyms.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoDoc {
    pub id: String,
    pub text: String,
    pub toponyms: Vec<GoldToponym>,
    /// Spans (code points) of toponyms the set marks without a point (LGL's untagged
    /// ones): not scored for recall or accuracy, but no spurious mention either.
    pub unlocated: Vec<(usize, usize)>,
}

/// A gold toponym: code point offsets into the text (end exclusive), the phrase, and
/// where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldToponym {
    pub start: usize,
    pub end: usize,
    pub phrase: String,
    pub lat: f64,
    pub lon: f64,
    pub geonames_id: Option<i64>,
    /// GeoNames feature code (`PPL`, `PCLI`, `ADM1`…), where the set gives it.
    pub fcode: Option<String>,
    /// Country and first-level region names, where the set gives them.
    pub country: Option<String>,
    pub admin1: Option<String>,
}

fn child_text<'a>(n: roxmltree::Node<'a, 'a>, tag: &str) -> Option<&'a str> {
    n.children()
        .find(|c| c.has_tag_name(tag))
        .and_then(|c| c.text())
        .map(str::trim)
}

fn num<T: std::str::FromStr>(n: roxmltree::Node, tag: &str) -> Option<T> {
    child_text(n, tag)?.parse().ok()
}

/// The gold span `(start, end)` made to quote `phrase` in `chars`: as given when it
/// does, else the nearest occurrence of the phrase (GeoVirus's offsets are one past).
fn quoted(chars: &[char], start: usize, end: usize, phrase: &str) -> Option<(usize, usize)> {
    let p: Vec<char> = phrase.chars().collect();
    let at = |s: usize| chars.get(s..s + p.len()).is_some_and(|w| w == p.as_slice());
    if end == start + p.len() && at(start) {
        return Some((start, end));
    }
    (0..=chars.len().saturating_sub(p.len()))
        .filter(|&s| at(s))
        .min_by_key(|&s| s.abs_diff(start))
        .map(|s| (s, s + p.len()))
}

/// Reads LGL (`<article docid><text/><toponyms><toponym><start/><end/><phrase/>
/// <gaztag geonameid><lat/><lon/><country/><admin1/>…`).
pub fn parse_lgl(xml: &str) -> anyhow::Result<Vec<GeoDoc>> {
    let doc = roxmltree::Document::parse(xml).context("LGL is not XML")?;
    let mut out = Vec::new();
    for a in doc.descendants().filter(|n| n.has_tag_name("article")) {
        let id = a.attribute("docid").unwrap_or("").to_string();
        let text = child_text(a, "text").unwrap_or("").to_string();
        let chars: Vec<char> = text.chars().collect();
        let mut toponyms = Vec::new();
        let mut unlocated = Vec::new();
        for t in a.descendants().filter(|n| n.has_tag_name("toponym")) {
            let g = t.children().find(|c| c.has_tag_name("gaztag"));
            if g.is_none_or(|g| num::<f64>(g, "lat").is_none()) {
                if let (Some(start), Some(end), Some(phrase)) = (
                    num::<usize>(t, "start"),
                    num::<usize>(t, "end"),
                    child_text(t, "phrase"),
                ) && let Some(span) = quoted(&chars, start, end, phrase)
                {
                    unlocated.push(span);
                }
                continue;
            }
            let Some(g) = g else {
                continue;
            };
            let (Some(start), Some(end), Some(phrase), Some(lat), Some(lon)) = (
                num::<usize>(t, "start"),
                num::<usize>(t, "end"),
                child_text(t, "phrase"),
                num::<f64>(g, "lat"),
                num::<f64>(g, "lon"),
            ) else {
                continue;
            };
            let Some((start, end)) = quoted(&chars, start, end, phrase) else {
                bail!("LGL {id}: {phrase:?} is not in the text");
            };
            toponyms.push(GoldToponym {
                start,
                end,
                phrase: phrase.to_string(),
                lat,
                lon,
                geonames_id: g.attribute("geonameid").and_then(|s| s.parse().ok()),
                fcode: child_text(g, "fcode").map(str::to_string),
                country: child_text(g, "country").map(str::to_string),
                admin1: child_text(g, "admin1").map(str::to_string),
            });
        }
        out.push(GeoDoc {
            id,
            text,
            toponyms,
            unlocated,
        });
    }
    Ok(out)
}

/// Reads GeoVirus (`<article><source/><text/><locations><location><name/><start/>
/// <end/><lat/><lon/><page/>…`).
pub fn parse_geovirus(xml: &str) -> anyhow::Result<Vec<GeoDoc>> {
    let doc = roxmltree::Document::parse(xml).context("GeoVirus is not XML")?;
    let mut out = Vec::new();
    for (i, a) in doc
        .descendants()
        .filter(|n| n.has_tag_name("article"))
        .enumerate()
    {
        let id = child_text(a, "source")
            .map(str::to_string)
            .unwrap_or_else(|| format!("article {}", i + 1));
        let text = child_text(a, "text").unwrap_or("").to_string();
        let chars: Vec<char> = text.chars().collect();
        let mut toponyms = Vec::new();
        for t in a.descendants().filter(|n| n.has_tag_name("location")) {
            let (Some(start), Some(end), Some(phrase), Some(lat), Some(lon)) = (
                num::<usize>(t, "start"),
                num::<usize>(t, "end"),
                child_text(t, "name"),
                num::<f64>(t, "lat"),
                num::<f64>(t, "lon"),
            ) else {
                continue;
            };
            let Some((start, end)) = quoted(&chars, start, end, phrase) else {
                bail!("GeoVirus {id}: {phrase:?} is not in the text");
            };
            toponyms.push(GoldToponym {
                start,
                end,
                phrase: phrase.to_string(),
                lat,
                lon,
                geonames_id: None,
                fcode: None,
                country: None,
                admin1: None,
            });
        }
        out.push(GeoDoc {
            id,
            text,
            toponyms,
            unlocated: Vec::new(),
        });
    }
    Ok(out)
}

/// Great-circle distance in km.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// The ISO 3166-2 code of a gold admin1 named `admin1` in the country named
/// `country`, by the gazetteer's names of both.
fn admin1_code(kb: &Knowledge, country: &str, admin1: &str) -> Option<String> {
    let cc = kb.lookup_country(country)?.code.clone();
    let want = fold(admin1);
    kb.regions
        .iter()
        .filter(|r| r.country == cc)
        .find(|r| fold(&r.name) == want || r.aliases.iter().any(|a| fold(a) == want))
        .map(|r| r.iso_code.clone())
}

/// Place mentions of the annotation carried to code point offsets of `original`.
fn carried_back(original: &[char], cleaned: &str, places: Vec<PlaceMention>) -> Vec<PlaceMention> {
    let same = cleaned.chars().eq(original.iter().copied());
    places
        .into_iter()
        .filter_map(|mut p| {
            if same {
                return Some(p);
            }
            let (s, e) = quoted(original, p.start, p.end, &p.text)?;
            p.start = s;
            p.end = e;
            Some(p)
        })
        .collect()
}

fn kind_name(k: PlaceKind) -> &'static str {
    match k {
        PlaceKind::Country => "country",
        PlaceKind::Region => "region",
        PlaceKind::Town => "town",
        PlaceKind::Area => "area",
        PlaceKind::Demonym => "demonym",
    }
}

/// Scores `docs` (set `set`) through `annotate`.
pub fn score(x: &Extractor, set: &'static str, docs: &[GeoDoc]) -> SetScore {
    let kb = x.knowledge();
    let mut s = SetScore {
        set,
        rows: docs.len(),
        ..Default::default()
    };
    let (mut gold, mut found, mut near, mut a1_den, mut a1_num, mut a1_unknown) =
        (0, 0, 0, 0, 0, 0);
    // Exact GeoNames ids: found toponyms with a gold id, and those whose mention
    // carries it.
    let (mut id_den, mut id_num) = (0, 0);
    // Toponyms found but too far, by whether the mention is the gold entity at
    // another point (a point convention) or another entity.
    let (mut far_same, mut far_other) = (0, 0);
    let mut towns_grid: Option<TownGrid> = None;
    // accuracy@161 km by the kind of place that was resolved.
    let mut by_kind: std::collections::BTreeMap<&'static str, (usize, usize)> = Default::default();
    // Toponym precision: mentions on a gold toponym (located or not), by kind.
    let mut precise: std::collections::BTreeMap<&'static str, (usize, usize)> = Default::default();
    for d in docs {
        let input = ArticleInput {
            text: d.text.clone(),
            language: Some("en".into()),
            ..Default::default()
        };
        let ann =
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| annotate(x, &input))) {
                Ok(Ok(a)) => a,
                failed => {
                    s.errors += 1;
                    let why = match failed {
                        Ok(Err(e)) => e.to_string(),
                        Err(p) => format!("panic: {}", panic_message(&p)),
                        Ok(Ok(_)) => String::new(),
                    };
                    s.misses.push(Miss {
                        id: d.id.clone(),
                        metric: "recall",
                        class: "extractor error".into(),
                        gold: format!("{} toponyms", d.toponyms.len()),
                        produced: why,
                        context: String::new(),
                    });
                    gold += d.toponyms.len();
                    continue;
                }
            };
        let chars: Vec<char> = d.text.chars().collect();
        let places = carried_back(&chars, &ann.text, ann.places);
        let context = |t: &GoldToponym| -> String {
            let a = t.start.saturating_sub(60);
            let b = (t.end + 60).min(chars.len());
            chars[a..b].iter().collect()
        };
        for p in &places {
            let kind = kind_name(p.kind);
            let entry = precise.entry(kind).or_default();
            entry.1 += 1;
            let on_gold = d
                .toponyms
                .iter()
                .map(|t| (t.start, t.end))
                .chain(d.unlocated.iter().copied())
                .any(|g| overlap((p.start, p.end), g) > 0);
            if on_gold {
                entry.0 += 1;
            } else {
                let a = p.start.saturating_sub(60).min(chars.len());
                let b = (p.end + 60).min(chars.len());
                s.misses.push(Miss {
                    id: d.id.clone(),
                    metric: "precision",
                    class: format!("spurious {kind}"),
                    gold: String::new(),
                    produced: format!(
                        "{} {} {} {}",
                        p.text,
                        kind,
                        p.name,
                        p.iso_code.as_deref().unwrap_or("-")
                    ),
                    context: chars[a..b].iter().collect(),
                });
            }
        }
        for t in &d.toponyms {
            gold += 1;
            let gold_desc = format!(
                "{} ({:.2}, {:.2}){}{}",
                t.phrase,
                t.lat,
                t.lon,
                t.geonames_id
                    .map(|g| format!(" geonames {g}"))
                    .unwrap_or_default(),
                t.admin1
                    .as_deref()
                    .map(|a| format!(" in {a}"))
                    .unwrap_or_default()
            );
            let Some(p) = places
                .iter()
                .filter(|p| overlap((p.start, p.end), (t.start, t.end)) > 0)
                .max_by_key(|p| overlap((p.start, p.end), (t.start, t.end)))
            else {
                s.misses.push(Miss {
                    id: d.id.clone(),
                    metric: "recall",
                    class: format!("not found ({})", t.fcode.as_deref().unwrap_or("place")),
                    gold: gold_desc,
                    produced: String::new(),
                    context: context(t),
                });
                continue;
            };
            found += 1;
            let kind = kind_name(p.kind);
            let entry = by_kind.entry(kind).or_default();
            entry.1 += 1;
            let dist = p.lat.zip(p.lon).map(|pt| haversine_km(pt, (t.lat, t.lon)));
            let produced = format!(
                "{} {} {} ({}){}",
                kind,
                p.name,
                p.iso_code.as_deref().unwrap_or("-"),
                p.lat
                    .zip(p.lon)
                    .map(|(a, b)| format!("{a:.2}, {b:.2}"))
                    .unwrap_or_else(|| "no point".into()),
                dist.map(|k| format!(" {k:.0} km off")).unwrap_or_default()
            );
            if let Some(g) = t.geonames_id {
                id_den += 1;
                if p.geonames_id == Some(g) {
                    id_num += 1;
                } else {
                    s.misses.push(Miss {
                        id: d.id.clone(),
                        metric: "geonames id",
                        class: format!("{kind} with another id"),
                        gold: gold_desc.clone(),
                        produced: format!(
                            "{produced} geonames {}",
                            p.geonames_id.map_or("-".into(), |i| i.to_string())
                        ),
                        context: context(t),
                    });
                }
            }
            if dist.is_some_and(|k| k <= KM) {
                near += 1;
                entry.0 += 1;
            } else {
                let same = dist.is_some() && same_entity(kb, &mut towns_grid, p, t);
                if dist.is_some() {
                    if same {
                        far_same += 1;
                    } else {
                        far_other += 1;
                    }
                }
                s.misses.push(Miss {
                    id: d.id.clone(),
                    metric: "accuracy@161km",
                    class: format!(
                        "{kind} {}",
                        match (dist.is_some(), same) {
                            (false, _) => "without a point",
                            (true, true) => "too far, the gold entity at another point",
                            (true, false) => "too far, another entity",
                        }
                    ),
                    gold: gold_desc.clone(),
                    produced: produced.clone(),
                    context: context(t),
                });
            }
            if let (Some(c), Some(a)) = (&t.country, &t.admin1) {
                match admin1_code(kb, c, a) {
                    None => a1_unknown += 1,
                    Some(code) => {
                        a1_den += 1;
                        if p.iso_code.as_deref() == Some(code.as_str())
                            && !matches!(p.kind, PlaceKind::Country | PlaceKind::Demonym)
                        {
                            a1_num += 1;
                        } else {
                            s.misses.push(Miss {
                                id: d.id.clone(),
                                metric: "admin1",
                                class: format!("{kind} in another region"),
                                gold: format!("{gold_desc} {code}"),
                                produced,
                                context: context(t),
                            });
                        }
                    }
                }
            }
        }
    }
    s.figures
        .push(Figure::ratio(&format!("{set} toponym recall"), found, gold));
    s.figures
        .push(Figure::ratio(&format!("{set} accuracy@161km"), near, found));
    s.figures.push(Figure::ratio(
        &format!("{set} accuracy@161km of all gold toponyms"),
        near,
        gold,
    ));
    if id_den > 0 {
        s.figures.push(Figure::ratio(
            &format!("{set} exact GeoNames id (of found toponyms with a gold id)"),
            id_num,
            id_den,
        ));
    }
    s.figures.push(Figure::ratio(
        &format!("{set} too far but the gold entity (point convention), of found"),
        far_same,
        found,
    ));
    s.figures.push(Figure::ratio(
        &format!("{set} too far and another entity, of found"),
        far_other,
        found,
    ));
    let (tp, mentions) = precise
        .values()
        .fold((0, 0), |(a, b), &(n, d)| (a + n, b + d));
    s.figures.push(Figure::ratio(
        &format!("{set} toponym precision (place mentions on a gold toponym)"),
        tp,
        mentions,
    ));
    let (dn, dd) = precise.get("demonym").copied().unwrap_or_default();
    s.figures.push(Figure::ratio(
        &format!("{set} toponym precision without demonym mentions"),
        tp - dn,
        mentions - dd,
    ));
    for (kind, (n, d)) in &precise {
        s.figures.push(Figure::ratio(
            &format!("{set} toponym precision of {kind} mentions"),
            *n,
            *d,
        ));
    }
    for (kind, (n, d)) in by_kind {
        s.figures.push(Figure::ratio(
            &format!("{set} accuracy@161km of {kind} mentions"),
            n,
            d,
        ));
    }
    if a1_den + a1_unknown > 0 {
        s.figures.push(Figure::ratio(
            &format!("{set} admin1 accuracy"),
            a1_num,
            a1_den,
        ));
        s.figures.push(Figure::ratio(
            &format!("{set} found toponyms whose gold admin1 the gazetteer lacks"),
            a1_unknown,
            a1_den + a1_unknown,
        ));
    }
    s
}

/// A town's point, country and region.
type TownPoint = (f64, f64, &'static str, &'static str);

/// The gazetteer's towns by whole-degree cell, for finding the town nearest a point.
struct TownGrid {
    cells: std::collections::HashMap<(i32, i32), Vec<TownPoint>>,
}

impl TownGrid {
    fn new(kb: &Knowledge) -> Self {
        let mut cells: std::collections::HashMap<_, Vec<_>> = Default::default();
        for t in kb.towns.iter() {
            cells
                .entry(cell((t.lat, t.lon)))
                .or_default()
                .push((t.lat, t.lon, t.country, t.region));
        }
        TownGrid { cells }
    }

    /// The country and region of the town nearest `pt` within a degree or so.
    fn nearest(&self, pt: (f64, f64)) -> Option<(&'static str, &'static str)> {
        let (a, b) = cell(pt);
        (a - 1..=a + 1)
            .flat_map(|i| (b - 1..=b + 1).map(move |j| (i, j)))
            .filter_map(|c| self.cells.get(&c))
            .flatten()
            .min_by(|x, y| haversine_km((x.0, x.1), pt).total_cmp(&haversine_km((y.0, y.1), pt)))
            .map(|&(_, _, c, r)| (c, r))
    }
}

fn cell(pt: (f64, f64)) -> (i32, i32) {
    // Whole degrees of a finite coordinate fit an i32.
    (pt.0.floor() as i32, pt.1.floor() as i32)
}

/// Whether a mention too far from the gold point is still the gold entity: the same
/// GeoNames id where both have one; else, for a country or region mention, whether
/// the town nearest the gold point lies in it (the gold point is inside the country
/// or region, which our point puts elsewhere: a convention, not a wrong place).
fn same_entity(
    kb: &Knowledge,
    grid: &mut Option<TownGrid>,
    p: &PlaceMention,
    t: &GoldToponym,
) -> bool {
    if let (Some(a), Some(b)) = (p.geonames_id, t.geonames_id) {
        return a == b;
    }
    if !matches!(
        p.kind,
        PlaceKind::Country | PlaceKind::Region | PlaceKind::Area | PlaceKind::Demonym
    ) {
        return false;
    }
    let Some((cc, region)) = grid
        .get_or_insert_with(|| TownGrid::new(kb))
        .nearest((t.lat, t.lon))
    else {
        return false;
    };
    match p.kind {
        PlaceKind::Country | PlaceKind::Demonym => p.country.as_deref() == Some(cc),
        _ => p.iso_code.as_deref() == Some(region),
    }
}

pub fn lgl(x: &Extractor, path: &Path) -> anyhow::Result<SetScore> {
    let xml =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(score(x, "lgl", &parse_lgl(&xml)?))
}

pub fn geovirus(x: &Extractor, path: &Path) -> anyhow::Result<SetScore> {
    let xml =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(score(x, "geovirus", &parse_geovirus(&xml)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        // Kyiv to Kharkiv is about 410 km.
        let d = haversine_km((50.45, 30.52), (49.99, 36.23));
        assert!((400.0..420.0).contains(&d), "{d}");
        assert_eq!(haversine_km((1.0, 2.0), (1.0, 2.0)), 0.0);
    }

    #[test]
    fn spans_that_miss_their_phrase_are_moved_to_it() {
        let c: Vec<char> = "in Pandi, Bulacan and Pandi".chars().collect();
        assert_eq!(quoted(&c, 3, 8, "Pandi"), Some((3, 8)));
        assert_eq!(quoted(&c, 4, 9, "Pandi"), Some((3, 8)));
        assert_eq!(quoted(&c, 21, 26, "Pandi"), Some((22, 27)));
        assert_eq!(quoted(&c, 0, 5, "Manila"), None);
    }

    #[test]
    fn both_forms_parse() {
        let lgl = r#"<articles><article docid="7"><text><![CDATA[Fire in Alexandria, Louisiana.]]></text>
<toponyms><toponym><start>8</start><end>18</end><phrase>Alexandria</phrase>
<gaztag geonameid="4314550"><name>Alexandria</name><fcode>PPL</fcode><lat>31.31</lat><lon>-92.44</lon>
<country geonameid="6252001">United States</country><admin1 geonameid="4331987">Louisiana</admin1></gaztag></toponym>
<toponym><start>20</start><end>29</end><phrase>Louisiana</phrase></toponym></toponyms></article></articles>"#;
        let d = parse_lgl(lgl).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].toponyms.len(),
            1,
            "an untagged toponym has no gold point"
        );
        assert_eq!(
            d[0].unlocated,
            [(20, 29)],
            "it is still a toponym for precision"
        );
        let t = &d[0].toponyms[0];
        assert_eq!(
            (t.start, t.end, t.admin1.as_deref()),
            (8, 18, Some("Louisiana"))
        );
        let gv = r#"<articles><article><source>s</source><text>Cases in Pandi.</text><locations>
<location><name>Pandi</name><start>10</start><end>15</end><lat>14.87</lat><lon>120.95</lon></location>
</locations></article></articles>"#;
        let d = parse_geovirus(gv).unwrap();
        assert_eq!((d[0].toponyms[0].start, d[0].toponyms[0].end), (9, 14));
        let kb = Knowledge::embedded();
        assert_eq!(
            admin1_code(&kb, "United States", "Louisiana").as_deref(),
            Some("US-LA")
        );
    }
}
