//! HTML input: a saved news page becomes the article's title, main text and
//! publication date. Main-content extraction is Mozilla Readability's algorithm
//! (`dom_smoothie`); the publication date is `published::find`'s (metadata, JSON-LD,
//! `<time>`, the URL, the visible date line).

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

/// Captions and photo credits: the text under a picture, not the article's. A
/// `<figcaption>`, or a short element whose class names a caption or a credit (the names
/// CMSs give them: `caption`, `wp-caption-text`, `image-credit`, `photo-credit`…). The
/// length cap keeps a wrapper that merely carries such a class ("has-caption") and holds
/// the article.
fn drop_captions(doc: &dom_query::Document) {
    const MAX_CAPTION_CHARS: usize = 600;
    doc.select("figcaption").remove();
    for sel in [
        "[class*=caption]",
        "[class*=Caption]",
        "[class*=credit]",
        "[class*=Credit]",
    ] {
        for n in doc.select(sel).nodes() {
            let short = n.text().chars().take(MAX_CAPTION_CHARS + 1).count() <= MAX_CAPTION_CHARS;
            if short
                && !matches!(
                    n.node_name().as_deref(),
                    Some("body" | "html" | "article" | "main")
                )
            {
                n.remove_from_parent();
            }
        }
    }
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
    // Plausible publication dates end tomorrow (a page written east of us).
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let published = super::published::find(&doc, url, today).map(|f| f.date);
    let lang = doc.select("html[lang]").attr("lang").map(|l| {
        l.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    });
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    drop_captions(&doc);
    // Readability reads the document parsed above (one parse per page, not two).
    let mut r = Readability::with_document(doc, url, Some(cfg))
        .map_err(|e| format!("not a readable HTML page: {e}"))?;
    let (title, text) = match r.parse() {
        Ok(a) => (
            Some(a.title.trim().to_string()).filter(|t| !t.is_empty()),
            a.text_content.to_string(),
        ),
        // Too little for Readability: the body's text is all there is.
        Err(_) => {
            let doc = dom_query::Document::from(html);
            drop_captions(&doc);
            let body = doc.select("body").formatted_text().to_string();
            let title = doc.select("title").text().trim().to_string();
            (Some(title).filter(|t| !t.is_empty()), body)
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
        published,
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
    fn captions_and_photo_credits_stay_out_of_the_body() {
        let page = r#"<html><head><title>Sudzha retaken</title></head><body><article>
<p>Russian forces said on Wednesday they had retaken the town of Sudzha in the Kursk region, seven months after Ukrainian troops crossed the border there.</p>
<figure><img src="a.jpg"><figcaption>A destroyed bridge near the town in a photograph released by the ministry.</figcaption></figure>
<p>Ukraine's general staff denied that its units had been surrounded and said they had withdrawn to better positions along the border.</p>
<div class="wp-caption"><img src="b.jpg"><p class="wp-caption-text">Soldiers ride an armoured vehicle on a road outside the town last week.</p></div>
<p>The operation began on 6 August 2024 and was the first incursion into Russian territory by a foreign army since the Second World War.</p>
<span class="image-credit">[File: Reuters]</span>
<p>Analysts said the loss of the town leaves Kyiv with little land to trade in any talks about ending the war this year.</p>
</article></body></html>"#;
        let a = extract(page, None).unwrap();
        assert!(a.text.contains("retaken the town of Sudzha"), "{}", a.text);
        assert!(a.text.contains("little land to trade"), "{}", a.text);
        for caption in ["destroyed bridge", "armoured vehicle", "File: Reuters"] {
            assert!(!a.text.contains(caption), "{caption:?} in {}", a.text);
        }
        assert_eq!(a.text.lines().count(), 4, "{}", a.text);
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
