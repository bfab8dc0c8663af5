//! The scene of an act beyond the sentence's toponyms: who did it and to whom (the
//! actors' roles), where an act told without any place happened by what its actors
//! say, which toponyms only say where a strike came from, and which city that is a
//! region of its own stands for the region around it ("near Kyiv"). The places stage
//! (`places`) finds and settles the toponyms; this stage reads the act's grammar
//! around them (`data/lexicon/grammar.tsv`).

use std::collections::BTreeMap;

use crate::domain::{ActorRef, Event};
use crate::knowledge::Knowledge;
use crate::text::{Hit, fold};

use super::detect::{self, Candidate};
use super::factuality::words;
use super::places::{self, PlaceHit};

/// The function words this stage reads, for one language.
pub struct SceneWords<'a> {
    /// Prepositions that mark the side an attack is aimed at ("invasion of Ukraine").
    target: &'a [String],
    /// Prepositions of nearness ("near Kyiv").
    near: &'a [String],
    /// Words that introduce a passive verb's agent ("captured by the SBU", "oleh").
    agent: &'a [String],
    /// Nouns and verbs of taking back ("counteroffensive", "serangan balasan").
    counter: &'a [String],
    /// Nouns of forces, people and losses beside a side's name ("Russian victims").
    force: &'a [String],
    /// Prepositions of origin ("fired from Belarus", "dari", "из").
    origin: &'a [String],
    /// Prepositions of direction and place that end a phrase of origin ("from
    /// Belgorod at Kharkiv", "from artillery in the Nikopol district").
    origin_end: &'a [String],
    /// Prepositions that make the following name a place ("in Syria", "di Suriah",
    /// "в Сирии"), not the state it can stand for.
    pub locative: &'a [String],
    /// The prepositions of `locative` that are none of origin (whose first word is no
    /// word of `origin`): what names the land an act happened in
    /// ([`after_place_preposition`], [`locative_land`]).
    land_locative: Vec<String>,
    /// Adjectives of direction between a preposition of place and a country ("into
    /// northern Israel", "в южном Ливане").
    compass: &'a [String],
    /// What joins two main clauses (", and", "; ", ", sementara", ", а").
    coordinator: &'a [String],
    /// Auxiliaries of the passive ("were killed", "были убиты"), or `prefix:di`.
    passive: &'a [String],
    /// Prepositions that aim an act at what follows ("the attack against Israel",
    /// "нападение на Израиль", "serangan terhadap Israel").
    aimed: &'a [String],
}

impl<'a> SceneWords<'a> {
    pub fn of(kb: &'a Knowledge, language: &str) -> Self {
        let (locative, origin) = (
            kb.grammar(language, "locative"),
            kb.grammar(language, "origin"),
        );
        SceneWords {
            land_locative: land_locatives(locative, origin),
            target: kb.grammar(language, "target"),
            near: kb.grammar(language, "near"),
            agent: kb.grammar(language, "agent"),
            counter: kb.grammar(language, "counter"),
            origin,
            force: kb.grammar(language, "force"),
            origin_end: kb.grammar(language, "origin_end"),
            locative,
            aimed: kb.grammar(language, "aimed"),
            compass: kb.grammar(language, "compass"),
            coordinator: kb.grammar(language, "coordinator"),
            passive: kb.grammar(language, "passive"),
        }
    }
}

/// The prepositions of place `locative` whose first word is none of `origin`.
fn land_locatives(locative: &[String], origin: &[String]) -> Vec<String> {
    locative
        .iter()
        .filter(|l| {
            !origin
                .iter()
                .any(|o| l.split(' ').next() == Some(o.as_str()))
        })
        .cloned()
        .collect()
}

/// Punctuation that ends a clause or a phrase.
const BREAKS: [char; 7] = [',', '.', ';', ':', '(', '—', '–'];

/// How many words may stand between an agent preposition and the actor it introduces
/// ("by the Ukrainian special services").
const AGENT_GAP: usize = 2;

/// How many words may stand between a passive verb and its agent phrase ("captured
/// on Tuesday by …").
const AGENT_REACH: usize = 6;

fn word_count(s: &str) -> usize {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| !w.is_empty())
        .count()
}

/// The folded words of `s`, in order.
fn folded_words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// Whether the actor `h`, after the trigger ending at byte `te`, is the agent of a
/// passive verb: introduced by an agent preposition ("by", "oleh") a few words after
/// the verb, in its clause ("he was captured by the Ukrainian special services").
fn is_agent(sentence: &str, te: usize, h: &Hit, agent: &[String]) -> bool {
    if agent.is_empty() || h.start < te {
        return false;
    }
    let Some(between) = sentence.get(te..h.start) else {
        return false;
    };
    if between.contains(BREAKS) || word_count(between) > AGENT_REACH {
        return false;
    }
    let words = folded_words(between);
    words
        .iter()
        .rev()
        .take(AGENT_GAP + 1)
        .any(|w| agent.contains(w))
}

/// The roles of `actors` (hits in `sentence`) in the act of the trigger at bytes
/// `(ts, te)`: an actor before it is who did it ("initiator") and one after it whom it
/// was done to ("target") — unless the verb is passive with its agent named after it
/// ("was captured by the SBU"): then the agent did it and the subject before the verb,
/// in its clause, underwent it. An actor right after a preposition of aim is what an
/// act was aimed at wherever it stands ("The attack against Israel … killed 1,200").
pub fn roles(
    sentence: &str,
    (ts, te): (usize, usize),
    actors: &[Hit],
    w: &SceneWords,
) -> Vec<bool> {
    let agents: Vec<bool> = actors
        .iter()
        .map(|h| is_agent(sentence, te, h, w.agent))
        .collect();
    let passive = agents.iter().any(|a| *a);
    let passive_form = passive_verb(sentence, (ts, te), w.passive);
    actors
        .iter()
        .zip(&agents)
        .map(|(h, agent)| {
            if *agent {
                return true;
            }
            if h.end > ts || aimed_at(sentence, h, w.aimed) {
                return false;
            }
            // The subject of a passive verb, in the verb's clause.
            let same_clause = sentence.get(h.end..ts).is_some_and(|b| !b.contains(BREAKS));
            // Without a named agent, only people or forces undergo the passive verb
            // ("Two TNI soldiers were killed"); "Russian missiles were fired" were
            // Russia's.
            let undergoes = passive
                || ((passive_form || passive_subject(sentence, h, ts, w.passive))
                    && beside_force(sentence, h, w.force));
            !(same_clause && undergoes)
        })
        .collect()
}

/// Whether the trigger at `(ts, te)` is a passive verb by its own form: an auxiliary
/// of `passive` right before it, with at most one word between ("were killed", "was
/// reportedly shot", "были убиты"), or a prefix the language marks it with
/// (`prefix:di`: "dibunuh", "ditembak").
fn passive_verb(sentence: &str, (ts, te): (usize, usize), passive: &[String]) -> bool {
    let Some(said) = sentence.get(ts..te) else {
        return false;
    };
    let first = fold(said.split_whitespace().next().unwrap_or(""));
    if passive.iter().any(|p| {
        p.strip_prefix("prefix:").is_some_and(|pre| {
            first.starts_with(pre) && first.chars().count() > pre.chars().count() + 3
        })
    }) {
        return true;
    }
    // The auxiliary inside the trigger ("were killed", "были убиты") or right before it;
    // not the progressive ("is striking").
    if first.ends_with("ing") {
        return false;
    }
    let own = folded_words(said);
    let before = folded_words(sentence.get(..ts).unwrap_or(""));
    own.iter()
        .rev()
        .skip(1)
        .chain(before.iter().rev().take(2))
        .any(|w| passive.iter().any(|p| p == w))
}

/// Whether the actor `h`, before the trigger at `ts` in its clause, is the subject of a
/// passive verb that governs the trigger's phrase ("Two TNI soldiers were killed in an
/// ambush"): an auxiliary of `passive` stands between them, and no relative word
/// (whose clause would be another's: "troops that were stationed nearby shelled").
fn passive_subject(sentence: &str, h: &Hit, ts: usize, passive: &[String]) -> bool {
    let Some(between) = sentence.get(h.end..ts) else {
        return false;
    };
    let words = folded_words(between);
    !words
        .iter()
        .any(|w| super::factuality::COMPLEMENTIZERS.contains(&w.as_str()))
        && words
            .windows(2)
            .any(|p| passive.iter().any(|a| *a == p[0]) && !p[1].ends_with("ing"))
}

/// Whether one of `aimed` (a preposition of aim) stands right before `h`, with at
/// most an article between ("against the Houthis").
fn aimed_at(sentence: &str, h: &Hit, aimed: &[String]) -> bool {
    let Some(before) = sentence.get(..h.start) else {
        return false;
    };
    after_word_of(strip_article(before), aimed)
}

/// `before` without the English article that ends it ("against the").
pub fn strip_article(before: &str) -> &str {
    let b = before.trim_end();
    b.strip_suffix("the")
        .filter(|r| r.ends_with(char::is_whitespace))
        .unwrap_or(b)
}

/// Whether the actor `h` names armed forces, or the people or losses of a side: an
/// armed force or group of the registry ("Russian troops", "pasukan Rusia"), or a
/// state's name or adjective right beside a noun of forces, people or losses
/// (`force`: "Russian victims", "korban Rusia", "Russian positions").
fn is_force(kb: &Knowledge, sentence: &str, h: &Hit, force: &[String]) -> bool {
    if matches!(
        kb.actors[h.payload].kind.as_str(),
        "military" | "armed_group"
    ) {
        return true;
    }
    beside_force(sentence, h, force)
}

/// Whether a noun of `force` (forces, people, losses) stands right beside the actor `h`
/// or in its name ("Russian soldiers", "prajurit TNI").
fn beside_force(sentence: &str, h: &Hit, force: &[String]) -> bool {
    if sentence
        .get(h.start..h.end)
        .is_some_and(|name| folded_words(name).iter().any(|w| force.contains(w)))
    {
        return true;
    }
    let next = sentence.get(h.end..).and_then(|a| {
        folded_words(&a[..a.floor_char_boundary(40)])
            .into_iter()
            .next()
    });
    let prev = sentence
        .get(..h.start)
        .and_then(|b| folded_words(&b[b.floor_char_boundary(b.len().saturating_sub(40))..]).pop());
    [next, prev]
        .into_iter()
        .flatten()
        .any(|w| force.contains(&w))
}

/// Whether the actor `h` stands in the clause of the trigger at `(ts, te)`: no clause
/// punctuation between them.
pub fn in_clause(sentence: &str, (ts, te): (usize, usize), h: &Hit) -> bool {
    let between = if h.end <= ts {
        sentence.get(h.end..ts)
    } else {
        sentence.get(te..h.start.max(te))
    };
    between.is_some_and(|b| !b.contains(BREAKS))
}

/// Whether the trigger of `c` names taking back what the doer had lost: a
/// counter-offensive, a counter-attack, a retaking.
fn takes_back(c: &Candidate, w: &SceneWords) -> bool {
    if c.mode == Some("retake") {
        return true;
    }
    let phrase = fold(&c.trigger.phrase);
    w.counter.iter().any(|k| phrase.contains(k.as_str()))
}

/// Where an act told without a region or a country happened, by its actors (`hits`
/// in `sentence`, `actors` their references with roles; `countries` the country names
/// of the sentence, `origins` its phrases of origin, whose actors place nothing): an
/// attack in the country it
/// targets, when that side is named as a land ("Russia's invasion of Ukraine": the side
/// a target preposition marks, close to the act and in its clause, else the target,
/// else the other side of a war told before it; not "Russian troops", a force); a counter-offensive or a retaking in the country of who did it, for
/// one takes back one's own ground ("Ukraine's counteroffensive", "serangan balasan
/// yang dilakukan Ukraina"); repression and protest in the country of who did it
/// ("Russia banned the college", "captured by the SBU").
pub fn unplaced_country(
    kb: &Knowledge,
    sentence: &str,
    c: &Candidate,
    hits: &[Hit],
    actors: &[ActorRef],
    (countries, origins): (&[Hit], &[(usize, usize)]),
    w: &SceneWords,
) -> Option<String> {
    let (ts, te) = (c.hit.start, c.hit.end);
    registry_side(kb, sentence, c, hits, actors, (countries, origins), w)
        // Else the demonyms of other countries ("Egyptian police arrested…"): who did
        // an arrest or a protest, whom an attack was done to.
        .or_else(|| {
            places::demonym_countries(kb, sentence, hits)
                .into_iter()
                .filter(|(h, _)| !places::mentions::denied(sentence, h.start))
                .find(|(h, _)| match c.plover {
                    "coerce" | "protest" => h.end <= ts,
                    "assault" => h.start >= te,
                    _ => false,
                })
                .map(|(_, cc)| cc)
        })
}

/// [`unplaced_country`] by the registry's actors alone.
fn registry_side(
    kb: &Knowledge,
    sentence: &str,
    c: &Candidate,
    hits: &[Hit],
    actors: &[ActorRef],
    (countries, origins): (&[Hit], &[(usize, usize)]),
    w: &SceneWords,
) -> Option<String> {
    let (ts, te) = (c.hit.start, c.hit.end);
    let of = |role: &str| {
        actors
            .iter()
            .filter(|a| a.role == role)
            .find_map(|a| a.country.clone())
    };
    match c.plover {
        "assault" if takes_back(c, w) => {
            // The doer named closest to the act in its clause.
            hits.iter()
                .filter(|h| in_clause(sentence, (ts, te), h))
                .min_by_key(|h| {
                    if h.end <= ts {
                        ts - h.end
                    } else {
                        h.start.saturating_sub(te)
                    }
                })
                .and_then(|h| kb.actors[h.payload].country.clone())
                .or_else(|| of("initiator"))
        }
        "assault" => {
            // Only a side named as a land places an attack: armed forces and the
            // people and losses of a side ("Russian troops", "Russian positions",
            // "Russian victims") are fought and lost wherever they stand.
            let outside = |h: &Hit| !origins.iter().any(|&(a, b)| a <= h.start && h.end <= b);
            // A side the sentence denies as the place ("escaped, but not to Russia")
            // places nothing.
            let named = |h: &Hit| {
                outside(h)
                    && !is_force(kb, sentence, h, w.force)
                    && !places::mentions::denied(sentence, h.start)
            };
            // The other side of a war, told by neither verb nor preposition, only when
            // named as a country ("its war against Ukraine – an all-out invasion"), not
            // by an adjective ("a Russian invasion").
            let country_named =
                |h: &Hit| named(h) && countries.iter().any(|k| k.start < h.end && h.start < k.end);
            let country = |h: &Hit| kb.actors[h.payload].country.clone();
            let initiators = roles(sentence, (ts, te), hits, w);
            let doer = hits
                .iter()
                .zip(&initiators)
                .find(|(_, i)| **i)
                .or_else(|| hits.iter().zip(&initiators).next())
                .and_then(|(h, _)| country(h));
            hits.iter()
                .filter(|h| h.start >= te && named(h))
                // Close to the act, in its clause.
                .filter(|h| {
                    let between = &sentence[te..h.start];
                    between.split_whitespace().count() <= 5 && !between.contains(BREAKS)
                })
                .find(|h| after_word_of(&sentence[..h.start], w.target))
                .and_then(country)
                // Whom it was done to; else the other side of a war told before it
                // ("…its war against Ukraine – an all-out invasion").
                .or_else(|| {
                    hits.iter()
                        .zip(&initiators)
                        .find(|(h, i)| !**i && named(h))
                        .and_then(|(h, _)| country(h))
                })
                .or_else(|| {
                    hits.iter()
                        .filter(|h| country_named(h))
                        .filter_map(country)
                        .find(|c| Some(c) != doer.as_ref())
                })
        }
        "coerce" | "protest" => of("initiator"),
        _ => None,
    }
}

/// The byte ranges of `sentence` that say where a strike came from, not where it
/// landed: from an origin preposition after the strike's verb or noun ("fired from",
/// "dari", "из") to the next preposition of direction or place, a clause break, or
/// [`ORIGIN_WORDS`] words, or a word of the act itself ("missiles were fired from
/// Tupolevs flying over neighbouring Belarus"; "launched from Belgorod region at
/// Kharkiv"; "launched from Crimea struck Odesa"). ACLED and the
/// devset's guide place a strike where it hit. Only for remote violence (one walks,
/// retreats or advances *from* where one was), and only countries and regions there
/// are origins: a town after the phrase may be the target a translation put there
/// ("fired from the MLRS Orekhov").
pub fn origins(sentence: &str, acts: &[Candidate], w: &SceneWords) -> Vec<(usize, usize)> {
    let Some(after) = acts
        .iter()
        .filter(|c| c.acled_type == Some(super::detect::REMOTE_VIOLENCE))
        .map(|c| c.hit.end)
        .min()
    else {
        return Vec::new();
    };
    if w.origin.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    // (where the phrase starts, how many words it has so far)
    let mut open: Option<(usize, usize)> = None;
    let mut last_end = 0;
    for (a, b) in words(sentence).into_iter().filter(|(a, _)| *a >= after) {
        if let Some((from, _)) = open
            && sentence[last_end.max(from)..a].contains(BREAKS)
        {
            out.push((from, last_end));
            open = None;
        }
        // The act's own word ends the phrase: "launched from Crimea struck Odesa" came
        // from Crimea and struck Odesa.
        if let Some((from, _)) = open
            && acts.iter().any(|c| c.hit.start <= a && a < c.hit.end)
        {
            out.push((from, a));
            open = None;
            last_end = b;
            continue;
        }
        let f = fold(&sentence[a..b]);
        match open {
            None if w.origin.contains(&f) => open = Some((a, 0)),
            Some((from, n)) if w.origin_end.contains(&f) || n >= ORIGIN_WORDS => {
                out.push((from, a));
                open = None;
            }
            Some((from, n)) => open = Some((from, n + 1)),
            None => {}
        }
        last_end = b;
    }
    if let Some((from, _)) = open {
        out.push((from, last_end));
    }
    out
}

/// How many words a phrase of origin may run after its preposition ("from the
/// territory of the Republic of Belarus").
const ORIGIN_WORDS: usize = 7;

/// How many of an article's placed acts must lie in one country, and what share of
/// them, for that country to be where the article is.
const FOCUS_MIN: usize = 2;
const FOCUS_SHARE: f64 = 0.6;

/// Acts of war an article tells with no place at all — none in their sentence, the
/// sentence before, or their actors — happened where the article's other acts
/// happened, when most of them lie in one country: a report's focus (the
/// document-level reading of geoparsers, Web-a-Where's "page focus") stands for the
/// scene the writer leaves implicit ("Hundreds of massive shelling occasions" in a
/// speech on the war in Ukraine). Articles whose acts are spread over several
/// countries leave them unplaced. Repression and protest are not filled so: they
/// happen where the authority or the crowd that does them is, which an article
/// about a war abroad often leaves unnamed ("authorities have cracked down on
/// dissent").
///
/// An article with fewer than [`FOCUS_MIN`] placed acts takes its focus from its own
/// place names instead (`named`: the country most of its sentences that name a town
/// or region name one of, `places::mentions::Mentions::focus`): a speech on the war
/// at home ("Grad rockets hit Mariupol … the airport in Donetsk") tells most of its
/// acts with no place.
pub fn article_focus(events: &mut [Event], named: Option<String>) {
    let material = |e: &Event| detect::is_material(&e.event_type) && e.event_type != "threaten";
    let of_war = |e: &Event| {
        matches!(
            e.event_type.as_str(),
            "assault" | "retreat" | "concede" | "cooperate"
        )
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut placed = 0usize;
    // Repression and protest tell where the authority or the crowd is, not where a
    // war is ("an American soldier was detained in Russia" in a digest of the war in
    // Ukraine): only acts of war and coercion over land (ACLED's transfers of
    // territory, looting, abductions) tell the article's scene.
    let of_scene = |e: &Event| {
        of_war(e)
            || (e.event_type == "coerce"
                && e.acled.as_ref().is_some_and(|a| {
                    matches!(
                        a.sub_event_type.as_deref(),
                        Some(
                            "Non-violent transfer of territory"
                                | "Looting/property destruction"
                                | "Abduction/forced disappearance"
                        )
                    )
                }))
    };
    for e in events.iter().filter(|e| material(e) && of_scene(e)) {
        let mut mine: Vec<&str> = e
            .regions
            .iter()
            .map(|r| r.country.as_str())
            .chain(e.countries.iter().map(String::as_str))
            .collect();
        mine.sort_unstable();
        mine.dedup();
        if mine.is_empty() {
            continue;
        }
        placed += 1;
        for c in mine {
            *counts.entry(c.to_string()).or_default() += 1;
        }
    }
    // Repression, protest and releases told with no place of their own happened
    // where the article's own place names are, when they keep to one country, in a
    // report that is no war report (fewer than [`FOCUS_MIN`] placed acts of war): "now
    // he was captured by the … SBU" in a report on a Ukrainian politician. A war
    // report's places tell where its war is, not where arrests and protests are ("his
    // protege … was detained" in a report on the war in Ukraine is in Russia).
    if placed < FOCUS_MIN
        && let Some(c) = &named
    {
        for e in events.iter_mut().filter(|e| {
            matches!(e.event_type.as_str(), "coerce" | "protest" | "concede")
                && e.event_mode.as_deref() != Some("plan")
        }) {
            if e.regions.is_empty() && e.countries.is_empty() {
                e.countries.push(c.clone());
            }
        }
    }
    let best = counts.into_iter().max_by_key(|(_, n)| *n);
    let focus = match best {
        Some((focus, n)) if n >= FOCUS_MIN => {
            #[expect(
                clippy::cast_precision_loss,
                reason = "counts of events in one article"
            )]
            let share = n as f64 / placed as f64;
            if share < FOCUS_SHARE {
                return;
            }
            focus.to_string()
        }
        // Too few placed acts to tell: the article's own place names, when they
        // agree with the one placed act, if any.
        _ => match (named, best) {
            (Some(c), None) => c,
            (Some(c), Some((one, n))) if c == one && n == placed => c,
            _ => return,
        },
    };
    for e in events.iter_mut().filter(|e| of_war(e)) {
        if e.regions.is_empty() && e.countries.is_empty() {
            e.countries.push(focus.clone());
        }
    }
}

/// Whether what follows `before` is named as a land: after a preposition of place
/// that is none of origin ("in Syria", "in the east of Syria", "into northern Israel",
/// "по югу Ливана"; not "from Russia", "dari", "из"), a direction between.
pub fn after_place_preposition(before: &str, w: &SceneWords) -> bool {
    let before = strip_last_word_of(word_tail(before), w.compass);
    let b = fold(before.trim_end());
    w.land_locative.iter().any(|l| ends_with_word(&b, l))
}

/// How many words may stand between an act and a country a preposition of place
/// makes its land ("red line in Syria over chemical weapons use").
const LOCATIVE_REACH: usize = 6;

/// Whether the country `h`, whose bare name can stand for its state ("Syria said"), is
/// named as the land where the act at `(ts, te)` happened: after a preposition of place
/// that is none of origin ("in Syria", "di Suriah", "в Сирии"; not "from Russia", "dari",
/// "из"), in the act's clause and close to it, and not as a possessor ("over Iran's
/// attack" names who attacked).
pub fn locative_land(sentence: &str, (ts, te): (usize, usize), h: &Hit, w: &SceneWords) -> bool {
    let Some(before) = sentence.get(..h.start) else {
        return false;
    };
    let possessive = sentence
        .get(h.end..)
        .is_some_and(|a| a.starts_with("'s") || a.starts_with("’s"));
    let between = if h.end <= ts {
        sentence.get(h.end..ts)
    } else {
        sentence.get(te..h.start.max(te))
    };
    // "into northern Israel", "в южном Ливане": the direction stands between.
    let before = strip_last_word_of(before, w.compass);
    after_word_of(before, &w.land_locative)
        && !possessive
        && in_clause(sentence, (ts, te), h)
        && between.is_some_and(|b| word_count(b) <= LOCATIVE_REACH)
}

/// The byte positions of `sentence` where a coordinator of `w` joins two clauses
/// (its comma or semicolon).
fn coordinations(sentence: &str, w: &SceneWords) -> Vec<usize> {
    sentence
        .match_indices([',', ';'])
        .filter(|&(i, _)| {
            let rest = &sentence[i..];
            let cut = rest.char_indices().nth(40).map_or(rest.len(), |(k, _)| k);
            let head = fold(&rest[..cut]);
            // A coordinator before a complementizer joins subordinate clauses (", and
            // that Putin tries to justify…"), not main ones.
            w.coordinator.iter().any(|c| {
                head.strip_prefix(c.as_str()).is_some_and(|after| {
                    after.chars().next().is_none_or(|ch| !ch.is_alphanumeric())
                        && after
                            .split_whitespace()
                            .next()
                            .is_none_or(|next| !super::factuality::COMPLEMENTIZERS.contains(&next))
                })
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// The clause of each act of a sentence whose main clauses, joined by a coordinator,
/// tell acts of their own in places of their own ("Hezbollah fired rockets into
/// northern Israel, and Israel struck targets in southern Lebanon"): for each of
/// `acts`, the byte span of its clause. `None` unless the acts fall in two clauses
/// or more and each such clause names a place (`places`: the spans of the sentence's
/// regions, towns and countries); otherwise every act takes the sentence's places.
pub fn coordinated_clauses(
    sentence: &str,
    acts: &[(usize, usize)],
    places: &[(usize, usize)],
    w: &SceneWords,
) -> Option<Vec<(usize, usize)>> {
    if acts.len() < 2 || w.coordinator.is_empty() {
        return None;
    }
    let joins = coordinations(sentence, w);
    if joins.is_empty() {
        return None;
    }
    let mut order: Vec<usize> = (0..acts.len()).collect();
    order.sort_by_key(|&k| acts[k].0);
    // A clause ends at the first join after its last act and before the next act.
    let mut spans = vec![(0, sentence.len()); acts.len()];
    let mut start = 0;
    let mut clauses = 0;
    let mut members: Vec<usize> = Vec::new();
    for (n, &k) in order.iter().enumerate() {
        members.push(k);
        let next = order.get(n + 1).map(|&j| acts[j].0);
        let end = match next {
            Some(b) => joins.iter().copied().find(|&j| acts[k].1 <= j && j < b),
            None => Some(sentence.len()),
        };
        if let Some(end) = end {
            if !places.iter().any(|&(a, b)| start <= a && b <= end) {
                return None;
            }
            for &m in &members {
                spans[m] = (start, end);
            }
            members.clear();
            clauses += 1;
            start = end;
        }
    }
    (clauses >= 2).then_some(spans)
}

/// Whether the country `h` of `sentence` names a land an act took place in, for
/// [`coordinated_clauses`]: after a preposition of place ("into northern Israel"), or
/// right after one of `acts` as its object ("menyerang Lebanon selatan").
pub fn names_land(sentence: &str, h: &Hit, acts: &[(usize, usize)], w: &SceneWords) -> bool {
    let Some(before) = sentence.get(..h.start) else {
        return false;
    };
    after_word_of(strip_last_word_of(before, w.compass), w.locative)
        || acts.iter().any(|&(_, e)| {
            e <= h.start
                && sentence
                    .get(e..h.start)
                    .is_some_and(|g| g.trim().is_empty())
        })
}

/// The clauses of a sentence's acts ([`coordinated_clauses`]), with each clause's own
/// places and actors: the sentence's actors for a clause that names none (its subject
/// left out: "…, and struck Odesa").
pub struct Clauses {
    spans: Vec<(usize, usize)>,
    parts: Vec<ClauseOwn>,
}

/// One clause's own regions, towns, countries and actors.
struct ClauseOwn {
    regions: Vec<Hit>,
    places: Vec<PlaceHit>,
    countries: Vec<Hit>,
    actors: Vec<Hit>,
}

impl Clauses {
    /// `None` when the sentence's acts do not fall in coordinated main clauses each
    /// with a place of its own.
    pub fn of(
        sentence: &str,
        acts: &[Candidate],
        placed: &places::mentions::Placed,
        actors: &[Hit],
        w: &SceneWords,
    ) -> Option<Clauses> {
        let act_spans: Vec<(usize, usize)> =
            acts.iter().map(|c| (c.hit.start, c.hit.end)).collect();
        let lands: Vec<(usize, usize)> = placed
            .regions
            .iter()
            .chain(
                placed
                    .countries
                    .iter()
                    .filter(|h| names_land(sentence, h, &act_spans, w)),
            )
            .map(|h| (h.start, h.end))
            .chain(placed.places.iter().map(|p| (p.start, p.end)))
            .collect();
        let spans = coordinated_clauses(sentence, &act_spans, &lands, w)?;
        let parts = spans
            .iter()
            .map(|&clause| {
                let keep = |h: &&Hit| within_clause((h.start, h.end), clause);
                let own: Vec<Hit> = actors.iter().filter(keep).copied().collect();
                ClauseOwn {
                    regions: placed.regions.iter().filter(keep).copied().collect(),
                    places: placed
                        .places
                        .iter()
                        .filter(|p| within_clause((p.start, p.end), clause))
                        .copied()
                        .collect(),
                    countries: placed.countries.iter().filter(keep).copied().collect(),
                    actors: if own.is_empty() { actors.to_vec() } else { own },
                }
            })
            .collect();
        Some(Clauses { spans, parts })
    }

    /// Each act's clause, as byte spans of the sentence.
    pub fn spans(&self) -> &[(usize, usize)] {
        &self.spans
    }

    /// The regions, towns, countries and actors of act `k`'s clause.
    pub fn parts(&self, k: usize) -> (&[Hit], &[PlaceHit], &[Hit], &[Hit]) {
        let o = &self.parts[k];
        (&o.regions, &o.places, &o.countries, &o.actors)
    }
}

/// Whether the span `(a, b)` lies within `clause`.
pub fn within_clause((a, b): (usize, usize), clause: (usize, usize)) -> bool {
    clause.0 <= a && b <= clause.1
}

/// `before` without the one of `words` (folded) that ends it, if one does.
fn strip_last_word_of<'s>(before: &'s str, words: &[String]) -> &'s str {
    let t = before.trim_end();
    let start = t
        .rfind(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map_or(0, |i| i + t[i..].chars().next().map_or(1, char::len_utf8));
    let last = fold(&t[start..]);
    if words.contains(&last) {
        &t[..start]
    } else {
        before
    }
}

/// Whether one of `words` (folded, as `grammar.tsv` lists them) ends `before`.
pub fn after_word_of(before: &str, words: &[String]) -> bool {
    let b = fold(word_tail(before).trim_end());
    words.iter().any(|w| ends_with_word(&b, w))
}

/// Whether the folded `w` ends the folded `b` as whole words.
fn ends_with_word(b: &str, w: &str) -> bool {
    b.ends_with(w)
        && b[..b.len() - w.len()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// How far back [`word_tail`] keeps a text: the words of `grammar.tsv` are at most 28
/// characters (56 bytes), and a fold shrinks a character at most threefold ("ấ" to "a"),
/// so a phrase that ends the text lies wholly inside a tail this long.
const TAIL_BYTES: usize = 256;

/// The end of `s` that the phrase tests read: from the first word that starts after a
/// space at least [`TAIL_BYTES`] from the end (all of `s` when it is shorter). What
/// ends the tail's fold as a whole word ends the whole text's fold as one, and back,
/// since the tail begins after a space; only the fold of what is read is made.
fn word_tail(s: &str) -> &str {
    let Some(mut cut) = s.len().checked_sub(TAIL_BYTES) else {
        return s;
    };
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s[..cut].rfind(' ').map_or(s, |i| &s[i + 1..])
}

/// Cities that are first-level regions of their own inside another region (ISO 3166-2:
/// Kyiv and Sevastopol in Ukraine, Moscow and Saint Petersburg in Russia), and the
/// region around each.
const CITY_REGIONS: [(&str, &str); 4] = [
    ("UA-30", "UA-32"),
    ("UA-40", "UA-43"),
    ("RU-MOW", "RU-MOS"),
    ("RU-SPE", "RU-LEN"),
];

/// A city that is a region of its own, named after "near", "outside", "dekat", "под"
/// ("near Kyiv", "под Москвой"): what happened there happened in the region around
/// it, not in the city. The region of `regions` it gave becomes that one, and a town
/// so named adds it.
pub fn around_city_regions(
    kb: &Knowledge,
    sentence: &str,
    w: &SceneWords,
    places: &[PlaceHit],
    regions: &mut Vec<Hit>,
) {
    let near = w.near;
    if near.is_empty() {
        return;
    }
    let around = |code: &str| {
        CITY_REGIONS
            .iter()
            .find(|(city, _)| *city == code)
            .and_then(|(_, r)| kb.region_index(r))
    };
    for h in regions.iter_mut() {
        let Some(k) = around(&kb.regions[h.payload].iso_code) else {
            continue;
        };
        if sentence
            .get(..h.start)
            .is_some_and(|b| after_word_of(b, near))
        {
            h.payload = k;
        }
    }
    for p in places {
        let Some(k) = kb.towns.get(p.place).and_then(|t| around(t.region)) else {
            continue;
        };
        if sentence
            .get(..p.start)
            .is_some_and(|b| after_word_of(b, near))
            && !regions.iter().any(|h| h.payload == k)
        {
            regions.push(Hit {
                start: p.start,
                end: p.end,
                payload: k,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::knowledge::Knowledge;
    use crate::pipeline::Extractor;
    use crate::pipeline::events::ArticleInput;

    /// The phrase tests read only the tail of a long text, and answer as they do when
    /// they fold all of it: every prefix of long sentences in four languages (with
    /// runs of spaces, accents and Cyrillic), against every language's place words.
    #[test]
    fn phrase_tests_on_the_tail_answer_as_on_the_whole_text() {
        use crate::text::fold;
        fn whole(before: &str, words: &[String]) -> bool {
            let b = fold(before.trim_end());
            words.iter().any(|w| super::ends_with_word(&b, w))
        }
        let kb = Knowledge::embedded();
        let filler = "Officials said that after weeks of talks réunions and  protests \
                      the ministry had nothing more to add about the matter at all, ";
        let texts = [
            format!("{filler}{filler}Russian drones struck targets in the north-west of Syria"),
            format!("{filler}{filler}Serangan terjadi di bagian selatan Lebanon dan di timur laut"),
            format!("{filler}{filler}Обстрел продолжался по югу Ливана и на северо-востоке страны"),
            format!("{filler}{filler}Обстріл тривав на південному заході України і у місто"),
            format!("{filler}{filler}ấấấấấấấấấấấấấấấấấấấấấấấấấấấấấấ in the east of"),
        ];
        let (mut checked, mut hits, mut lands) = (0, 0, 0);
        for lang in ["en", "id", "ru", "uk"] {
            let w = super::SceneWords::of(&kb, lang);
            for text in &texts {
                for (end, _) in text.char_indices() {
                    let before = &text[..end];
                    let found = super::after_word_of(before, w.locative);
                    assert_eq!(found, whole(before, w.locative), "{lang}: …{before}");
                    // The prepositions of place none of origin, chosen once per
                    // language, as when they were chosen at every call.
                    let b = fold(super::strip_last_word_of(before, w.compass).trim_end());
                    let plain = w
                        .locative
                        .iter()
                        .filter(|l| {
                            !w.origin
                                .iter()
                                .any(|o| l.split(' ').next() == Some(o.as_str()))
                        })
                        .any(|l| super::ends_with_word(&b, l));
                    assert_eq!(
                        super::after_place_preposition(before, &w),
                        plain,
                        "{lang}: …{before}"
                    );
                    lands += usize::from(plain);
                    checked += 1;
                    hits += usize::from(found);
                }
            }
        }
        assert!(
            checked > 1000 && hits > 20 && lands > 20,
            "{checked} checked, {hits} found, {lands} lands"
        );
    }

    /// (type, regions, countries, initiators) of each event of `text` in `lang`,
    /// published on Sunday 2022-06-26.
    /// (type, regions, countries, initiators) of an event.
    type Scene = (String, Vec<String>, Vec<String>, Vec<String>);

    fn scenes(lang: &str, text: &str) -> Vec<Scene> {
        let x = Extractor::new(Knowledge::embedded());
        x.extract(&ArticleInput {
            published: Some(jiff::civil::date(2022, 6, 26)),
            language: Some(lang.into()),
            text: format!("The weather was mild in Geneva.\n{text}"),
            ..Default::default()
        })
        .unwrap()
        .events
        .into_iter()
        .map(|e| {
            (
                e.event_type,
                e.regions.into_iter().map(|r| r.iso_code).collect(),
                e.countries,
                e.actors
                    .into_iter()
                    .filter(|a| a.role == "initiator")
                    .map(|a| a.slug)
                    .collect(),
            )
        })
        .collect()
    }

    #[test]
    fn a_passive_verb_s_agent_did_the_act_and_its_subject_underwent_it() {
        // Repression told without a place happened in the country of who did it, and
        // a passive verb's agent is who did it.
        for (lang, s) in [
            (
                "en",
                "On Saturday the fugitive politician was arrested by the Ukrainian security service.",
            ),
            (
                "id",
                "Pada hari Sabtu politikus buronan itu ditangkap oleh pasukan Ukraina.",
            ),
        ] {
            let got = scenes(lang, s);
            let e = got.iter().find(|e| e.0 == "coerce");
            assert!(e.is_some_and(|e| e.2 == ["UA"]), "{lang}: {got:?}");
        }
        // The subject of the passive verb, before it, underwent the act.
        let got = scenes("en", "On Saturday, Ukraine was attacked by Russian forces.");
        let e = got.iter().find(|e| e.0 == "assault").expect("an assault");
        assert!(
            e.3.iter().all(|a| !a.starts_with("ukraine")) && !e.3.is_empty(),
            "{got:?}"
        );
    }

    #[test]
    fn forces_a_passive_verb_tells_of_underwent_it_without_a_named_agent() {
        // e.3: the initiators' slugs.
        for (lang, s) in [
            (
                "en",
                "Two TNI soldiers were killed in an ambush in Intan Jaya on Thursday.",
            ),
            ("id", "Dua prajurit TNI ditembak di Intan Jaya pada Kamis."),
        ] {
            let got = scenes(lang, s);
            let e = got.iter().find(|e| e.0 == "assault").expect("an assault");
            assert!(e.3.is_empty(), "{lang}: {got:?}");
        }
        // Weapons fired are their side's; the progressive is no passive.
        for s in [
            "Russian missiles were fired at Kyiv on Thursday.",
            "Russia is striking Kyiv on Thursday.",
        ] {
            let got = scenes("en", s);
            let e = got.iter().find(|e| e.0 == "assault").expect("an assault");
            assert_eq!(e.3, ["russia"], "{s}: {got:?}");
        }
    }

    #[test]
    fn what_an_act_is_aimed_at_is_its_target_wherever_it_stands() {
        // The act is told by a later verb ("killed"), the side it was aimed at before it.
        for (lang, s) in [
            (
                "en",
                "The attack against Israel on June 24 killed 40 people.",
            ),
            (
                "ru",
                "Нападение на Израиль 24 июня унесло жизни 40 человек.",
            ),
        ] {
            let got = scenes(lang, s);
            let e = got.iter().find(|e| e.0 == "assault").expect("an assault");
            assert!(e.3.iter().all(|a| a != "israel"), "{lang}: {got:?}");
            assert_eq!(e.2, ["IL"], "{lang}: {got:?}");
        }
    }

    #[test]
    fn a_counteroffensive_told_without_a_place_happened_in_the_doer_s_country() {
        for (lang, s) in [
            (
                "en",
                "On Saturday, Ukraine launched a counteroffensive against Russian troops.",
            ),
            (
                "id",
                "Pada hari Sabtu, serangan balasan darat dilancarkan Ukraina terhadap pasukan Rusia.",
            ),
        ] {
            let got = scenes(lang, s);
            let e = got.iter().find(|e| e.0 == "assault");
            assert!(e.is_some_and(|e| e.2 == ["UA"]), "{lang}: {got:?}");
        }
        // Any other attack told without a place happened on the side it targets,
        // when that side is a land, not a force or its losses.
        let got = scenes("en", "On Saturday, Russian forces attacked Ukraine.");
        let e = got.iter().find(|e| e.0 == "assault");
        assert!(e.is_some_and(|e| e.2 == ["UA"]), "{got:?}");
        for s in [
            "On Saturday, Ukrainian forces attacked Russian troops.",
            "On Saturday, Ukrainian drones killed Russian soldiers.",
        ] {
            let got = scenes("en", s);
            let e = got.iter().find(|e| e.0 == "assault");
            assert!(e.is_some_and(|e| e.2.is_empty()), "{s}: {got:?}");
        }
    }

    #[test]
    fn an_act_of_war_told_with_no_place_happened_where_the_article_s_acts_did() {
        let body = "On Friday, Russian missiles struck Kharkiv.\nOn Saturday, Russian artillery shelled Izium.\nOn Sunday, heavy shelling was reported along the front.\nOn Sunday, police arrested dozens of people.";
        let got = scenes("en", body);
        let shelling = got
            .iter()
            .find(|e| e.0 == "assault" && e.1.is_empty())
            .expect("the unplaced shelling");
        assert_eq!(shelling.2, ["UA"], "{got:?}");
        // Repression is placed by who did it, not by the article's war.
        assert!(
            got.iter().any(|e| e.0 == "coerce" && e.2.is_empty()),
            "{got:?}"
        );
        // Acts spread over two countries give the article no focus.
        let body = "On Friday, Russian missiles struck Kharkiv.\nOn Saturday, Ukrainian drones struck Belgorod.\nOn Sunday, heavy shelling was reported along the front.";
        let got = scenes("en", body);
        assert!(
            got.iter()
                .any(|e| e.0 == "assault" && e.1.is_empty() && e.2.is_empty()),
            "{got:?}"
        );
    }

    #[test]
    fn where_a_strike_came_from_is_not_where_it_happened() {
        for (lang, s) in [
            (
                "en",
                "On Saturday, Russian missiles were fired at Kharkiv from Belarus.",
            ),
            (
                "en",
                "On Saturday, Russian missiles struck Kharkiv, fired from bombers over Belarus.",
            ),
            (
                "ru",
                "В субботу российские ракеты ударили по Харькову с территории Беларуси.",
            ),
            (
                "uk",
                "У суботу російські війська обстріляли Харків ракетами з території Білорусі.",
            ),
        ] {
            let got = scenes(lang, s);
            assert!(!got.is_empty(), "{lang} {s}");
            for e in &got {
                assert!(!e.2.contains(&"BY".to_string()), "{lang} {s}: {got:?}");
                assert!(e.1.contains(&"UA-63".to_string()), "{lang} {s}: {got:?}");
            }
        }
        // Ground forces advance or withdraw from a place where they were: it stays.
        let got = scenes("en", "On Saturday, Russian troops withdrew from Kherson.");
        assert!(
            got.iter().any(|e| e.1.contains(&"UA-65".to_string())),
            "{got:?}"
        );
    }
}

#[cfg(test)]
mod place_tests {
    use crate::knowledge::Knowledge;
    use crate::pipeline::Extractor;
    use crate::pipeline::events::ArticleInput;

    /// (type, regions, countries) of each event of `text` (with `title`) in `lang`,
    /// published on Sunday 2022-06-26.
    fn placed(
        lang: &str,
        title: Option<&str>,
        text: &str,
    ) -> Vec<(String, Vec<String>, Vec<String>)> {
        let x = Extractor::new(Knowledge::embedded());
        x.extract(&ArticleInput {
            published: Some(jiff::civil::date(2022, 6, 26)),
            language: Some(lang.into()),
            title: title.map(str::to_string),
            text: text.to_string(),
            ..Default::default()
        })
        .unwrap()
        .events
        .into_iter()
        .map(|e| {
            (
                e.event_type,
                e.regions.into_iter().map(|r| r.iso_code).collect(),
                e.countries,
            )
        })
        .collect()
    }

    #[test]
    fn a_country_after_a_preposition_of_place_in_the_act_s_clause_is_its_land() {
        for (lang, s) in [
            (
                "en",
                "On Saturday government forces in Syria shelled villages held by Turkish-backed fighters.",
            ),
            (
                "ru",
                "В субботу правительственные силы в Сирии обстреляли деревни, удерживаемые протурецкими боевиками.",
            ),
            (
                "uk",
                "У суботу урядові сили в Сирії обстріляли села, які утримують протурецькі бойовики.",
            ),
            (
                "id",
                "Pada hari Sabtu pasukan pemerintah di Suriah menembaki desa-desa yang dikuasai milisi dukungan Turki.",
            ),
        ] {
            let got = placed(lang, None, s);
            let e = got.iter().find(|e| e.0 == "assault");
            assert!(e.is_some_and(|e| e.2 == ["SY"]), "{lang}: {got:?}");
        }
        // An adjective of direction may stand between ("into northern Israel").
        for (lang, s) in [
            (
                "en",
                "On Saturday Hezbollah fired rockets into northern Israel.",
            ),
            (
                "ru",
                "В субботу Хезболла выпустила ракеты по целям в северном Израиле.",
            ),
            (
                "uk",
                "У суботу Хезболла випустила ракети по цілях у північному Ізраїлі.",
            ),
        ] {
            let got = placed(lang, None, s);
            let e = got.iter().find(|e| e.0 == "assault");
            assert!(e.is_some_and(|e| e.2 == ["IL"]), "{lang}: {got:?}");
        }
        // A possessor is who acted, not where ("over Iran's attack on Israel"), and a
        // country in another clause is not the act's ("Since the invasion of
        // Ukraine, … across Russia").
        let got = placed(
            "en",
            None,
            "Tensions grew on Saturday over Iran's missile attack on Israel.",
        );
        assert!(
            got.iter()
                .all(|e| !e.2.contains(&"IR".to_string()) && e.2.contains(&"IL".to_string())),
            "{got:?}"
        );
        let got = placed(
            "en",
            None,
            "Since the February 2022 invasion of Ukraine, universities have purged dissent across Russia.",
        );
        let e = got.iter().find(|e| e.0 == "assault").expect("the invasion");
        assert_eq!(e.2, ["UA"], "{got:?}");
    }

    #[test]
    fn coordinated_main_clauses_place_each_act_in_its_own_clause() {
        let lands = |lang: &str, s: &str| -> Vec<Vec<String>> {
            let mut got: Vec<Vec<String>> = placed(lang, None, s)
                .into_iter()
                .filter(|e| e.0 == "assault")
                .map(|e| if e.1.is_empty() { e.2 } else { e.1 })
                .collect();
            got.sort();
            got
        };
        for (lang, s) in [
            (
                "en",
                "Hezbollah fired rockets into northern Israel on Friday, and Israel struck targets in southern Lebanon.",
            ),
            (
                "id",
                "Hizbullah menembakkan roket ke Israel utara pada Jumat, sementara Israel menyerang Lebanon selatan.",
            ),
        ] {
            assert_eq!(lands(lang, s), [["IL"], ["LB"]], "{lang}");
        }
        // A clause without a time of its own is told at the time of the one before.
        let got = placed(
            "en",
            None,
            "Russian missiles hit Kyiv on Friday, and drones struck Odesa.",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(
            lands(
                "en",
                "Russian missiles hit Kyiv on Friday, and drones struck Odesa."
            ),
            [["UA-30"], ["UA-51"]]
        );
        // A clause that names no place of its own leaves the act with the sentence's.
        assert_eq!(
            lands(
                "en",
                "Russian drones struck Kharkiv on Friday, and two people were killed in the city."
            ),
            [["UA-63"]]
        );
    }

    #[test]
    fn a_side_the_sentence_denies_as_the_place_places_nothing() {
        for (lang, s) in [
            (
                "en",
                "Two days after the Russian invasion began on February 24, 2022, he fled, but not to Russia.",
            ),
            (
                "ru",
                "Через два дня после начала российского вторжения 24 февраля 2022 года он бежал, но не в Россию.",
            ),
        ] {
            let got = placed(lang, None, s);
            assert!(got.iter().any(|e| e.0 == "assault"), "{lang}: {got:?}");
            assert!(
                got.iter().all(|e| !e.2.contains(&"RU".to_string())),
                "{lang}: {got:?}"
            );
        }
    }

    #[test]
    fn a_big_city_of_the_named_region_s_country_places_the_act_beside_that_region() {
        let got = placed(
            "en",
            None,
            "On Saturday Russian forces shelled Crimea and Mariupol.",
        );
        for region in ["UA-43", "UA-14"] {
            assert!(
                got.iter().any(|e| e.1.contains(&region.to_string())),
                "{region}: {got:?}"
            );
        }
        // A town abroad beside a named region is still taken for a namesake the
        // gazetteer does not hold.
        let got = placed(
            "en",
            None,
            "On Saturday Russian forces shelled villages in the Kharkiv region and Hamas fighters watched.",
        );
        assert!(
            got.iter().all(|e| e.1.iter().all(|r| r.starts_with("UA"))),
            "{got:?}"
        );
    }

    #[test]
    fn a_phrase_of_origin_ends_at_the_act_s_own_word() {
        let got = placed(
            "en",
            None,
            "On Saturday missiles launched from Crimea struck Odesa.",
        );
        let e = got.iter().find(|e| e.0 == "assault").expect("the strike");
        assert_eq!(e.1, ["UA-51"], "{got:?}");
    }

    #[test]
    fn a_lede_without_a_place_takes_the_headline_s() {
        for (lang, title, text) in [
            (
                "en",
                "Apartment block in Belgorod collapses after missile strike",
                "On Saturday, 13 bodies were found in the rubble after the missile strike, the emergencies ministry said.\nAir defences were active all night.",
            ),
            (
                "id",
                "Apartemen di Belgorod runtuh dihantam rudal",
                "Pada hari Sabtu, 13 jenazah ditemukan dari reruntuhan bangunan setelah serangan rudal itu, kata kementerian.\nSistem pertahanan udara aktif sepanjang malam.",
            ),
        ] {
            let got = placed(lang, Some(title), text);
            let e = got.iter().find(|e| e.0 == "assault");
            assert!(e.is_some_and(|e| e.1 == ["RU-BEL"]), "{lang}: {got:?}");
            // Without the headline the lede names no region.
            let got = placed(lang, None, text);
            assert!(
                got.iter().all(|e| !e.1.contains(&"RU-BEL".to_string())),
                "{lang}: {got:?}"
            );
        }
    }

    #[test]
    fn few_placed_acts_take_the_country_of_the_article_s_own_place_names() {
        let body = "Kharkiv has been quiet this week.\nLife in Odesa goes on as before.\nThe mayor of Dnipro spoke to reporters.\nOn Friday, Russian missiles struck a market in Zaporizhzhia.\nOn Saturday, heavy shelling was reported along the front.";
        let got = placed("en", None, body);
        let shelling = got
            .iter()
            .find(|e| e.0 == "assault" && e.1.is_empty())
            .expect("the unplaced shelling");
        assert_eq!(shelling.2, ["UA"], "{got:?}");
        // Arrests tell where the police are, not where the war is: they do not make
        // the article's focus.
        let body = "On Friday, Russian missiles struck Kharkiv.\nOn Saturday, police detained an American soldier in Moscow.\nOn Saturday, police detained a journalist in Moscow.\nOn Sunday, heavy shelling was reported along the front.";
        let got = placed("en", None, body);
        let shelling = got
            .iter()
            .find(|e| e.0 == "assault" && e.1.is_empty())
            .expect("the unplaced shelling");
        assert!(!shelling.2.contains(&"RU".to_string()), "{got:?}");
    }
    #[test]
    fn repression_told_without_a_place_happened_where_a_report_s_own_places_are() {
        for (lang, body) in [
            (
                "en",
                "The opposition leader grew up in Moldova.\nHis party has offices in Moldova.\nHe gave interviews in Moldova.\nOn Friday, police arrested him.",
            ),
            (
                "id",
                "Pemimpin oposisi itu besar di Moldova.\nPartainya berkantor di Moldova.\nIa memberi wawancara di Moldova.\nPada Jumat, polisi menangkap pemimpin oposisi itu.",
            ),
            (
                "ru",
                "Лидер оппозиции вырос в Молдове.\nЕго партия имеет офисы в Молдове.\nОн давал интервью в Молдове.\nВ пятницу полиция арестовала его.",
            ),
            (
                "uk",
                "Лідер опозиції виріс у Молдові.\nЙого партія має офіси в Молдові.\nВін давав інтерв'ю в Молдові.\nУ п'ятницю поліція заарештувала його.",
            ),
        ] {
            let got = placed(lang, None, body);
            let arrest = got.iter().find(|e| e.0 == "coerce").expect("the arrest");
            assert_eq!(arrest.2, ["MD"], "{lang}: {got:?}");
        }
        // A war report's places tell where its war is, not where its arrests are.
        let body = "On Friday, Russian missiles struck Kharkiv.\nOn Saturday, shelling hit Odesa.\nThe mayor of Dnipro spoke.\nOn Sunday, police arrested a blogger.";
        let got = placed("en", None, body);
        let arrest = got.iter().find(|e| e.0 == "coerce").expect("the arrest");
        assert!(arrest.1.is_empty() && arrest.2.is_empty(), "{got:?}");
    }

    #[test]
    fn a_capital_an_attack_struck_is_the_place_not_the_government() {
        for (lang, s, region) in [
            ("en", "On Sunday, Russian missiles struck Kyiv.", "UA-30"),
            (
                "en",
                "On Sunday, Ukrainian drones attacked Moscow.",
                "RU-MOW",
            ),
            (
                "id",
                "Pada hari Minggu, rudal Rusia menghantam Kyiv.",
                "UA-30",
            ),
            (
                "ru",
                "В воскресенье российские ракеты ударили по Киеву.",
                "UA-30",
            ),
            (
                "uk",
                "У неділю російські війська обстріляли Київ ракетами.",
                "UA-30",
            ),
        ] {
            let got = placed(lang, None, s);
            let e = got.iter().find(|e| e.0 == "assault");
            assert!(e.is_some_and(|e| e.1 == [region]), "{lang}: {got:?}");
        }
        // A capital that does the act, or whose forces are struck, or whose
        // counteroffensive an Indonesian noun names, stays the government.
        for (lang, s) in [
            ("en", "On Sunday, Moscow attacked Kyiv's positions."),
            (
                "id",
                "Pada hari Minggu, serangan balasan Kyiv berlanjut di selatan.",
            ),
        ] {
            let got = placed(lang, None, s);
            assert!(
                got.iter().all(|e| !e.1.contains(&"UA-30".to_string())),
                "{lang}: {got:?}"
            );
        }
    }

    #[test]
    fn other_areas_named_after_a_strike_are_where_it_also_struck() {
        for (lang, text) in [
            (
                "en",
                "On Sunday, Russian missiles struck Kyiv.\nOther areas included the city of Cherkasy and the Kharkiv region.",
            ),
            (
                "id",
                "Pada hari Minggu, rudal Rusia menghantam Kyiv.\nKota lain termasuk Cherkasy dan wilayah Kharkiv.",
            ),
            (
                "ru",
                "В воскресенье российские ракеты ударили по Киеву.\nДругие города — Черкассы и Харьков.",
            ),
            (
                "uk",
                "У неділю російські війська обстріляли Київ ракетами.\nІнші міста — Черкаси та Харків.",
            ),
        ] {
            let got = placed(lang, None, text);
            for region in ["UA-71", "UA-63"] {
                assert!(
                    got.iter().any(|e| e.0 == "assault" && e.1 == [region]),
                    "{lang} {region}: {got:?}"
                );
            }
        }
        // Not after a visit, and not across another sentence.
        for text in [
            "On Sunday, the president visited Kyiv.\nOther cities included Cherkasy.",
            "On Sunday, Russian missiles struck Kyiv.\nThe weather was mild.\nOther areas included the city of Cherkasy.",
        ] {
            let got = placed("en", None, text);
            assert!(
                got.iter().all(|e| !e.1.contains(&"UA-71".to_string())),
                "{text}: {got:?}"
            );
        }
    }
}
