//! Event candidates: which trigger phrases of a sentence (`data/lexicon/triggers.tsv`)
//! name a happening here, and of what kind. A trigger read in another sense ("heart
//! attack", "serangan jantung") is no candidate; a headline form counts only where
//! headlines are read. A violent trigger that does not say how it was done ("struck",
//! "attacked", "launched strikes") takes its means — and so its mode and ACLED
//! sub-event type — from the words beside it (`data/lexicon/event-cues.tsv`, written
//! from the ACLED codebook's definitions): aircraft and drones make an air or drone
//! strike, artillery, rockets and missiles shelling, an assault or a repelled attack
//! an armed clash, which wins over remote violence told of the same happening.
//!
//! [`Reader`] is the pipeline's first pass over an article's sentences: each one's
//! captions, armed context and candidates, then the conflict gate over the whole
//! article (agreements, talks and statements only in news of an armed conflict).

use std::collections::HashMap;

use super::factuality::{self, Factuality};
use super::sentences::Span;
use crate::knowledge::{Knowledge, KnowledgeError, SentenceHits, Trigger, TriggerSet, list, rows};
use crate::text::{Hit, PhraseMatcher, fold};

const EVENT_CUES: &str = include_str!("../../data/lexicon/event-cues.tsv");

/// ACLED's event type for battles, and the sub-type a ground cue gives.
const BATTLES: &str = "Battles";
pub const REMOTE_VIOLENCE: &str = "Explosions/Remote violence";

/// Triggers weighted below this name no act by themselves ("died", "hit", "attack"):
/// beside words of another sense they are read in that sense.
pub const VAGUE: f64 = 0.7;

/// How an act was done, as a cue word tells it.
#[derive(Debug, Clone)]
struct Means {
    mode: String,
    acled_type: String,
    acled_sub: String,
    /// Which means decides when several are told (the highest).
    rank: u8,
}

struct LanguageCues {
    means: Vec<Means>,
    /// Payloads index `means`.
    means_matcher: PhraseMatcher,
    other_sense: Option<PhraseMatcher>,
    /// Words that set a sentence in armed conflict (troops, weapons, war).
    conflict: Option<PhraseMatcher>,
    /// By class, the objects beside which a `beside:<class>` trigger names an act
    /// (media outlets for censorship, infrastructure for its destruction).
    objects: HashMap<String, PhraseMatcher>,
}

/// How many words may stand between a `beside:<class>` trigger and its object
/// ("ordered to close pro-Russian television stations", "the channels were shut
/// down").
const OBJECT_REACH: usize = 5;

/// A language's rows as read: its means, each means form with its row, the
/// phrases of other senses, the words of armed conflict and the objects by class.
type Rows = (
    Vec<Means>,
    Vec<(String, usize)>,
    Vec<String>,
    Vec<String>,
    HashMap<String, Vec<String>>,
);

/// The cue lexicon, compiled per language.
pub struct Detector {
    langs: HashMap<String, LanguageCues>,
}

/// A trigger that names an event here, with the kind of event it names.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub hit: Hit,
    pub trigger: &'a Trigger,
    pub plover: &'a str,
    pub mode: Option<&'a str>,
    pub acled_type: Option<&'a str>,
    pub acled_sub: Option<&'a str>,
    /// How surely the act is told as done: 1 for a report, less for a hedge or a
    /// plan (see `factuality`).
    pub certainty: f64,
}

/// Why a sentence's triggers gave no candidate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SetAside {
    /// Headline forms outside a list of headlines.
    pub headline_forms: bool,
    /// Words of an attack in another sense (illness, sport, computers).
    pub other_sense: bool,
}

impl Detector {
    pub fn new() -> Result<Self, KnowledgeError> {
        let mut by_lang: HashMap<String, Rows> = HashMap::new();
        for (n, f) in rows(
            "event-cues.tsv",
            EVENT_CUES,
            &[
                "lang",
                "kind",
                "forms",
                "mode",
                "acled_event_type",
                "acled_sub_event_type",
                "rank",
            ],
        )? {
            let entry = by_lang.entry(f[0].to_string()).or_default();
            match f[1] {
                "means" => {
                    let rank = f[6].parse().map_err(|_| KnowledgeError::Format {
                        file: "event-cues.tsv".into(),
                        line: n + 1,
                        msg: format!("rank {:?} is not a number", f[6]),
                    })?;
                    let i = entry.0.len();
                    entry.0.push(Means {
                        mode: f[3].to_string(),
                        acled_type: f[4].to_string(),
                        acled_sub: f[5].to_string(),
                        rank,
                    });
                    entry.1.extend(list(f[2]).into_iter().map(|form| (form, i)));
                }
                "other_sense" => entry.2.extend(list(f[2])),
                "conflict" => entry.3.extend(list(f[2])),
                "object" if !f[3].is_empty() => entry
                    .4
                    .entry(f[3].to_string())
                    .or_default()
                    .extend(list(f[2])),
                other => {
                    return Err(KnowledgeError::Format {
                        file: "event-cues.tsv".into(),
                        line: n + 1,
                        msg: format!(
                            "kind must be means, other_sense, conflict or object (with its class as mode), not {other:?}"
                        ),
                    });
                }
            }
        }
        let langs = by_lang
            .into_iter()
            .map(|(lang, (means, forms, other, conflict, objects))| {
                let means_matcher =
                    PhraseMatcher::compact(forms.iter().map(|(f, i)| (f.as_str(), *i)));
                let other_sense = (!other.is_empty())
                    .then(|| PhraseMatcher::compact(other.iter().map(|f| (f.as_str(), 0))));
                let conflict = (!conflict.is_empty())
                    .then(|| PhraseMatcher::compact(conflict.iter().map(|f| (f.as_str(), 0))));
                let objects = objects
                    .into_iter()
                    .map(|(class, forms)| {
                        let m = PhraseMatcher::compact(forms.iter().map(|f| (f.as_str(), 0)));
                        (class, m)
                    })
                    .collect();
                (
                    lang,
                    LanguageCues {
                        means,
                        means_matcher,
                        other_sense,
                        conflict,
                        objects,
                    },
                )
            })
            .collect();
        Ok(Detector { langs })
    }

    /// The candidates among `hits`, the triggers of `set` found in `sentence`; what
    /// was set aside, and why. `headlines`: the text is a list of headlines; `armed`:
    /// the sentence names a state, armed force or armed group. A vague trigger ("died",
    /// "launched", "deaths") names an act of conflict only beside such an actor, a
    /// means of violence or a trigger that is not vague; elsewhere ("Axios launched in
    /// 2017", "the disease caused 51 deaths") it is read in its other sense.
    pub fn candidates<'a>(
        &'a self,
        lang: &str,
        sentence: &str,
        set: &'a TriggerSet,
        hits: &[Hit],
        headlines: bool,
        armed: bool,
    ) -> (Vec<Candidate<'a>>, SetAside) {
        let mut aside = SetAside::default();
        if hits.is_empty() {
            return (Vec::new(), aside);
        }
        let cues = self.langs.get(lang);
        let other: Vec<Hit> = cues
            .and_then(|c| c.other_sense.as_ref())
            .map(|m| m.find(sentence))
            .unwrap_or_default();
        let means: Vec<Hit> = cues
            .map(|c| c.means_matcher.find(sentence))
            .unwrap_or_default();
        let firm = hits.iter().any(|h| {
            let t = &set.triggers[h.payload];
            t.weight >= VAGUE && (!t.headline_only || headlines)
        });
        let context = armed
            || firm
            || !means.is_empty()
            || cues
                .and_then(|c| c.conflict.as_ref())
                .is_some_and(|m| !m.find(sentence).is_empty());
        let mut out = Vec::with_capacity(hits.len());
        for h in hits {
            let trigger = &set.triggers[h.payload];
            if trigger.headline_only && !headlines {
                aside.headline_forms = true;
                continue;
            }
            // A verb that names an act only with its object ("closed" a television
            // channel, "destruction of" a dam) needs that object beside it.
            // Nor when another sense is told as its cause, before it in its clause
            // ("cyber attacks … that shut down the websites", "the flood caused the
            // destruction of the bridge").
            if let Some(class) = &trigger.beside
                && (other
                    .iter()
                    .any(|o| o.end <= h.start && within(sentence, o.end, h.start, CAUSE_REACH))
                    || !cues
                        .and_then(|c| c.objects.get(class))
                        .is_some_and(|m| beside(sentence, h, &m.find(sentence))))
            {
                aside.other_sense |= other.iter().any(|o| o.end <= h.start);
                continue;
            }
            // A munition "used to produce" or "used for" something names a purpose,
            // not its use in an attack.
            if trigger.beside.as_deref() == Some("weapon") && purpose_after(sentence, h.end) {
                continue;
            }
            // Inside the phrase, or a word as vague as "died" beside it ("died of a
            // heart attack").
            if other
                .iter()
                .any(|o| o.start < h.end && h.start < o.end || trigger.weight < VAGUE)
                || (trigger.weight < VAGUE && !context)
            {
                aside.other_sense = true;
                continue;
            }
            out.push(Candidate {
                hit: *h,
                trigger,
                plover: &trigger.plover,
                mode: trigger.mode.as_deref(),
                acled_type: trigger.acled_type.as_deref(),
                acled_sub: trigger.acled_sub.as_deref(),
                certainty: 1.0,
            });
        }
        // The use of a munition told beside another attack is that attack's means
        // ("shelled the town using artillery"), not an act of its own.
        let used = |c: &Candidate| c.trigger.beside.as_deref() == Some("weapon");
        if out.iter().any(|c| c.plover == "assault" && !used(c)) {
            out.retain(|c| !used(c));
        }
        // Freeing people is a release, not the liberation of a place: a verb of
        // liberation beside captives ("membebaskan 13 sandera", "освободили пленных").
        if let Some(captives) = cues.and_then(|c| c.objects.get("captive"))
            && out.iter().any(|c| c.mode == Some("retake"))
        {
            let held = captives.find(sentence);
            for c in out.iter_mut() {
                if c.mode == Some("retake") && beside(sentence, &c.hit, &held) {
                    *c = c.released();
                }
            }
        }
        if let Some(cues) = cues
            && out.iter().any(|c| c.plover == "assault")
        {
            let best = means
                .iter()
                .map(|m| &cues.means[m.payload])
                .max_by_key(|m| m.rank);
            if let Some(m) = best {
                for c in out.iter_mut().filter(|c| c.plover == "assault") {
                    c.type_by_means(m);
                }
            }
        }
        (out, aside)
    }
}

/// Whether one of `objects` stands within `OBJECT_REACH` words of the trigger `h`,
/// after it or before it, with no clause punctuation between.
fn beside(sentence: &str, h: &Hit, objects: &[Hit]) -> bool {
    objects.iter().any(|o| {
        (o.start >= h.end && within(sentence, h.end, o.start, OBJECT_REACH))
            || (o.end <= h.start && within(sentence, o.end, h.start, OBJECT_REACH))
    })
}

/// Words that open a purpose right after a verb of use ("used to produce missiles",
/// "digunakan untuk", "использованы для").
const PURPOSE: &[&str] = &["to", "for", "untuk", "bagi", "для", "чтобы", "щоб"];

/// Whether the word right after byte `end` of `sentence` opens a purpose.
fn purpose_after(sentence: &str, end: usize) -> bool {
    sentence
        .get(end..)
        .and_then(|rest| rest.split_whitespace().next())
        .is_some_and(|w| PURPOSE.contains(&w.to_lowercase().as_str()))
}

/// How many words before a `beside:<class>` trigger another sense may stand as its
/// cause.
const CAUSE_REACH: usize = 8;

/// Whether the bytes `a..b` of `sentence` hold at most `words` words (quotation
/// marks are none) and no clause punctuation.
fn within(sentence: &str, a: usize, b: usize, words: usize) -> bool {
    sentence.get(a..b).is_some_and(|gap| {
        !gap.contains([',', ';', ':', '.', '(', ')', '—'])
            && gap
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count()
                <= words
    })
}

/// Whether a vague attack word of `trigger_hits` ("strike", "удар", "serangan") is aimed
/// at a place the sentence names: a preposition of aim (`grammar.tsv` `aimed`: "on",
/// "against", "по", "ke"…) right after it, then the place, and not as a possessor
/// ("Удар по Харькову 5 марта", "A strike on Kharkiv"). An attack aimed at a town,
/// region or country is an act of armed conflict whatever its word's other senses
/// (PLOVER assault: the target is a place, not a person's health or a workplace).
pub fn aimed_at_place(
    sentence: &str,
    set: &TriggerSet,
    trigger_hits: &[Hit],
    places: &[&[Hit]],
    aimed: &[String],
) -> bool {
    if aimed.is_empty() {
        return false;
    }
    trigger_hits.iter().any(|h| {
        let t = &set.triggers[h.payload];
        t.plover == "assault"
            && t.weight < VAGUE
            && places.iter().flat_map(|p| p.iter()).any(|p| {
                p.start >= h.end
                    && !sentence
                        .get(p.end..)
                        .is_some_and(|a| a.starts_with("'s") || a.starts_with("’s"))
                    && sentence.get(h.end..p.start).is_some_and(|gap| {
                        aimed.contains(&fold(super::scene::strip_article(gap).trim()))
                    })
            })
    })
}

impl Detector {
    /// Whether `sentence` holds a word of armed conflict (`event-cues.tsv` `conflict`
    /// rows: war, troops, weapons, ceasefire…).
    pub fn speaks_of_conflict(&self, lang: &str, sentence: &str) -> bool {
        self.langs
            .get(lang)
            .and_then(|c| c.conflict.as_ref())
            .is_some_and(|m| !m.find(sentence).is_empty())
    }
}

/// A sentence as the first pass reads it ([`Reader::read`]): what the matchers found
/// in it, its event candidates, why triggers were set aside, and whether it is a
/// caption, credit or byline.
pub struct Reading<'a> {
    pub span: Span,
    pub hits: SentenceHits,
    pub candidates: Vec<Candidate<'a>>,
    pub aside: SetAside,
    pub caption: bool,
}

/// The first pass over one article's sentences: each sentence's event candidates,
/// then the conflict gate over the whole article ([`Reader::conflict_gate`]).
pub struct Reader<'a> {
    kb: &'a Knowledge,
    detect: &'a Detector,
    facts: &'a Factuality,
    language: &'a str,
    triggers: &'a TriggerSet,
    /// `grammar(language, "aimed")`.
    aimed: &'a [String],
    /// The text is a list of headlines: headline forms count.
    headlines: bool,
}

impl<'a> Reader<'a> {
    pub fn new(
        kb: &'a Knowledge,
        (detect, facts): (&'a Detector, &'a Factuality),
        language: &'a str,
        triggers: &'a TriggerSet,
        headlines: bool,
    ) -> Self {
        Reader {
            kb,
            detect,
            facts,
            language,
            triggers,
            aimed: kb.grammar(language, "aimed"),
            headlines,
        }
    }

    /// The sentence `span` of `text`, in which the matchers found `hits`.
    pub fn read(&self, text: &str, span: Span, hits: SentenceHits) -> Reading<'a> {
        let (language, triggers, aimed) = (self.language, self.triggers, self.aimed);
        let s = &text[span.start..span.end];
        // Captions and credits never source an event; headline forms ("Russians
        // destroy…") count only where headlines are read.
        let caption = !hits.triggers.is_empty()
            && self
                .facts
                .is_credit(language, factuality::caption_scope(text, span));
        let armed = hits.actors.iter().any(|h| {
            matches!(
                self.kb.actors[h.payload].kind.as_str(),
                "state" | "military" | "armed_group"
            )
        }) || aimed_at_place(
            s,
            triggers,
            &hits.triggers,
            &[&hits.regions, &hits.places, &hits.countries],
            aimed,
        );
        let (candidates, aside) = if caption {
            (Vec::new(), Default::default())
        } else {
            self.detect
                .candidates(language, s, triggers, &hits.triggers, self.headlines, armed)
        };
        Reading {
            span,
            hits,
            candidates,
            aside,
            caption,
        }
    }

    /// Agreements, talks, aid and statements are events of an armed conflict only in
    /// an article about one: one that names an armed force or group, tells of a firm
    /// act of violence, coercion or protest, or speaks of war, troops or weapons.
    /// Elsewhere their candidates go.
    pub fn conflict_gate(&self, text: &str, seen: &mut [Reading<'a>]) {
        let verbal = |c: &Candidate| !is_material(c.plover);
        if seen.iter().any(|r| r.candidates.iter().any(verbal)) {
            let in_conflict = seen.iter().any(|r| {
                r.hits.actors.iter().any(|h| {
                    matches!(
                        self.kb.actors[h.payload].kind.as_str(),
                        "military" | "armed_group"
                    )
                }) || r
                    .candidates
                    .iter()
                    .any(|c| !verbal(c) && c.trigger.weight >= VAGUE)
                    || self
                        .detect
                        .speaks_of_conflict(self.language, &text[r.span.start..r.span.end])
            });
            if !in_conflict {
                for r in seen {
                    r.candidates.retain(|c| !verbal(c));
                }
            }
        }
    }
}

/// PLOVER's material types of conflict and coercion, the acts the service is for:
/// every other type (agreements, talks, aid, statements) is news of a conflict only in
/// an article about one.
pub fn is_material(plover: &str) -> bool {
    matches!(
        plover,
        "assault"
            | "coerce"
            | "protest"
            | "concede"
            | "cooperate"
            | "retreat"
            | "mobilize"
            | "threaten"
    )
}

impl<'a> Candidate<'a> {
    /// The candidate as a plan of its act: mode "plan", no ACLED type.
    pub fn planned(self) -> Self {
        Candidate {
            mode: Some("plan"),
            acled_type: None,
            acled_sub: None,
            certainty: 0.5,
            ..self
        }
    }

    /// The candidate as the release of captives (PLOVER concede, CAMEO 0841).
    pub fn released(self) -> Self {
        Candidate {
            plover: "concede",
            mode: Some("release"),
            acled_type: Some("Strategic developments"),
            acled_sub: Some("Other"),
            ..self
        }
    }

    /// The candidate as told with doubt ("may have lost").
    pub fn hedged(self) -> Self {
        Candidate {
            certainty: 0.7,
            ..self
        }
    }

    /// The candidate as the threat of its act: PLOVER `threaten`, no ACLED type.
    pub fn threatened(self) -> Self {
        if self.plover == "threaten" {
            return self;
        }
        Candidate {
            plover: "threaten",
            mode: Some("threat"),
            acled_type: None,
            acled_sub: None,
            ..self
        }
    }

    /// A violent trigger that names no ACLED type takes its means' type; one that names
    /// remote violence becomes a battle when ground fighting is told beside it.
    fn type_by_means(&mut self, m: &'a Means) {
        let untyped = self.acled_type.is_none();
        let battle = m.acled_type == BATTLES && self.acled_type == Some(REMOTE_VIOLENCE);
        if untyped || battle {
            self.acled_type = Some(&m.acled_type);
            self.acled_sub = Some(&m.acled_sub);
            // A trigger's own mode ("invasion") says more than its means, unless the
            // means turned it into another kind of act.
            self.mode = if battle {
                Some(&m.mode)
            } else {
                self.mode.or(Some(&m.mode))
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;

    /// The ACLED (type, sub-type) the first candidate of `sentence` carries.
    fn typed(lang: &str, sentence: &str) -> Option<(String, String)> {
        let kb = Knowledge::embedded();
        let d = Detector::new().unwrap();
        let set = kb.triggers(lang).unwrap();
        let hits = set.matcher.find(sentence);
        let (c, _) = d.candidates(lang, sentence, set, &hits, false, true);
        let c = c.first()?;
        Some((c.acled_type?.to_string(), c.acled_sub?.to_string()))
    }

    #[test]
    fn the_cue_lexicon_parses_and_covers_every_language() {
        let d = Detector::new().unwrap();
        for lang in ["en", "id", "ru", "uk"] {
            let c = &d.langs[lang];
            let ranks: Vec<u8> = c.means.iter().map(|m| m.rank).collect();
            assert_eq!(ranks, [4, 3, 2, 1], "{lang}: one row per means, ranked");
            assert!(c.other_sense.is_some(), "{lang}");
        }
    }

    #[test]
    fn means_decide_the_acled_sub_event_type() {
        let air = (
            "Explosions/Remote violence".to_string(),
            "Air/drone strike".to_string(),
        );
        let shelling = (
            "Explosions/Remote violence".to_string(),
            "Shelling/artillery/missile attack".to_string(),
        );
        let clash = ("Battles".to_string(), "Armed clash".to_string());
        // Air and drone strikes, in each language.
        for (lang, s) in [
            ("en", "Government warplanes struck a market in the north."),
            ("en", "Enemy drones attacked a fuel depot overnight."),
            ("id", "Pesawat tempur menyerang desa itu."),
            ("ru", "Беспилотники атаковали нефтебазу."),
            ("uk", "Ворожі безпілотники атакували нафтобазу."),
        ] {
            assert_eq!(typed(lang, s).as_ref(), Some(&air), "{s}");
        }
        // Rockets and artillery.
        for (lang, s) in [
            ("en", "The army struck the town with rockets."),
            ("id", "Pasukan itu menyerang kota dengan artileri."),
            ("ru", "Войска атаковали город ракетами."),
        ] {
            assert_eq!(typed(lang, s).as_ref(), Some(&shelling), "{s}");
        }
        // Ground fighting wins over remote violence told beside it.
        for (lang, s) in [
            ("en", "Rebels attacked an army post but were repelled."),
            ("en", "Troops shelled and then stormed the village."),
            (
                "uk",
                "Окупанти атакували позиції, але були відбиті; тривали бої.",
            ),
        ] {
            assert_eq!(typed(lang, s).as_ref(), Some(&clash), "{s}");
        }
    }

    #[test]
    fn attacks_of_illness_are_no_candidates() {
        let kb = Knowledge::embedded();
        let d = Detector::new().unwrap();
        for (lang, s) in [
            ("en", "He died of a heart attack in 2012."),
            ("id", "Ia meninggal karena serangan jantung."),
            ("id", "Serangan stroke yang dideritanya 11 tahun lalu."),
        ] {
            let set = kb.triggers(lang).unwrap();
            let hits = set.matcher.find(s);
            let (c, aside) = d.candidates(lang, s, set, &hits, false, true);
            assert!(c.is_empty(), "{s}: {c:?}");
            assert!(aside.other_sense || hits.is_empty(), "{s}");
        }
    }

    #[test]
    fn entering_a_town_takes_each_preposition_the_language_uses() {
        // Ukrainian enters "до" a town as often as "в"/"у"; Russian "во" before some
        // consonant clusters.
        let kb = Knowledge::embedded();
        let d = Detector::new().unwrap();
        for (lang, s) in [
            ("uk", "Українські військові увійшли до Херсона."),
            ("uk", "Українські військові увійшли у Херсон."),
            ("ru", "Войска вошли во Владимир-Волынский."),
        ] {
            let set = kb.triggers(lang).unwrap();
            let hits = set.matcher.find(s);
            let (c, _) = d.candidates(lang, s, set, &hits, false, true);
            assert!(
                c.iter()
                    .any(|c| c.plover == "assault" && c.mode == Some("occupy")),
                "{s}: {c:?}"
            );
        }
    }

    #[test]
    fn a_capture_on_video_is_a_recording_not_a_seizure() {
        let kb = Knowledge::embedded();
        let d = Detector::new().unwrap();
        let set = kb.triggers("en").unwrap();
        let run = |s: &str| {
            let hits = set.matcher.find(s);
            d.candidates("en", s, set, &hits, false, true).0.len()
        };
        assert_eq!(run("The march was captured on video by a bystander."), 0);
        assert_eq!(run("The speech captured the attention of the troops."), 0);
        assert_eq!(run("Russian troops captured the village of Pisky."), 1);
    }

    #[test]
    fn onsets_of_protest_and_fighting_occupation_and_chemical_attacks_are_events() {
        let kb = Knowledge::embedded();
        let d = Detector::new().unwrap();
        for (lang, s, plover, sub) in [
            (
                "en",
                "Protests have erupted in several cities.",
                "protest",
                "Peaceful protest",
            ),
            (
                "en",
                "Riots broke out in the port on Friday.",
                "protest",
                "Violent demonstration",
            ),
            (
                "en",
                "Fighting broke out near the border on Monday.",
                "assault",
                "Armed clash",
            ),
            (
                "id",
                "Unjuk rasa pecah di ibu kota pada Senin.",
                "protest",
                "Peaceful protest",
            ),
            (
                "id",
                "Bentrokan pecah di perbatasan.",
                "assault",
                "Armed clash",
            ),
            (
                "ru",
                "В столице вспыхнули протесты.",
                "protest",
                "Peaceful protest",
            ),
            ("ru", "На границе вспыхнули бои.", "assault", "Armed clash"),
            (
                "uk",
                "У столиці спалахнули протести.",
                "protest",
                "Peaceful protest",
            ),
            ("uk", "На кордоні спалахнули бої.", "assault", "Armed clash"),
            (
                "en",
                "The town was occupied by enemy troops in May.",
                "assault",
                "Non-state actor overtakes territory",
            ),
            (
                "en",
                "Enemy troops have occupied the district centre.",
                "assault",
                "Non-state actor overtakes territory",
            ),
            (
                "en",
                "Government forces carried out a chemical attack on the suburb.",
                "assault",
                "Chemical weapon",
            ),
            (
                "id",
                "Serangan kimia menewaskan puluhan warga.",
                "assault",
                "Chemical weapon",
            ),
            (
                "ru",
                "Химическая атака произошла в пригороде.",
                "assault",
                "Chemical weapon",
            ),
            (
                "uk",
                "Хімічна атака сталася в передмісті.",
                "assault",
                "Chemical weapon",
            ),
        ] {
            let set = kb.triggers(lang).unwrap();
            let hits = set.matcher.find(s);
            let (c, _) = d.candidates(lang, s, set, &hits, false, true);
            assert!(
                c.iter()
                    .any(|c| c.plover == plover && c.acled_sub == Some(sub)),
                "{s}: {c:?}"
            );
        }
        // Munitions raining on a place are an attack beside a means, not in the weather.
        let set = kb.triggers("en").unwrap();
        let run = |s: &str| {
            let hits = set.matcher.find(s);
            d.candidates("en", s, set, &hits, false, false).0.len()
        };
        assert!(run("Bombs and missiles rained on the city on Monday.") >= 1);
        assert_eq!(run("It rained on the city on Monday."), 0);
    }

    #[test]
    fn a_diplomatic_protest_is_no_demonstration() {
        let kb = Knowledge::embedded();
        let d = Detector::new().unwrap();
        let run = |lang: &str, s: &str| {
            let set = kb.triggers(lang).unwrap();
            let hits = set.matcher.find(s);
            d.candidates(lang, s, set, &hits, false, true)
                .0
                .iter()
                .filter(|c| c.plover == "protest")
                .count()
        };
        for (lang, s) in [
            (
                "en",
                "The ministry summoned the envoy in strong protest on Monday.",
            ),
            ("id", "Kementerian mengirim nota protes kepada duta besar."),
            ("ru", "МИД направил ноту протеста послу."),
            ("uk", "МЗС направило ноту протесту послу."),
        ] {
            assert_eq!(run(lang, s), 0, "{s}");
        }
        assert_eq!(
            run("en", "Thousands held a protest in the capital on Monday."),
            1
        );
    }

    #[test]
    fn vague_triggers_need_a_context_of_armed_conflict() {
        let kb = Knowledge::embedded();
        let d = Detector::new().unwrap();
        let run = |lang: &str, s: &str, armed: bool| {
            let set = kb.triggers(lang).unwrap();
            let hits = set.matcher.find(s);
            d.candidates(lang, s, set, &hits, false, armed).0.len()
        };
        // No actor, means or word of war: read in the other sense.
        for (lang, s) in [
            ("en", "Axios launched in 2017 with a mission to inform."),
            ("en", "In 2022, the disease caused 51 infant deaths."),
            ("id", "Tiga orang meninggal karena penyakit itu pada 2021."),
        ] {
            assert_eq!(run(lang, s, false), 0, "{s}");
        }
        // Beside an armed actor, a means or a word of war: an act of violence.
        assert_eq!(run("en", "Three people died on Monday.", true), 1);
        for (lang, s) in [
            ("en", "Four civilians killed in Donetsk region on Monday."),
            ("en", "Two soldiers died at the front on Monday."),
            ("id", "Dua tentara tewas pada Senin."),
            ("ru", "В понедельник погибли двое военнослужащих."),
        ] {
            assert!(run(lang, s, false) >= 1, "{s}");
        }
        // A word of illness beside it wins even with an armed actor.
        assert_eq!(run("en", "Two soldiers died of covid on Monday.", true), 0);
    }

    /// The (PLOVER type, mode) of each candidate of `sentence`.
    fn kinds(lang: &str, sentence: &str) -> Vec<(String, Option<String>)> {
        let kb = Knowledge::embedded();
        let d = Detector::new().unwrap();
        let set = kb.triggers(lang).unwrap();
        let hits = set.matcher.find(sentence);
        let (c, _) = d.candidates(lang, sentence, set, &hits, false, true);
        c.iter()
            .map(|c| (c.plover.to_string(), c.mode.map(str::to_string)))
            .collect()
    }

    fn has(lang: &str, sentence: &str, plover: &str, mode: &str) -> bool {
        kinds(lang, sentence)
            .iter()
            .any(|(p, m)| p == plover && m.as_deref() == Some(mode))
    }

    #[test]
    fn closing_a_media_outlet_is_censorship_and_needs_the_outlet() {
        // PLOVER COERCE (CAMEO 1721, restrictions on freedom of expression).
        for (lang, s) in [
            (
                "en",
                "The president ordered to close three television channels in May.",
            ),
            ("en", "Police ordered the closure of the radio station."),
            ("en", "Two opposition newspapers were shut down on Friday."),
            ("en", "The regulator blocked the news website overnight."),
            ("id", "Pemerintah menutup dua stasiun televisi oposisi."),
            ("id", "Situs berita itu diblokir pada Senin."),
            ("ru", "Власти закрыли два оппозиционных телеканала."),
            ("ru", "Сайт газеты был заблокирован в пятницу."),
            ("uk", "Влада закрила три телеканали у лютому."),
            ("uk", "Сайт видання заблокували в п'ятницю."),
        ] {
            assert!(
                has(lang, s, "coerce", "censor"),
                "{s}: {:?}",
                kinds(lang, s)
            );
        }
        // The same verbs without a media outlet, or in a cyber attack, are no censorship.
        for (lang, s) in [
            ("en", "The border crossing was closed on Friday."),
            (
                "en",
                "Hackers in a cyber attack shut down the websites of two banks.",
            ),
            ("id", "Pemerintah menutup perbatasan pada Senin."),
            ("ru", "Власти закрыли границу в пятницу."),
            ("uk", "Влада закрила кордон у лютому."),
        ] {
            assert!(
                !has(lang, s, "coerce", "censor"),
                "{s}: {:?}",
                kinds(lang, s)
            );
        }
    }

    #[test]
    fn destroying_infrastructure_is_an_assault_and_needs_the_structure() {
        // PLOVER ASSAULT, destroy (CAMEO 1712, destroy property).
        for (lang, s) in [
            (
                "en",
                "The destruction of the dam flooded dozens of villages.",
            ),
            ("en", "Saboteurs damaged a railway bridge near the border."),
            ("en", "The bridge was blown up on Monday."),
            ("id", "Jembatan di perbatasan diledakkan pada Senin."),
            ("id", "Penghancuran bendungan itu membanjiri desa-desa."),
            ("ru", "Разрушение плотины вызвало наводнение."),
            ("ru", "Мост был взорван в понедельник."),
            ("uk", "Руйнування дамби спричинило повінь."),
            ("uk", "Міст був зруйнований у понеділок."),
        ] {
            assert!(
                has(lang, s, "assault", "destroy"),
                "{s}: {:?}",
                kinds(lang, s)
            );
        }
        for (lang, s) in [
            ("en", "The destruction of the forest worried scientists."),
            ("id", "Penghancuran dokumen itu diselidiki."),
            ("ru", "Разрушение экосистемы продолжается."),
            ("uk", "Руйнування екосистеми триває."),
        ] {
            assert!(
                !has(lang, s, "assault", "destroy"),
                "{s}: {:?}",
                kinds(lang, s)
            );
        }
    }

    #[test]
    fn a_designation_as_undesirable_extremist_or_foreign_agent_is_a_ban() {
        // PLOVER COERCE, ban (CAMEO 1722, ban parties or politicians).
        for (lang, s) in [
            (
                "en",
                "In 2021 Russia designated the college an undesirable organisation.",
            ),
            (
                "en",
                "The journalist was declared a foreign agent on Friday.",
            ),
            (
                "id",
                "Kelompok itu ditetapkan sebagai organisasi ekstremis.",
            ),
            ("ru", "Организация признана нежелательной в 2021 году."),
            ("ru", "Журналиста внесли в реестр иноагентов."),
            ("uk", "Організацію визнали небажаною у 2021 році."),
        ] {
            assert!(has(lang, s, "coerce", "ban"), "{s}: {:?}", kinds(lang, s));
        }
        for (lang, s) in [
            ("en", "The minister declared the talks a success."),
            ("ru", "Министр признал ошибку."),
            ("uk", "Міністр визнав помилку."),
        ] {
            assert!(!has(lang, s, "coerce", "ban"), "{s}: {:?}", kinds(lang, s));
        }
    }

    #[test]
    fn abduction_and_hostage_taking_are_assaults() {
        // PLOVER ASSAULT, abduct (CAMEO 181); ACLED Violence against civilians.
        for (lang, s) in [
            ("en", "Gunmen kidnapped two journalists on Monday."),
            ("en", "Militants took hostage a group of workers."),
            ("id", "Kelompok bersenjata menculik dua wartawan."),
            ("ru", "Боевики похитили двух журналистов."),
            ("uk", "Бойовики викрали двох журналістів."),
        ] {
            assert!(
                has(lang, s, "assault", "abduction"),
                "{s}: {:?}",
                kinds(lang, s)
            );
            assert!(!kinds(lang, s).iter().any(|(p, _)| p == "coerce"), "{s}");
        }
    }

    #[test]
    fn an_advance_or_a_capture_named_by_its_noun_is_a_ground_assault() {
        for (lang, s, mode) in [
            (
                "en",
                "Slow Russian advances around Bakhmut continued.",
                "ground",
            ),
            (
                "en",
                "Ukrainian troops gained ground near Robotyne.",
                "ground",
            ),
            (
                "id",
                "Kemajuan pasukan Rusia di sekitar Bakhmut berlanjut.",
                "ground",
            ),
            (
                "id",
                "Tentara Rusia melanjutkan gerak maju di dekat Bakhmut.",
                "ground",
            ),
            (
                "ru",
                "Продвижение российских войск у Бахмута продолжилось.",
                "ground",
            ),
            ("ru", "Захват Авдеевки армией завершился.", "seize"),
            (
                "uk",
                "Просування російських військ біля Бахмута тривало.",
                "ground",
            ),
        ] {
            assert!(has(lang, s, "assault", mode), "{s}: {:?}", kinds(lang, s));
        }
        // Not: advances of another field, ground gained in polls, the promotion of
        // goods, a seizure of power, and hostages seized (an abduction).
        let kb = Knowledge::embedded();
        let d = Detector::new().unwrap();
        let run = |lang: &str, s: &str| {
            let set = kb.triggers(lang).unwrap();
            let hits = set.matcher.find(s);
            d.candidates(lang, s, set, &hits, false, false)
                .0
                .iter()
                .filter(|c| c.plover == "assault")
                .count()
        };
        for (lang, s) in [
            ("en", "Advances in medicine continued."),
            ("en", "The party gained ground in the polls."),
            ("ru", "Продвижение товаров на рынке выросло."),
            ("ru", "Он осудил захват власти хунтой."),
            ("uk", "Просування товарів на ринку зросло."),
            ("id", "Gerak maju ekonomi berlanjut."),
        ] {
            assert_eq!(run(lang, s), 0, "{s}");
        }
        assert!(has(
            "ru",
            "Боевики устроили захват заложников в школе.",
            "assault",
            "abduction"
        ));
    }

    #[test]
    fn a_shootdown_in_the_passive_is_an_interception() {
        for (lang, s) in [
            ("en", "A Russian jet was shot down over Odesa."),
            ("id", "Jet tempur Rusia tertembak jatuh di atas Odesa."),
            ("id", "Jet tempur Rusia ditembak jatuh di atas Odesa."),
            ("ru", "Российский самолёт сбит над Одессой."),
            ("uk", "Російський літак збитий над Одесою."),
            ("uk", "Над Києвом збиті дві ракети."),
        ] {
            assert!(
                has(lang, s, "assault", "intercept"),
                "{s}: {:?}",
                kinds(lang, s)
            );
        }
        // A loss ("збиток") is no shootdown.
        let s = "Підприємство зазнало збитків.";
        assert!(!has("uk", s, "assault", "intercept"), "{s}");
    }

    #[test]
    fn a_military_campaign_is_a_vague_assault() {
        for (lang, s) in [
            ("en", "Russia escalated its military campaign in the east."),
            ("id", "Rusia meningkatkan kampanye militer di timur."),
            ("ru", "Россия усилила военную кампанию на востоке."),
            ("uk", "Росія посилила військову кампанію на сході."),
        ] {
            assert!(
                kinds(lang, s).iter().any(|(p, _)| p == "assault"),
                "{s}: {:?}",
                kinds(lang, s)
            );
        }
    }

    #[test]
    fn the_use_of_a_munition_is_an_attack_but_not_a_purpose() {
        for (lang, s) in [
            ("en", "Russia used cluster munitions in the town on Monday."),
            ("id", "Rudal ATACMS telah digunakan di kota itu."),
            ("ru", "Армия применила кассетные боеприпасы в городе."),
            ("uk", "Армія застосувала касетні боєприпаси в місті."),
        ] {
            assert!(
                kinds(lang, s).iter().any(|(p, _)| p == "assault"),
                "{s}: {:?}",
                kinds(lang, s)
            );
        }
        for (lang, s) in [
            ("en", "Chips bought abroad are used to produce missiles."),
            ("en", "The factory used cheap steel for its bridges."),
            ("id", "Dana itu digunakan untuk membeli rudal."),
            ("ru", "Детали использованы для производства ракет."),
        ] {
            assert!(kinds(lang, s).is_empty(), "{s}: {:?}", kinds(lang, s));
        }
        // Beside another attack, the use is its means: one candidate.
        let s = "Troops shelled the town using artillery and rockets.";
        assert_eq!(kinds("en", s).len(), 1, "{s}: {:?}", kinds("en", s));
    }

    #[test]
    fn a_killing_by_an_armed_force_is_a_firm_attack() {
        let kb = Knowledge::embedded();
        let d = Detector::new().unwrap();
        let firm = |lang: &str, s: &str| {
            let set = kb.triggers(lang).unwrap();
            let hits = set.matcher.find(s);
            d.candidates(lang, s, set, &hits, false, false)
                .0
                .iter()
                .any(|c| c.plover == "assault" && c.trigger.weight >= 0.8)
        };
        for (lang, s) in [
            (
                "en",
                "Four reporters had been killed by the Russian military.",
            ),
            ("id", "Dua warga dibunuh oleh pasukan pendudukan."),
            ("ru", "Двое жителей были убиты российскими военными."),
            ("uk", "Двоє жителів були вбиті російськими військовими."),
        ] {
            assert!(firm(lang, s), "{s}");
        }
        for (lang, s) in [
            ("en", "Two hikers were killed by an avalanche."),
            ("ru", "Двое туристов были убиты лавиной."),
        ] {
            assert!(!firm(lang, s), "{s}");
        }
    }

    /// Whether `s` gives an `assault` candidate, in a sentence with no armed actor.
    fn is_attack(kb: &Knowledge, d: &Detector, lang: &str, s: &str) -> bool {
        let set = kb.triggers(lang).unwrap();
        let hits = set.matcher.find(s);
        d.candidates(lang, s, set, &hits, false, false)
            .0
            .iter()
            .any(|c| c.plover == "assault")
    }

    #[test]
    fn a_raid_is_an_attack_only_beside_an_armed_doer_or_victim() {
        let (kb, d) = (Knowledge::embedded(), Detector::new().unwrap());
        let attack = |lang: &str, s: &str| is_attack(&kb, &d, lang, s);
        for (lang, s) in [
            ("en", "Israeli troops raided the camp at dawn."),
            ("en", "A raid on the village by militants left four dead."),
            ("ru", "Военные провели рейд в приграничное село."),
            ("ru", "Ночной налёт беспилотников на город."),
            ("uk", "Військові здійснили рейд у прикордонне село."),
            ("uk", "Нічний наліт ракет на місто."),
        ] {
            assert!(attack(lang, s), "{s}");
        }
        for (lang, s) in [
            ("en", "Police raided the offices of the company."),
            ("en", "Tax inspectors raided the bakery."),
            ("ru", "На стекле появился белый налёт."),
            ("uk", "На склі з'явився білий наліт."),
        ] {
            assert!(!attack(lang, s), "{s}");
        }
    }

    #[test]
    fn freeing_captives_is_a_release_and_freeing_a_place_a_retake() {
        let kb = Knowledge::embedded();
        let d = Detector::new().unwrap();
        let kinds = |lang: &str, s: &str| -> Vec<(String, Option<String>)> {
            let set = kb.triggers(lang).unwrap();
            let hits = set.matcher.find(s);
            d.candidates(lang, s, set, &hits, false, true)
                .0
                .iter()
                .map(|c| (c.plover.to_string(), c.mode.map(str::to_string)))
                .collect()
        };
        let release = ("concede".to_string(), Some("release".to_string()));
        let retake = ("assault".to_string(), Some("retake".to_string()));
        for (lang, s) in [
            ("en", "Hamas released 13 Israeli hostages at the crossing."),
            ("en", "The rebels freed two captives."),
            ("id", "Hamas membebaskan 13 sandera di perbatasan."),
            ("id", "Sebanyak 13 sandera dibebaskan di perbatasan."),
            ("ru", "ХАМАС освободил 13 заложников."),
            ("uk", "ХАМАС звільнив 13 заручників."),
        ] {
            assert_eq!(kinds(lang, s), std::slice::from_ref(&release), "{s}");
        }
        for (lang, s) in [
            ("en", "Ukrainian troops liberated the village."),
            ("id", "Pasukan itu membebaskan desa di perbatasan."),
            ("ru", "Войска освободили село."),
            ("uk", "Війська звільнили село, взявши в полон 20 солдатів."),
        ] {
            assert_eq!(kinds(lang, s), std::slice::from_ref(&retake), "{s}");
        }
        // A release of a statement or a film is none.
        assert!(kinds("en", "The ministry released a statement.").is_empty());
    }

    #[test]
    fn incursions_and_arson_are_attacks_only_beside_an_armed_doer() {
        let (kb, d) = (Knowledge::embedded(), Detector::new().unwrap());
        let attack = |lang: &str, s: &str| is_attack(&kb, &d, lang, s);
        for (lang, s) in [
            ("en", "Tanks pushed into the eastern districts."),
            ("en", "Troops rolled into the town at dawn."),
            ("en", "Militias torched homes in the village."),
            ("en", "Soldiers set fire to the market."),
            ("id", "Pasukan merangsek masuk ke kota itu."),
            ("id", "KKB membakar gedung sekolah."),
            ("ru", "Боевики подожгли дома в селе."),
            ("uk", "Бойовики підпалили будинки в селі."),
        ] {
            assert!(attack(lang, s), "{s}");
        }
        for (lang, s) in [
            ("en", "The company moved into a new office."),
            ("en", "Farmers set fire to the stubble."),
            ("en", "Prices pushed into record territory."),
            ("id", "Warga membakar sampah di halaman."),
            ("ru", "Дети подожгли сухую траву."),
        ] {
            assert!(!attack(lang, s), "{s}");
        }
    }
}
