//! Fetching feeds and pages as a good feed reader does: a `User-Agent` that names
//! linimasa, conditional requests, one request at a time per host and at least
//! `host_gap` apart, `robots.txt` for pages, redirects followed by hand (each hop
//! waits its turn at its own host, at most five), gzip and brotli, a connect and a
//! whole-response timeout, and a size cap checked while the body arrives.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{self, HeaderMap, HeaderValue};

use crate::store::Validators;

/// How the fetcher behaves; [`FetchConfig::default`] is what `serve` uses.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// The least time between two requests to one host (and one at a time).
    pub host_gap: Duration,
    pub connect_timeout: Duration,
    /// The whole response, body included.
    pub total_timeout: Duration,
    pub max_redirects: usize,
    pub max_feed_bytes: usize,
    pub max_page_bytes: usize,
    /// How long a host's `robots.txt` is trusted.
    pub robots_ttl: Duration,
    /// Whether feeds and pages may be fetched from loopback, private, link-local and
    /// other non-public addresses (`serve --feeds-allow-private`). Off by default: a
    /// feed URL given through the API must not reach into the server's own network.
    pub allow_private: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            host_gap: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_redirects: 5,
            max_feed_bytes: 10 * 1024 * 1024,
            max_page_bytes: 5 * 1024 * 1024,
            robots_ttl: Duration::from_secs(24 * 3600),
            allow_private: false,
        }
    }
}

/// The product token `robots.txt` rules are matched against.
pub const ROBOTS_AGENT: &str = "linimasa";

/// What linimasa says it is.
pub fn user_agent() -> String {
    format!(
        "{ROBOTS_AGENT}/{} (news timeline service; follows feeds it was given)",
        env!("CARGO_PKG_VERSION")
    )
}

/// What is fetched: a feed (its cap, any type) or an article page (its cap, HTML only,
/// `robots.txt` asked first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Feed,
    Page,
}

/// A full answer.
#[derive(Debug, Clone)]
pub struct Body {
    /// Where the body came from, after redirects.
    pub url: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub validators: Validators,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub enum Fetched {
    Full(Body),
    /// 304: unchanged since the validators sent.
    NotModified,
}

/// Why nothing usable came back, in words `last_error` shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("HTTP {status}")]
    Status {
        status: u16,
        /// `Retry-After` of a 429 or 503.
        retry_after: Option<Duration>,
    },
    #[error("timed out after {0} s")]
    Timeout(u64),
    #[error("larger than {0} MB")]
    TooLarge(usize),
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    #[error("a redirect without a usable Location")]
    BadRedirect,
    /// The host said to wait (`Retry-After` of an earlier answer) and the time is not up.
    #[error("the host asked to wait {0} s more (Retry-After)")]
    Deferred(u64),
    #[error("robots.txt disallows it")]
    Disallowed,
    #[error("not HTML: {0}")]
    NotHtml(String),
    #[error("unsupported URL: {0}")]
    Url(String),
    #[error("{0} is not a public address (serve --feeds-allow-private allows it)")]
    Private(String),
    #[error("{0}")]
    Network(String),
}

impl FetchError {
    /// How long the server asked to be left alone, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            FetchError::Deferred(s) => Some(Duration::from_secs(*s)),
            _ => None,
        }
    }

    /// Whether trying again later may succeed (the item is not marked seen).
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => *status == 408 || *status == 429 || *status >= 500,
            FetchError::Timeout(_) | FetchError::Network(_) | FetchError::Deferred(_) => true,
            _ => false,
        }
    }
}

/// A host's turn: held for the whole of a request.
type Turn = Arc<tokio::sync::Mutex<HostState>>;

#[derive(Debug, Default)]
struct HostState {
    /// When the last request to the host ended.
    last: Option<Instant>,
    /// Until when the host asked (429/503 `Retry-After`) to be left alone.
    not_before: Option<Instant>,
}

/// `robots.txt` as fetched, and until when it is trusted.
#[derive(Clone)]
struct Robots {
    until: Instant,
    rules: Rules,
}

#[derive(Clone)]
enum Rules {
    /// No file (or a 4xx): everything is allowed.
    None,
    Text(String),
    /// It could not be read (a server error, a timeout): the host's pages wait.
    Unavailable,
}

pub struct Fetcher {
    client: reqwest::Client,
    config: FetchConfig,
    hosts: Mutex<HashMap<String, Turn>>,
    robots: Mutex<HashMap<String, Robots>>,
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Result<Self, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(user_agent())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.connect_timeout)
            .timeout(config.total_timeout)
            .gzip(true)
            .brotli(true)
            .dns_resolver(Arc::new(PublicOnly {
                allow_private: config.allow_private,
            }))
            .build()
            .map_err(|e| FetchError::Network(format!("HTTP client: {e}")))?;
        Ok(Fetcher {
            client,
            config,
            hosts: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
        })
    }

    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    fn turn(&self, authority: &str) -> Turn {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts.entry(authority.to_string()).or_default().clone()
    }

    /// GETs `url` (conditionally, with `cond`), following redirects.
    pub async fn get(
        &self,
        url: &str,
        kind: Kind,
        cond: &Validators,
    ) -> Result<Fetched, FetchError> {
        let mut at =
            reqwest::Url::parse(url).map_err(|e| FetchError::Url(format!("{url}: {e}")))?;
        for _hop in 0..=self.config.max_redirects {
            if !matches!(at.scheme(), "http" | "https") || at.host_str().is_none() {
                return Err(FetchError::Url(at.to_string()));
            }
            if kind == Kind::Page && !self.allowed(&at).await? {
                return Err(FetchError::Disallowed);
            }
            let mut headers = HeaderMap::new();
            if let Some(v) = cond
                .etag
                .as_deref()
                .and_then(|v| HeaderValue::from_str(v).ok())
            {
                headers.insert(header::IF_NONE_MATCH, v);
            }
            if let Some(v) = cond
                .last_modified
                .as_deref()
                .and_then(|v| HeaderValue::from_str(v).ok())
            {
                headers.insert(header::IF_MODIFIED_SINCE, v);
            }
            let accept = match kind {
                Kind::Feed => {
                    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
                }
                Kind::Page => "text/html, application/xhtml+xml;q=0.9",
            };
            headers.insert(header::ACCEPT, HeaderValue::from_static(accept));
            let cap = match kind {
                Kind::Feed => self.config.max_feed_bytes,
                Kind::Page => self.config.max_page_bytes,
            };
            match self.one(&at, headers, cap, kind).await? {
                Hop::Done(f) => return Ok(f),
                Hop::Redirect(next) => at = next,
            }
        }
        Err(FetchError::TooManyRedirects(self.config.max_redirects))
    }

    /// One request, in its host's turn.
    async fn one(
        &self,
        url: &reqwest::Url,
        headers: HeaderMap,
        cap: usize,
        kind: Kind,
    ) -> Result<Hop, FetchError> {
        if !self.config.allow_private
            && let Some(ip) = literal_ip(url)
            && !is_public(ip)
        {
            return Err(FetchError::Private(ip.to_string()));
        }
        let turn = self.turn(&authority(url));
        let mut host = turn.lock().await;
        if let Some(until) = host.not_before {
            let left = until.saturating_duration_since(Instant::now());
            if !left.is_zero() {
                return Err(FetchError::Deferred(left.as_secs().max(1)));
            }
        }
        if let Some(t) = host.last {
            let ready = t + self.config.host_gap;
            tokio::time::sleep_until(ready.into()).await;
        }
        let secs = self.config.total_timeout.as_secs();
        let r = tokio::time::timeout(
            self.config.total_timeout,
            self.exchange(url, headers, cap, kind),
        )
        .await
        .unwrap_or(Err(FetchError::Timeout(secs)));
        host.last = Some(Instant::now());
        if let Some(wait) = r.as_ref().err().and_then(FetchError::retry_after) {
            host.not_before = Some(Instant::now() + wait);
        }
        r
    }

    async fn exchange(
        &self,
        url: &reqwest::Url,
        headers: HeaderMap,
        cap: usize,
        kind: Kind,
    ) -> Result<Hop, FetchError> {
        let secs = self.config.total_timeout.as_secs();
        let net = |e: reqwest::Error| {
            if e.is_timeout() {
                FetchError::Timeout(secs)
            } else {
                FetchError::Network(describe(&e))
            }
        };
        let mut res = self
            .client
            .get(url.clone())
            .headers(headers)
            .send()
            .await
            .map_err(net)?;
        let status = res.status().as_u16();
        if res.status().is_redirection() && status != 304 {
            let next = res
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| url.join(v).ok())
                .ok_or(FetchError::BadRedirect)?;
            return Ok(Hop::Redirect(next));
        }
        if status == 304 {
            return Ok(Hop::Done(Fetched::NotModified));
        }
        if !res.status().is_success() {
            let retry_after = res
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(retry_after);
            return Err(FetchError::Status {
                status,
                retry_after,
            });
        }
        let text = |h: header::HeaderName| {
            res.headers()
                .get(h)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = text(header::CONTENT_TYPE);
        let validators = Validators {
            etag: text(header::ETAG),
            last_modified: text(header::LAST_MODIFIED),
        };
        if kind == Kind::Page
            && let Some(ct) = &content_type
            && !is_html(ct)
        {
            return Err(FetchError::NotHtml(media_type(ct)));
        }
        let too_large = FetchError::TooLarge(cap / (1024 * 1024));
        if res.content_length().is_some_and(|n| n > cap as u64) {
            return Err(too_large);
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = res.chunk().await.map_err(net)? {
            if bytes.len() + chunk.len() > cap {
                return Err(too_large);
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Hop::Done(Fetched::Full(Body {
            url: url.to_string(),
            status,
            content_type,
            validators,
            bytes,
        })))
    }

    /// Whether `robots.txt` lets linimasa fetch `url` (fetched once per host per
    /// `robots_ttl`; a missing file or a 4xx allows everything, a server error
    /// nothing until it is asked again).
    async fn allowed(&self, url: &reqwest::Url) -> Result<bool, FetchError> {
        let host = authority(url);
        let cached = {
            let robots = self.robots.lock().unwrap_or_else(|p| p.into_inner());
            robots
                .get(&host)
                .filter(|r| Instant::now() < r.until)
                .cloned()
        };
        let robots = match cached {
            Some(r) => r,
            None => {
                let r = self.fetch_robots(url).await;
                let mut robots = self.robots.lock().unwrap_or_else(|p| p.into_inner());
                robots.insert(host, r.clone());
                r
            }
        };
        match robots.rules {
            Rules::None => Ok(true),
            Rules::Unavailable => Err(FetchError::Network("robots.txt could not be read".into())),
            Rules::Text(body) => Ok(robotstxt::DefaultMatcher::default()
                .one_agent_allowed_by_robots(&body, ROBOTS_AGENT, url.as_str())),
        }
    }

    async fn fetch_robots(&self, url: &reqwest::Url) -> Robots {
        let mut at = url.clone();
        at.set_path("/robots.txt");
        at.set_query(None);
        at.set_fragment(None);
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("text/plain"));
        let ttl = self.config.robots_ttl;
        let (rules, ttl) = match self.one(&at, headers, 512 * 1024, Kind::Feed).await {
            Ok(Hop::Done(Fetched::Full(b))) => (
                Rules::Text(String::from_utf8_lossy(&b.bytes).into_owned()),
                ttl,
            ),
            Err(FetchError::Status { status, .. })
                if (400..500).contains(&status) && status != 429 =>
            {
                (Rules::None, ttl)
            }
            // A redirected or otherwise odd robots.txt: no rules read.
            Ok(_) => (Rules::None, ttl),
            // Unreachable or failing: the host's pages wait, and it is asked again soon.
            Err(e) => {
                tracing::info!(robots.url = %at, error = %e, "robots.txt unavailable; pages of this host wait");
                let retry = e.retry_after().unwrap_or(Duration::from_secs(600));
                (Rules::Unavailable, retry.min(ttl))
            }
        };
        Robots {
            until: Instant::now() + ttl,
            rules,
        }
    }
}

enum Hop {
    Done(Fetched),
    Redirect(reqwest::Url),
}

/// `host:port`: the unit of politeness (one server).
/// The address a URL names by number, if it does (the resolver is not asked for those).
fn literal_ip(url: &reqwest::Url) -> Option<IpAddr> {
    let host = url.host_str()?;
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

/// Whether an address is one on the public internet: not loopback, private (RFC 1918,
/// unique-local), link-local, shared (100.64/10), documentation, benchmarking,
/// multicast, broadcast or unspecified; IPv4-mapped IPv6 is judged as its IPv4.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let [x, y, ..] = a.octets();
            !(a.is_loopback()
                || a.is_private()
                || a.is_link_local()
                || a.is_broadcast()
                || a.is_documentation()
                || a.is_unspecified()
                || a.is_multicast()
                || x == 0
                || (x == 100 && (64..128).contains(&y))
                || (x == 198 && (y == 18 || y == 19))
                || x >= 240)
        }
        IpAddr::V6(a) => {
            if let Some(v4) = a.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = a.segments()[0];
            !(a.is_loopback()
                || a.is_unspecified()
                || a.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && a.segments()[1] == 0x0db8)
        }
    }
}

/// Resolves host names as the system does and keeps only public addresses (unless
/// told otherwise), so that a name pointing into the server's own network is refused
/// at connect time, also after a redirect.
struct PublicOnly {
    allow_private: bool,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| allow_private || is_public(a.ip()))
                .collect();
            if kept.is_empty() && !found.is_empty() {
                let e: Box<dyn std::error::Error + Send + Sync> =
                    Box::new(FetchError::Private(format!("{host} ({})", found[0].ip())));
                return Err(e);
            }
            let addrs: reqwest::dns::Addrs = Box::new(kept.into_iter());
            Ok(addrs)
        })
    }
}

fn authority(url: &reqwest::Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// The error and its causes, without the URL reqwest repeats.
fn describe(e: &reqwest::Error) -> String {
    use std::error::Error;
    let mut out = if e.is_connect() {
        "could not connect".to_string()
    } else if e.is_body() || e.is_decode() {
        "the body could not be read".to_string()
    } else {
        "request failed".to_string()
    };
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

/// The media type of a `Content-Type` value, lower case, without parameters.
pub fn media_type(ct: &str) -> String {
    ct.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

pub fn is_html(ct: &str) -> bool {
    matches!(
        media_type(ct).as_str(),
        "text/html" | "application/xhtml+xml"
    )
}

/// `Retry-After`: seconds, or an HTTP date; at most a day.
pub fn retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    let secs = match v.parse::<u64>() {
        Ok(s) => s,
        Err(_) => {
            let at = jiff::fmt::rfc2822::parse(v).ok()?.timestamp();
            let d = at.as_second() - jiff::Timestamp::now().as_second();
            d.max(0) as u64
        }
    };
    Some(Duration::from_secs(secs.min(86_400)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "::1",
            "::",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "2001:db8::1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:1.1.1.1",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[tokio::test]
    async fn addresses_inside_the_network_are_refused_unless_allowed() {
        let fetcher = Fetcher::new(FetchConfig::default()).unwrap();
        let none = Validators::default();
        // By number: refused before any connection is tried.
        let e = fetcher
            .get("http://127.0.0.1:9/feed.xml", Kind::Feed, &none)
            .await
            .unwrap_err();
        assert_eq!(e, FetchError::Private("127.0.0.1".into()));
        let e = fetcher
            .get("http://[::1]:9/feed.xml", Kind::Feed, &none)
            .await
            .unwrap_err();
        assert_eq!(e, FetchError::Private("::1".into()));
        // By name: the resolver keeps no address, so nothing is connected to.
        let e = fetcher
            .get("http://localhost:9/feed.xml", Kind::Feed, &none)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("not a public address"), "{e}");
        // Allowed: the request is made (and here finds nothing listening).
        let open = Fetcher::new(FetchConfig {
            allow_private: true,
            connect_timeout: Duration::from_secs(2),
            ..FetchConfig::default()
        })
        .unwrap();
        let e = open
            .get("http://127.0.0.1:9/feed.xml", Kind::Feed, &none)
            .await
            .unwrap_err();
        assert!(!matches!(e, FetchError::Private(_)), "{e}");
    }

    #[test]
    fn retry_after_reads_seconds_and_dates_and_caps_at_a_day() {
        assert_eq!(retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(retry_after("9999999"), Some(Duration::from_secs(86_400)));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn html_is_told_by_its_media_type() {
        assert!(is_html("text/html; charset=windows-1251"));
        assert!(is_html("application/xhtml+xml"));
        assert!(!is_html("application/pdf"));
        assert_eq!(media_type("Text/HTML ; charset=x"), "text/html");
    }
}
