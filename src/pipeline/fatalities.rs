//! Fatalities stated in a sentence: "sedikitnya 35 orang tewas", "at least 12 people
//! were killed", "killing 5 civilians", "погибли 7 человек", "щонайменше 4 людей
//! загинули". Qualifiers set the bounds (at least → low, up to → high, about → best);
//! a range "10–12" gives low and high. Vocabulary from `data/lexicon/fatalities.tsv`.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::timex::gate;
use crate::domain::Fatalities;
use crate::text::fold;

const LEXICON: &str = include_str!("../../data/lexicon/fatalities.tsv");
/// Number words ("two", "dua", "два") come from the time lexicon.
const TIME: &str = include_str!("../../data/lexicon/time.tsv");

struct Rules {
    /// Number (qualifier) [people] killed.
    before: Regex,
    /// Killed [qualifier] number [people].
    after: Regex,
    /// `before` and `after` without word boundaries (see `timex::gate`): each runs
    /// only on a sentence its gate matches.
    gate_before: Option<Regex>,
    gate_after: Option<Regex>,
    qualifiers: HashMap<String, &'static str>,
    numbers: HashMap<String, u32>,
}

fn alt(forms: &[String]) -> String {
    let mut v: Vec<&String> = forms.iter().collect();
    v.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
    v.iter()
        .map(|f| match f.strip_suffix('*') {
            Some(p) => format!(r"{}\w*", regex::escape(p)),
            None => regex::escape(f).replace(' ', r"\s+"),
        })
        .collect::<Vec<_>>()
        .join("|")
}

static RULES: LazyLock<HashMap<String, Rules>> = LazyLock::new(|| {
    let mut by: HashMap<(String, String), Vec<String>> = HashMap::new();
    for l in LEXICON
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("lang\t"))
    {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() == 3 {
            by.entry((f[0].into(), f[1].into()))
                .or_default()
                .extend(f[2].split('|').map(|x| x.trim().to_string()));
        }
    }
    let mut out = HashMap::new();
    for lang in ["id", "en", "ru", "uk"] {
        let get = |k: &str| {
            by.get(&(lang.to_string(), k.to_string()))
                .cloned()
                .unwrap_or_default()
        };
        let mut qualifiers = HashMap::new();
        let mut qforms = Vec::new();
        for (k, name) in [
            ("at_least", "at_least"),
            ("about", "about"),
            ("up_to", "up_to"),
        ] {
            for f in get(k) {
                qualifiers.insert(fold(&f), name);
                qforms.push(f);
            }
        }
        let mut numbers = HashMap::new();
        for l in TIME
            .lines()
            .filter(|l| l.starts_with(&format!("{lang}\tnumber\t")))
        {
            let f: Vec<&str> = l.split('\t').collect();
            if let (Some(v), Some(forms)) = (f.get(2).and_then(|v| v.parse::<u32>().ok()), f.get(3))
            {
                for w in forms.split('|').filter(|w| w.chars().count() > 2) {
                    numbers.insert(fold(w), v);
                }
            }
        }
        let words: Vec<String> = numbers.keys().cloned().collect();
        let (killed, people, q) = (alt(&get("killed")), alt(&get("people")), alt(&qforms));
        let num = format!(
            r"(?P<n>\d{{1,3}}(?:[.,\s]\d{{3}})+|\d+|{})(?:\s*[-–—]\s*(?P<m>\d{{1,3}}(?:[.,]\d{{3}})*|\d+))?",
            alt(&words)
        );
        let before = format!(
            r"(?i)\b(?:(?P<q>{q})\s+)?{num}\s+(?:(?:{people})\s+)?(?:(?:were|have\s+been|had\s+been|was|yang)\s+)?(?:{killed})\b"
        );
        let after =
            format!(r"(?i)\b(?:{killed}|killing)\s+(?:(?P<q>{q})\s+)?{num}\s+(?:{people})\b");
        if let (Ok(before), Ok(after)) = (Regex::new(&before), Regex::new(&after)) {
            out.insert(
                lang.to_string(),
                Rules {
                    gate_before: gate(before.as_str()).and_then(|g| Regex::new(&g).ok()),
                    gate_after: gate(after.as_str()).and_then(|g| Regex::new(&g).ok()),
                    before,
                    after,
                    qualifiers,
                    numbers,
                },
            );
        }
    }
    out
});

fn number(s: &str) -> Option<u32> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The fatalities a sentence states, if any.
pub fn find(lang: &str, sentence: &str) -> Option<Fatalities> {
    let rules = RULES.get(lang)?;
    let open = |g: &Option<Regex>| g.as_ref().is_none_or(|g| g.is_match(sentence));
    let caps = open(&rules.gate_before)
        .then(|| rules.before.captures(sentence))
        .flatten()
        .or_else(|| {
            open(&rules.gate_after)
                .then(|| rules.after.captures(sentence))
                .flatten()
        })?;
    let n = caps.name("n")?.as_str();
    let n = number(n).or_else(|| rules.numbers.get(&fold(n)).copied())?;
    // "1.000 kilometer" is not a death toll; numbers this large rarely are in one sentence.
    if n == 0 || n > 100_000 {
        return None;
    }
    if let Some(m) = caps.name("m").and_then(|m| number(m.as_str()))
        && m > n
    {
        return Some(Fatalities {
            low: Some(n),
            best: None,
            high: Some(m),
        });
    }
    let q = caps
        .name("q")
        .and_then(|q| rules.qualifiers.get(&fold(q.as_str())).copied());
    Some(match q {
        Some("at_least") => Fatalities {
            low: Some(n),
            best: Some(n),
            high: None,
        },
        Some("up_to") => Fatalities {
            low: None,
            best: None,
            high: Some(n),
        },
        Some(_) => Fatalities {
            low: None,
            best: Some(n),
            high: None,
        },
        None => Fatalities {
            low: Some(n),
            best: Some(n),
            high: Some(n),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(lang: &str, s: &str) -> Option<(Option<u32>, Option<u32>, Option<u32>)> {
        find(lang, s).map(|f| (f.low, f.best, f.high))
    }

    #[test]
    fn tolls_in_four_languages() {
        assert_eq!(
            best(
                "id",
                "Serangan itu menyebabkan sedikitnya 35 orang tewas di Kharkiv."
            ),
            Some((Some(35), Some(35), None))
        );
        assert_eq!(
            best("id", "Sebanyak 12 warga sipil meninggal dunia."),
            Some((Some(12), Some(12), Some(12)))
        );
        assert_eq!(
            best("en", "At least 41 people were killed in the strike."),
            Some((Some(41), Some(41), None))
        );
        assert_eq!(
            best("en", "The missile hit a hospital, killing 2 civilians."),
            Some((Some(2), Some(2), Some(2)))
        );
        assert_eq!(
            best("en", "Up to 1,000 soldiers died in the battle."),
            Some((None, None, Some(1000)))
        );
        assert_eq!(
            best("en", "About 10-12 people were killed."),
            Some((Some(10), None, Some(12)))
        );
        assert_eq!(
            best("ru", "В результате удара погибли 7 человек."),
            Some((Some(7), Some(7), Some(7)))
        );
        assert_eq!(
            best("ru", "По меньшей мере 5 человек погибли."),
            Some((Some(5), Some(5), None))
        );
        assert_eq!(
            best("uk", "Щонайменше 4 людей загинули внаслідок обстрілу."),
            Some((Some(4), Some(4), None))
        );
        assert_eq!(
            best("en", "Two adults, one of them a doctor, were killed."),
            None,
            "no people noun next to it"
        );
        assert_eq!(
            best("en", "Two people were killed at the hospital."),
            Some((Some(2), Some(2), Some(2)))
        );
        assert_eq!(
            best("id", "Dua warga tewas."),
            Some((Some(2), Some(2), Some(2)))
        );
        assert_eq!(best("en", "Ukraine took 1,000 square kilometres."), None);
        assert_eq!(best("id", "merebut 1.000 kilometer wilayah Rusia"), None);
    }
}
