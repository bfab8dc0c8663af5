//! HTML input: a saved news page becomes the article's title, main text and
//! publication date. Main-content extraction is Mozilla Readability's algorithm
//! (`dom_smoothie`); the date comes from `article:published_time`, JSON-LD
//! `datePublished` (both through Readability's metadata) or the first `<time datetime>`.

use dom_smoothie::{Config, Readability, TextMode};
use jiff::civil::Date;

/// What a page yields.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlArticle {
    pub title: Option<String>,
    /// Plain text, one paragraph per line.
    pub text: String,
    pub published: Option<Date>,
    pub language: Option<String>,
}

/// Parses an `YYYY-MM-DD…` or RFC 3339 value to its date.
fn date_of(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date());
    }
    s.get(..10)?.parse().ok()
}

pub fn extract(html: &str, url: Option<&str>) -> Result<HtmlArticle, String> {
    let flat = super::bounds::flatten(html);
    let html: &str = &flat;
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    let doc = dom_query::Document::from(html);
    super::bounds::check_depth(&doc)?;
    let time = doc
        .select("time[datetime]")
        .iter()
        .find_map(|t| t.attr("datetime").and_then(|v| date_of(&v)));
    let lang = doc.select("html[lang]").attr("lang").map(|l| {
        l.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    });
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let mut r = Readability::new(html, url, Some(cfg))
        .map_err(|e| format!("not a readable HTML page: {e}"))?;
    let (title, text, published) = match r.parse() {
        Ok(a) => (
            Some(a.title.trim().to_string()).filter(|t| !t.is_empty()),
            a.text_content.to_string(),
            a.published_time.as_deref().and_then(date_of),
        ),
        // Too little for Readability: the body's text is all there is.
        Err(_) => {
            let body = doc.select("body").formatted_text().to_string();
            let title = doc.select("title").text().trim().to_string();
            (Some(title).filter(|t| !t.is_empty()), body, None)
        }
    };
    let text: String = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    if text.is_empty() {
        return Err("the page has no text".into());
    }
    Ok(HtmlArticle {
        title,
        text,
        published: published.or(time),
        language: lang.filter(|l| l.len() == 2),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="en-GB"><head><title>Kursk incursion | Example News</title>
<meta property="article:published_time" content="2024-08-08T09:30:00+03:00">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Ukraine pushes into Kursk</h1>
<p>On 6 August 2024, Ukrainian forces launched an offensive into Russia's Kursk region near the town of Sudzha, in the largest cross-border operation of the war so far.</p>
<p>Russia's acting governor declared a regional state of emergency a day later, and officials ordered evacuations from several border districts as fighting continued.</p>
<p>Kyiv said little about the aims of the operation in its first days, while Moscow moved reserves towards the area from other parts of the front.</p>
</article><aside>Read more: unrelated story about football</aside><footer>© Example News</footer></body></html>"#;

    #[test]
    fn main_text_title_date_and_language_come_out_of_a_page() {
        let a = extract(PAGE, Some("https://example.org/kursk")).unwrap();
        assert_eq!(
            a.published.map(|d| d.to_string()).as_deref(),
            Some("2024-08-08")
        );
        assert_eq!(a.language.as_deref(), Some("en"));
        assert!(
            a.text
                .contains("On 6 August 2024, Ukrainian forces launched")
        );
        assert!(
            a.text.lines().count() >= 3,
            "paragraphs stay lines: {}",
            a.text
        );
        assert!(
            !a.text.contains("Home") && !a.text.contains("football"),
            "{}",
            a.text
        );
        assert!(a.title.unwrap().contains("Kursk"));
    }

    #[test]
    fn time_elements_and_tiny_pages() {
        let a = extract(
            "<html><body><p>On Friday troops withdrew.</p><time datetime=\"2024-02-18\">18 Feb</time></body></html>",
            None,
        )
        .unwrap();
        assert_eq!(
            a.published.map(|d| d.to_string()).as_deref(),
            Some("2024-02-18")
        );
        assert!(a.text.contains("troops withdrew"));
        assert!(extract("<html><body></body></html>", None).is_err());
    }
}
