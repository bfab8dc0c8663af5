//! Case forms of Russian and Ukrainian place and actor names, by the declension rules
//! of the two grammars: the nominative as the gazetteer spells it, and the accusative,
//! dative and locative (prepositional) a headline needs ("Курскую область",
//! "по Сумам", "в Курской области", "у Харкові"). A name of several words inflects its
//! adjectives and its head noun and leaves what follows the head ("Республика Адыгея",
//! "силы Украины") as it is; a hyphenated name inflects its last part.
//!
//! The rules cover the regular paradigms (first and second declension nouns,
//! hard and soft adjectives, pluralia tantum in -ы/-и, indeclinable names in
//! -о/-е/-и/-у and abbreviations). Where the gazetteer lists a name's case forms,
//! [`super::names`] uses these rules to tell its nominative from the other forms.

/// The two languages with case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slavic {
    Ru,
    Uk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Gen,
    Acc,
    Dat,
    Loc,
}

const RU_VOWELS: &str = "аеёиоуыэюя";
const UK_VOWELS: &str = "аеєиіїоуюя";

fn ends(s: &str, suffix: &str) -> bool {
    s.ends_with(suffix)
}

fn strip<'a>(s: &'a str, suffix: &str) -> &'a str {
    s.strip_suffix(suffix).unwrap_or(s)
}

fn last_char(s: &str) -> Option<char> {
    s.chars().last()
}

/// True for an abbreviation (США, КНДР, ВСУ, ЗСУ): such names do not decline.
fn abbreviation(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
}

/// An adjective that agrees with the noun after it.
fn is_adjective(lang: Slavic, w: &str) -> bool {
    let w = w.to_lowercase();
    match lang {
        Slavic::Ru => ["ая", "яя", "ий", "ый", "ой", "ое", "ее", "ые", "ие"]
            .iter()
            .any(|e| ends(&w, e)),
        Slavic::Uk => {
            // Feminine adjectives end in -а like nouns: the adjectival suffixes tell them
            // apart (Курська, Північна, Нова, Велика; not Республіка).
            [
                "ська", "цька", "зька", "на", "ова", "ева", "ика", "ня", "ий", "ій", "е", "і",
            ]
            .iter()
            .any(|e| ends(&w, e))
                && !ends(&w, "іка")
                && w.chars().count() > 3
        }
    }
}

fn adjective(lang: Slavic, w: &str, case: Case) -> String {
    match lang {
        Slavic::Ru => {
            let (stem, fem_soft) = if ends(w, "яя") {
                (strip(w, "яя"), true)
            } else {
                (strip(w, "ая"), false)
            };
            if ends(w, "ая") || ends(w, "яя") {
                return match (case, fem_soft) {
                    (Case::Acc, false) => format!("{stem}ую"),
                    (Case::Acc, true) => format!("{stem}юю"),
                    (_, false) => format!("{stem}ой"),
                    (_, true) => format!("{stem}ей"),
                };
            }
            if ends(w, "ые") || ends(w, "ие") {
                let stem = &w[..w.len() - "ые".len()];
                let y = if ends(w, "ые") { "ы" } else { "и" };
                return match case {
                    Case::Acc => w.to_string(),
                    Case::Dat => format!("{stem}{y}м"),
                    Case::Loc | Case::Gen => format!("{stem}{y}х"),
                };
            }
            // Masculine and neuter: -ый/-ой/-ий/-ое/-ее.
            let stem = &w[..w.len() - "ий".len()];
            if case == Case::Acc {
                return w.to_string();
            }
            let soft = (ends(w, "ий") || ends(w, "ее"))
                && !stem.ends_with(['к', 'г', 'х'])
                && !ends(stem, "ск");
            let hushing = stem.ends_with(['ж', 'ш', 'ч', 'щ', 'ц']);
            match (case, soft || hushing) {
                (Case::Gen, false) => format!("{stem}ого"),
                (Case::Gen, true) => format!("{stem}его"),
                (Case::Dat, false) => format!("{stem}ому"),
                (Case::Dat, true) => format!("{stem}ему"),
                (_, false) => format!("{stem}ом"),
                (_, true) => format!("{stem}ем"),
            }
        }
        Slavic::Uk => {
            if ends(w, "ня") {
                let stem = strip(w, "я");
                return match case {
                    Case::Acc => format!("{stem}ю"),
                    Case::Gen => format!("{stem}ьої"),
                    _ => format!("{stem}ій"),
                };
            }
            if ends(w, "а") {
                let stem = strip(w, "а");
                return match case {
                    Case::Acc => format!("{stem}у"),
                    Case::Gen => format!("{stem}ої"),
                    _ => format!("{stem}ій"),
                };
            }
            if case == Case::Acc {
                return w.to_string();
            }
            let genitive = case == Case::Gen;
            if ends(w, "ій") {
                let stem = strip(w, "ій");
                return if genitive {
                    format!("{stem}ього")
                } else {
                    format!("{stem}ьому")
                };
            }
            if ends(w, "ий") {
                let stem = strip(w, "ий");
                return if genitive {
                    format!("{stem}ого")
                } else {
                    format!("{stem}ому")
                };
            }
            if ends(w, "і") {
                let stem = strip(w, "і");
                return match case {
                    Case::Dat => format!("{stem}им"),
                    _ => format!("{stem}их"),
                };
            }
            // Neuter -е (Нове).
            let stem = strip(w, "е");
            if genitive {
                format!("{stem}ого")
            } else {
                format!("{stem}ому")
            }
        }
    }
}

/// A Russian noun's form.
fn ru_noun(w: &str, case: Case) -> String {
    let lower = w.to_lowercase();
    let Some(last) = last_char(&lower) else {
        return w.to_string();
    };
    if abbreviation(w) {
        return w.to_string();
    }
    if ends(&lower, "ость") || ends(&lower, "асть") {
        let stem = strip(w, "ь");
        return match case {
            Case::Acc => w.to_string(),
            _ => format!("{stem}и"),
        };
    }
    if ends(&lower, "ия") {
        let stem = strip(w, "я");
        return match case {
            Case::Acc => format!("{stem}ю"),
            _ => format!("{stem}и"),
        };
    }
    match last {
        'а' => {
            let stem = strip(w, "а");
            match case {
                Case::Acc => format!("{stem}у"),
                // After velars and hushing consonants -и, else -ы (Суджи, Москвы).
                Case::Gen if stem.ends_with(['к', 'г', 'х', 'ж', 'ш', 'ч', 'щ']) => {
                    format!("{stem}и")
                }
                Case::Gen => format!("{stem}ы"),
                _ => format!("{stem}е"),
            }
        }
        'я' => {
            let stem = strip(w, "я");
            match case {
                Case::Acc => format!("{stem}ю"),
                Case::Gen => format!("{stem}и"),
                _ => format!("{stem}е"),
            }
        }
        // Pluralia tantum: Сумы, Черновцы.
        'ы' => {
            let stem = strip(w, "ы");
            match case {
                Case::Acc => w.to_string(),
                Case::Gen => stem.to_string(),
                Case::Dat => format!("{stem}ам"),
                Case::Loc => format!("{stem}ах"),
            }
        }
        'ь' | 'й' => {
            let stem = &w[..w.len() - last.len_utf8()];
            match case {
                Case::Acc => w.to_string(),
                Case::Gen => format!("{stem}я"),
                Case::Dat => format!("{stem}ю"),
                Case::Loc => format!("{stem}е"),
            }
        }
        c if RU_VOWELS.contains(c) => w.to_string(),
        c if c.is_alphabetic() => match case {
            Case::Acc => w.to_string(),
            Case::Gen => format!("{w}а"),
            Case::Dat => format!("{w}у"),
            Case::Loc => format!("{w}е"),
        },
        _ => w.to_string(),
    }
}

/// The Ukrainian locative/dative ending of a first-declension stem, with the
/// alternation of velars before -і (к → ц, г → з, х → с).
fn uk_velar_i(stem: &str) -> String {
    if let Some(s) = stem.strip_suffix('к') {
        format!("{s}ці")
    } else if let Some(s) = stem.strip_suffix('г') {
        format!("{s}зі")
    } else if let Some(s) = stem.strip_suffix('х') {
        format!("{s}сі")
    } else {
        format!("{stem}і")
    }
}

/// A Ukrainian consonant stem as its oblique cases have it: і in the closed last
/// syllable opens to о (Ріг → Рогу, Розі).
fn uk_open(w: &str) -> String {
    let chars: Vec<char> = w.chars().collect();
    match chars.as_slice() {
        [.., before, 'і', c] if !UK_VOWELS.contains(*before) && !UK_VOWELS.contains(*c) => {
            let mut out: String = chars[..chars.len() - 2].iter().collect();
            out.push('о');
            out.push(*c);
            out
        }
        _ => w.to_string(),
    }
}

/// A Ukrainian noun's form.
fn uk_noun(w: &str, case: Case) -> String {
    let lower = w.to_lowercase();
    let Some(last) = last_char(&lower) else {
        return w.to_string();
    };
    if abbreviation(w) {
        return w.to_string();
    }
    if ends(&lower, "ість") || ends(&lower, "асть") {
        let stem = strip(w, "ь");
        return match case {
            Case::Acc => w.to_string(),
            _ => format!("{stem}і"),
        };
    }
    if ends(&lower, "ія") || ends(&lower, "ея") || ends(&lower, "уя") {
        let stem = strip(w, "я");
        return match case {
            Case::Acc => format!("{stem}ю"),
            _ => format!("{stem}ї"),
        };
    }
    // Neuter place names declined as adjectives: Глушкове, Кореневе → у Глушковому.
    if ["ове", "еве", "єве", "ине", "іне"]
        .iter()
        .any(|e| ends(&lower, e))
    {
        let stem = strip(w, "е");
        return match case {
            Case::Acc => w.to_string(),
            Case::Gen => format!("{stem}ого"),
            _ => format!("{stem}ому"),
        };
    }
    match last {
        'а' => {
            let stem = strip(w, "а");
            match case {
                Case::Acc => format!("{stem}у"),
                Case::Gen => format!("{stem}и"),
                _ => uk_velar_i(stem),
            }
        }
        'я' => {
            let stem = strip(w, "я");
            match case {
                Case::Acc => format!("{stem}ю"),
                _ => format!("{stem}і"),
            }
        }
        // Pluralia tantum: Суми, Черкаси.
        'и' => {
            let stem = strip(w, "и");
            match case {
                Case::Acc => w.to_string(),
                Case::Gen => stem.to_string(),
                Case::Dat => format!("{stem}ам"),
                Case::Loc => format!("{stem}ах"),
            }
        }
        // Дніпро → у Дніпрі, Дніпра, по Дніпру.
        'о' => match case {
            Case::Acc => w.to_string(),
            Case::Gen => format!("{}а", strip(w, "о")),
            Case::Dat => format!("{}у", strip(w, "о")),
            Case::Loc => format!("{}і", strip(w, "о")),
        },
        'ь' => {
            let stem = strip(w, "ь");
            match case {
                Case::Acc => w.to_string(),
                Case::Gen => format!("{stem}я"),
                Case::Dat => format!("{stem}ю"),
                Case::Loc => format!("{stem}і"),
            }
        }
        'й' => {
            let stem = strip(w, "й");
            match case {
                Case::Acc => w.to_string(),
                Case::Gen => format!("{stem}я"),
                Case::Dat => format!("{stem}ю"),
                Case::Loc => format!("{stem}ї"),
            }
        }
        c if UK_VOWELS.contains(c) => w.to_string(),
        c if c.is_alphabetic() => {
            if case == Case::Acc {
                return w.to_string();
            }
            if case == Case::Gen {
                // Київ → Києва, Харків → Харкова.
                if let Some(s) = w.strip_suffix("їв") {
                    return format!("{s}єва");
                }
                if let Some(s) = w.strip_suffix("ів") {
                    return format!("{s}ова");
                }
                return format!("{}а", uk_open(w));
            }
            // Харків → Харкові, Львів → Львові, Київ → Києві (і/ї before в alternates
            // with о/є once the syllable opens); the dative takes -у (по Києву).
            let ending = if case == Case::Dat { "у" } else { "і" };
            if let Some(s) = w.strip_suffix("їв") {
                return format!("{s}єв{ending}");
            }
            if let Some(s) = w.strip_suffix("ів") {
                return format!("{s}ов{ending}");
            }
            let stem = uk_open(w);
            // -ськ/-цьк/-зьк take -у (у Покровську, у Донецьку); other velars alternate
            // before -і (Ріг → у Розі).
            if ["ськ", "цьк", "зьк"].iter().any(|e| w.ends_with(e)) || case == Case::Dat {
                return format!("{stem}у");
            }
            uk_velar_i(&stem)
        }
        _ => w.to_string(),
    }
}

fn noun(lang: Slavic, w: &str, case: Case) -> String {
    // A hyphenated name declines its last part (Хан-Юнис → Хан-Юнисе).
    if let Some((head, tail)) = w.rsplit_once('-')
        && !tail.is_empty()
    {
        return format!("{head}-{}", noun(lang, tail, case));
    }
    match lang {
        Slavic::Ru => ru_noun(w, case),
        Slavic::Uk => uk_noun(w, case),
    }
}

/// `name` in `case`: its adjectives and head noun inflected, the rest as it is.
pub fn inflect(lang: Slavic, name: &str, case: Case) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut head_done = false;
    for (i, w) in words.iter().enumerate() {
        if head_done || w.is_empty() {
            out.push((*w).to_string());
            continue;
        }
        let followed = i + 1 < words.len();
        if followed && is_adjective(lang, w) {
            out.push(adjective(lang, w, case));
        } else {
            out.push(noun(lang, w, case));
            head_done = true;
        }
    }
    out.join(" ")
}

/// "в Курской области", "во Владимире", "у Харкові", "в Одесі": the locative with
/// its preposition, which each language varies by the sounds around it (`after`: the
/// last letter before the phrase, if any). Ukrainian takes в between vowels and
/// before a vowel, у between consonants, at the start, and before в and ф.
pub fn locative_phrase(lang: Slavic, name: &str, after: Option<char>) -> String {
    let form = inflect(lang, name, Case::Loc);
    let mut chars = form.chars().flat_map(char::to_lowercase);
    let first = chars.next().unwrap_or(' ');
    let second = chars.next().unwrap_or(' ');
    let prep = match lang {
        Slavic::Ru => {
            if matches!(first, 'в' | 'ф') && !RU_VOWELS.contains(second) && second.is_alphabetic()
            {
                "во"
            } else {
                "в"
            }
        }
        Slavic::Uk => {
            let after_vowel = after
                .and_then(|c| c.to_lowercase().next())
                .is_some_and(|c| UK_VOWELS.contains(c));
            if matches!(first, 'в' | 'ф') {
                "у"
            } else if UK_VOWELS.contains(first) || after_vowel {
                "в"
            } else {
                "у"
            }
        }
    };
    format!("{prep} {form}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oblasts_take_the_adjectival_declension() {
        use Case::*;
        use Slavic::*;
        assert_eq!(inflect(Ru, "Курская область", Loc), "Курской области");
        assert_eq!(inflect(Ru, "Курская область", Acc), "Курскую область");
        assert_eq!(inflect(Ru, "Курская область", Dat), "Курской области");
        assert_eq!(
            inflect(Uk, "Херсонська область", Loc),
            "Херсонській області"
        );
        assert_eq!(inflect(Uk, "Херсонська область", Acc), "Херсонську область");
        assert_eq!(inflect(Ru, "Алтайский край", Loc), "Алтайском крае");
        assert_eq!(inflect(Uk, "Алтайський край", Loc), "Алтайському краї");
        assert_eq!(inflect(Ru, "Республика Адыгея", Loc), "Республике Адыгея");
        assert_eq!(inflect(Uk, "Республіка Адигея", Loc), "Республіці Адигея");
    }

    #[test]
    fn towns_take_their_noun_declension() {
        use Case::*;
        use Slavic::*;
        assert_eq!(locative_phrase(Ru, "Суджа", None), "в Судже");
        assert_eq!(locative_phrase(Uk, "Суджа", None), "у Суджі");
        assert_eq!(locative_phrase(Uk, "Авдіївка", None), "в Авдіївці");
        assert_eq!(locative_phrase(Ru, "Авдеевка", None), "в Авдеевке");
        assert_eq!(locative_phrase(Uk, "Харків", None), "у Харкові");
        assert_eq!(locative_phrase(Uk, "Київ", None), "у Києві");
        assert_eq!(locative_phrase(Uk, "Покровськ", None), "у Покровську");
        assert_eq!(locative_phrase(Ru, "Сумы", None), "в Сумах");
        assert_eq!(inflect(Ru, "Сумы", Dat), "Сумам");
        assert_eq!(locative_phrase(Uk, "Суми", None), "у Сумах");
        assert_eq!(locative_phrase(Ru, "Владимир", None), "во Владимире");
        assert_eq!(locative_phrase(Uk, "Нова Каховка", None), "у Новій Каховці");
        assert_eq!(
            locative_phrase(Ru, "Новая Каховка", None),
            "в Новой Каховке"
        );
        assert_eq!(locative_phrase(Uk, "Кореневе", None), "у Кореневому");
        assert_eq!(locative_phrase(Uk, "Дніпро", None), "у Дніпрі");
        assert_eq!(locative_phrase(Uk, "Чорнобиль", None), "у Чорнобилі");
        assert_eq!(locative_phrase(Ru, "Хан-Юнис", None), "в Хан-Юнисе");
        assert_eq!(locative_phrase(Ru, "США", None), "в США");
        assert_eq!(locative_phrase(Ru, "Кривой Рог", None), "в Кривом Роге");
        assert_eq!(locative_phrase(Uk, "Кривий Ріг", None), "у Кривому Розі");
        assert_eq!(locative_phrase(Uk, "Пхеньян", Some('и')), "в Пхеньяні");
        assert_eq!(locative_phrase(Uk, "Вінниця", Some('и')), "у Вінниці");
        assert_eq!(inflect(Ru, "Суджа", Acc), "Суджу");
        assert_eq!(inflect(Uk, "Росія", Loc), "Росії");
        assert_eq!(inflect(Ru, "Северная Корея", Loc), "Северной Корее");
    }

    #[test]
    fn the_target_of_a_strike_takes_the_dative() {
        use Case::Dat;
        use Slavic::*;
        for (uk, dat) in [
            ("Київ", "Києву"),
            ("Харків", "Харкову"),
            ("Дніпро", "Дніпру"),
            ("Херсон", "Херсону"),
            ("Кривий Ріг", "Кривому Рогу"),
            ("Суми", "Сумам"),
            ("Суджа", "Суджі"),
            ("Нова Каховка", "Новій Каховці"),
            ("Сумська область", "Сумській області"),
        ] {
            assert_eq!(inflect(Uk, uk, Dat), dat);
        }
        for (ru, dat) in [
            ("Киев", "Киеву"),
            ("Харьков", "Харькову"),
            ("Днепр", "Днепру"),
            ("Кривой Рог", "Кривому Рогу"),
            ("Суджа", "Судже"),
            ("Новая Каховка", "Новой Каховке"),
            ("Курская область", "Курской области"),
        ] {
            assert_eq!(inflect(Ru, ru, Dat), dat);
        }
    }
}
