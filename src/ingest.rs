//! Reading articles from the places a user keeps them (files, directories, JSONL,
//! standard input) and running each through the pipeline into the store. Each article
//! is its own transaction: one bad file never costs the others.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Deserialize;

use crate::pipeline::events::ArticleInput;

/// Articles larger than this are refused whole rather than cut.
pub const MAX_ARTICLE_BYTES: usize = 2 * 1024 * 1024;

/// The JSON form of an article (`POST /articles`, `.json` and `.jsonl` files).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleJson {
    pub url: Option<String>,
    pub title: Option<String>,
    pub publisher: Option<String>,
    /// `YYYY-MM-DD` or an RFC 3339 timestamp (its date is used).
    pub published_at: Option<String>,
    pub language: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
    /// The date a feed gave its entry: the publication date when neither
    /// `published_at` nor the page says one. Never read from JSON.
    #[serde(skip)]
    pub feed_date: Option<Date>,
}

/// One article read from somewhere, or why it could not be read.
pub struct Loaded {
    /// Where it came from, for messages: `file.jsonl:3`.
    pub origin: String,
    pub article: Result<ArticleInput, String>,
}

/// What the user said on the command line about every article.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub published: Option<Date>,
    pub url: Option<String>,
    pub language: Option<String>,
}

/// Parses `YYYY-MM-DD` or an RFC 3339 timestamp to its calendar date.
pub fn parse_published(s: &str) -> Result<Date, String> {
    let s = s.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Ok(d);
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Ok(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
    }
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return Ok(dt.date());
    }
    Err(format!(
        "{s:?} is not a date (YYYY-MM-DD) or an RFC 3339 timestamp"
    ))
}

/// An RFC 3339 timestamp, or a date as its midnight UTC, in the form the store keeps
/// (`YYYY-MM-DDTHH:MM:SSZ`, which sorts as text).
pub fn parse_instant(s: &str) -> Option<String> {
    let ts = match s.parse::<jiff::Timestamp>() {
        Ok(ts) => ts,
        Err(_) => s
            .parse::<Date>()
            .ok()?
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp(),
    };
    Some(
        jiff::Timestamp::from_second(ts.as_second())
            .ok()?
            .to_string(),
    )
}

/// The longest `url` accepted, in bytes.
pub const MAX_URL_BYTES: usize = 2048;
/// The longest `title` accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 1000;
/// The longest `publisher`, `published_at` or `language`, in characters.
pub const MAX_SHORT_FIELD_CHARS: usize = 200;

/// A field of an article that is refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub detail: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.detail)
    }
}

impl ArticleJson {
    /// Size limits, and control characters in the one-line fields, field by field.
    pub fn check_fields(&self) -> Result<(), FieldError> {
        let fields: [(&'static str, &Option<String>, usize, bool); 7] = [
            ("url", &self.url, MAX_URL_BYTES, true),
            ("title", &self.title, MAX_TITLE_CHARS, false),
            ("publisher", &self.publisher, MAX_SHORT_FIELD_CHARS, false),
            (
                "published_at",
                &self.published_at,
                MAX_SHORT_FIELD_CHARS,
                false,
            ),
            ("language", &self.language, MAX_SHORT_FIELD_CHARS, false),
            ("text", &self.text, MAX_ARTICLE_BYTES, true),
            ("html", &self.html, MAX_ARTICLE_BYTES, true),
        ];
        for (field, value, max, bytes) in fields {
            let Some(v) = value else { continue };
            let (len, unit) = if bytes {
                (v.len(), "bytes")
            } else {
                (v.chars().count(), "characters")
            };
            if len > max {
                return Err(FieldError {
                    field,
                    detail: format!("{field} is {len} {unit} long; the limit is {max}"),
                });
            }
            // The body's stray control characters are removed (`into_input`). A title
            // or publisher copied from a page may break a line; the rest are one line.
            use crate::domain::fields::{Kind, check};
            let kind = match field {
                "text" | "html" => None,
                "title" | "publisher" => Some(Kind::Text),
                _ => Some(Kind::Line),
            };
            if let Some(kind) = kind {
                check(field, v, kind).map_err(|detail| FieldError { field, detail })?;
            }
        }
        Ok(())
    }

    pub fn into_input(self, d: &Defaults) -> Result<ArticleInput, String> {
        self.check_fields().map_err(|e| e.to_string())?;
        let mut title = self.title;
        let mut page_date = None;
        let mut page_lang = None;
        // A page's stray control characters (NUL, form feeds, C1 codes from a
        // mis-decoded page) are dropped, not a reason to refuse the article.
        let strip = |s: Option<String>| s.map(crate::domain::fields::strip_controls);
        // A form that sends both fields with one left blank gives the other.
        let blank = |s: &str| s.trim().is_empty();
        let (text, html) = match (strip(self.text), strip(self.html)) {
            (Some(t), Some(h)) if blank(&h) && !blank(&t) => (Some(t), None),
            (Some(t), Some(h)) if blank(&t) && !blank(&h) => (None, Some(h)),
            pair => pair,
        };
        let from_html = html.is_some();
        let text = match (text, html) {
            (Some(t), None) => t,
            (None, Some(h)) => {
                let a = crate::pipeline::html::extract(&h, self.url.as_deref())?;
                title = title.or(a.title);
                page_date = a.published;
                page_lang = a.language;
                a.text
            }
            (Some(_), Some(_)) => return Err("give either \"text\" or \"html\", not both".into()),
            (None, None) => return Err("the article has neither \"text\" nor \"html\"".into()),
        };
        // What a person said (`published_at`, then `--published`) over what the page's
        // HTML is guessed to say.
        let published = match self.published_at {
            Some(p) => Some(parse_published(&p).map_err(|e| format!("published_at: {e}"))?),
            None => d.published.or(page_date).or(self.feed_date),
        };
        Ok(ArticleInput {
            url: self.url.or_else(|| d.url.clone()),
            title,
            publisher: self.publisher,
            published,
            language: d
                .language
                .clone()
                .or(self.language)
                .or(page_lang.filter(|l| crate::pipeline::lang::normalise(l).is_some())),
            text,
            from_html,
        })
    }
}

fn from_text(text: String, d: &Defaults) -> ArticleInput {
    ArticleInput {
        url: d.url.clone(),
        title: None,
        publisher: None,
        published: d.published,
        language: d.language.clone(),
        text,
        from_html: false,
    }
}

/// Articles from one blob of input, by its name's extension (`.json`, `.jsonl`,
/// anything else is plain text).
pub fn parse_blob(origin: &str, bytes: Vec<u8>, d: &Defaults) -> Vec<Loaded> {
    let one = |article| {
        vec![Loaded {
            origin: origin.to_string(),
            article,
        }]
    };
    if bytes.len() > MAX_ARTICLE_BYTES && !origin.ends_with(".jsonl") {
        return one(Err(format!(
            "larger than {} MiB",
            MAX_ARTICLE_BYTES / 1024 / 1024
        )));
    }
    // A page says its own encoding (windows-1251, KOI8-R, ISO-8859-1…); JSON and
    // plain text are UTF-8.
    let looks_html = origin.ends_with(".html")
        || origin.ends_with(".htm")
        || (origin == "-"
            && bytes
                .strip_prefix(b"\xef\xbb\xbf")
                .unwrap_or(&bytes)
                .trim_ascii_start()
                .starts_with(b"<"));
    let text = if looks_html {
        crate::pipeline::charset::decode_html(&bytes, None).0
    } else {
        match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => return one(Err("not UTF-8 text".into())),
        }
    };
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if origin.ends_with(".jsonl") || origin.ends_with(".ndjson") {
        return text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| Loaded {
                origin: format!("{origin}:{}", i + 1),
                article: if l.len() > MAX_ARTICLE_BYTES {
                    Err("larger than 2 MiB".into())
                } else {
                    serde_json::from_str::<ArticleJson>(l)
                        .map_err(|e| format!("not an article object: {e}"))
                        .and_then(|a| a.into_input(d))
                },
            })
            .collect();
    }
    if origin.ends_with(".json") || (origin == "-" && trimmed.starts_with('{')) {
        return one(serde_json::from_str::<ArticleJson>(trimmed)
            .map_err(|e| format!("not an article object: {e}"))
            .and_then(|a| a.into_input(d)));
    }
    if looks_html {
        let page = ArticleJson {
            url: d.url.clone(),
            title: None,
            publisher: None,
            published_at: None,
            language: None,
            text: None,
            html: Some(text),
            feed_date: None,
        };
        return one(page.into_input(d));
    }
    if text.contains('\0') {
        return one(Err("contains NUL bytes: not a text file".into()));
    }
    one(Ok(from_text(text, d)))
}

/// Expands paths (directories recursively, in name order) and reads every article.
pub fn load(paths: &[PathBuf], d: &Defaults) -> Vec<Loaded> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            let mut buf = Vec::new();
            let res = std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf);
            match res {
                Ok(_) => out.extend(parse_blob("-", buf, d)),
                Err(e) => out.push(Loaded {
                    origin: "-".into(),
                    article: Err(e.to_string()),
                }),
            }
            continue;
        }
        let mut files = Vec::new();
        if let Err(e) = collect(p, &mut files) {
            out.push(Loaded {
                origin: p.display().to_string(),
                article: Err(e),
            });
            continue;
        }
        for f in files {
            let origin = f.display().to_string();
            match std::fs::read(&f) {
                Ok(bytes) => out.extend(parse_blob(&origin, bytes, d)),
                Err(e) => out.push(Loaded {
                    origin,
                    article: Err(e.to_string()),
                }),
            }
        }
    }
    out
}

fn collect(p: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let meta = std::fs::metadata(p).map_err(|e| format!("{}: {e}", p.display()))?;
    if meta.is_file() {
        files.push(p.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
        .map_err(|e| format!("{}: {e}", p.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|e| {
            !e.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            collect(&e, files)?;
        } else if matches!(
            e.extension().and_then(|x| x.to_str()),
            Some("txt" | "json" | "jsonl" | "ndjson" | "md" | "html" | "htm")
        ) {
            files.push(e);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_dates_and_timestamps() {
        assert_eq!(
            parse_published("2025-04-29").unwrap().to_string(),
            "2025-04-29"
        );
        assert_eq!(
            parse_published("2025-04-29T23:30:00Z").unwrap().to_string(),
            "2025-04-29"
        );
        assert!(parse_published("29/04/2025").is_err());
    }

    #[test]
    fn a_blank_text_or_html_beside_the_other_counts_as_absent() {
        let read = |v: serde_json::Value| {
            serde_json::from_value::<ArticleJson>(v)
                .unwrap()
                .into_input(&Defaults::default())
        };
        let a = read(serde_json::json!({"text": "On 6 August 2024 Ukraine attacked.", "html": ""}))
            .unwrap();
        assert!(!a.from_html && a.text.starts_with("On 6 August"));
        let a = read(
            serde_json::json!({"text": " \n", "html": "<p>On 6 August 2024 Ukraine attacked.</p>"}),
        )
        .unwrap();
        assert!(a.from_html && a.text.contains("Ukraine attacked"));
        for both in [
            serde_json::json!({"text": "a", "html": "<p>b</p>"}),
            serde_json::json!({"text": "", "html": " "}),
        ] {
            assert!(read(both).unwrap_err().contains("not both"));
        }
    }

    #[test]
    fn jsonl_lines_fail_alone() {
        let blob = b"{\"text\": \"a\"}\nnot json\n{\"html\": \"<p>x</p>\"}\n".to_vec();
        let got = parse_blob("x.jsonl", blob, &Defaults::default());
        assert_eq!(got.len(), 3);
        assert!(got[0].article.is_ok());
        assert_eq!(got[1].origin, "x.jsonl:2");
        assert!(got[1].article.is_err());
        assert!(got[2].article.is_ok(), "HTML articles are read too");
    }

    #[test]
    fn an_html_page_is_cleaned_as_main_content() {
        // Cleaning keeps the subheads of an HTML page's main content, not of plain text.
        let blob = b"{\"text\": \"a b c\"}\n{\"html\": \"<p>x y z</p>\"}\n".to_vec();
        let got = parse_blob("x.jsonl", blob, &Defaults::default());
        let from_html: Vec<bool> = got
            .iter()
            .map(|l| l.article.as_ref().expect("read").from_html)
            .collect();
        assert_eq!(from_html, [false, true]);
    }

    const DATED_PAGE: &str = r#"<html><head><meta charset="windows-1251">
<script type="application/ld+json">{"datePublished": "0001-01-01T00:00:00Z"}</script>
<meta property="article:published_time" content="2023-05-04T08:00:00+03:00"></head>
<body><article><h1>Херсон</h1><p>Российские войска обстреляли Херсон 3 мая 2023 года, сообщили власти области.</p>
<p>Повреждены жилые дома и объекты инфраструктуры, есть пострадавшие среди мирных жителей города.</p></article></body></html>"#;

    #[test]
    fn an_explicit_publication_date_wins_over_the_pages() {
        let bytes = encoding_rs::WINDOWS_1251.encode(DATED_PAGE).0.into_owned();
        let page = |published| {
            let d = Defaults {
                published,
                ..Defaults::default()
            };
            let mut got = parse_blob("page.html", bytes.clone(), &d);
            got.remove(0)
                .article
                .unwrap()
                .published
                .map(|p| p.to_string())
        };
        assert_eq!(page(None).as_deref(), Some("2023-05-04"), "the page's own");
        assert_eq!(
            page(Some(jiff::civil::date(2023, 5, 5))).as_deref(),
            Some("2023-05-05"),
            "--published over the page"
        );
        let json = serde_json::json!({"html": DATED_PAGE, "published_at": "2023-05-06"});
        let got = parse_blob(
            "a.json",
            json.to_string().into_bytes(),
            &Defaults::default(),
        );
        assert_eq!(
            got[0]
                .article
                .as_ref()
                .unwrap()
                .published
                .map(|p| p.to_string())
                .as_deref(),
            Some("2023-05-06"),
            "published_at over the page"
        );
    }

    #[test]
    fn html_files_are_read_in_their_declared_encoding() {
        let bytes = encoding_rs::WINDOWS_1251.encode(DATED_PAGE).0.into_owned();
        assert!(std::str::from_utf8(&bytes).is_err());
        for origin in ["page.html", "-"] {
            let got = parse_blob(origin, bytes.clone(), &Defaults::default());
            let a = got[0].article.as_ref().expect("read");
            assert!(
                a.text.contains("обстреляли Херсон 3 мая"),
                "{origin}: {}",
                a.text
            );
        }
        // Plain text stays UTF-8 only.
        assert!(
            parse_blob("a.txt", vec![0xCF, 0xF0], &Defaults::default())[0]
                .article
                .is_err()
        );
    }
}
