//! `GET /embed/timeline`: a self-contained HTML page that newsrooms put in an `<iframe>`
//! to show a timeline. The page, its script and its style sheet are compiled into the
//! binary; the script fetches `/events` with the same filter from the same origin and
//! renders the events as text (never as markup). The filter is validated here exactly as
//! `/events` validates it, so a typo is a 400 problem+json, not an empty widget. The
//! script and style are served from their own routes, which lets the Content-Security-
//! Policy allow only `'self'`: no inline code, nothing from elsewhere.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::ApiError;
use super::params;
use crate::knowledge::suggest;

const PAGE: &str = include_str!("../../assets/embed/timeline.html");
const SCRIPT: &str = include_str!("../../assets/embed/timeline.js");
const STYLE: &str = include_str!("../../assets/embed/timeline.css");

/// The policy every embed response carries: scripts, styles and fetches from this
/// origin only, no plugins, no forms, no `<base>`; any site may frame the page.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; \
     form-action 'none'; frame-ancestors *";

/// The `/events` filter parameters the embed passes through.
const FILTERS: [&str; 11] = [
    "region",
    "country",
    "actor",
    "type",
    "from",
    "to",
    "q",
    "source",
    "min_confidence",
    "sort",
    "limit",
];

/// The embed's own parameters, which never reach `/events`.
const OPTIONS: [&str; 4] = ["lang", "theme", "refresh", "title"];

/// Events per page when the embed does not say: enough to fill a frame, few enough that
/// "load more" stays quick.
pub const DEFAULT_LIMIT: &str = "25";

/// The shortest and longest auto-refresh intervals, in seconds.
pub const MIN_REFRESH: u32 = 30;
pub const MAX_REFRESH: u32 = 86_400;

const MAX_TITLE_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Id,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Id => "id",
        }
    }

    fn default_title(self) -> &'static str {
        match self {
            Lang::En => "Timeline",
            Lang::Id => "Linimasa",
        }
    }

    fn noscript(self) -> &'static str {
        match self {
            Lang::En => "This timeline needs JavaScript.",
            Lang::Id => "Linimasa ini memerlukan JavaScript.",
        }
    }
}

/// A validated embed request.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Embed {
    lang: Lang,
    /// `light`, `dark` or `auto`.
    theme: &'static str,
    refresh: Option<u32>,
    title: Option<String>,
    /// The `/events` query string, validated, with the embed's default page size.
    events_query: String,
}

fn parse(raw: Option<&str>, kb: &crate::knowledge::Knowledge) -> Result<Embed, ApiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|e| {
            ApiError::param(
                "query",
                format!("the query string is not valid form encoding: {e}"),
            )
        })?;
    let mut embed = Embed {
        lang: Lang::En,
        theme: "auto",
        refresh: None,
        title: None,
        events_query: String::new(),
    };
    let mut filter: Vec<(String, String)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (k, v) in &pairs {
        let name = k.as_str();
        if FILTERS.contains(&name) {
            filter.push((k.clone(), v.clone()));
            continue;
        }
        let Some(&name) = OPTIONS.iter().find(|o| **o == name) else {
            let known = FILTERS.iter().chain(OPTIONS.iter()).copied();
            return Err(ApiError::InvalidParameter {
                parameter: name.to_string(),
                detail: format!(
                    "unknown parameter {name:?}; known: {}",
                    known.clone().collect::<Vec<_>>().join(", ")
                ),
                suggestions: suggest(name, known),
            });
        };
        if seen.contains(&name) {
            return Err(ApiError::param(
                name,
                format!("{name} is given more than once"),
            ));
        }
        seen.push(name);
        let v = v.trim();
        match name {
            "lang" => {
                embed.lang = match v {
                    "en" => Lang::En,
                    "id" => Lang::Id,
                    _ => {
                        return Err(ApiError::InvalidParameter {
                            parameter: "lang".into(),
                            detail: format!("{v:?} is not a language of the embed: use en or id"),
                            suggestions: suggest(v, ["en", "id"].into_iter()),
                        });
                    }
                }
            }
            "theme" => {
                embed.theme = match v {
                    "light" => "light",
                    "dark" => "dark",
                    "auto" => "auto",
                    _ => {
                        return Err(ApiError::InvalidParameter {
                            parameter: "theme".into(),
                            detail: format!("{v:?} is not a theme: use light, dark or auto"),
                            suggestions: suggest(v, ["light", "dark", "auto"].into_iter()),
                        });
                    }
                }
            }
            "refresh" => {
                let s = v
                    .parse::<u32>()
                    .ok()
                    .filter(|s| (MIN_REFRESH..=MAX_REFRESH).contains(s))
                    .ok_or_else(|| {
                        ApiError::param(
                            "refresh",
                            format!(
                                "{v:?} is not a whole number of seconds from {MIN_REFRESH} to {MAX_REFRESH}"
                            ),
                        )
                    })?;
                embed.refresh = Some(s);
            }
            "title" => {
                if v.is_empty() {
                    return Err(ApiError::param("title", "title is empty"));
                }
                if v.chars().count() > MAX_TITLE_CHARS || v.chars().any(char::is_control) {
                    return Err(ApiError::param(
                        "title",
                        format!(
                            "title takes at most {MAX_TITLE_CHARS} characters and no control characters"
                        ),
                    ));
                }
                embed.title = Some(v.to_string());
            }
            _ => unreachable!("checked against OPTIONS above"),
        }
    }
    if !filter.iter().any(|(k, _)| k == "limit") {
        filter.push(("limit".into(), DEFAULT_LIMIT.into()));
    }
    let query = serde_urlencoded::to_string(&filter)
        .map_err(|e| ApiError::Internal(format!("re-encoding the embed filter: {e}")))?;
    // `/events` validates the filter; its errors (unknown region, bad date…) are ours.
    params::parse(Some(&query), kb)?;
    embed.events_query = query;
    Ok(embed)
}

/// Escapes text for an HTML text node or a double-quoted attribute.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Fills `{{name}}` slots in one pass, so a value can never introduce a slot of its own.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find("}}").and_then(|j| {
            let name = &after[..j];
            values.iter().find(|(k, _)| *k == name).map(|(_, v)| (j, v))
        }) {
            Some((j, v)) => {
                out.push_str(v);
                rest = &after[j + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn render(e: &Embed) -> String {
    let title = e.title.as_deref().unwrap_or(e.lang.default_title());
    // Relative to /embed/timeline, so the page also works under a path prefix.
    let src = if e.events_query.is_empty() {
        "../events".to_string()
    } else {
        format!("../events?{}", e.events_query)
    };
    let color_scheme = match e.theme {
        "light" => "light",
        "dark" => "dark",
        _ => "light dark",
    };
    fill(
        PAGE,
        &[
            ("lang", e.lang.code().to_string()),
            ("theme", e.theme.to_string()),
            ("color_scheme", color_scheme.to_string()),
            ("title", escape(title)),
            (
                "heading_class",
                if e.title.is_some() { "" } else { "sr-only" }.to_string(),
            ),
            ("src", escape(&src)),
            (
                "refresh",
                e.refresh.map(|s| s.to_string()).unwrap_or_default(),
            ),
            ("noscript", escape(e.lang.noscript())),
        ],
    )
}

fn with_headers(content_type: &'static str, body: String) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    res
}

/// `GET /embed/timeline`: the timeline page for an `<iframe>`.
pub async fn timeline(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let embed = parse(raw.as_deref(), &st.kb)?;
    Ok(with_headers("text/html; charset=utf-8", render(&embed)))
}

/// `GET /embed/timeline.js`: the page's script.
pub async fn script() -> Response {
    with_headers("text/javascript; charset=utf-8", SCRIPT.to_string())
}

/// `GET /embed/timeline.css`: the page's style sheet.
pub async fn style() -> Response {
    with_headers("text/css; charset=utf-8", STYLE.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;

    fn kb() -> std::sync::Arc<Knowledge> {
        Knowledge::embedded()
    }

    #[test]
    fn splits_the_embed_options_from_the_filter() {
        let e = parse(
            Some("region=kursk&lang=id&theme=dark&refresh=60&title=Kursk&sort=-date"),
            &kb(),
        )
        .unwrap();
        assert_eq!(e.lang, Lang::Id);
        assert_eq!(e.theme, "dark");
        assert_eq!(e.refresh, Some(60));
        assert_eq!(e.title.as_deref(), Some("Kursk"));
        assert_eq!(e.events_query, "region=kursk&sort=-date&limit=25");
        let e = parse(Some("region=kursk&limit=5"), &kb()).unwrap();
        assert_eq!(e.events_query, "region=kursk&limit=5");
        assert_eq!((e.lang, e.theme, e.refresh), (Lang::En, "auto", None));
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        let param = |q: &str| match parse(Some(q), &kb()) {
            Err(ApiError::InvalidParameter {
                parameter,
                suggestions,
                ..
            }) => (parameter, suggestions),
            other => panic!("{q}: {other:?}"),
        };
        assert_eq!(param("region=kurks").0, "region");
        assert_eq!(param("thme=dark"), ("thme".into(), vec!["theme".into()]));
        assert_eq!(param("lang=ru").0, "lang");
        assert_eq!(param("theme=blue").0, "theme");
        assert_eq!(param("refresh=10").0, "refresh");
        assert_eq!(param("refresh=soon").0, "refresh");
        assert_eq!(param("title=").0, "title");
        assert_eq!(param("lang=en&lang=id").0, "lang");
        assert_eq!(param("cursor=abc").0, "cursor");
        assert_eq!(param("limit=0").0, "limit");
        assert_eq!(param("from=2024-13").0, "from");
    }

    #[test]
    fn the_page_carries_no_markup_from_the_query() {
        let e = parse(
            Some("region=kursk&q=%22%3E%3Cscript%3E&title=%3Cimg%20src%3Dx%3E%20%7B%7Bsrc%7D%7D"),
            &kb(),
        )
        .unwrap();
        let html = render(&e);
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("\"><script>"), "{html}");
        assert!(
            html.contains("<h1 id=\"timeline-heading\" class=\"\">&lt;img src=x&gt; {{src}}</h1>")
        );
        assert!(
            html.contains(
                "data-src=\"../events?region=kursk&amp;q=%22%3E%3Cscript%3E&amp;limit=25\""
            )
        );
        assert!(!html.contains("{{lang}}") && !html.contains("{{theme}}"));
        assert!(!html.contains("<script>") && !html.contains(" style="));
    }
}
