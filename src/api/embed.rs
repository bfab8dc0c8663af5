//! `GET /embed/timeline`: a self-contained HTML page that newsrooms put in an `<iframe>`
//! to show a timeline. The page, its script and its style sheet are compiled into the
//! binary; the script fetches `/events` with the same filter from the same origin and
//! renders the events as text (never as markup). The filter is validated here exactly as
//! `/events` validates it, so a typo is a 400 problem+json, not an empty widget. The
//! script and style are served from their own routes, which lets the Content-Security-
//! Policy allow only `'self'`: no inline code, nothing from elsewhere.
//!
//! `GET /embed/timelines/{slug}` is the same page for a saved timeline: its filter is
//! fixed (a filter parameter is a 400, as on `/timelines/{slug}`), its title is the
//! heading unless `title` replaces it, and the script pages through
//! `/timelines/{slug}?limit=…`.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::ApiError;
use super::params;
use crate::headline::Lang;
use crate::knowledge::suggest;
use crate::store::Timeline;

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

/// The page's language: its labels, and the language the events are asked for in.
trait PageText {
    fn default_title(self) -> &'static str;
    fn noscript(self) -> &'static str;
}

impl PageText for Lang {
    fn default_title(self) -> &'static str {
        match self {
            Lang::En => "Timeline",
            Lang::Id => "Linimasa",
            Lang::Ru => "Хроника",
            Lang::Uk => "Хроніка",
        }
    }

    fn noscript(self) -> &'static str {
        match self {
            Lang::En => "This timeline needs JavaScript.",
            Lang::Id => "Linimasa ini memerlukan JavaScript.",
            Lang::Ru => "Для этой хроники нужен JavaScript.",
            Lang::Uk => "Для цієї хроніки потрібен JavaScript.",
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
    /// The first page's URL, relative to the embed page (`../events?…`).
    src: String,
    /// The service's root, relative to the embed page (`../`, `../../`): the script
    /// resolves the API's `next` links (`/events?…`) against it.
    root: &'static str,
}

/// Where `/embed/timeline` sits: one level below the root.
const ROOT_OF_TIMELINE: &str = "../";
/// Where `/embed/timelines/{slug}` sits: two levels below the root.
const ROOT_OF_SAVED: &str = "../../";

/// The query string's pairs (as every handler reads them), or a 400 naming the
/// parameter or `query`.
fn pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    super::params::query_pairs(raw)
}

fn unknown(name: &str, known: &[&str]) -> ApiError {
    ApiError::InvalidParameter {
        parameter: name.to_string(),
        detail: format!("unknown parameter {name:?}; known: {}", known.join(", ")),
        suggestions: suggest(name, known.iter().copied()),
    }
}

/// Applies one of the embed's own options (`lang`, `theme`, `refresh`, `title`).
fn option(embed: &mut Embed, name: &str, v: &str) -> Result<(), ApiError> {
    let v = v.trim();
    match name {
        "lang" => embed.lang = params::parse_lang(v)?,
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
        _ => unreachable!("callers check against OPTIONS"),
    }
    Ok(())
}

fn defaults(root: &'static str) -> Embed {
    Embed {
        lang: Lang::En,
        theme: "auto",
        refresh: None,
        title: None,
        src: String::new(),
        root,
    }
}

/// `GET /embed/timeline`'s query: the `/events` filter plus the embed's options.
fn parse(raw: Option<&str>, kb: &crate::knowledge::Knowledge) -> Result<Embed, ApiError> {
    let pairs = pairs(raw)?;
    let mut embed = defaults(ROOT_OF_TIMELINE);
    let mut filter: Vec<(String, String)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (k, v) in &pairs {
        let name = k.as_str();
        if FILTERS.contains(&name) {
            filter.push((k.clone(), v.clone()));
            continue;
        }
        let Some(&name) = OPTIONS.iter().find(|o| **o == name) else {
            let known: Vec<&str> = FILTERS.iter().chain(OPTIONS.iter()).copied().collect();
            return Err(unknown(name, &known));
        };
        if seen.contains(&name) {
            return Err(ApiError::param(
                name,
                format!("{name} is given more than once"),
            ));
        }
        seen.push(name);
        option(&mut embed, name, v)?;
    }
    if !filter.iter().any(|(k, _)| k == "limit") {
        filter.push(("limit".into(), DEFAULT_LIMIT.into()));
    }
    // The events come in the page's language.
    filter.push(("lang".into(), embed.lang.code().into()));
    let query = serde_urlencoded::to_string(&filter)
        .map_err(|e| ApiError::Internal(format!("re-encoding the embed filter: {e}")))?;
    // `/events` validates the filter; its errors (unknown region, bad date…) are ours.
    params::parse(Some(&query), kb)?;
    embed.src = format!("{ROOT_OF_TIMELINE}events?{query}");
    Ok(embed)
}

/// What `GET /embed/timelines/{slug}` takes: the options and a page size, never a
/// filter (the saved one is fixed).
const SAVED_PARAMS: [&str; 5] = ["lang", "theme", "refresh", "title", "limit"];

/// `GET /embed/timelines/{slug}`'s query, for the saved timeline `t`: the embed's
/// options and `limit`; the heading is the saved title unless `title` replaces it.
fn parse_saved(
    raw: Option<&str>,
    t: &Timeline,
    kb: &crate::knowledge::Knowledge,
) -> Result<Embed, ApiError> {
    let pairs = pairs(raw)?;
    let mut embed = defaults(ROOT_OF_SAVED);
    let mut limit = DEFAULT_LIMIT.to_string();
    let mut seen: Vec<&str> = Vec::new();
    for (k, v) in &pairs {
        let Some(&name) = SAVED_PARAMS.iter().find(|o| **o == k.as_str()) else {
            if FILTERS.contains(&k.as_str()) || k == "cursor" {
                return Err(ApiError::param(
                    k,
                    format!(
                        "a saved timeline's filter is fixed; its embed takes only {} (use \
                         /embed/timeline to filter freely)",
                        SAVED_PARAMS.join(", ")
                    ),
                ));
            }
            return Err(unknown(k, &SAVED_PARAMS));
        };
        if seen.contains(&name) {
            return Err(ApiError::param(
                name,
                format!("{name} is given more than once"),
            ));
        }
        seen.push(name);
        if name == "limit" {
            limit = v.trim().to_string();
        } else {
            option(&mut embed, name, v)?;
        }
    }
    let own = serde_urlencoded::to_string([("limit", limit.as_str())])
        .map_err(|e| ApiError::Internal(format!("encoding the embed's limit: {e}")))?;
    // Validated as `/timelines/{slug}?limit=…` validates it: the saved filter and the
    // page size together.
    let merged = if t.filter.is_empty() {
        own.clone()
    } else {
        format!("{}&{own}", t.filter)
    };
    params::parse(Some(&merged), kb)?;
    if embed.title.is_none() {
        embed.title = Some(t.title.clone());
    }
    // Slugs are lower-case letters, digits and dashes; encode anyway, it costs nothing.
    let slug: String = url_path_segment(&t.slug);
    embed.src = format!(
        "{ROOT_OF_SAVED}timelines/{slug}?{own}&lang={}",
        embed.lang.code()
    );
    Ok(embed)
}

/// Percent-encodes everything but unreserved characters, for one path segment.
fn url_path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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
            ("src", escape(&e.src)),
            ("root", e.root.to_string()),
            // The script and style sheet are /embed/timeline.js and .css.
            ("assets", e.root[ROOT_OF_TIMELINE.len()..].to_string()),
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

/// `GET /embed/timelines/{slug}`: a saved timeline's page for an `<iframe>`.
pub async fn saved_timeline(
    State(st): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let t = st
        .store
        .get_timeline(&slug)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no timeline {slug:?}")))?;
    let embed = parse_saved(raw.as_deref(), &t, &st.kb)?;
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
        assert_eq!(e.src, "../events?region=kursk&sort=-date&limit=25&lang=id");
        let e = parse(Some("region=kursk&limit=5"), &kb()).unwrap();
        assert_eq!(e.src, "../events?region=kursk&limit=5&lang=en");
        assert_eq!((e.lang, e.theme, e.refresh), (Lang::En, "auto", None));
        let e = parse(Some("region=kursk&lang=uk"), &kb()).unwrap();
        assert_eq!(e.lang, Lang::Uk);
        assert!(render(&e).contains("<html lang=\"uk\""));
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
        assert_eq!(param("lang=de").0, "lang");
        assert_eq!(param("theme=blue").0, "theme");
        assert_eq!(param("refresh=10").0, "refresh");
        assert_eq!(param("refresh=soon").0, "refresh");
        assert_eq!(param("title=").0, "title");
        assert_eq!(param("lang=en&lang=id").0, "lang");
        assert_eq!(param("cursor=abc").0, "cursor");
        assert_eq!(param("limit=0").0, "limit");
        assert_eq!(param("from=2024-13").0, "from");
    }

    fn saved() -> Timeline {
        Timeline {
            slug: "kursk-2024".into(),
            title: "Kursk, <2024>".into(),
            description: String::new(),
            filter: "region=kursk&from=2024".into(),
            created_by: "desk".into(),
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn a_saved_timeline_takes_the_options_and_a_page_size_only() {
        let t = saved();
        let e = parse_saved(None, &t, &kb()).unwrap();
        assert_eq!(e.src, "../../timelines/kursk-2024?limit=25&lang=en");
        assert_eq!(e.title.as_deref(), Some("Kursk, <2024>"));
        assert_eq!((e.lang, e.theme, e.refresh), (Lang::En, "auto", None));
        let html = render(&e);
        assert!(html.contains("href=\"../timeline.css\""), "{html}");
        assert!(html.contains("src=\"../timeline.js\""), "{html}");
        assert!(html.contains("data-root=\"../../\""), "{html}");
        assert!(
            html.contains("class=\"\">Kursk, &lt;2024&gt;</h1>"),
            "{html}"
        );

        let e = parse_saved(
            Some("lang=id&theme=dark&refresh=300&title=Kursk&limit=5"),
            &t,
            &kb(),
        )
        .unwrap();
        assert_eq!(e.src, "../../timelines/kursk-2024?limit=5&lang=id");
        assert_eq!((e.lang, e.theme, e.refresh), (Lang::Id, "dark", Some(300)));
        assert_eq!(e.title.as_deref(), Some("Kursk"));

        let param = |q: &str| match parse_saved(Some(q), &t, &kb()) {
            Err(ApiError::InvalidParameter {
                parameter, detail, ..
            }) => (parameter, detail),
            other => panic!("{q}: {other:?}"),
        };
        let (p, detail) = param("region=sumy");
        assert_eq!(p, "region");
        assert!(detail.contains("fixed"), "{detail}");
        for (q, p) in [
            ("sort=-date", "sort"),
            ("from=2023", "from"),
            ("cursor=abc", "cursor"),
            ("thme=dark", "thme"),
            ("limit=0", "limit"),
            ("limit=lots", "limit"),
            ("limit=5&limit=6", "limit"),
            ("lang=fr", "lang"),
            ("refresh=5", "refresh"),
            ("title=", "title"),
        ] {
            assert_eq!(param(q).0, p, "{q}");
        }
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
        assert!(html.contains(
            "data-src=\"../events?region=kursk&amp;q=%22%3E%3Cscript%3E&amp;limit=25&amp;lang=en\""
        ));
        assert!(!html.contains("{{lang}}") && !html.contains("{{theme}}"));
        assert!(!html.contains("<script>") && !html.contains(" style="));
    }
}
