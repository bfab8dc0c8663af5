//! Headlines and the reader's language. An event's headline is written from its
//! structure — type and ACLED sub-type, the initiating actor (and, for talks and
//! agreements, the other party), the most precise place, the fatalities — by the
//! grammar templates of `data/lexicon/headlines.tsv`, in Indonesian, English, Russian
//! or Ukrainian, never from the source sentence, so the same event reads the same way
//! in every format. [`localize`] gives a whole event in the reader's language: the
//! headline (an editor's title wins), region, place and actor names, the type's label
//! and, where a source is in that language, its sentence as the summary.

pub mod decline;
pub mod names;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::Event;
use crate::knowledge::Knowledge;
use decline::{Case, Slavic};

/// The languages headlines are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Id = 0,
    En = 1,
    Ru = 2,
    Uk = 3,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::Id, Lang::En, Lang::Ru, Lang::Uk];

    /// `id`, `en`, `ru` or `uk` (case-insensitive); none for anything else.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            "uk" => Some(Lang::Uk),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        ["id", "en", "ru", "uk"][self as usize]
    }

    fn slavic(self) -> Option<Slavic> {
        match self {
            Lang::Ru => Some(Slavic::Ru),
            Lang::Uk => Some(Slavic::Uk),
            _ => None,
        }
    }

    /// The language an `Accept-Language` header (RFC 9110 §12.5.4) prefers among
    /// ours: the highest `q`, ties in the order given; `en-GB` counts as `en`, `in`
    /// (the old code) as `id`.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let lang = match primary.to_ascii_lowercase().as_str() {
                "in" => Some(Lang::Id),
                p => Lang::parse(p),
            };
            if let Some(l) = lang
                && q > 0.0
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, l));
            }
        }
        best.map(|(_, l)| l)
    }
}

/// The longest headline, in characters.
pub const MAX_CHARS: usize = 90;

#[derive(Debug)]
struct Templates {
    actor: String,
    pair: String,
    plain: String,
}

fn templates() -> &'static HashMap<(String, Lang), Templates> {
    static T: OnceLock<HashMap<(String, Lang), Templates>> = OnceLock::new();
    T.get_or_init(|| {
        include_str!("../../data/lexicon/headlines.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .skip(1)
            .filter_map(|l| {
                let mut f = l.split('\t');
                let class = f.next()?.to_string();
                let lang = Lang::parse(f.next()?)?;
                let actor = f.next().unwrap_or("").to_string();
                let pair = f.next().unwrap_or("").to_string();
                let plain = f.next().unwrap_or("").to_string();
                Some(((class, lang), Templates { actor, pair, plain }))
            })
            .collect()
    })
}

fn type_labels() -> &'static HashMap<String, [String; 4]> {
    static T: OnceLock<HashMap<String, [String; 4]>> = OnceLock::new();
    T.get_or_init(|| {
        include_str!("../../data/lexicon/event-type-labels.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .skip(1)
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let [t, id, en, ru, uk] = f.as_slice() else {
                    return None;
                };
                Some(((*t).to_string(), [id, en, ru, uk].map(|s| (*s).to_string())))
            })
            .collect()
    })
}

/// A PLOVER type's label in `lang` ("serangan", "переговоры").
pub fn type_label(event_type: &str, lang: Lang) -> Option<&'static str> {
    type_labels()
        .get(event_type)
        .map(|l| l[lang as usize].as_str())
}

/// The template class of an event: its PLOVER type, with assault split by what the
/// ACLED sub-type or the mode says happened.
fn class(e: &Event) -> String {
    if e.event_type == "concede" && e.event_mode.as_deref() == Some("release") {
        return "concede-release".into();
    }
    if e.event_type != "assault" {
        return e.event_type.clone();
    }
    let sub = e
        .acled
        .as_ref()
        .and_then(|a| a.sub_event_type.as_deref())
        .unwrap_or("");
    let acled_type = e.acled.as_ref().map_or("", |a| a.event_type.as_str());
    let mode = e.event_mode.as_deref().unwrap_or("");
    // An annexation is territory taken (PLOVER assault, mode `annex`), whatever
    // ACLED's sub-type says of how it changed hands: never a withdrawal.
    if sub.contains("overtakes territory") || sub.contains("regains territory") || mode == "annex" {
        "assault-capture".into()
    } else if sub.contains("Non-violent transfer") {
        "assault-transfer".into()
    } else if acled_type.starts_with("Explosions")
        || matches!(mode, "air" | "missile" | "drone" | "artillery" | "shelling")
    {
        "assault-strike".into()
    } else if acled_type == "Violence against civilians" {
        // A stabbing or a shooting of civilians is no battle ("Fighting in Berlin").
        "assault-civilians".into()
    } else {
        "assault".into()
    }
}

/// True when the registry's actor can be the subject of a violent event: armed forces,
/// armed groups and states (standing for their forces), as ACLED names the parties of
/// battles and remote violence. A ministry, a leader or an organisation that reports,
/// orders or discusses an attack does not carry it out ("UN Security Council attacks").
fn can_fight(kb: &Knowledge, slug: &str) -> bool {
    kb.actor(slug)
        .is_some_and(|a| matches!(a.kind.as_str(), "military" | "armed_group" | "state"))
}

/// Armed forces and groups before states.
fn kind_rank(kb: &Knowledge, slug: &str) -> u8 {
    match kb.actor(slug).map(|a| a.kind.as_str()) {
        Some("military" | "armed_group") => 0,
        _ => 1,
    }
}

/// The event's place as a headline names it: the town when its name in `lang` is
/// known, else the first region, else the first country.
pub fn place_name(e: &Event, kb: &Knowledge, lang: Lang) -> Option<String> {
    e.places
        .iter()
        .find_map(|p| names::place(kb, p.geonames_id, &p.name, p.region.as_deref(), lang))
        .or_else(|| region_or_country(e, kb, lang))
}

fn region_or_country(e: &Event, kb: &Knowledge, lang: Lang) -> Option<String> {
    e.regions
        .iter()
        .find_map(|r| names::region(kb, &r.iso_code, lang))
        .or_else(|| e.countries.iter().find_map(|c| names::country(kb, c, lang)))
}

/// Fills one template: `{S}`, `{T}`, `{a|b}` by `plural`, and the optional `[…]`
/// parts with `place` (or without them when there is none).
fn fill(
    template: &str,
    lang: Lang,
    subject: Option<&names::ActorName>,
    other: Option<&str>,
    place: Option<&str>,
    before: Option<char>,
) -> Option<String> {
    let mut out = String::new();
    // The last letter before the current point, for Ukrainian у/в.
    let last = |out: &str| out.trim_end().chars().last().or(before);
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            if let Some(p) = place {
                let prev = last(&out);
                out.push_str(&fill(&after[..end], lang, subject, other, Some(p), prev)?);
            }
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('{') {
            let end = after.find('}')?;
            let slot = &after[..end];
            rest = &after[end + 1..];
            match slot {
                "S" => out.push_str(&subject?.name),
                "T" => out.push_str(other?),
                "P" => {
                    let p = place?;
                    match lang.slavic() {
                        Some(s) => out.push_str(&decline::inflect(s, p, Case::Acc)),
                        None => out.push_str(p),
                    }
                }
                "P:loc" => match lang.slavic() {
                    Some(s) => {
                        let prev = last(&out);
                        out.push_str(&decline::locative_phrase(s, place?, prev));
                    }
                    None => out.push_str(place?),
                },
                "P:pr" => match lang.slavic() {
                    Some(s) => out.push_str(&decline::inflect(s, place?, Case::Loc)),
                    None => out.push_str(place?),
                },
                "P:dat" => match lang.slavic() {
                    Some(s) => out.push_str(&decline::inflect(s, place?, Case::Dat)),
                    None => out.push_str(place?),
                },
                forms => {
                    let (sg, pl) = forms.split_once('|')?;
                    out.push_str(if subject.is_some_and(|s| s.plural) {
                        pl
                    } else {
                        sg
                    });
                }
            }
        } else {
            let next = rest.find(['[', '{']).unwrap_or(rest.len());
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    Some(out)
}

/// "; 35 killed", ": 21 погибший": the fatalities clause.
fn killed(n: u32, lang: Lang) -> Option<String> {
    let t = &templates().get(&("killed".to_string(), lang))?.actor;
    let one = n % 10 == 1 && n % 100 != 11;
    let mut out = t.replace("{N}", &n.to_string());
    if let (Some(a), Some(b)) = (out.find('{'), out.find('}'))
        && a < b
    {
        let forms = out[a + 1..b].to_string();
        let (sg, pl) = forms.split_once('|').unwrap_or((&forms, &forms));
        out.replace_range(a..=b, if one || lang == Lang::En { sg } else { pl });
    }
    Some(out)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The event's headline in `lang`: at most [`MAX_CHARS`] characters, no ellipsis. The
/// fullest form that fits is taken: actor(s), town, fatalities; then the region
/// instead of the town, then without fatalities, then without actors.
pub fn headline(e: &Event, kb: &Knowledge, lang: Lang) -> String {
    let cls = class(e);
    let Some(t) = templates()
        .get(&(cls.clone(), lang))
        .or_else(|| templates().get(&(e.event_type.clone(), lang)))
    else {
        return type_label(&e.event_type, lang)
            .map(capitalise)
            .unwrap_or_else(|| e.event_type.clone());
    };
    let violent = cls.starts_with("assault");
    // Who does it: of the initiators, those that can (see [`can_fight`]); armed forces
    // before the state they serve.
    let mut initiators: Vec<&crate::domain::ActorRef> = e
        .actors
        .iter()
        .filter(|a| a.role == "initiator")
        .filter(|a| !violent || can_fight(kb, &a.slug))
        .collect();
    if violent {
        initiators.sort_by_key(|a| kind_rank(kb, &a.slug));
    }
    let initiator = initiators
        .into_iter()
        .find_map(|a| names::actor(kb, &a.slug, lang).map(|n| (a, n)));
    let other = initiator.as_ref().and_then(|(first, _)| {
        e.actors
            .iter()
            .filter(|a| a.slug != first.slug && a.role != "mentioned")
            // The other party is not part of the first (Putin and Russia).
            .filter(|a| a.country.is_none() || a.country != first.country)
            .find_map(|a| names::actor(kb, &a.slug, lang))
    });
    // A violent event placed only by a country, and that the doer's own: the place was
    // guessed from the parties, and "Russia attacks Russia" says what no source does.
    let own_country_only = violent
        && e.places.is_empty()
        && e.regions.is_empty()
        && initiator.as_ref().is_some_and(|(a, _)| {
            a.country.is_some() && e.countries.iter().all(|c| Some(c) == a.country.as_ref())
        });
    let (town, region) = if own_country_only {
        (None, None)
    } else {
        (place_name(e, kb, lang), region_or_country(e, kb, lang))
    };
    let deaths = e
        .fatalities
        .as_ref()
        .and_then(|f| f.best.or(f.low))
        .filter(|n| *n > 0)
        .and_then(|n| killed(n, lang));
    let mut tries: Vec<String> = Vec::new();
    let places: Vec<Option<&str>> = {
        let mut v = vec![town.as_deref()];
        if region != town {
            v.push(region.as_deref());
        }
        v.push(None);
        v
    };
    for with_deaths in [true, false] {
        if with_deaths && deaths.is_none() {
            continue;
        }
        for place in &places {
            let mut forms: Vec<Option<String>> = Vec::new();
            if let Some((_, s)) = &initiator {
                if let Some(o) = &other
                    && !t.pair.is_empty()
                {
                    forms.push(fill(&t.pair, lang, Some(s), Some(&o.name), *place, None));
                }
                forms.push(fill(&t.actor, lang, Some(s), None, *place, None));
            }
            forms.push(fill(&t.plain, lang, None, None, *place, None));
            for f in forms.into_iter().flatten() {
                let mut h = capitalise(f.trim());
                if with_deaths && let Some(d) = &deaths {
                    h.push_str(d);
                }
                tries.push(h);
            }
        }
    }
    if let Some(h) = tries.iter().find(|h| h.chars().count() <= MAX_CHARS) {
        return h.clone();
    }
    // Nothing fits (an actor or place name of 80 characters): cut at a word, no ellipsis.
    let last = tries.pop().unwrap_or_default();
    let mut out = String::new();
    for w in last.split(' ') {
        if out.chars().count() + w.chars().count() + 1 > MAX_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The language of a source's sentence, as the extractor read it. Remembered by the
/// sentence's hash: identifying it is most of what localising an event costs.
fn sentence_language(text: &str) -> Option<&'static str> {
    use std::hash::{Hash, Hasher};
    type Seen = std::sync::Mutex<HashMap<u64, Option<&'static str>>>;
    static SEEN: OnceLock<Seen> = OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    let key = h.finish();
    if let Some(l) = seen.lock().ok().and_then(|m| m.get(&key).copied()) {
        return l;
    }
    let l = crate::pipeline::lang::detect(text);
    if let Ok(mut m) = seen.lock() {
        if m.len() > 500_000 {
            m.clear();
        }
        m.insert(key, l);
    }
    l
}

/// `e` as a reader of `lang` sees it: the headline (unless an editor wrote the title),
/// names of regions, places and actors in `lang`, the type's label, and the summary
/// from a source in `lang` when there is one and the summary is a source's sentence
/// (an editor's summary stays). `language` stays the summary's language; `lang` says
/// which language the rest is in.
pub fn localize(e: &mut Event, kb: &Knowledge, lang: Lang) {
    if !e.title_edited {
        e.title = headline(e, kb, lang);
    }
    for r in &mut e.regions {
        if let Some(n) = names::region(kb, &r.iso_code, lang) {
            r.name = n;
        }
    }
    for p in &mut e.places {
        if let Some(n) = names::place(kb, p.geonames_id, &p.name, p.region.as_deref(), lang) {
            p.name = n;
        }
    }
    for a in &mut e.actors {
        if let Some(n) = names::actor(kb, &a.slug, lang) {
            a.name = n.name;
        }
    }
    if e.language != lang.code()
        && e.sources.iter().any(|s| s.evidence.text == e.summary)
        && let Some(s) = e
            .sources
            .iter()
            .find(|s| sentence_language(&s.evidence.text) == Some(lang.code()))
    {
        e.summary = s.evidence.text.clone();
        e.language = lang.code().to_string();
    }
    e.event_type_label = type_label(&e.event_type, lang).map(str::to_string);
    e.lang = Some(lang.code().to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(
            Lang::from_accept_language("id-ID,id;q=0.9,en;q=0.8"),
            Some(Lang::Id)
        );
        assert_eq!(
            Lang::from_accept_language("fr, uk;q=0.5, ru;q=0.7"),
            Some(Lang::Ru)
        );
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(Lang::from_accept_language("en;q=0, ru"), Some(Lang::Ru));
        assert_eq!(Lang::from_accept_language("in"), Some(Lang::Id));
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn every_class_has_a_template_in_every_language() {
        for t in crate::domain::PLOVER_TYPES
            .iter()
            .map(|t| t.to_string())
            .chain(
                [
                    "assault-strike",
                    "assault-civilians",
                    "assault-capture",
                    "assault-transfer",
                    "concede-release",
                    "killed",
                ]
                .map(String::from),
            )
        {
            for l in Lang::ALL {
                let tpl = templates().get(&(t.clone(), l));
                assert!(tpl.is_some_and(|x| !x.actor.is_empty()), "{t} {l:?}");
            }
            if t != "killed" {
                for l in Lang::ALL {
                    assert!(type_label(t.split('-').next().unwrap(), l).is_some());
                }
            }
        }
    }

    #[test]
    fn a_state_never_attacks_its_own_country_in_a_headline() {
        // An invasion told after its announcement: word order makes the invading forces
        // a "target", and the event is placed by the parties' countries alone.
        let kb = Knowledge::embedded();
        let x = crate::pipeline::Extractor::new(kb.clone());
        let input = crate::pipeline::events::ArticleInput {
            text: "On 24 February 2022 the Russian president announced a special military operation, and Russian troops invaded Ukraine from the north, east and south.".into(),
            published: Some(jiff::civil::date(2023, 2, 24)),
            language: Some("en".into()),
            ..Default::default()
        };
        let events = x.extract(&input).unwrap().events;
        assert!(!events.is_empty());
        for e in &events {
            for l in Lang::ALL {
                let h = headline(e, &kb, l);
                let doers: Vec<&str> = e
                    .actors
                    .iter()
                    .filter(|a| a.role == "initiator")
                    .filter_map(|a| a.country.as_deref())
                    .collect();
                if e.places.is_empty() && e.regions.is_empty() {
                    for c in e.countries.iter().filter(|c| doers.contains(&c.as_str())) {
                        // The name's stem (case endings aside) at most once: as the doer.
                        let name = names::country(&kb, c, l).unwrap_or_default();
                        let stem: String = name.chars().take(5).collect();
                        assert!(
                            stem.is_empty() || h.matches(stem.as_str()).count() < 2,
                            "{h:?} ({l:?}) names the doer's own country as the place"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn violence_against_civilians_is_no_battle_in_a_headline() {
        let kb = Knowledge::embedded();
        let x = crate::pipeline::Extractor::new(kb.clone());
        for (lang, text) in [
            (
                "en",
                "A man was stabbed to death in Berlin on Tuesday, 19 November 2019.",
            ),
            (
                "id",
                "Pada 3 Mei 2024 kelompok bersenjata menembak mati dua petani di Nabire.",
            ),
        ] {
            let input = crate::pipeline::events::ArticleInput {
                text: text.into(),
                published: Some(jiff::civil::date(2024, 5, 6)),
                language: Some(lang.into()),
                ..Default::default()
            };
            let events = x.extract(&input).unwrap().events;
            assert_eq!(events.len(), 1, "{text}");
            let e = &events[0];
            assert_eq!(class(e), "assault-civilians", "{text}");
            let (en, id, ru) = (
                headline(e, &kb, Lang::En),
                headline(e, &kb, Lang::Id),
                headline(e, &kb, Lang::Ru),
            );
            assert!(en.starts_with("Attack on civilians in "), "{en}");
            assert!(id.starts_with("Serangan terhadap warga di "), "{id}");
            assert!(ru.starts_with("Нападение на мирных жителей "), "{ru}");
        }
    }

    #[test]
    fn the_actor_table_names_registry_actors() {
        let kb = Knowledge::embedded();
        for slug in names::actor_table_slugs() {
            assert!(kb.actor(slug).is_some(), "{slug} is not in data/actors.tsv");
        }
    }

    #[test]
    fn fatalities_agree_with_their_number() {
        assert_eq!(killed(21, Lang::Ru).unwrap(), ": 21 погибший");
        assert_eq!(killed(35, Lang::Ru).unwrap(), ": 35 погибших");
        assert_eq!(killed(11, Lang::Uk).unwrap(), ": 11 загиблих");
        assert_eq!(killed(1, Lang::En).unwrap(), "; 1 killed");
        assert_eq!(killed(35, Lang::Id).unwrap(), "; 35 orang tewas");
    }
}
