//! A feed's bytes to its items: RSS, Atom and JSON Feed through `feed-rs`, Google
//! News sitemaps (`<urlset>` with `<news:news>`) through `quick-xml`. What is not a
//! feed is said plainly: "not a feed: text/html", "XML error at line 3".

use quick_xml::events::Event as XmlEvent;

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The feed's own id for it (RSS `guid`, Atom `id`, JSON Feed `id`, or the
    /// sitemap's `loc`).
    pub guid: String,
    pub url: Option<String>,
    pub title: Option<String>,
    /// The entry's date (publication, else update), as a calendar date.
    pub date: Option<jiff::civil::Date>,
    /// The article's whole text as HTML, when the feed carries it (`content:encoded`,
    /// Atom `content`, JSON Feed `content_html`) and it is long enough to be the article
    /// rather than a teaser.
    pub content_html: Option<String>,
    pub language: Option<String>,
}

/// Content shorter than this (in characters, markup included) is a teaser: the page
/// is fetched instead.
pub const MIN_FULL_CONTENT_CHARS: usize = 1500;

/// The items of a feed. `content_type` is the header the feed came with.
pub fn items(bytes: &[u8], content_type: Option<&str>) -> Result<Vec<Item>, String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    if head.contains("<urlset") || head.contains("<sitemapindex") {
        return sitemap(bytes);
    }
    match feed_rs::parser::parse(bytes) {
        Ok(feed) => Ok(feed.entries.into_iter().map(from_entry).collect()),
        Err(e) => {
            let html = content_type.is_some_and(super::fetch::is_html)
                || head.trim_start().starts_with("<!doctype html")
                || head.trim_start().starts_with("<html");
            if html {
                let ct = content_type.map_or("text/html".into(), super::fetch::media_type);
                return Err(format!("not a feed: {ct}"));
            }
            let trimmed = bytes.iter().find(|b| !b.is_ascii_whitespace());
            if trimmed == Some(&b'<') {
                if let Some(line) = xml_error_line(bytes) {
                    return Err(format!("XML error at line {line}"));
                }
                return Err(format!("not a feed: {}", describe(&e)));
            }
            if trimmed == Some(&b'{') {
                return Err(format!("not a JSON Feed: {}", describe(&e)));
            }
            let ct = content_type.map_or("no content type".into(), super::fetch::media_type);
            Err(format!("not a feed: {ct}"))
        }
    }
}

fn describe(e: &feed_rs::parser::ParseFeedError) -> String {
    use feed_rs::parser::{ParseErrorKind, ParseFeedError};
    match e {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            "no RSS, Atom or JSON Feed root".into()
        }
        other => other.to_string(),
    }
}

fn from_entry(e: feed_rs::model::Entry) -> Item {
    let url = e
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(e.links.first())
        .map(|l| l.href.clone());
    let date = e
        .published
        .or(e.updated)
        .and_then(|d| d.format("%Y-%m-%d").to_string().parse().ok());
    let content_html = e
        .content
        .and_then(|c| c.body)
        .filter(|b| b.chars().count() >= MIN_FULL_CONTENT_CHARS);
    Item {
        guid: e.id,
        url,
        title: e.title.map(|t| t.content),
        date,
        content_html,
        language: e.language,
    }
}

/// The line (from 1) of the first XML error, if the document has one.
fn xml_error_line(bytes: &[u8]) -> Option<usize> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(XmlEvent::Eof) => return None,
            Ok(_) => buf.clear(),
            Err(_) => {
                let at = (reader.error_position() as usize).min(bytes.len());
                return Some(bytes[..at].iter().filter(|b| **b == b'\n').count() + 1);
            }
        }
    }
}

/// A news sitemap's `<url>` entries (`loc`, `news:title`, `news:publication_date`,
/// `lastmod`, `news:language`).
fn sitemap(bytes: &[u8]) -> Result<Vec<Item>, String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut items = Vec::new();
    let mut current: Option<Item> = None;
    // The text of the element being read (text, CDATA and entity references joined).
    let mut text = String::new();
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|_| {
            let at = (reader.error_position() as usize).min(bytes.len());
            format!(
                "XML error at line {}",
                bytes[..at].iter().filter(|b| **b == b'\n').count() + 1
            )
        })?;
        match ev {
            XmlEvent::Eof => break,
            XmlEvent::Start(s) => {
                let name = s.local_name();
                let name: &str = name.as_ref();
                if name.eq_ignore_ascii_case("sitemapindex") {
                    return Err("a sitemap index, not a feed: add the sitemaps it lists".into());
                }
                if name.eq_ignore_ascii_case("url") {
                    current = Some(Item {
                        guid: String::new(),
                        url: None,
                        title: None,
                        date: None,
                        content_html: None,
                        language: None,
                    });
                }
                text.clear();
            }
            XmlEvent::Text(t) => text.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0)),
            XmlEvent::CData(t) => text.push_str(&t.into_inner()),
            XmlEvent::GeneralRef(r) => {
                let named = match r.as_ref() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => None,
                };
                if let Some(c) = named.or(r.resolve_char_ref().ok().flatten()) {
                    text.push(c);
                }
            }
            XmlEvent::End(e) => {
                let name = e.local_name();
                let name: &str = name.as_ref();
                if name.eq_ignore_ascii_case("url") {
                    if let Some(item) = current.take()
                        && item.url.is_some()
                    {
                        items.push(item);
                    }
                } else if let Some(item) = current.as_mut() {
                    let v = text.trim();
                    if !v.is_empty() {
                        set_field(item, &name.to_ascii_lowercase(), v.to_string());
                    }
                }
                text.clear();
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(items)
}

fn set_field(item: &mut Item, field: &str, v: String) {
    match field {
        "loc" => {
            item.guid = v.clone();
            item.url = Some(v);
        }
        "title" => item.title = Some(v),
        "publication_date" => {
            item.date = crate::ingest::parse_published(&v).ok().or(item.date);
        }
        "lastmod" => {
            item.date = item.date.or(crate::ingest::parse_published(&v).ok());
        }
        "language" => item.language = Some(v),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_carry_guid_link_and_date() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>A</title><link>http://x.test/a</link><guid>g-1</guid><pubDate>Tue, 06 Aug 2024 10:00:00 GMT</pubDate></item>
</channel></rss>"#;
        let items = items(rss, Some("application/rss+xml")).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].guid, "g-1");
        assert_eq!(items[0].url.as_deref(), Some("http://x.test/a"));
        assert_eq!(items[0].date, Some(jiff::civil::date(2024, 8, 6)));
        assert_eq!(items[0].content_html, None);
    }

    #[test]
    fn what_is_not_a_feed_is_named() {
        let html = b"<!DOCTYPE html><html><body>hi</body></html>";
        assert_eq!(
            items(html, Some("text/html; charset=utf-8")).unwrap_err(),
            "not a feed: text/html"
        );
        let broken = b"<?xml version=\"1.0\"?>\n<rss>\n<channel><title>x</tit></channel></rss>";
        assert_eq!(
            items(broken, Some("application/rss+xml")).unwrap_err(),
            "XML error at line 3"
        );
    }

    #[test]
    fn news_sitemaps_give_their_urls_and_dates() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://x.test/a</loc><news:news><news:publication><news:name>X</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2024-08-06T10:00:00+00:00</news:publication_date><news:title>Kursk</news:title></news:news></url>
</urlset>"#;
        let items = items(xml, Some("application/xml")).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].url.as_deref(), Some("http://x.test/a"));
        assert_eq!(items[0].title.as_deref(), Some("Kursk"));
        assert_eq!(items[0].date, Some(jiff::civil::date(2024, 8, 6)));
        assert_eq!(items[0].language.as_deref(), Some("en"));
    }
}
