//! Inflection of the trigger lexicon's lemmas (`<lemma>` in `triggers.tsv`), so that a
//! lexicon entry is written once per word and matches its inflected forms: English by
//! rule (regular endings and a table of irregular verbs), Indonesian by its affixation
//! rules (meN-, di-, ter-, ber-, peN-…-an, -an, with -kan, -i and -nya), Russian and
//! Ukrainian from `data/lexicon/inflections.tsv`, generated from the OpenCorpora-based
//! pymorphy3 dictionaries by `scripts/build_inflections.py` (which leaves out a
//! perfective verb's future and the imperative: a lemma never matches what will be).

use std::collections::HashMap;

const INFLECTIONS: &str = include_str!("../data/lexicon/inflections.tsv");

/// A form of a lemma, and whether it counts only in headlines (an English present
/// tense: "Russia attacks Kyiv" is a headline's past, prose's habit).
pub type Form = (String, bool);

/// English irregular verbs of the lexicon: lemma, past, past participle.
const IRREGULAR: &[(&str, &str, &str)] = &[
    ("beat", "beat", "beaten"),
    ("blow", "blew", "blown"),
    ("begin", "began", "begun"),
    ("break", "broke", "broken"),
    ("bring", "brought", "brought"),
    ("fight", "fought", "fought"),
    ("hold", "held", "held"),
    ("lead", "led", "led"),
    ("meet", "met", "met"),
    ("set", "set", "set"),
    ("shoot", "shot", "shot"),
    ("strike", "struck", "struck"),
    ("take", "took", "taken"),
    ("withdraw", "withdrew", "withdrawn"),
    ("overrun", "overran", "overrun"),
    ("retake", "retook", "retaken"),
    ("seek", "sought", "sought"),
    ("slay", "slew", "slain"),
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// The forms of an English verb: past, participles and gerund count everywhere; the
/// bare form and the third person only in headlines.
pub fn english(lemma: &str) -> Vec<Form> {
    let mut out: Vec<Form> = vec![(lemma.to_string(), true)];
    let chars: Vec<char> = lemma.chars().collect();
    let n = chars.len();
    let third =
        if lemma.ends_with(['s', 'x', 'z']) || lemma.ends_with("sh") || lemma.ends_with("ch") {
            format!("{lemma}es")
        } else if n > 1 && chars[n - 1] == 'y' && !is_vowel(chars[n - 2]) {
            format!("{}ies", &lemma[..lemma.len() - 1])
        } else {
            format!("{lemma}s")
        };
    out.push((third, true));
    // One short vowel between consonants doubles the last ("stab" → "stabbed").
    let doubles = n >= 3
        && !is_vowel(chars[n - 1])
        && !matches!(chars[n - 1], 'w' | 'x' | 'y')
        && is_vowel(chars[n - 2])
        && !is_vowel(chars[n - 3])
        && chars.iter().filter(|c| is_vowel(**c)).count() == 1;
    let stem = if doubles {
        format!("{lemma}{}", chars[n - 1])
    } else {
        lemma.to_string()
    };
    let (past, participle) = match IRREGULAR.iter().find(|(l, _, _)| *l == lemma) {
        Some((_, p, pp)) => (p.to_string(), pp.to_string()),
        None => {
            let p = if lemma.ends_with('e') {
                format!("{lemma}d")
            } else if n > 1 && chars[n - 1] == 'y' && !is_vowel(chars[n - 2]) {
                format!("{}ied", &lemma[..lemma.len() - 1])
            } else {
                format!("{stem}ed")
            };
            (p.clone(), p)
        }
    };
    let gerund = if lemma.ends_with('e') && !lemma.ends_with("ee") {
        format!("{}ing", &lemma[..lemma.len() - 1])
    } else {
        format!("{stem}ing")
    };
    for f in [past, participle, gerund] {
        if !out.iter().any(|(x, _)| *x == f) {
            out.push((f, false));
        }
    }
    out
}

/// The nasal prefix (meN-, peN-) of `root` by its first sound: "serang" → "menyerang",
/// "tembak" → "menembak", "pukul" → "memukul", "kirim" → "mengirim", "rampas" →
/// "merampas"; a one-syllable root takes "menge-" ("bom" → "mengebom").
fn nasal(prefix: &str, root: &str) -> String {
    let syllables = root.chars().filter(|c| is_vowel(*c)).count();
    if syllables == 1 {
        return format!("{prefix}nge{root}");
    }
    let mut cs = root.chars();
    let first = cs.next().unwrap_or('a');
    let rest: String = cs.collect();
    match first {
        c if is_vowel(c) => format!("{prefix}ng{root}"),
        'k' => format!("{prefix}ng{rest}"),
        'g' | 'h' => format!("{prefix}ng{root}"),
        'p' => format!("{prefix}m{rest}"),
        'b' | 'f' | 'v' => format!("{prefix}m{root}"),
        't' => format!("{prefix}n{rest}"),
        'd' | 'c' | 'j' | 'z' => format!("{prefix}n{root}"),
        's' if !root.starts_with("sy") => format!("{prefix}ny{rest}"),
        's' => format!("{prefix}n{root}"),
        _ => format!("{prefix}{root}"),
    }
}

/// The affixed forms of an Indonesian root: verbs (meN-, di-, ter-, ber-, with -kan
/// and -i) and nouns (peN-…-an, -an, with -nya).
pub fn indonesian(root: &str) -> Vec<Form> {
    let me = nasal("me", root);
    let pe = nasal("pe", root);
    let mut out = Vec::new();
    for f in [
        me.clone(),
        format!("{me}kan"),
        format!("{me}i"),
        format!("di{root}"),
        format!("di{root}kan"),
        format!("di{root}i"),
        format!("ter{root}"),
        format!("ber{root}"),
        format!("{pe}an"),
        format!("{pe}annya"),
        format!("per{root}an"),
        format!("{root}an"),
        format!("{root}annya"),
    ] {
        if !out.iter().any(|(x, _): &Form| *x == f) {
            out.push((f, false));
        }
    }
    out
}

/// The generated Russian and Ukrainian tables: (language, lemma) → forms.
pub struct Inflections {
    table: HashMap<(String, String), Vec<String>>,
}

impl Inflections {
    pub fn embedded() -> Self {
        let mut table = HashMap::new();
        for line in INFLECTIONS.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let mut f = line.split('\t');
            if let (Some(lang), Some(lemma), Some(forms)) = (f.next(), f.next(), f.next()) {
                table.insert(
                    (lang.to_string(), lemma.to_string()),
                    forms.split('|').map(String::from).collect(),
                );
            }
        }
        Inflections { table }
    }

    /// The forms of `lemma` in `lang`, by whichever means that language inflects.
    pub fn forms(&self, lang: &str, lemma: &str) -> Option<Vec<Form>> {
        match lang {
            "en" => Some(english(lemma)),
            "id" => Some(indonesian(lemma)),
            _ => self
                .table
                .get(&(lang.to_string(), lemma.to_string()))
                .map(|v| v.iter().map(|f| (f.clone(), false)).collect()),
        }
    }
}

/// The phrases a lexicon phrase with one `<lemma>` stands for, each with whether it
/// counts only in headlines; `None` when the lemma is not in the tables.
pub fn expand(inf: &Inflections, lang: &str, phrase: &str) -> Option<Vec<Form>> {
    let (Some(a), Some(b)) = (phrase.find('<'), phrase.find('>')) else {
        return Some(vec![(phrase.to_string(), false)]);
    };
    if b < a {
        return None;
    }
    let lemma = &phrase[a + 1..b];
    let forms = inf.forms(lang, lemma)?;
    Some(
        forms
            .into_iter()
            .map(|(f, h)| (format!("{}{f}{}", &phrase[..a], &phrase[b + 1..]), h))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(forms: Vec<Form>) -> Vec<String> {
        forms.into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn english_verbs_inflect_by_rule() {
        assert_eq!(
            words(english("stab")),
            ["stab", "stabs", "stabbed", "stabbing"]
        );
        assert_eq!(
            words(english("seize")),
            ["seize", "seizes", "seized", "seizing"]
        );
        assert_eq!(
            words(english("occupy")),
            ["occupy", "occupies", "occupied", "occupying"]
        );
        assert_eq!(
            words(english("withdraw")),
            [
                "withdraw",
                "withdraws",
                "withdrew",
                "withdrawn",
                "withdrawing"
            ]
        );
        assert_eq!(words(english("besiege"))[2], "besieged");
        assert_eq!(words(english("attack"))[2], "attacked");
        // The present counts only in headlines.
        let headline: Vec<String> = english("attack")
            .into_iter()
            .filter(|(_, h)| *h)
            .map(|(f, _)| f)
            .collect();
        assert_eq!(headline, ["attack", "attacks"]);
    }

    #[test]
    fn indonesian_roots_take_their_affixes() {
        let f = words(indonesian("serang"));
        for w in [
            "menyerang",
            "diserang",
            "penyerangan",
            "serangan",
            "serangannya",
        ] {
            assert!(f.contains(&w.to_string()), "{w}: {f:?}");
        }
        let f = words(indonesian("tembak"));
        for w in [
            "menembak",
            "menembakkan",
            "ditembak",
            "tertembak",
            "penembakan",
        ] {
            assert!(f.contains(&w.to_string()), "{w}: {f:?}");
        }
        assert!(words(indonesian("pukul")).contains(&"memukul".to_string()));
        assert!(words(indonesian("kirim")).contains(&"mengirim".to_string()));
        assert!(words(indonesian("bom")).contains(&"mengebom".to_string()));
        assert!(words(indonesian("aniaya")).contains(&"menganiaya".to_string()));
        assert!(words(indonesian("rampas")).contains(&"merampas".to_string()));
    }

    #[test]
    fn russian_and_ukrainian_forms_come_from_the_generated_table_without_futures() {
        let inf = Inflections::embedded();
        let ru = words(inf.forms("ru", "освободить").expect("in the table"));
        assert!(ru.contains(&"освободили".to_string()), "{ru:?}");
        assert!(!ru.contains(&"освободят".to_string()), "a future is no act");
        let uk = words(inf.forms("uk", "звільнити").expect("in the table"));
        assert!(uk.contains(&"звільнили".to_string()), "{uk:?}");
        assert!(!uk.contains(&"звільнять".to_string()));
        assert_eq!(
            words(expand(&inf, "ru", "<освободить> заложников").unwrap())[0],
            "освободить заложников"
        );
        assert!(inf.forms("ru", "несуществующее").is_none());
    }
}
