//! What linimasa knows about the world before it reads an article: the gazetteer
//! (ISO 3166-2 regions and countries), the actor registry and the per-language
//! lexicons. All of it comes from the data files under `data/`, embedded in the binary
//! at build time; a user can add regions from an extra gazetteer file. The pipeline
//! uses it to find things in text, the API to resolve filter names.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

pub use crate::pipeline::places::towns::Locality;
use crate::pipeline::places::towns::Towns;
use crate::text::{FoldedSlice, Hit, PhraseMatcher, PhraseSets, fold};

#[derive(Debug, Clone)]
pub struct Region {
    pub iso_code: String,
    pub country: String,
    pub slug: String,
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub aliases: Vec<String>,
    /// Its GeoNames feature id (`geonames-ids.tsv`), where GeoNames lists it.
    pub geonames_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Country {
    pub code: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// The countries it shares a land border with (ISO 3166-1 alpha-2).
    pub neighbours: Vec<String>,
    /// A point near its middle (`country-points.tsv`), for a country named as a place.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Its GeoNames feature id (`geonames-ids.tsv`).
    pub geonames_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub country: Option<String>,
    pub wikidata: Option<String>,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Trigger {
    pub phrase: String,
    pub plover: String,
    pub mode: Option<String>,
    pub acled_type: Option<String>,
    pub acled_sub: Option<String>,
    pub weight: f64,
    /// The phrase counts only in headlines (`where` = `headline`): present tenses and
    /// bare nouns that headlines use for what happened ("Russians destroy a barge")
    /// and prose for what may happen ("vowed to destroy").
    pub headline_only: bool,
    /// The phrase names an act only beside a word of this class of objects
    /// (`where` = `beside:<class>`, the classes are `event-cues.tsv` `object` rows):
    /// "closed" is censorship beside "television channels", "destruction of" an
    /// attack beside "dam" or "power plant".
    pub beside: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoilerplateKind {
    LinePrefix,
    LineContains,
    LabelLine,
    SectionEnd,
}

#[derive(Debug, Clone)]
pub struct Boilerplate {
    pub lang: String,
    pub kind: BoilerplateKind,
    /// Folded pattern.
    pub pattern: String,
}

/// One vocabulary entry of the time lexicon.
#[derive(Debug, Clone)]
pub struct TimeWord {
    pub lang: String,
    pub kind: String,
    pub key: String,
    pub forms: Vec<String>,
}

/// Per-language trigger matcher.
pub struct TriggerSet {
    pub triggers: Vec<Trigger>,
    pub matcher: PhraseMatcher,
}

#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    #[error("{file}:{line}: {msg}")]
    Format {
        file: String,
        line: usize,
        msg: String,
    },
    #[error("reading {0}: {1}")]
    Io(String, std::io::Error),
}

pub struct Knowledge {
    /// Demonyms and country adjectives (`demonyms.tsv`), payload an index of `countries`.
    demonym_matcher: PhraseMatcher,
    pub regions: Vec<Region>,
    pub countries: Vec<Country>,
    pub actors: Vec<Actor>,
    /// Every town and city (GeoNames' populated places), read in place.
    pub towns: Towns,
    pub boilerplate: Vec<Boilerplate>,
    /// The boilerplate patterns that count at the start of a line only (section ends,
    /// labels, prefixes) in one automaton, and the index in `boilerplate` of each.
    boilerplate_heads: Option<(aho_corasick::AhoCorasick, Vec<usize>)>,
    /// The longest of them, in bytes: only that much of a line is searched for them.
    boilerplate_head_len: usize,
    /// The `line_contains` patterns, found anywhere, likewise.
    boilerplate_anywhere: Option<(aho_corasick::AhoCorasick, Vec<usize>)>,
    /// The same patterns, leftmost-first: whether a line holds any of them, decided
    /// with a SIMD prefilter (which an overlapping search has not); most lines hold
    /// none.
    boilerplate_anywhere_any: Option<aho_corasick::AhoCorasick>,
    pub time_words: Vec<TimeWord>,
    /// Function words by (language, kind), folded.
    grammar: HashMap<String, HashMap<String, Vec<String>>>,
    triggers: HashMap<String, TriggerSet>,
    region_by_code: HashMap<String, usize>,
    region_by_slug: HashMap<String, usize>,
    region_by_name: HashMap<String, Vec<usize>>,
    /// Named areas of a country (folded name) → the first-level regions they lie
    /// across (`areas.tsv`'s `spans`: the Gaza Strip's five governorates).
    area_regions: HashMap<String, Vec<usize>>,
    country_by_code: HashMap<String, usize>,
    country_by_name: HashMap<String, usize>,
    actor_by_slug: HashMap<String, usize>,
    actor_by_name: HashMap<String, Vec<usize>>,
    /// The one-off matchers below are built on first use: the sentence matcher serves
    /// extraction, and building automata of the worldwide gazetteer's names again at
    /// start-up would cost seconds.
    region_matcher: OnceLock<PhraseMatcher>,
    /// The region aliases plus the names that hold in one language only
    /// (`data/gazetteer/region-names-by-language.tsv`), by language.
    region_matchers: HashMap<String, OnceLock<PhraseMatcher>>,
    /// Those names, by language: (name, index into `regions`).
    region_names_by_language: HashMap<String, Vec<(String, usize)>>,
    /// Only the names of `region-names-by-language.tsv`, by language.
    territory_matchers: HashMap<String, PhraseMatcher>,
    country_matcher: PhraseMatcher,
    actor_matcher: PhraseMatcher,
    /// What every sentence is scanned for, in one automaton (one pass per sentence
    /// instead of one per matcher): the actors and countries (sets [`SET_ACTORS`],
    /// [`SET_COUNTRIES`]) and, per language, the
    /// triggers, the region names and the territory names of `triggers`,
    /// `region_matcher_for` and `territory_matcher_for`.
    sentence_matcher: PhraseSets,
    /// By language: the sets of its triggers, of its region names and of its
    /// territory names.
    sentence_sets: HashMap<String, (usize, usize, usize)>,
}

const SET_ACTORS: usize = 0;
const SET_COUNTRIES: usize = 1;

/// What [`Knowledge::sentence_hits`] found in a sentence: exactly what the trigger,
/// actor, region, place and country matchers find in it.
pub struct SentenceHits {
    pub triggers: Vec<Hit>,
    pub actors: Vec<Hit>,
    pub regions: Vec<Hit>,
    pub places: Vec<Hit>,
    pub countries: Vec<Hit>,
    /// What `territory_matcher_for` finds (nothing for a language without one).
    pub territories: Vec<Hit>,
}

const REGIONS: &str = include_str!("../data/gazetteer/regions.tsv");
const COUNTRIES: &str = include_str!("../data/gazetteer/countries.tsv");
const COUNTRY_POINTS: &str = include_str!("../data/gazetteer/country-points.tsv");
const AREAS: &str = include_str!("../data/gazetteer/areas.tsv");
const GEONAMES_IDS: &str = include_str!("../data/gazetteer/geonames-ids.tsv");
const DEMONYMS: &str = include_str!("../data/gazetteer/demonyms.tsv");
const REGION_ABBREVIATIONS: &str = include_str!("../data/gazetteer/region-abbreviations.tsv");
const ACTORS: &str = include_str!("../data/actors.tsv");
const REGION_NAMES_BY_LANGUAGE: &str =
    include_str!("../data/gazetteer/region-names-by-language.tsv");
const TRIGGERS: &str = include_str!("../data/lexicon/triggers.tsv");
const BOILERPLATE: &str = include_str!("../data/lexicon/boilerplate.tsv");
const TIME: &str = include_str!("../data/lexicon/time.tsv");
const GRAMMAR: &str = include_str!("../data/lexicon/grammar.tsv");

/// The boilerplate patterns of the kinds `keep` in one automaton, with the index in
/// `boilerplate` of each of its patterns.
fn boilerplate_automaton(
    boilerplate: &[Boilerplate],
    keep: impl Fn(BoilerplateKind) -> bool,
) -> Option<(aho_corasick::AhoCorasick, Vec<usize>)> {
    let index: Vec<usize> = (0..boilerplate.len())
        .filter(|&i| keep(boilerplate[i].kind))
        .collect();
    let ac = aho_corasick::AhoCorasick::new(index.iter().map(|&i| &boilerplate[i].pattern)).ok()?;
    Some((ac, index))
}

/// Rows of a tab-separated data file: `#` lines are comments, the first other line is
/// the header, which must start with `header`.
pub(crate) fn rows<'a>(
    file: &str,
    text: &'a str,
    header: &[&str],
) -> Result<Vec<(usize, Vec<&'a str>)>, KnowledgeError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
    let err = |line: usize, msg: String| KnowledgeError::Format {
        file: file.to_string(),
        line: line + 1,
        msg,
    };
    let (hl, h) = lines.next().ok_or_else(|| err(0, "empty file".into()))?;
    let cols: Vec<&str> = h.split('\t').collect();
    if cols.len() < header.len() || cols[..header.len()] != *header {
        return Err(err(
            hl,
            format!("header must start with {}", header.join(" | ")),
        ));
    }
    lines
        .map(|(n, l)| {
            let mut f: Vec<&str> = l.split('\t').map(str::trim).collect();
            if f.len() < header.len() {
                // Trailing empty columns may be cut by editors.
                f.resize(header.len(), "");
            }
            Ok((n, f))
        })
        .collect()
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

pub(crate) fn list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect()
}

pub fn parse_regions(file: &str, text: &str) -> Result<Vec<Region>, KnowledgeError> {
    let header = [
        "iso_code", "country", "slug", "name", "lat", "lon", "aliases",
    ];
    rows(file, text, &header)?
        .into_iter()
        .map(|(n, f)| {
            let num = |s: &str| -> Result<Option<f64>, KnowledgeError> {
                if s.is_empty() {
                    return Ok(None);
                }
                s.parse().map(Some).map_err(|_| KnowledgeError::Format {
                    file: file.into(),
                    line: n + 1,
                    msg: format!("{s:?} is not a coordinate"),
                })
            };
            Ok(Region {
                iso_code: f[0].to_string(),
                country: f[1].to_string(),
                slug: f[2].to_string(),
                name: f[3].to_string(),
                lat: num(f[4])?,
                lon: num(f[5])?,
                aliases: list(f[6]),
                geonames_id: None,
            })
        })
        .collect()
}

impl Region {
    /// The region as events carry it.
    pub fn to_ref(&self) -> crate::domain::RegionRef {
        crate::domain::RegionRef {
            slug: self.slug.clone(),
            iso_code: self.iso_code.clone(),
            name: self.name.clone(),
            country: self.country.clone(),
        }
    }
}

impl Knowledge {
    /// The knowledge embedded in the binary, parsed once per process.
    pub fn embedded() -> Arc<Knowledge> {
        static KB: OnceLock<Arc<Knowledge>> = OnceLock::new();
        KB.get_or_init(|| {
            Arc::new(
                Knowledge::build(Vec::new()).expect("embedded data files are checked by tests"),
            )
        })
        .clone()
    }

    /// The embedded knowledge plus the regions of an extra gazetteer file (same
    /// columns as `data/gazetteer/regions.tsv`; rows with a known code replace it).
    pub fn with_extra_gazetteer(path: &std::path::Path) -> Result<Knowledge, KnowledgeError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| KnowledgeError::Io(path.display().to_string(), e))?;
        let extra = parse_regions(&path.display().to_string(), &text)?;
        Knowledge::build(extra)
    }

    fn build(extra_regions: Vec<Region>) -> Result<Knowledge, KnowledgeError> {
        let mut regions = parse_regions("regions.tsv", REGIONS)?;
        for (n, f) in rows(
            "region-abbreviations.tsv",
            REGION_ABBREVIATIONS,
            &["iso_code", "aliases"],
        )? {
            let Some(r) = regions.iter_mut().find(|r| r.iso_code == f[0]) else {
                return Err(KnowledgeError::Format {
                    file: "region-abbreviations.tsv".into(),
                    line: n + 1,
                    msg: format!("unknown region {:?}", f[0]),
                });
            };
            r.aliases.extend(list(f[1]));
        }
        for r in extra_regions {
            match regions.iter_mut().find(|x| x.iso_code == r.iso_code) {
                Some(x) => *x = r,
                None => regions.push(r),
            }
        }
        let countries = rows(
            "countries.tsv",
            COUNTRIES,
            &["code", "name", "aliases", "neighbours"],
        )?
        .into_iter()
        .map(|(_, f)| Country {
            code: f[0].to_string(),
            name: f[1].to_string(),
            aliases: list(f[2]),
            neighbours: f[3]
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            lat: None,
            lon: None,
            geonames_id: None,
        })
        .collect::<Vec<_>>();
        let mut countries = countries;
        // GeoNames ids of regions and countries, by ISO code; an extra gazetteer's row
        // that replaced a region keeps the id of its code.
        let ids: HashMap<&str, i64> =
            rows("geonames-ids.tsv", GEONAMES_IDS, &["code", "geonames_id"])?
                .into_iter()
                .map(|(n, f)| {
                    f[1].parse()
                        .map(|id| (f[0], id))
                        .map_err(|_| KnowledgeError::Format {
                            file: "geonames-ids.tsv".into(),
                            line: n + 1,
                            msg: format!("{:?} is not a GeoNames id", f[1]),
                        })
                })
                .collect::<Result<_, _>>()?;
        for r in regions.iter_mut() {
            r.geonames_id = ids.get(r.iso_code.as_str()).copied();
        }
        for c in countries.iter_mut() {
            c.geonames_id = ids.get(c.code.as_str()).copied();
        }
        for (_, f) in rows(
            "country-points.tsv",
            COUNTRY_POINTS,
            &["code", "lat", "lon"],
        )? {
            if let (Some(c), Ok(lat), Ok(lon)) = (
                countries.iter_mut().find(|c| c.code == f[0]),
                f[1].parse::<f64>(),
                f[2].parse::<f64>(),
            ) {
                c.lat = Some(lat);
                c.lon = Some(lon);
            }
        }
        // Named areas (areas.tsv): a country's are more of its names; a region's are
        // read below, per language, as the territories are.
        let areas = rows("areas.tsv", AREAS, &["lang", "resolves_to", "aliases"])?;
        for (n, f) in &areas {
            if f[1].contains('-') {
                continue;
            }
            let Some(c) = countries.iter_mut().find(|c| c.code == f[1]) else {
                return Err(KnowledgeError::Format {
                    file: "areas.tsv".into(),
                    line: n + 1,
                    msg: format!("unknown country {:?}", f[1]),
                });
            };
            c.aliases.extend(list(f[2]));
        }
        let mut demonyms: Vec<(String, usize)> = Vec::new();
        for (n, f) in rows("demonyms.tsv", DEMONYMS, &["code", "aliases"])? {
            let Some(i) = countries.iter().position(|c| c.code == f[0]) else {
                return Err(KnowledgeError::Format {
                    file: "demonyms.tsv".into(),
                    line: n + 1,
                    msg: format!("unknown country {:?}", f[0]),
                });
            };
            demonyms.extend(list(f[1]).into_iter().map(|a| (a, i)));
        }
        let demonym_matcher = PhraseMatcher::new(demonyms.iter().map(|(a, i)| (a.as_str(), *i)));
        let actors = rows(
            "actors.tsv",
            ACTORS,
            &["slug", "name", "kind", "country", "wikidata", "aliases"],
        )?
        .into_iter()
        .map(|(_, f)| Actor {
            slug: f[0].to_string(),
            name: f[1].to_string(),
            kind: f[2].to_string(),
            country: opt(f[3]),
            wikidata: opt(f[4]),
            aliases: list(f[5]),
        })
        .collect::<Vec<_>>();
        let mut by_lang: HashMap<String, Vec<Trigger>> = HashMap::new();
        let inflections = crate::morph::Inflections::embedded();
        let mut written: std::collections::HashSet<(String, String)> = Default::default();
        for (n, f) in rows(
            "triggers.tsv",
            TRIGGERS,
            &[
                "lang",
                "phrase",
                "plover",
                "mode",
                "acled_event_type",
                "acled_sub_event_type",
                "weight",
                "where",
            ],
        )? {
            if !crate::domain::PLOVER_TYPES.contains(&f[2]) {
                return Err(KnowledgeError::Format {
                    file: "triggers.tsv".into(),
                    line: n + 1,
                    msg: format!("{:?} is not a PLOVER type", f[2]),
                });
            }
            let (headline_only, beside) = match f[7] {
                "" => (false, None),
                "headline" => (true, None),
                other => match other.strip_prefix("beside:") {
                    Some(class) if !class.is_empty() => (false, Some(class.to_string())),
                    _ => {
                        return Err(KnowledgeError::Format {
                            file: "triggers.tsv".into(),
                            line: n + 1,
                            msg: format!(
                                "where must be empty, \"headline\" or \"beside:<class>\", not {other:?}"
                            ),
                        });
                    }
                },
            };
            // A `<lemma>` stands for its forms; a form written out elsewhere keeps
            // its own row.
            let Some(forms) = crate::morph::expand(&inflections, f[0], f[1]) else {
                return Err(KnowledgeError::Format {
                    file: "triggers.tsv".into(),
                    line: n + 1,
                    msg: format!(
                        "{:?}: lemma not in inflections.tsv (run scripts/build_inflections.py)",
                        f[1]
                    ),
                });
            };
            for (phrase, headline) in forms {
                if !written.insert((f[0].to_string(), crate::text::fold(&phrase))) {
                    continue;
                }
                by_lang.entry(f[0].to_string()).or_default().push(Trigger {
                    phrase,
                    plover: f[2].to_string(),
                    mode: opt(f[3]),
                    acled_type: opt(f[4]),
                    acled_sub: opt(f[5]),
                    weight: f[6].parse().unwrap_or(0.8),
                    headline_only: headline_only || headline,
                    beside: beside.clone(),
                });
            }
        }
        let triggers: HashMap<String, TriggerSet> = by_lang
            .into_iter()
            .map(|(lang, triggers)| {
                // Sentences are scanned by `sentence_matcher`: this one is for
                // one-off lookups and kept small.
                let matcher = PhraseMatcher::compact(
                    triggers
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (t.phrase.as_str(), i)),
                );
                (lang, TriggerSet { triggers, matcher })
            })
            .collect();
        let mut boilerplate = Vec::new();
        for (n, f) in rows("boilerplate.tsv", BOILERPLATE, &["lang", "kind", "pattern"])? {
            let kind = match f[1] {
                "line_prefix" => BoilerplateKind::LinePrefix,
                "line_contains" => BoilerplateKind::LineContains,
                "label_line" => BoilerplateKind::LabelLine,
                "section_end" => BoilerplateKind::SectionEnd,
                other => {
                    return Err(KnowledgeError::Format {
                        file: "boilerplate.tsv".into(),
                        line: n + 1,
                        msg: format!("unknown kind {other:?}"),
                    });
                }
            };
            boilerplate.push(Boilerplate {
                lang: f[0].to_string(),
                kind,
                pattern: fold(f[2]),
            });
        }
        let time_words = rows("time.tsv", TIME, &["lang", "kind", "key", "forms"])?
            .into_iter()
            .map(|(_, f)| TimeWord {
                lang: f[0].to_string(),
                kind: f[1].to_string(),
                key: f[2].to_string(),
                forms: list(f[3]),
            })
            .collect();

        let mut grammar: HashMap<String, HashMap<String, Vec<String>>> = HashMap::new();
        for (_, f) in rows("grammar.tsv", GRAMMAR, &["lang", "kind", "forms"])? {
            grammar
                .entry(f[0].to_string())
                .or_default()
                .entry(f[1].to_string())
                .or_default()
                .extend(list(f[2]).iter().map(|w| fold(w)));
        }
        let mut area_regions: HashMap<String, Vec<usize>> = HashMap::new();
        for (n, f) in &areas {
            let spans = f.get(3).copied().unwrap_or("");
            if spans.is_empty() {
                continue;
            }
            let mut codes = Vec::new();
            for code in spans.split('|') {
                match regions.iter().position(|r| r.iso_code == code) {
                    Some(i) if regions[i].country == f[1] => codes.push(i),
                    _ => {
                        return Err(KnowledgeError::Format {
                            file: "areas.tsv".into(),
                            line: n + 1,
                            msg: format!("{code:?} is no region of {:?}", f[1]),
                        });
                    }
                }
            }
            for a in list(f[2]) {
                area_regions
                    .entry(fold(&a))
                    .or_insert_with(|| codes.clone());
            }
        }
        let mut region_by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in regions.iter().enumerate() {
            for n in r.aliases.iter().chain([&r.name, &r.slug]) {
                let v = region_by_name.entry(fold(n)).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        let mut by_language: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        // Region names that hold in one language, and named areas that resolve to one
        // region ("Golan Heights"): both extra names of a region in their language.
        let names_by_language = rows(
            "region-names-by-language.tsv",
            REGION_NAMES_BY_LANGUAGE,
            &["lang", "iso_code", "aliases"],
        )?;
        let extra_names = names_by_language
            .iter()
            .map(|(n, f)| ("region-names-by-language.tsv", n, f))
            .chain(
                areas
                    .iter()
                    .filter(|(_, f)| f[1].contains('-'))
                    .map(|(n, f)| ("areas.tsv", n, f)),
            );
        for (file, n, f) in extra_names {
            let Some(i) = regions.iter().position(|r| r.iso_code == f[1]) else {
                return Err(KnowledgeError::Format {
                    file: file.into(),
                    line: n + 1,
                    msg: format!("unknown region {:?}", f[1]),
                });
            };
            by_language
                .entry(f[0].to_string())
                .or_default()
                .extend(list(f[2]).into_iter().map(|a| (a, i)));
        }
        let territory_matchers = by_language
            .iter()
            .map(|(lang, extra)| {
                let m = PhraseMatcher::new(extra.iter().map(|(a, i)| (a.as_str(), *i)));
                (lang.clone(), m)
            })
            .collect();
        // Sentences are scanned by `sentence_matcher`; these two serve one-off lookups.
        let country_matcher =
            PhraseMatcher::compact(countries.iter().enumerate().flat_map(|(i, c)| {
                c.aliases
                    .iter()
                    .chain([&c.name])
                    .map(move |a| (a.as_str(), i))
            }));
        let actor_matcher = PhraseMatcher::compact(actors.iter().enumerate().flat_map(|(i, a)| {
            a.aliases
                .iter()
                .chain([&a.name])
                .map(move |s| (s.as_str(), i))
        }));
        let mut actor_by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, a) in actors.iter().enumerate() {
            for n in a.aliases.iter().chain([&a.name, &a.slug]) {
                let v = actor_by_name.entry(fold(n)).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        let (sentence_matcher, sentence_sets) = {
            let mut sets: Vec<Vec<(&str, usize)>> = vec![
                actors
                    .iter()
                    .enumerate()
                    .flat_map(|(i, a)| {
                        a.aliases
                            .iter()
                            .chain([&a.name])
                            .map(move |s| (s.as_str(), i))
                    })
                    .collect(),
                countries
                    .iter()
                    .enumerate()
                    .flat_map(|(i, c)| {
                        c.aliases
                            .iter()
                            .chain([&c.name])
                            .map(move |a| (a.as_str(), i))
                    })
                    .collect(),
            ];
            let mut langs: Vec<&String> = triggers.keys().collect();
            langs.sort();
            let mut by_lang = HashMap::new();
            for lang in langs {
                let t: &TriggerSet = &triggers[lang];
                sets.push(
                    t.triggers
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (t.phrase.as_str(), i))
                        .collect(),
                );
                let curated = regions
                    .iter()
                    .enumerate()
                    .flat_map(|(i, r)| r.aliases.iter().map(move |a| (a.as_str(), i)));
                let extra = by_language
                    .get(lang.as_str())
                    .map_or(&[][..], Vec::as_slice);
                sets.push(
                    curated
                        .chain(extra.iter().map(|(a, i)| (a.as_str(), *i)))
                        .collect(),
                );
                sets.push(extra.iter().map(|(a, i)| (a.as_str(), *i)).collect());
                by_lang.insert(
                    lang.clone(),
                    (sets.len() - 3, sets.len() - 2, sets.len() - 1),
                );
            }
            (PhraseSets::new(sets), by_lang)
        };
        let mut country_by_name = HashMap::new();
        for (i, c) in countries.iter().enumerate() {
            for n in c.aliases.iter().chain([&c.name]) {
                country_by_name.entry(fold(n)).or_insert(i);
            }
        }
        Ok(Knowledge {
            region_by_code: regions
                .iter()
                .enumerate()
                .map(|(i, r)| (r.iso_code.to_ascii_uppercase(), i))
                .collect(),
            region_by_slug: regions
                .iter()
                .enumerate()
                .map(|(i, r)| (r.slug.clone(), i))
                .collect(),
            country_by_code: countries
                .iter()
                .enumerate()
                .map(|(i, c)| (c.code.to_ascii_uppercase(), i))
                .collect(),
            actor_by_slug: actors
                .iter()
                .enumerate()
                .map(|(i, a)| (a.slug.clone(), i))
                .collect(),
            region_by_name,
            area_regions,
            country_by_name,
            actor_by_name,
            region_matcher: OnceLock::new(),
            region_matchers: by_language
                .keys()
                .map(|lang| (lang.clone(), OnceLock::new()))
                .collect(),
            region_names_by_language: by_language.clone(),
            territory_matchers,
            country_matcher,
            actor_matcher,
            demonym_matcher,
            sentence_matcher,
            sentence_sets,
            regions,
            countries,
            actors,
            towns: Towns::embedded(),
            boilerplate_heads: boilerplate_automaton(&boilerplate, |k| {
                k != BoilerplateKind::LineContains
            }),
            boilerplate_head_len: boilerplate
                .iter()
                .filter(|b| b.kind != BoilerplateKind::LineContains)
                .map(|b| b.pattern.len())
                .max()
                .unwrap_or(0),
            boilerplate_anywhere: boilerplate_automaton(&boilerplate, |k| {
                k == BoilerplateKind::LineContains
            }),
            boilerplate_anywhere_any: aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(
                    boilerplate
                        .iter()
                        .filter(|b| b.kind == BoilerplateKind::LineContains)
                        .map(|b| &b.pattern),
                )
                .ok(),
            boilerplate,
            time_words,
            grammar,
            triggers,
        })
    }

    /// The boilerplate patterns that hit a folded line, in the file's order: the
    /// line-start kinds where the line starts with them, `line_contains` anywhere.
    pub fn boilerplate_hits(&self, folded_line: &str) -> Vec<&Boilerplate> {
        let mut hits: Vec<usize> = Vec::new();
        if let Some((ac, index)) = &self.boilerplate_heads {
            // A match at the start ends within the longest pattern.
            let head = (self.boilerplate_head_len.min(folded_line.len())..=folded_line.len())
                .find(|&i| folded_line.is_char_boundary(i))
                .map_or(folded_line, |i| &folded_line[..i]);
            hits.extend(
                ac.find_overlapping_iter(head)
                    .filter(|m| m.start() == 0)
                    .map(|m| index[m.pattern().as_usize()]),
            );
        }
        if let Some((ac, index)) = &self.boilerplate_anywhere
            && self
                .boilerplate_anywhere_any
                .as_ref()
                .is_none_or(|any| any.is_match(folded_line))
        {
            hits.extend(
                ac.find_overlapping_iter(folded_line)
                    .map(|m| index[m.pattern().as_usize()]),
            );
        }
        hits.sort_unstable();
        hits.dedup();
        hits.into_iter().map(|i| &self.boilerplate[i]).collect()
    }

    pub fn region(&self, iso_code: &str) -> Option<&Region> {
        self.region_by_code
            .get(&iso_code.to_ascii_uppercase())
            .map(|&i| &self.regions[i])
    }

    /// The index into [`Knowledge::regions`] of the region `iso_code`.
    pub fn region_index(&self, iso_code: &str) -> Option<usize> {
        self.region_by_code
            .get(&iso_code.to_ascii_uppercase())
            .copied()
    }

    pub fn region_by_slug(&self, slug: &str) -> Option<&Region> {
        self.region_by_slug.get(slug).map(|&i| &self.regions[i])
    }

    /// Regions a user's word may mean: a slug, an ISO 3166-2 code or any known name,
    /// case- and accent-insensitive; a named area's name ("Gaza", "Gaza Strip",
    /// "Donbas") means every region it lies across, and the regions of other
    /// countries that bear the name (Mozambique's Gaza Province).
    pub fn lookup_regions(&self, q: &str) -> Vec<&Region> {
        let q = q.trim();
        if let Some(r) = self.region(q) {
            return vec![r];
        }
        if let Some(r) = self.region_by_slug(&q.to_ascii_lowercase()) {
            return vec![r];
        }
        let key = fold(q);
        let mut found: Vec<usize> = self.area_regions.get(&key).cloned().unwrap_or_default();
        for &i in self.region_by_name.get(&key).map_or(&[][..], Vec::as_slice) {
            if !found.contains(&i) {
                found.push(i);
            }
        }
        found.into_iter().map(|i| &self.regions[i]).collect()
    }

    /// The regions (indices into `regions`) that `surface` names, folded: several where
    /// regions of different countries share a name (the Gaza Governorate of Palestine
    /// and Mozambique's Gaza Province).
    pub fn regions_named(&self, surface: &str) -> &[usize] {
        self.region_by_name
            .get(&fold(surface))
            .map_or(&[], Vec::as_slice)
    }

    /// The index in [`Knowledge::countries`] of the country of an upper-case alpha-2
    /// code.
    pub fn country_index(&self, code: &str) -> Option<usize> {
        self.country_by_code.get(code).copied()
    }

    pub fn country(&self, code: &str) -> Option<&Country> {
        self.country_by_code
            .get(&code.to_ascii_uppercase())
            .map(|&i| &self.countries[i])
    }

    /// A country by alpha-2 code or any known name.
    pub fn lookup_country(&self, q: &str) -> Option<&Country> {
        let q = q.trim();
        if q.len() == 2
            && let Some(c) = self.country(q)
        {
            return Some(c);
        }
        self.country_by_name
            .get(&fold(q))
            .map(|&i| &self.countries[i])
    }

    pub fn actor(&self, slug: &str) -> Option<&Actor> {
        self.actor_by_slug.get(slug).map(|&i| &self.actors[i])
    }

    /// Actors a user's word may mean: a slug or any alias.
    pub fn lookup_actors(&self, q: &str) -> Vec<&Actor> {
        let q = q.trim();
        if let Some(a) = self.actor(&q.to_ascii_lowercase()) {
            return vec![a];
        }
        self.actor_by_name
            .get(&fold(q))
            .map(|v| v.iter().map(|&i| &self.actors[i]).collect())
            .unwrap_or_default()
    }

    /// Function words of a kind (`locative`, `relative`), folded.
    pub fn grammar(&self, lang: &str, kind: &str) -> &[String] {
        self.grammar
            .get(lang)
            .and_then(|kinds| kinds.get(kind))
            .map_or(&[], Vec::as_slice)
    }

    pub fn triggers(&self, lang: &str) -> Option<&TriggerSet> {
        self.triggers.get(lang)
    }

    fn region_patterns(&self) -> impl Iterator<Item = (&str, usize)> {
        // Every region's names are looked for in text: the build script has vetted the
        // worldwide list's names against ordinary words of the four languages
        // (scripts/build_gazetteer.py).
        self.regions
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.aliases.iter().map(move |a| (a.as_str(), i)))
    }

    pub fn region_matcher(&self) -> &PhraseMatcher {
        self.region_matcher
            .get_or_init(|| PhraseMatcher::new(self.region_patterns()))
    }

    /// Finds region names in a text of `lang`: the curated aliases, plus the names
    /// that hold in that language only ("DPR", "на Покровском направлении").
    pub fn region_matcher_for(&self, lang: &str) -> &PhraseMatcher {
        let Some(cell) = self.region_matchers.get(lang) else {
            return self.region_matcher();
        };
        cell.get_or_init(|| {
            let extra = self
                .region_names_by_language
                .get(lang)
                .map_or(&[][..], Vec::as_slice);
            PhraseMatcher::new(
                self.region_patterns()
                    .chain(extra.iter().map(|(a, i)| (a.as_str(), *i))),
            )
        })
    }

    /// Finds only the names of `region-names-by-language.tsv` ("DPR", "the Pokrovsk
    /// direction"): names of a territory, which stay places where they also name an
    /// actor ("DPR servicemen").
    pub fn territory_matcher_for(&self, lang: &str) -> Option<&PhraseMatcher> {
        self.territory_matchers.get(lang)
    }

    pub fn country_matcher(&self) -> &PhraseMatcher {
        &self.country_matcher
    }

    /// Demonyms and country adjectives ("Egyptian", "суданские"); a hit's payload is
    /// an index of `countries`.
    pub fn demonym_matcher(&self) -> &PhraseMatcher {
        &self.demonym_matcher
    }

    pub fn actor_matcher(&self) -> &PhraseMatcher {
        &self.actor_matcher
    }

    /// The triggers (of `triggers(lang)`), actors, region names (of
    /// `region_matcher_for(lang)`), towns and countries in `sentence`, whose fold is
    /// `folded`, in one pass. `None` for a language without triggers.
    pub fn sentence_hits(
        &self,
        lang: &str,
        sentence: &str,
        folded: FoldedSlice,
    ) -> Option<SentenceHits> {
        let &(triggers, regions, territories) = self.sentence_sets.get(lang)?;
        // Both walks (the phrase sets and the towns) start at the same places.
        let starts = folded.starts(sentence);
        let mut found = self
            .sentence_matcher
            .find_starts(
                sentence,
                folded,
                &starts,
                &[triggers, SET_ACTORS, regions, SET_COUNTRIES, territories],
            )
            .into_iter();
        let mut next = || found.next().unwrap_or_default();
        Some(SentenceHits {
            triggers: next(),
            actors: next(),
            regions: next(),
            places: self.towns.find_starts(sentence, folded, &starts),
            countries: next(),
            territories: next(),
        })
    }

    /// Region slugs closest to a misspelt slug or name, for "did you mean": the query
    /// is compared with every slug and every name the region is known by, in any of
    /// the four languages ("Jawa Barrat" → `jawa-barat`, "Запорожская облость" →
    /// `zaporizhzhia`), and the regions are given by slug.
    pub fn suggest_regions(&self, q: &str) -> Vec<String> {
        let q = fold(q.trim());
        let limit = (q.chars().count() / 3).clamp(1, 4);
        let mut best: HashMap<&str, usize> = HashMap::new();
        for r in &self.regions {
            for name in r.aliases.iter().chain([&r.name, &r.slug]) {
                let n = fold(name);
                let d = strsim::damerau_levenshtein(&q, &n);
                let prefix = q.chars().count() >= 4 && n.starts_with(&q);
                if d <= limit || prefix {
                    let d = if prefix { d.min(limit) } else { d };
                    let e = best.entry(r.slug.as_str()).or_insert(d);
                    *e = (*e).min(d);
                }
            }
        }
        let mut v: Vec<(usize, bool, &str)> = best
            .into_iter()
            .map(|(slug, d)| {
                let known = self.region_by_slug(slug).is_some_and(|r| r.lat.is_some());
                (d, !known, slug)
            })
            .collect();
        v.sort();
        v.into_iter()
            .take(3)
            .map(|(_, _, s)| s.to_string())
            .collect()
    }

    pub fn suggest_actors(&self, q: &str) -> Vec<String> {
        suggest(q, self.actors.iter().map(|a| a.slug.as_str()))
    }
}

/// Up to three candidates within a small edit distance of `q`, nearest first.
pub fn suggest<'a>(q: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let q = fold(q);
    let mut scored: Vec<(usize, &str)> = Vec::new();
    for c in candidates {
        if scored.iter().any(|(_, s)| *s == c) {
            continue;
        }
        let d = strsim::damerau_levenshtein(&q, c);
        let limit = (q.chars().count() / 3).clamp(1, 4);
        if d <= limit || (q.len() >= 3 && c.starts_with(&q)) {
            scored.push((d, c));
        }
    }
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, s)| s.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_of_region_names_suggest_slugs_in_four_languages() {
        let kb = Knowledge::embedded();
        for (q, slug) in [
            ("Jawa Barrat", "jawa-barat"),
            ("Zaporizhia Oblast", "zaporizhzhia"),
            ("Запорожская облость", "zaporizhzhia"),
            ("Харківська обл", "kharkiv"),
            ("kursk oblst", "kursk"),
        ] {
            let got = kb.suggest_regions(q);
            assert!(got.iter().any(|s| s == slug), "{q}: {got:?}");
            assert!(got.len() <= 3);
        }
        assert!(kb.suggest_regions("zzzzqqqq").is_empty());
    }

    #[test]
    fn a_named_area_asks_for_every_region_it_lies_across() {
        let kb = Knowledge::embedded();
        let codes = |q: &str| -> Vec<String> {
            let mut v: Vec<String> = kb
                .lookup_regions(q)
                .iter()
                .map(|r| r.iso_code.clone())
                .collect();
            v.sort();
            v
        };
        // The Gaza Strip's five governorates, and Mozambique's Gaza Province.
        assert_eq!(
            codes("gaza"),
            ["MZ-G", "PS-DEB", "PS-GZA", "PS-KYS", "PS-NGZ", "PS-RFH"]
        );
        assert_eq!(
            codes("Gaza Strip"),
            ["PS-DEB", "PS-GZA", "PS-KYS", "PS-NGZ", "PS-RFH"]
        );
        assert_eq!(codes("Сектор Газа").len(), 5);
        assert_eq!(codes("Donbas"), ["UA-09", "UA-14"]);
        assert_eq!(codes("Darfur").len(), 5);
        // A slug or a code is one region.
        assert_eq!(codes("gaza-ps"), ["PS-GZA"]);
        assert_eq!(codes("ID-AC"), ["ID-AC"]);
    }

    /// The ISO codes of the regions `lang`'s matcher finds in `text`.
    fn region_codes(kb: &Knowledge, lang: &str, text: &str) -> Vec<String> {
        kb.region_matcher_for(lang)
            .find(text)
            .iter()
            .map(|h| kb.regions[h.payload].iso_code.clone())
            .collect()
    }

    #[test]
    fn names_that_hold_in_one_language_are_found_in_that_language_only() {
        let kb = Knowledge::embedded();
        let codes = |lang: &str, text: &str| region_codes(&kb, lang, text);
        assert_eq!(
            codes("en", "Shelling in the DPR and the LPR."),
            ["UA-14", "UA-09"]
        );
        // In Indonesian, DPR is the parliament.
        assert!(codes("id", "Anggota DPR menolak usulan itu.").is_empty());
        assert_eq!(codes("ru", "Обстрел в ДНР."), ["UA-14"]);
        assert_eq!(
            codes("en", "Heavy fighting in the Pokrovsk direction."),
            ["UA-14"]
        );
        assert_eq!(codes("ru", "Бои на Купянском направлении."), ["UA-63"]);
        assert_eq!(codes("uk", "Бої на Лиманському напрямку."), ["UA-14"]);
        // The curated aliases hold in every language.
        assert_eq!(codes("id", "Serangan di wilayah Kursk."), ["RU-KRS"]);
        assert_eq!(codes("xx", "Kursk Oblast"), ["RU-KRS"]);
    }

    #[test]
    fn one_pass_over_a_sentence_finds_what_each_matcher_finds() {
        let kb = Knowledge::embedded();
        for (lang, s) in [
            (
                "en",
                "On 6 August 2024 Ukrainian forces launched an offensive into the Kursk region, captured Sudzha and shelled Belgorod; Russia and the KPA said the DPR was hit.",
            ),
            (
                "id",
                "Pasukan Korea Utara menyerang Kursk pada 28 April 2025, kata Putin di Moskow; DPR membahas serangan drone di Kyiv.",
            ),
            (
                "ru",
                "13 марта 2025 года российские войска освободили Суджу в Курской области, сообщило Минобороны России.",
            ),
            (
                "uk",
                "17 лютого 2024 року українські війська відступили з Авдіївки в Донецькій області на Покровському напрямку.",
            ),
        ] {
            let f = crate::text::Folded::new(s);
            let h = kb
                .sentence_hits(lang, s, f.view())
                .expect("a language with triggers");
            assert_eq!(
                h.triggers,
                kb.triggers(lang).unwrap().matcher.find(s),
                "{lang}"
            );
            assert_eq!(h.actors, kb.actor_matcher().find(s), "{lang}");
            assert_eq!(h.regions, kb.region_matcher_for(lang).find(s), "{lang}");
            assert_eq!(h.places, kb.towns.find(s), "{lang}");
            assert_eq!(h.countries, kb.country_matcher().find(s), "{lang}");
            assert_eq!(
                h.territories,
                kb.territory_matcher_for(lang)
                    .map(|m| m.find(s))
                    .unwrap_or_default(),
                "{lang}"
            );
            assert!(!h.triggers.is_empty() && !h.regions.is_empty(), "{lang}");
        }
    }

    /// Russian and Ukrainian country names in every case (`build_country_cases.py`),
    /// one sentence per case, each naming the country in that case only.
    #[test]
    fn russian_and_ukrainian_countries_are_found_in_every_case() {
        let kb = Knowledge::embedded();
        for (lang, text, form, code) in [
            ("ru", "Ливан объявил траур.", "Ливан", "LB"),
            ("ru", "Обстрелы на юге Ливана продолжились.", "Ливана", "LB"),
            ("ru", "Армия нанесла удары по Ливану.", "Ливану", "LB"),
            (
                "ru",
                "Войска вошли в Ливанскую Республику.",
                "Ливанскую Республику",
                "LB",
            ),
            (
                "ru",
                "Граница между Израилем и Египтом закрыта.",
                "Израилем",
                "IL",
            ),
            ("ru", "Бои в Судане не утихают.", "Судане", "SD"),
            (
                "ru",
                "Перемирие в Южном Судане сорвано.",
                "Южном Судане",
                "SS",
            ),
            (
                "ru",
                "Посол Соединённых Штатов уехал.",
                "Соединённых Штатов",
                "US",
            ),
            (
                "ru",
                "Конфликт в Объединённых Арабских Эмиратах.",
                "Объединённых Арабских Эмиратах",
                "AE",
            ),
            ("uk", "Ліван оголосив жалобу.", "Ліван", "LB"),
            ("uk", "Обстріли на півдні Лівану тривають.", "Лівану", "LB"),
            ("uk", "Армія завдала ударів по Ліванові.", "Ліванові", "LB"),
            (
                "uk",
                "Війська увійшли в Ліванську Республіку.",
                "Ліванську Республіку",
                "LB",
            ),
            (
                "uk",
                "Кордон між Ізраїлем і Єгиптом закрито.",
                "Ізраїлем",
                "IL",
            ),
            ("uk", "Бої в Судані не вщухають.", "Судані", "SD"),
            (
                "uk",
                "Перемир'я в Південному Судані зірвано.",
                "Південному Судані",
                "SS",
            ),
            (
                "uk",
                "Посол Сполучених Штатів поїхав.",
                "Сполучених Штатів",
                "US",
            ),
        ] {
            let hits = kb.country_matcher().find(text);
            let found: Vec<(&str, &str)> = hits
                .iter()
                .map(|h| (&text[h.start..h.end], kb.countries[h.payload].code.as_str()))
                .collect();
            assert!(found.contains(&(form, code)), "{lang}: {text}: {found:?}");
        }
        // A common word a case form would share stays out ("чада", of "чадо").
        let hits = kb.country_matcher().find("Родители любят своего чада.");
        assert!(hits.is_empty(), "{hits:?}");
    }

    #[test]
    fn a_sea_s_bare_name_is_the_water_and_its_region_keeps_its_designator() {
        let kb = Knowledge::embedded();
        let codes = |lang: &str, text: &str| region_codes(&kb, lang, text);
        for (lang, text) in [
            ("en", "A tanker was hit in the southern Red Sea."),
            ("en", "Patrols in the Red Sea and the northern Red Sea."),
            (
                "uk",
                "Судно атакували в Червоному морі та Червоне море закрите.",
            ),
        ] {
            assert!(codes(lang, text).is_empty(), "{text}");
        }
        assert_eq!(codes("en", "Clashes in Red Sea State."), ["SD-RS"]);
        assert_eq!(
            codes("en", "Refugees reached the Northern Red Sea Region."),
            ["ER-SK"]
        );
    }
}
