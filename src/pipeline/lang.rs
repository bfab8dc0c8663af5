//! Language detection. The four languages linimasa extracts from come first; any other
//! language is reported by its ISO 639-1 code where whatlang knows one, so the caller
//! can say it has no lexicon for it.

use whatlang::Lang;

/// The ISO 639-1 code of `text`'s language, when it can be told.
pub fn detect(text: &str) -> Option<&'static str> {
    // A few thousand characters decide as well as the whole article, and much faster.
    let sample: String = text.chars().take(4000).collect();
    let info = whatlang::detect(&sample)?;
    Some(match info.lang() {
        Lang::Ind => "id",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Deu => "de",
        Lang::Fra => "fr",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Pol => "pl",
        Lang::Nld => "nl",
        Lang::Tur => "tr",
        Lang::Ara => "ar",
        Lang::Cmn => "zh",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Bel => "be",
        // Javanese and Malay texts with Indonesian vocabulary are mostly Indonesian news.
        Lang::Jav => "id",
        _ => return None,
    })
}

/// The languages with lexicons.
pub const SUPPORTED: [&str; 4] = ["id", "en", "ru", "uk"];

/// Normalises a user's `--lang` to an ISO 639-1 code ("ind", "Indonesian" → "id").
pub fn normalise(code: &str) -> Option<&'static str> {
    match code.trim().to_ascii_lowercase().as_str() {
        "id" | "ind" | "in" | "indonesian" | "bahasa" => Some("id"),
        "en" | "eng" | "english" => Some("en"),
        "ru" | "rus" | "russian" => Some("ru"),
        "uk" | "ukr" | "ukrainian" => Some("uk"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_four_languages_apart() {
        assert_eq!(
            detect(
                "Pasukan Ukraina melancarkan serangan ke wilayah Rusia pada hari Senin dan merebut beberapa desa."
            ),
            Some("id")
        );
        assert_eq!(
            detect(
                "Ukrainian forces launched an attack into Russia on Monday and captured several villages."
            ),
            Some("en")
        );
        assert_eq!(
            detect(
                "Украинские войска в понедельник начали наступление и заняли несколько сёл в Курской области."
            ),
            Some("ru")
        );
        assert_eq!(
            detect(
                "Українські війська в понеділок почали наступ і зайняли кілька сіл у Курській області."
            ),
            Some("uk")
        );
        assert_eq!(normalise("IND"), Some("id"));
        assert_eq!(normalise("xx"), None);
    }
}
