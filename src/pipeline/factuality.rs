//! Factuality: whether a candidate's act is told as having happened. A negated act
//! ("did not strike", "tidak menyerang", "не обстреливали"), a future, conditional or
//! possible one ("would impose", "akan menyerang", "будет нанесён", "ударили бы"), a
//! call for it or an opinion of it is no event of the act; a threat of it is PLOVER's
//! `threaten`, and a plan or preparation of it an event of its type with `event_mode`
//! "plan" (no ACLED type: ACLED codes what happened). A photo caption, a picture credit or a byline never sources an
//! event. The cues (`data/lexicon/factuality.tsv`) count only inside the trigger's own
//! clause, a few words before it, and never inside a time expression ("in May").
//! [`Factuality::acts`] keeps a sentence's candidates that are acts.

use std::collections::HashMap;

use super::detect::Candidate;
use super::timex::TimeExpr;
use crate::knowledge::{KnowledgeError, list, rows};
use crate::text::fold;

const FACTUALITY: &str = include_str!("../../data/lexicon/factuality.tsv");
const FUTURES: &str = include_str!("../../data/lexicon/perfective-futures.tsv");

/// What kind of statement a cue makes of the act after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    Negation,
    Irrealis,
    Plan,
    Threat,
    Call,
    Opinion,
    /// Told as uncertain but past: "may have lost", "возможно, потеряли".
    Hedge,
    /// Inside a concessive phrase without a time of its own ("Despite Russia's harsh
    /// crackdown, protests erupted"): background, given, not reported.
    Concessive,
    /// Tried or failed: an attack still happened, an agreement did not.
    Attempt,
    /// A subordinator of condition ("if", "jika", "если", "якщо"): it opens a clause
    /// and every verb of it, coordinated ones too, is only supposed.
    Condition,
    /// A participle used as an adjective ("the annexed regions", "the captured
    /// colonel"): it names a state its noun is in, not an act the sentence tells.
    State,
}

impl Cue {
    /// How many words before the trigger the cue may stand: a negator or an auxiliary
    /// stands next to its verb, a verb of intent or speech governs a longer phrase.
    fn reach(self) -> usize {
        match self {
            Cue::Negation => 3,
            // The whole clause it opens: "if Belarus is attacked or Russia is attacked".
            Cue::Condition => usize::MAX,
            // A modal governs its whole verb phrase ("would lead to a significant
            // number of casualties"), up to a complementizer that opens another clause.
            Cue::Irrealis => 8,
            Cue::State => 0,
            Cue::Concessive => CONCESSIVE_REACH,
            Cue::Plan | Cue::Threat | Cue::Call | Cue::Opinion | Cue::Hedge | Cue::Attempt => 6,
        }
    }
}

/// What factuality makes of a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Told as having happened.
    Asserted,
    /// A threat of the act: the event is PLOVER `threaten`.
    Threatened,
    /// A plan or preparation of the act: an event of its type that carries
    /// `event_mode` "plan".
    Planned,
    /// Told as possibly having happened ("may have lost"): an event, less sure.
    Hedged,
    /// Negated, future, conditional, called for or only believed.
    NotAsserted(Cue),
}

#[derive(Default)]
struct LanguageCues {
    /// Each cue as folded words.
    cues: Vec<(Cue, Vec<String>)>,
    not_negation: Vec<Vec<String>>,
    /// Prepositions of concession ("despite", "несмотря на"): the noun phrase they
    /// take is told as given, background the sentence does not report.
    concessive: Vec<Vec<String>>,
    /// Prohibitives that open a sentence ("Jangan …", "Don't …"): nothing it tells
    /// is asserted, whatever its clauses.
    prohibitive: Vec<Vec<String>>,
    /// Folded substrings that make a sentence a caption, credit or byline.
    credit: Vec<String>,
    /// `credit` as one automaton: a sentence is scanned once, not once a pattern.
    credit_matcher: Option<aho_corasick::AhoCorasick>,
    /// Folded forms a trigger matches that are only ever a perfective verb's non-past,
    /// a future ("обстреляет", "обстріляють": `perfective-futures.tsv`).
    futures: std::collections::HashSet<String>,
    /// Per last word of a cue phrase, the indices in `cues` of the phrases it ends:
    /// a clause's words are looked up, not every phrase tried at every word.
    by_last: HashMap<String, Vec<usize>>,
}

/// The factuality lexicon, by language.
pub struct Factuality {
    langs: HashMap<String, LanguageCues>,
}

/// Words that end a clause: a cue before one of them governs another clause.
const CLAUSE_WORDS: &[&str] = &[
    "and",
    "but",
    "while",
    "whereas",
    "however",
    "after",
    "before",
    "when",
    "dan",
    "tetapi",
    "namun",
    "sedangkan",
    "sementara",
    "setelah",
    "sebelum",
    "ketika",
    "и",
    "но",
    "а",
    "однако",
    "после",
    "когда",
    "і",
    "й",
    "та",
    "але",
    "проте",
    "після",
    "коли",
];

/// Coordinators of alternatives: a verb after one shares the negation or modal of the
/// verb before it, in the same clause.
const DISJUNCTIONS: &[&str] = &[
    "or", "nor", "atau", "ataupun", "maupun", "или", "либо", "ни", "або", "чи", "ані",
];

/// How many words before a trigger such a coordinator may stand ("or attack", "or
/// to attack", "or even launch strikes on").
const DISJUNCTION_REACH: usize = 3;

/// Complementizers and relative words: they open a clause of its own, which a modal
/// before them does not govern ("would say that troops attacked").
pub(crate) const COMPLEMENTIZERS: &[&str] = &[
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "where",
    "because",
    "since",
    "as",
    "yang",
    "bahwa",
    "karena",
    "что",
    "который",
    "которая",
    "которое",
    "которые",
    "потому",
    "що",
    "який",
    "яка",
    "яке",
    "які",
    "тому",
];

/// English verbs after which "to" and a verb tell an act that took place: implicatives
/// and aspectuals ("managed to break through", "continued to shell", "were forced to
/// retreat"). After any other word, "to" and a bare verb or noun is an infinitive of
/// purpose or a complement ("pushed a petition to protest", "vulnerable to attack").
const IMPLICATIVE: &[&str] = &[
    "managed",
    "manage",
    "manages",
    "able",
    "continued",
    "continue",
    "continues",
    "continuing",
    "began",
    "begin",
    "begins",
    "begun",
    "started",
    "start",
    "starts",
    "kept",
    "forced",
    "compelled",
    "resumed",
    "proceeded",
    "used",
];

/// English words before a participle that make it an attribute of the noun after it:
/// determiners, numerals and possessives ("the annexed regions", "four occupied
/// towns", "their liberated villages").
const DETERMINERS: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "these",
    "those",
    "its",
    "their",
    "his",
    "her",
    "our",
    "your",
    "my",
    "whose",
    "some",
    "many",
    "several",
    "all",
    "both",
    "each",
    "every",
    "other",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "dozens",
    "hundreds",
    "thousands",
];

/// English prepositions: a participle right after one and before its noun can only
/// be an attribute of that noun, since a preposition takes a noun phrase ("to be
/// exchanged for captured Ukrainians", "residents of occupied towns").
const PREPOSITIONS: &[&str] = &[
    "for",
    "of",
    "with",
    "among",
    "including",
    "against",
    "about",
    "from",
    "in",
    "into",
    "on",
];

/// English words after a participle that show it is a verb, not an attribute of the
/// next word: prepositions, auxiliaries, conjunctions ("Three killed in shelling").
const NOT_A_NOUN: &[&str] = &[
    "in",
    "on",
    "at",
    "by",
    "near",
    "from",
    "to",
    "during",
    "after",
    "before",
    "as",
    "when",
    "while",
    "since",
    "for",
    "with",
    "over",
    "under",
    "of",
    "into",
    "across",
    "was",
    "were",
    "is",
    "are",
    "has",
    "have",
    "had",
    "be",
    "been",
    "said",
    "and",
    "or",
    "but",
    "so",
    "than",
    "that",
    "which",
    "who",
    "there",
    "here",
    "last",
    "this",
    "overnight",
    "early",
    "late",
    "today",
    "yesterday",
];

/// Words after a verb that make it conditional (Russian, Ukrainian).
const AFTER_VERB: &[&str] = &["бы", "б", "би"];

/// Modal and future auxiliaries that, a few words after an event noun, make it a
/// prospect: "an invasion of Ukraine would be", "serangan itu akan", "наступление будет".
const AFTER_NOUN: &[&str] = &[
    "would",
    "could",
    "might",
    "will",
    "may",
    "akan",
    "bakal",
    "будет",
    "будут",
    "буде",
    "будуть",
];

/// How many words after a trigger such a modal may stand.
const NOUN_MODAL_REACH: usize = 4;

/// The words of `s` (letters, digits, apostrophes, hyphens), with byte ranges.
pub(super) fn words(s: &str) -> Vec<(usize, usize)> {
    word_spans(s).collect()
}

/// [`words`] one at a time, for a reader that needs only the first few.
fn word_spans(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = s.char_indices();
    let mut start = None;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        for (i, c) in chars.by_ref() {
            let word = c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
            match (word, start) {
                (true, None) => start = Some(i),
                (false, Some(b)) => {
                    start = None;
                    return Some((b, i));
                }
                _ => {}
            }
        }
        done = true;
        start.take().map(|b| (b, s.len()))
    })
}

impl Factuality {
    pub fn new() -> Result<Self, KnowledgeError> {
        let mut langs: HashMap<String, LanguageCues> = HashMap::new();
        for (n, f) in rows("factuality.tsv", FACTUALITY, &["lang", "kind", "forms"])? {
            let l = langs.entry(f[0].to_string()).or_default();
            let cue = match f[1] {
                "negation" => Cue::Negation,
                "irrealis" => Cue::Irrealis,
                "plan" => Cue::Plan,
                "threat" => Cue::Threat,
                "call" => Cue::Call,
                "opinion" => Cue::Opinion,
                "hedge" => Cue::Hedge,
                "attempt" => Cue::Attempt,
                "condition" => Cue::Condition,
                "not_negation" => {
                    l.not_negation
                        .extend(list(f[2]).iter().map(|p| split_words(&fold(p))));
                    continue;
                }
                "concessive" => {
                    l.concessive
                        .extend(list(f[2]).iter().map(|p| split_words(&fold(p))));
                    continue;
                }
                "prohibitive" => {
                    l.prohibitive
                        .extend(list(f[2]).iter().map(|p| split_words(&fold(p))));
                    continue;
                }
                "credit" => {
                    l.credit.extend(list(f[2]).iter().map(|p| fold(p)));
                    continue;
                }
                other => {
                    return Err(KnowledgeError::Format {
                        file: "factuality.tsv".into(),
                        line: n + 1,
                        msg: format!("unknown kind {other:?}"),
                    });
                }
            };
            l.cues
                .extend(list(f[2]).iter().map(|p| (cue, split_words(&fold(p)))));
        }
        for (_, f) in rows(
            "perfective-futures.tsv",
            FUTURES,
            &["lang", "pattern", "forms"],
        )? {
            langs
                .entry(f[0].to_string())
                .or_default()
                .futures
                .extend(list(f[2]).iter().map(|w| fold(w)));
        }
        for l in langs.values_mut() {
            for (k, (_, phrase)) in l.cues.iter().enumerate() {
                if let Some(last) = phrase.last() {
                    l.by_last.entry(last.clone()).or_default().push(k);
                }
            }
            l.credit_matcher = (!l.credit.is_empty())
                .then(|| aho_corasick::AhoCorasick::new(&l.credit).ok())
                .flatten();
        }
        Ok(Factuality { langs })
    }

    /// Whether `sentence` is a photo caption, a picture credit or a byline.
    pub fn is_credit(&self, lang: &str, sentence: &str) -> bool {
        let Some(l) = self.langs.get(lang) else {
            return false;
        };
        let Some(m) = &l.credit_matcher else {
            return false;
        };
        let f = fold(sentence);
        // Every occurrence of every pattern (overlapping), as a pattern-by-pattern scan
        // would see them: one that starts a word is a credit.
        m.find_overlapping_iter(&f).any(|hit| {
            f[..hit.start()]
                .chars()
                .next_back()
                .is_none_or(|p| !p.is_alphanumeric())
        })
    }

    /// How `sentence` tells the act of the trigger at bytes `trigger`; `times` are
    /// the byte ranges of its time expressions, whose words are no cues. `violent`:
    /// the act is an attack, which an attempt ("tried to storm") already is.
    pub fn judge(
        &self,
        lang: &str,
        sentence: &str,
        trigger: (usize, usize),
        times: &[(usize, usize)],
        violent: bool,
    ) -> Verdict {
        let Some(l) = self.langs.get(lang) else {
            return Verdict::Asserted;
        };
        // The perfective present of Russian and Ukrainian is a future ("обстреляет"
        // will shell): a trigger told in it is a prospect, whatever precedes it.
        let future = !l.futures.is_empty()
            && sentence.get(trigger.0..trigger.1).is_some_and(|said| {
                words(said)
                    .iter()
                    .any(|&(a, b)| l.futures.contains(&fold(&said[a..b])))
            });
        let before = &sentence[..trigger.0.min(sentence.len())];
        if lang == "en" && attributive(sentence, trigger) {
            return Verdict::NotAsserted(Cue::State);
        }
        if !l.prohibitive.is_empty() {
            let opening: Vec<String> = word_spans(before)
                .take(3)
                .map(|(a, b)| fold(&before[a..b]).replace('’', "'"))
                .collect();
            if l.prohibitive.iter().any(|p| opening.starts_with(p)) {
                return Verdict::NotAsserted(Cue::Negation);
            }
        }
        // The clause of the trigger: after the last clause punctuation. A hyphen
        // between spaces is a dash typed on a keyboard ("a crossing - they
        // destroyed"), unless it closes a pair around an aside ("can introduce -
        // under certain conditions - sanctions").
        let dashes = before.matches(" - ").count();
        let dash = before
            .rfind(" - ")
            .filter(|_| dashes % 2 == 1)
            .map_or(0, |i| i + 3);
        let from = before
            .rfind([',', ';', ':', '(', ')', '—', '–', '"', '«', '»', '“', '”'])
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            })
            .max(dash);
        let mut toks: Vec<String> = Vec::new();
        for (a, b) in words(&before[from..]) {
            let (a, b) = (a + from, b + from);
            if times.iter().any(|t| t.0 < b && a < t.1) {
                // A time expression is no cue, and no word of the clause either.
                toks.push(String::new());
                continue;
            }
            toks.push(fold(&sentence[a..b]).replace('’', "'"));
        }
        if let Some(k) = toks
            .iter()
            .rposition(|t| CLAUSE_WORDS.contains(&t.as_str()))
        {
            toks.drain(..=k);
        }
        // A verb coordinated by "or"/"nor" with the one a negation or modal governs
        // shares it ("we will not send troops or attack Russian forces", "не будут
        // наступать или обстреливать"): one auxiliary or negator scopes over the
        // coordinated verb phrases (a disjunction right before the trigger puts the
        // whole clause's negation or modal within reach).
        if concessive(&l.concessive, &toks, sentence, trigger, times) {
            return Verdict::NotAsserted(Cue::Concessive);
        }
        let disjoined = toks
            .iter()
            .rev()
            .take(DISJUNCTION_REACH)
            .any(|t| DISJUNCTIONS.contains(&t.as_str()));
        // (cue, first word, end word) of every cue found.
        let hits = cue_hits(l, &toks, disjoined);
        // A cue inside a longer one is part of it: "may" of "may have".
        let mut found: Vec<Cue> = hits
            .iter()
            .filter(|(_, a, b)| {
                !hits
                    .iter()
                    .any(|(_, c, d)| c <= a && b <= d && d - c > b - a)
            })
            .map(|h| h.0)
            .collect();
        if lang == "en"
            && toks
                .iter()
                .rev()
                .take(Cue::Negation.reach())
                .any(|t| t.ends_with("n't"))
        {
            found.push(Cue::Negation);
        }
        if future {
            found.push(Cue::Irrealis);
        }
        // "To" and a bare verb or noun, after no verb of intent, threat, call or
        // attempt (which say themselves what the infinitive is), is an infinitive of
        // purpose or a complement: it tells no act ("a petition to protest the
        // naming", "exposed to attack").
        if lang == "en"
            && found.is_empty()
            && (infinitive(sentence, trigger) || passive_infinitive(sentence, trigger))
        {
            found.push(Cue::Irrealis);
        }
        // Conditional particles follow the verb in Russian and Ukrainian.
        let after = &sentence[trigger.1.min(sentence.len())..];
        if let Some((a, b)) = word_spans(after).next()
            && AFTER_VERB.contains(&fold(&after[a..b]).as_str())
        {
            found.push(Cue::Irrealis);
        }
        // A noun told of with a modal after it ("an invasion would be horrific", "serangan
        // itu akan"): the modal stands within a few words, in the same clause.
        let clause_end = after
            .find([
                ',', ';', ':', '(', ')', '—', '–', '"', '«', '»', '“', '”', '.',
            ])
            .unwrap_or(after.len());
        let base = trigger.1.min(sentence.len());
        for (a, b) in word_spans(&after[..clause_end]).take(NOUN_MODAL_REACH) {
            // "May" of "in May 2023" is a month.
            if times.iter().any(|t| t.0 < base + b && base + a < t.1) {
                continue;
            }
            let w = fold(&after[a..b]);
            if CLAUSE_WORDS.contains(&w.as_str()) {
                break;
            }
            if AFTER_NOUN.contains(&w.as_str()) {
                found.push(Cue::Irrealis);
                break;
            }
        }
        // A failed or attempted attack is an attack; a failed agreement is none.
        if violent && found.contains(&Cue::Attempt) {
            found.retain(|c| !matches!(c, Cue::Attempt | Cue::Negation));
        } else if found.contains(&Cue::Attempt) {
            return Verdict::NotAsserted(Cue::Attempt);
        }
        if found.contains(&Cue::Negation) {
            Verdict::NotAsserted(Cue::Negation)
        } else if found.contains(&Cue::Threat) {
            Verdict::Threatened
        } else if found.contains(&Cue::Condition) {
            // "If" is also a modal word: the clause it opens says more.
            Verdict::NotAsserted(Cue::Condition)
        } else if let Some(c) = found.iter().find(|c| !matches!(c, Cue::Plan | Cue::Hedge)) {
            Verdict::NotAsserted(*c)
        } else if found.contains(&Cue::Plan) {
            Verdict::Planned
        } else if found.contains(&Cue::Hedge) {
            Verdict::Hedged
        } else {
            Verdict::Asserted
        }
    }
}

impl Factuality {
    /// The acts among a sentence's candidates: those told as having happened, and
    /// threats, plans and hedged reports of them as such ([`Factuality::judge`];
    /// `times` are the sentence's time expressions).
    pub fn acts<'a>(
        &self,
        language: &str,
        s: &str,
        candidates: &[Candidate<'a>],
        times: &[TimeExpr],
    ) -> Vec<Candidate<'a>> {
        let spans: Vec<(usize, usize)> = times.iter().map(|t| (t.start, t.end)).collect();
        candidates
            .iter()
            .filter_map(|c| {
                match self.judge(
                    language,
                    s,
                    (c.hit.start, c.hit.end),
                    &spans,
                    c.plover == "assault",
                ) {
                    Verdict::Asserted => Some(*c),
                    Verdict::Threatened => Some(c.threatened()),
                    Verdict::Planned => Some(c.planned()),
                    Verdict::Hedged => Some(c.hedged()),
                    Verdict::NotAsserted(_) => None,
                }
            })
            .collect()
    }
}

/// Whether the cue phrase `k` of `l` ends at word `end` of `toks` (the folded words
/// of the trigger's clause before it) within its reach: `disjoined`, a disjunction
/// right before the trigger puts a negation or modal anywhere in the clause within
/// reach; `last_complementizer`, the last complementizer's index in `toks` (a modal
/// before one is another clause's).
fn cue_ends_at(
    l: &LanguageCues,
    k: usize,
    toks: &[String],
    end: usize,
    disjoined: bool,
    last_complementizer: Option<usize>,
) -> bool {
    let (cue, phrase) = &l.cues[k];
    let n = phrase.len();
    if n == 0 || n > end || end > toks.len() {
        return false;
    }
    // The phrase must end within the cue's reach of the trigger.
    let reach = match cue {
        Cue::Negation | Cue::Irrealis if disjoined => usize::MAX,
        _ => cue.reach(),
    };
    if end < toks.len().saturating_sub(reach) {
        return false;
    }
    // A modal before a complementizer is another clause's ("would say that troops
    // attacked"); one inside the cue ("so that") is its own.
    if *cue == Cue::Irrealis && last_complementizer.is_some_and(|c| c >= end) {
        return false;
    }
    toks[end - n..end] == phrase[..]
        && !(*cue == Cue::Negation
            && l.not_negation
                .iter()
                .any(|nn| toks[end - n..].starts_with(nn)))
}

/// Every cue of `l` found in `toks` (the folded words of the trigger's clause before
/// it, a time's words blank): (cue, first word, end word), in the lexicon's order,
/// each phrase at the first place it ends within its reach. The clause's words are
/// looked up by the phrases' last words ([`LanguageCues::by_last`]), so a clause costs
/// its length, not the lexicon's size times it.
fn cue_hits(l: &LanguageCues, toks: &[String], disjoined: bool) -> Vec<(Cue, usize, usize)> {
    let last_complementizer = toks
        .iter()
        .rposition(|t| COMPLEMENTIZERS.contains(&t.as_str()));
    // (phrase index, end word): the first end of each phrase, as ends rise.
    let mut first: Vec<(usize, usize)> = Vec::new();
    for end in 1..=toks.len() {
        let Some(ks) = l.by_last.get(toks[end - 1].as_str()) else {
            continue;
        };
        for &k in ks {
            if !first.iter().any(|&(j, _)| j == k)
                && cue_ends_at(l, k, toks, end, disjoined, last_complementizer)
            {
                first.push((k, end));
            }
        }
    }
    first.sort_unstable_by_key(|&(k, _)| k);
    first
        .into_iter()
        .map(|(k, end)| {
            let (cue, phrase) = &l.cues[k];
            (*cue, end - phrase.len(), end)
        })
        .collect()
}

/// The lower-case words of `s`.
fn folded_words(s: &str) -> Vec<String> {
    words(s)
        .into_iter()
        .map(|(a, b)| fold(&s[a..b]).replace('’', "'"))
        .collect()
}

/// The lower-case words of `s`, its last `n` only (all when it has fewer): what a
/// pattern on a trigger's last few words before it needs, without folding the rest.
fn last_folded_words(s: &str, n: usize) -> Vec<String> {
    // The words' spans from the end: runs of the same word characters as [`words`].
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(n);
    let mut end = None;
    for (i, c) in s.char_indices().rev() {
        if spans.len() == n {
            break;
        }
        match (is_word(c), end) {
            (true, None) => end = Some(i + c.len_utf8()),
            (false, Some(e)) => {
                spans.push((i + c.len_utf8(), e));
                end = None;
            }
            _ => {}
        }
    }
    if let Some(e) = end.filter(|_| spans.len() < n) {
        spans.push((0, e));
    }
    spans
        .iter()
        .rev()
        .map(|&(a, b)| fold(&s[a..b]).replace('’', "'"))
        .collect()
}

/// Whether an English trigger is a bare form right after an infinitive's "to" that
/// no implicative or aspectual verb governs ("to protest", not "continued to shell").
fn infinitive(sentence: &str, trigger: (usize, usize)) -> bool {
    let Some(said) = sentence.get(trigger.0..trigger.1) else {
        return false;
    };
    let first = folded_words(said).into_iter().next().unwrap_or_default();
    let inflected = ["ed", "ing", "s", "en"]
        .iter()
        .any(|e| first.ends_with(e) && first.len() > e.len() + 2);
    if first.is_empty() || inflected {
        return false;
    }
    let back = last_folded_words(&sentence[..trigger.0.min(sentence.len())], 2);
    match back.as_slice() {
        [.., verb, to] if to == "to" => !IMPLICATIVE.contains(&verb.as_str()),
        [to] => to == "to",
        _ => false,
    }
}

/// Whether an English participle trigger is a passive infinitive ("claimed to be
/// annexed", "expected to be attacked"), which is no more finite than an active one:
/// an act only when an implicative or aspectual verb governs it ("continued to be
/// shelled", "forced to be evacuated").
fn passive_infinitive(sentence: &str, trigger: (usize, usize)) -> bool {
    let back = last_folded_words(&sentence[..trigger.0.min(sentence.len())], 3);
    match back.as_slice() {
        [.., verb, to, be] if to == "to" && be == "be" => !IMPLICATIVE.contains(&verb.as_str()),
        [to, be] => to == "to" && be == "be",
        _ => false,
    }
}

/// How many words a concessive preposition may stand before the act's noun ("despite
/// Russia's harsh crackdown").
const CONCESSIVE_REACH: usize = 4;

/// Whether the trigger at `trigger` is the noun of a phrase that a concessive
/// preposition opens (`toks`: the folded words of its clause before it, a time's words
/// blank), with no time of its own in that phrase, which runs to the next clause
/// punctuation: the labelling guide's background noun phrase. "despite the fact
/// that …" opens a clause, whose act stays asserted.
fn concessive(
    phrases: &[Vec<String>],
    toks: &[String],
    sentence: &str,
    trigger: (usize, usize),
    times: &[(usize, usize)],
) -> bool {
    let opened = phrases.iter().any(|p| {
        let n = p.len();
        (n..=toks.len()).any(|end| {
            toks.len() - end <= CONCESSIVE_REACH
                && toks[end - n..end] == p[..]
                && !toks[end..]
                    .iter()
                    .any(|t| t.is_empty() || COMPLEMENTIZERS.contains(&t.as_str()) || t == "fact")
        })
    });
    if !opened {
        return false;
    }
    let rest = sentence.get(trigger.1..).unwrap_or("");
    let phrase_end = trigger.1
        + rest
            .find([',', ';', ':', '.', '(', ')', '—', '–'])
            .unwrap_or(rest.len());
    !times.iter().any(|t| t.0 >= trigger.1 && t.0 < phrase_end)
}

/// Whether an English one-word trigger is a participle used as an adjective: after a
/// determiner, numeral or possessive (past adverbs in -ly and coordinated
/// participles: "the four occupied or annexed regions") and before the noun it
/// describes, not before a preposition or an auxiliary ("Three killed in shelling").
fn attributive(sentence: &str, trigger: (usize, usize)) -> bool {
    let Some(said) = sentence.get(trigger.0..trigger.1) else {
        return false;
    };
    let own = folded_words(said);
    let participle = |w: &str| w.len() > 4 && (w.ends_with("ed") || w.ends_with("en"));
    if own.len() != 1 || !participle(&own[0]) {
        return false;
    }
    let back = folded_words(&sentence[..trigger.0.min(sentence.len())]);
    let mut k = back.len();
    while k > 0 {
        let w = back[k - 1].as_str();
        let coordinated = (w == "or" || w == "and") && k >= 2 && participle(&back[k - 2]);
        if coordinated {
            k -= 2;
        } else if w.ends_with("ly") && !DETERMINERS.contains(&w) {
            k -= 1;
        } else {
            break;
        }
    }
    let Some(det) = k.checked_sub(1).map(|i| back[i].as_str()) else {
        return false;
    };
    let numeral = det.chars().all(|c| c.is_ascii_digit() || c == ',');
    if !(DETERMINERS.contains(&det)
        || PREPOSITIONS.contains(&det)
        || numeral
        || det.ends_with("'s"))
    {
        return false;
    }
    // The word after it (past coordinated participles) must be its noun.
    let rest = &sentence[trigger.1.min(sentence.len())..];
    if rest.starts_with([',', '.', ';', ':', ')', '"', '”', '—', '–']) {
        return false;
    }
    let after = folded_words(rest);
    let mut j = 0;
    while j + 1 < after.len()
        && (after[j] == "or" || after[j] == "and")
        && participle(&after[j + 1])
    {
        j += 2;
    }
    after.get(j).is_some_and(|w| {
        w.chars().next().is_some_and(char::is_alphabetic) && !NOT_A_NOUN.contains(&w.as_str())
    })
}

/// Where a credit makes a sentence a caption: its line when the line is short (a
/// caption and its credit, "Smoke over Kharkiv. (AP Photo/…)"), else the sentence.
pub fn caption_scope(text: &str, span: super::sentences::Span) -> &str {
    const CAPTION_MAX: usize = 400;
    let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    if end - start <= CAPTION_MAX {
        &text[start..end]
    } else {
        &text[span.start..span.end]
    }
}

fn split_words(p: &str) -> Vec<String> {
    words(p)
        .into_iter()
        .map(|(a, b)| p[a..b].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(lang: &str, s: &str, trigger: &str) -> Verdict {
        let f = Factuality::new().unwrap();
        let at = s.find(trigger).expect("the trigger is in the sentence");
        f.judge(lang, s, (at, at + trigger.len()), &[], true)
    }

    /// The cue search through the phrases' last words finds what trying every phrase
    /// at every word finds, in the same order: on the clauses of sentences in four
    /// languages cut at every word, with and without a disjunction's wider reach, and
    /// on word lists made of the lexicon's own phrases (so that most cues are there).
    #[test]
    fn cue_lookup_by_last_word_answers_as_trying_every_phrase() {
        fn plain(l: &LanguageCues, toks: &[String], disjoined: bool) -> Vec<(Cue, usize, usize)> {
            let mut hits = Vec::new();
            for (cue, phrase) in &l.cues {
                let n = phrase.len();
                if n == 0 || n > toks.len() {
                    continue;
                }
                let reach = match cue {
                    Cue::Negation | Cue::Irrealis if disjoined => usize::MAX,
                    _ => cue.reach(),
                };
                let first_end = toks.len().saturating_sub(reach);
                let hit = (first_end.max(n)..=toks.len()).find(|&end| {
                    if *cue == Cue::Irrealis
                        && toks[end..]
                            .iter()
                            .any(|t| COMPLEMENTIZERS.contains(&t.as_str()))
                    {
                        return false;
                    }
                    toks[end - n..end] == phrase[..]
                        && !(*cue == Cue::Negation
                            && l.not_negation
                                .iter()
                                .any(|nn| toks[end - n..].starts_with(nn)))
                });
                if let Some(end) = hit {
                    hits.push((*cue, end - n, end));
                }
            }
            hits
        }
        let f = Factuality::new().unwrap();
        let sentences = [
            (
                "en",
                "Officials said the army would not attack or shell the town, and that if it did, they might have lost it, so that nobody will not only say that troops had tried to strike and may have failed.",
            ),
            (
                "id",
                "Pejabat mengatakan tentara tidak akan menyerang atau membom kota itu, dan jika mereka berencana menyerang, mungkin telah gagal karena tidak hanya pasukan yang mencoba menembak.",
            ),
            (
                "ru",
                "Чиновники заявили, что армия не будет наступать или обстреливать город, а если бы планировала удар, то, возможно, не только потеряла бы его, который пытались взять.",
            ),
            (
                "uk",
                "Посадовці заявили, що армія не буде наступати або обстрілювати місто, а якщо б планувала удар, то, можливо, не лише втратила б його, яке намагалися взяти.",
            ),
        ];
        let (mut checked, mut found) = (0, 0);
        for (lang, text) in sentences {
            let l = &f.langs[lang];
            let all = folded_words(text);
            // Word lists of the lexicon's phrases one after another, then a few words.
            let mut from_lexicon: Vec<String> = Vec::new();
            for (k, (_, p)) in l.cues.iter().enumerate() {
                from_lexicon.extend(p.iter().cloned());
                if k % 3 == 0 {
                    from_lexicon.extend(all.iter().take(k % 7).cloned());
                }
            }
            for words in [all, from_lexicon] {
                for a in 0..words.len() {
                    for b in [a + 1, a + 4, a + 9, a + 15, words.len()] {
                        let toks = &words[a..b.min(words.len())];
                        for disjoined in [false, true] {
                            let fast = cue_hits(l, toks, disjoined);
                            assert_eq!(fast, plain(l, toks, disjoined), "{lang}: {toks:?}");
                            checked += 1;
                            found += fast.len();
                        }
                    }
                }
            }
        }
        assert!(
            checked > 1000 && found > 1000,
            "{checked} lists, {found} hits"
        );
    }

    /// The last words folded alone are the last words of the whole fold, and the
    /// words read one at a time are the words read all at once, on every prefix of
    /// sentences in four languages (odd spacing, quotes, dashes and digits too).
    #[test]
    fn last_words_and_lazy_words_answer_as_the_whole_list() {
        // The word scan as it was, all at once.
        fn plain_words(s: &str) -> Vec<(usize, usize)> {
            let mut out = Vec::new();
            let mut start = None;
            for (i, c) in s.char_indices() {
                let word = c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
                match (word, start) {
                    (true, None) => start = Some(i),
                    (false, Some(b)) => {
                        out.push((b, i));
                        start = None;
                    }
                    _ => {}
                }
            }
            if let Some(b) = start {
                out.push((b, s.len()));
            }
            out
        }
        let texts = [
            "  Russia’s forces — it's said — shelled the town at 5:30 on 24-Feb, and 1,200 fled…",
            "Pasukan ke-3 \"menyerang\" desa itu pada Senin (1/3/2022); warga-warga mengungsi.",
            "Войска, как сообщили в понедельник, обстреляли город «Градами» и т.д.",
            "Війська, як повідомили у вівторок, обстріляли місто з «Градів» — і т. ін.",
            "x",
            "",
        ];
        for text in texts {
            for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let s = &text[..i];
                assert_eq!(word_spans(s).collect::<Vec<_>>(), plain_words(s), "{s:?}");
                for n in 0..4 {
                    assert_eq!(
                        word_spans(s).take(n).collect::<Vec<_>>(),
                        plain_words(s).into_iter().take(n).collect::<Vec<_>>()
                    );
                }
                let all = folded_words(s);
                for n in 0..5 {
                    assert_eq!(
                        last_folded_words(s, n),
                        all[all.len().saturating_sub(n)..],
                        "{s:?}, {n}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_condition_covers_every_verb_of_its_clause() {
        let f = Factuality::new().unwrap();
        for (lang, s, t) in [
            (
                "en",
                "If Belarus is attacked or if the border region across the river is shelled, there will be war.",
                "shelled",
            ),
            (
                "id",
                "Jika Belarus diserang atau wilayah perbatasan di seberang sungai itu dibom, perang akan pecah.",
                "dibom",
            ),
            (
                "ru",
                "Если Белоруссию атакуют или приграничный район за рекой обстреляют, будет война.",
                "обстреляют",
            ),
            (
                "uk",
                "Якщо Білорусь атакують або прикордонний район за річкою обстріляють, буде війна.",
                "обстріляють",
            ),
        ] {
            let at = s.rfind(t).expect("the trigger is in the sentence");
            assert_eq!(
                f.judge(lang, s, (at, at + t.len()), &[], true),
                Verdict::NotAsserted(Cue::Condition),
                "{s}"
            );
            // The main clause after the condition's comma is not in its scope.
            let main = "Belarus was attacked, and the border region across the river was shelled.";
            if lang == "en" {
                let at = main.rfind("shelled").unwrap();
                assert_eq!(
                    f.judge(lang, main, (at, at + 7), &[], true),
                    Verdict::Asserted
                );
            }
        }
    }

    #[test]
    fn negated_acts_did_not_happen() {
        for (lang, s, t) in [
            ("en", "The army did not attack the village.", "attack"),
            ("en", "Rebels never shelled the town.", "shelled"),
            ("en", "Troops didn't enter the city.", "enter"),
            ("id", "Pasukan itu tidak menyerang desa.", "menyerang"),
            ("ru", "Войска не обстреливали город.", "обстреливали"),
            ("uk", "Війська не обстрілювали місто.", "обстрілювали"),
        ] {
            assert_eq!(
                verdict(lang, s, t),
                Verdict::NotAsserted(Cue::Negation),
                "{s}"
            );
        }
        // "Not only", "не менее" negate nothing.
        assert_eq!(
            verdict(
                "ru",
                "Не менее пяти человек погибли при обстреле.",
                "обстреле"
            ),
            Verdict::Asserted
        );
        // An Indonesian negated modifier of a noun ("orang tak dikenal", unknown
        // persons) negates the noun's description, not the act; a negator before the
        // verb still does.
        for s in [
            "Orang tak dikenal menembak mati seorang petani.",
            "Kelompok tidak dikenal menyerang warga tak bersenjata.",
        ] {
            let t = if s.contains("menembak") {
                "menembak"
            } else {
                "menyerang"
            };
            assert_eq!(verdict("id", s, t), Verdict::Asserted, "{s}");
        }
        assert_eq!(
            verdict(
                "id",
                "Orang tak dikenal tidak menyerang warga.",
                "menyerang"
            ),
            Verdict::NotAsserted(Cue::Negation)
        );
    }

    #[test]
    fn future_conditional_plans_calls_and_opinions_are_not_acts() {
        for (lang, s, t) in [
            (
                "en",
                "The bill would impose sanctions on the ministry.",
                "impose sanctions",
            ),
            ("en", "The army will attack the city.", "attack"),
            ("en", "The council called for a ceasefire.", "ceasefire"),
            ("id", "Pasukan itu akan menyerang kota.", "menyerang"),
            ("ru", "Армия будет наступать на город.", "наступать"),
            (
                "ru",
                "Многие французы охотно поддержат санкции.",
                "поддержат",
            ),
            ("ru", "Войска атаковали бы город.", "атаковали"),
            ("uk", "Армія буде наступати на місто.", "наступати"),
        ] {
            assert!(
                matches!(verdict(lang, s, t), Verdict::NotAsserted(_)),
                "{s}"
            );
        }
    }

    #[test]
    fn threats_become_threaten_and_facts_stay_facts() {
        for (lang, s, t) in [
            (
                "en",
                "The general threatened to strike the capital.",
                "strike",
            ),
            ("id", "Militer mengancam akan menyerang kota.", "menyerang"),
            ("ru", "Генерал пригрозил ударить по столице.", "ударить"),
            ("uk", "Генерал пригрозив вдарити по столиці.", "вдарити"),
        ] {
            assert_eq!(verdict(lang, s, t), Verdict::Threatened, "{s}");
        }
        for (lang, s, t) in [
            ("en", "The ministry plans to deploy troops.", "deploy"),
            ("id", "Militer berencana menyerang desa.", "menyerang"),
            (
                "ru",
                "Россия готовит наступление на Харьков.",
                "наступление",
            ),
        ] {
            assert_eq!(verdict(lang, s, t), Verdict::Planned, "{s}");
        }
        for (lang, s, t) in [
            ("en", "On 5 May, troops attacked the village.", "attacked"),
            ("en", "In May troops attacked the village.", "attacked"),
            ("en", "The army said it had shelled the town.", "shelled"),
            ("id", "Pasukan itu menyerang desa pada Senin.", "menyerang"),
            (
                "ru",
                "Войска обстреляли город, не предупредив жителей.",
                "обстреляли",
            ),
        ] {
            let f = Factuality::new().unwrap();
            let at = s.find(t).unwrap();
            // "May" is a time expression here, not a modal verb.
            let times: Vec<(usize, usize)> =
                s.find("May").map(|m| (m, m + 3)).into_iter().collect();
            assert_eq!(
                f.judge(lang, s, (at, at + t.len()), &times, true),
                Verdict::Asserted,
                "{s}"
            );
        }
    }

    #[test]
    fn a_commemoration_is_no_warning() {
        // Indonesian "peringatan" is both a warning (from "memperingatkan") and a
        // commemoration (from "memperingati"): only its verb phrases of warning
        // are threats. A memorial in the other languages is no cue either.
        for (lang, s, t) in [
            (
                "id",
                "Rudal menghantam desa saat warga menggelar peringatan bagi prajurit yang tewas.",
                "tewas",
            ),
            (
                "en",
                "A missile hit the village as residents held a memorial for soldiers killed at the front.",
                "killed",
            ),
            (
                "ru",
                "Ракета попала в село, где жители провели поминки по солдатам, убитым на фронте.",
                "убитым",
            ),
            (
                "uk",
                "Ракета влучила в село, де мешканці вшанували солдатів, убитих на фронті.",
                "убитих",
            ),
        ] {
            assert_ne!(verdict(lang, s, t), Verdict::Threatened, "{s}");
        }
        for (lang, s, t) in [
            (
                "id",
                "Panglima memberikan peringatan keras akan menyerang kota itu.",
                "menyerang",
            ),
            (
                "id",
                "Militer mengeluarkan peringatan akan menyerang pelabuhan.",
                "menyerang",
            ),
            (
                "id",
                "Jenderal itu memperingatkan akan menyerang kota.",
                "menyerang",
            ),
            (
                "en",
                "The general warned he would strike the capital.",
                "strike",
            ),
            (
                "ru",
                "Генерал предупредил, что ударит по столице.",
                "ударит",
            ),
        ] {
            assert_ne!(verdict(lang, s, t), Verdict::Asserted, "{s}");
        }
    }

    #[test]
    fn the_perfective_present_of_russian_and_ukrainian_is_a_future() {
        for (lang, s, t) in [
            ("ru", "Армия обстреляет Харьков.", "обстреляет"),
            ("ru", "Войска ударят по Харькову.", "ударят"),
            ("uk", "Армія обстріляє Харків.", "обстріляє"),
            ("uk", "Війська обстріляють Харків.", "обстріляють"),
        ] {
            assert_eq!(
                verdict(lang, s, t),
                Verdict::NotAsserted(Cue::Irrealis),
                "{s}"
            );
        }
        // The past, and the imperfective present, are told as real.
        for (lang, s, t) in [
            ("ru", "Армия обстреляла Харьков.", "обстреляла"),
            ("ru", "Армия обстреливает Харьков.", "обстреливает"),
            ("uk", "Армія обстріляла Харків.", "обстріляла"),
            ("uk", "Армія обстрілює Харків.", "обстрілює"),
        ] {
            assert_eq!(verdict(lang, s, t), Verdict::Asserted, "{s}");
        }
    }

    #[test]
    fn a_verb_coordinated_by_or_shares_the_negation_or_modal_of_its_clause() {
        for (lang, s, t) in [
            (
                "en",
                "We will not send American forces to fight in Ukraine or attack Russian forces.",
                "attack",
            ),
            (
                "en",
                "We will not take part in this conflict, whether by sending forces to Ukraine or by attacking Russian forces.",
                "attacking",
            ),
            (
                "id",
                "Kami tidak akan mengirim pasukan ke Ukraina atau menyerang pasukan Rusia.",
                "menyerang",
            ),
            (
                "ru",
                "Мы не будем посылать войска на Украину или обстреливать российские позиции.",
                "обстреливать",
            ),
            (
                "uk",
                "Ми не будемо надсилати війська в Україну або обстрілювати російські позиції.",
                "обстрілювати",
            ),
        ] {
            assert!(
                matches!(verdict(lang, s, t), Verdict::NotAsserted(_)),
                "{s}"
            );
        }
        // Without a negation or modal the coordinated verb is as asserted as the first,
        // and a negation in another clause does not reach it.
        for (lang, s, t) in [
            (
                "en",
                "Russian troops shelled the town or bombed it from the air.",
                "bombed",
            ),
            (
                "en",
                "The army did not retreat, and its artillery shelled or bombed the bridges.",
                "bombed",
            ),
            (
                "id",
                "Pasukan Rusia menembaki atau mengebom kota itu.",
                "mengebom",
            ),
        ] {
            assert_eq!(verdict(lang, s, t), Verdict::Asserted, "{s}");
        }
    }

    #[test]
    fn an_event_noun_with_a_modal_after_it_is_a_prospect() {
        assert_eq!(
            verdict(
                "en",
                "A Russian invasion of Ukraine would be horrific.",
                "invasion"
            ),
            Verdict::NotAsserted(Cue::Irrealis)
        );
        assert_eq!(
            verdict("id", "Serangan itu akan menghancurkan kota.", "Serangan"),
            Verdict::NotAsserted(Cue::Irrealis)
        );
        let f = Factuality::new().unwrap();
        let s = "Russian troops seized Bakhmut in May 2023.";
        let at = s.find("seized").unwrap();
        let may = s.find("May").unwrap();
        assert_eq!(
            f.judge("en", s, (at, at + 6), &[(may, may + 8)], true),
            Verdict::Asserted,
            "a month is no modal"
        );
        // Past the clause, a modal governs another act.
        assert_eq!(
            verdict(
                "en",
                "The strike on Kharkiv killed six, and talks will follow.",
                "strike"
            ),
            Verdict::Asserted
        );
    }

    #[test]
    fn hedged_pasts_and_attempted_attacks_are_events() {
        assert_eq!(
            verdict(
                "en",
                "Russia may have lost a brigade near Vuhledar.",
                "lost"
            ),
            Verdict::Hedged
        );
        assert_eq!(
            verdict("en", "Russia may lose a brigade near Vuhledar.", "lose"),
            Verdict::NotAsserted(Cue::Irrealis)
        );
        assert_eq!(
            verdict(
                "en",
                "The invaders failed to break through near Kreminna.",
                "break through"
            ),
            Verdict::Asserted
        );
        assert_eq!(
            verdict("ru", "Противник пытался штурмовать село.", "штурмовать"),
            Verdict::Asserted
        );
        let f = Factuality::new().unwrap();
        let s = "The parties failed to agree on a ceasefire.";
        let at = s.find("agree").unwrap();
        assert_eq!(
            f.judge("en", s, (at, at + 5), &[], false),
            Verdict::NotAsserted(Cue::Attempt)
        );
    }

    #[test]
    fn a_participle_before_its_noun_names_a_state_not_an_act() {
        for (s, t) in [
            (
                "Officials toured the annexed districts on Monday.",
                "annexed",
            ),
            (
                "Aid reached the four occupied or annexed districts.",
                "annexed",
            ),
            ("The captured colonel was questioned on Friday.", "captured"),
            ("Children from the shelled town were evacuated.", "shelled"),
            ("Rescuers searched their bombed houses.", "bombed"),
            // After a preposition, which takes a noun phrase.
            (
                "He may be swapped for captured soldiers next week.",
                "captured",
            ),
            ("Schools of occupied towns reopened.", "occupied"),
            ("Convoys left from shelled villages at dawn.", "shelled"),
        ] {
            assert_eq!(verdict("en", s, t), Verdict::NotAsserted(Cue::State), "{s}");
        }
        // A verb: after a subject, or before a preposition or auxiliary.
        for (s, t) in [
            ("Troops annexed the district on Monday.", "annexed"),
            ("Three killed in shelling of a village.", "killed"),
            ("The town was shelled overnight.", "shelled"),
            (
                "Where the army recently deployed troops, calm returned.",
                "deployed",
            ),
            ("A unit that captured the bridge was praised.", "captured"),
            ("In March troops captured the bridge.", "captured"),
            ("Soldiers in trenches shelled the town.", "shelled"),
        ] {
            assert_eq!(verdict("en", s, t), Verdict::Asserted, "{s}");
        }
    }

    #[test]
    fn to_and_a_bare_verb_is_a_purpose_unless_an_implicative_verb_governs_it() {
        for (s, t) in [
            (
                "Students collected signatures to protest the decision.",
                "protest",
            ),
            ("The depot is vulnerable to attack from the air.", "attack"),
            ("Officials met on Monday to protest the ruling.", "protest"),
        ] {
            assert!(
                matches!(verdict("en", s, t), Verdict::NotAsserted(_)),
                "{s}"
            );
        }
        for (s, t) in [
            (
                "The brigade continued to shell the town on Monday.",
                "shell",
            ),
            (
                "The garrison was forced to surrender on Friday.",
                "surrender",
            ),
            (
                "The invaders failed to break through near the river.",
                "break through",
            ),
        ] {
            assert_eq!(verdict("en", s, t), Verdict::Asserted, "{s}");
        }
    }

    #[test]
    fn a_modal_governs_its_whole_verb_phrase_but_no_clause_a_complementizer_opens() {
        for (lang, s, t) in [
            (
                "en",
                "An assault on the port would lead to a very large number of casualties.",
                "casualties",
            ),
            (
                "id",
                "Perang itu akan membuat ribuan warga di kota pelabuhan tewas.",
                "tewas",
            ),
            (
                "en",
                "Arms were sent so that the spring offensive of the enemy fails.",
                "offensive",
            ),
        ] {
            assert_eq!(
                verdict(lang, s, t),
                Verdict::NotAsserted(Cue::Irrealis),
                "{s}"
            );
        }
        for (lang, s, t) in [
            (
                "en",
                "The ministry would later confirm that troops attacked the village.",
                "attacked",
            ),
            (
                "ru",
                "Министр может подтвердить, что войска обстреляли село.",
                "обстреляли",
            ),
        ] {
            assert_eq!(verdict(lang, s, t), Verdict::Asserted, "{s}");
        }
    }

    #[test]
    fn captions_credits_and_bylines_are_recognised() {
        let f = Factuality::new().unwrap();
        for (lang, s) in [
            (
                "en",
                "Firefighters at the site of a strike in Kyiv. (AP Photo/Efrem Lukatsky)",
            ),
            (
                "en",
                "[File: Reuters] Smoke rises over the town after shelling.",
            ),
            (
                "id",
                "Foto: Tentara Ukraina menembakkan artileri di Donetsk.",
            ),
            ("ru", "Фото: последствия обстрела Харькова."),
        ] {
            assert!(f.is_credit(lang, s), "{s}");
        }
        assert!(!f.is_credit("en", "Troops shelled the town on Friday."));
        assert!(!f.is_credit("en", "The profile: who attacked the base."));
    }

    #[test]
    fn be_to_and_must_tell_what_is_due_not_what_happened() {
        // English "be to" (a plan or an obligation) and Indonesian "harus", "wajib".
        for (lang, s, t) in [
            ("en", "The colonel is to be released next week.", "released"),
            (
                "en",
                "The prisoners were to be exchanged, but the talks failed.",
                "exchanged",
            ),
            ("id", "Pasukan itu harus mundur dari kota.", "mundur"),
            (
                "id",
                "Tahanan wajib dibebaskan oleh penyandera.",
                "dibebaskan",
            ),
        ] {
            assert!(
                matches!(verdict(lang, s, t), Verdict::NotAsserted(_)),
                "{s}"
            );
        }
        // "to" of a place or a goal is no "be to".
        for (lang, s, t) in [
            ("en", "The convoy that went to Kyiv was shelled.", "shelled"),
            ("en", "The aim was met: troops retreated.", "retreated"),
        ] {
            assert_eq!(verdict(lang, s, t), Verdict::Asserted, "{s}");
        }
    }

    #[test]
    fn a_noun_a_concessive_preposition_takes_is_background() {
        for (lang, s, t) in [
            (
                "en",
                "Despite Russia's harsh crackdown on dissent, protests erupted.",
                "crackdown",
            ),
            (
                "en",
                "Residents stayed in spite of the shelling.",
                "shelling",
            ),
            (
                "ru",
                "Несмотря на обстрелы, жители остались в городе.",
                "обстрелы",
            ),
            (
                "uk",
                "Незважаючи на обстріли, жителі залишилися в місті.",
                "обстріли",
            ),
            (
                "id",
                "Terlepas dari serangan itu, warga tetap tinggal.",
                "serangan",
            ),
        ] {
            assert_eq!(
                verdict(lang, s, t),
                Verdict::NotAsserted(Cue::Concessive),
                "{s}"
            );
        }
        // The act the main clause tells, and a clause after "despite the fact that",
        // stay asserted.
        for (lang, s, t) in [
            (
                "en",
                "Despite the crackdown, thousands protested in the capital.",
                "protested",
            ),
            (
                "en",
                "Despite the fact that troops shelled the town, residents stayed.",
                "shelled",
            ),
        ] {
            assert_eq!(verdict(lang, s, t), Verdict::Asserted, "{s}");
        }
        // With a time of its own the noun names a dated happening.
        let f = Factuality::new().unwrap();
        let s = "Despite the shelling on Monday, residents stayed.";
        let at = s.find("shelling").unwrap();
        let day = s.find("on Monday").unwrap();
        assert_eq!(
            f.judge("en", s, (at, at + 8), &[(day, day + 9)], true),
            Verdict::Asserted
        );
    }

    #[test]
    fn a_passive_infinitive_is_no_act_unless_an_implicative_verb_governs_it() {
        for (s, t) in [
            (
                "The areas Moscow has claimed to be annexed voted.",
                "annexed",
            ),
            ("The town is said to be occupied by rebels.", "occupied"),
        ] {
            assert!(
                matches!(verdict("en", s, t), Verdict::NotAsserted(_)),
                "{s}"
            );
        }
        for (s, t) in [
            ("The town continued to be shelled on Monday.", "shelled"),
            ("The town was shelled to be sure.", "shelled"),
        ] {
            assert_eq!(verdict("en", s, t), Verdict::Asserted, "{s}");
        }
    }

    #[test]
    fn the_complement_of_a_verb_of_permission_is_a_possibility() {
        for (lang, s, t) in [
            (
                "en",
                "The resolution allowed the president to start bombing raids.",
                "bombing",
            ),
            (
                "en",
                "The vote authorised the army to strike the bases.",
                "strike",
            ),
            (
                "id",
                "Parlemen mengizinkan tentara menyerang pangkalan itu.",
                "menyerang",
            ),
            ("ru", "Совет разрешил армии атаковать базы.", "атаковать"),
            ("uk", "Рада дозволила армії атакувати бази.", "атакувати"),
        ] {
            assert!(
                matches!(verdict(lang, s, t), Verdict::NotAsserted(_)),
                "{s}"
            );
        }
        // A clause a dash sets off is its own, typed as a spaced hyphen too.
        assert_eq!(
            verdict(
                "en",
                "They did not allow a crossing - they destroyed the barge.",
                "destroyed"
            ),
            Verdict::Asserted
        );
        // A pair of them holds an aside, which the modal reaches over.
        assert!(matches!(
            verdict(
                "en",
                "Serbia can impose - under some conditions - sanctions on Russia.",
                "sanctions"
            ),
            Verdict::NotAsserted(_)
        ));
        // Once allowed, an act told in a clause of its own is told as done.
        assert_eq!(
            verdict(
                "en",
                "The vote allowed it, and the army shelled the town.",
                "shelled"
            ),
            Verdict::Asserted
        );
    }
}
