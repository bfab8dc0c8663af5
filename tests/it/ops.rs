//! Operations: request ids, rate limits, metrics, CORS, timeouts, readiness, and a
//! database that goes away and comes back.

use axum::body::Body;
use axum::http::Request;
use linimasa::api::ops::OpsConfig;
use linimasa::api::{AppState, router};
use linimasa::knowledge::Knowledge;

use crate::common::*;

fn with_ops(app: &TestApp, config: OpsConfig) -> axum::Router {
    router(AppState::with_ops(
        app.store.clone(),
        Knowledge::embedded(),
        config,
    ))
}

async fn send(r: &axum::Router, req: Request<Body>) -> axum::response::Response {
    use tower::ServiceExt;
    r.clone().oneshot(req).await.unwrap()
}

#[tokio::test]
async fn request_ids_are_echoed_or_made() {
    let app = app().await;
    let r = app.get("/events").await;
    let made = r
        .headers
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(!made.is_empty());
    let mine = app
        .request(
            Request::get("/events")
                .header("x-request-id", "abc-123")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(mine.headers.get("x-request-id").unwrap(), "abc-123");
    assert_ne!(
        app.get("/events")
            .await
            .headers
            .get("x-request-id")
            .unwrap()
            .to_str()
            .unwrap(),
        made
    );
}

#[tokio::test]
async fn reads_past_the_limit_get_429_with_retry_after() {
    let app = app().await;
    let r = with_ops(
        &app,
        OpsConfig {
            reads_per_minute: 2,
            ..Default::default()
        },
    );
    for left in ["1", "0"] {
        let ok = send(&r, Request::get("/events").body(Body::empty()).unwrap()).await;
        assert_eq!(ok.status(), 200);
        assert_eq!(ok.headers().get("ratelimit-remaining").unwrap(), left);
        assert_eq!(ok.headers().get("ratelimit-limit").unwrap(), "2");
    }
    let limited = send(&r, Request::get("/events").body(Body::empty()).unwrap()).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(
        limited.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    let wait: u64 = limited
        .headers()
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    // Health checks are never limited.
    assert_eq!(
        send(&r, Request::get("/healthz").body(Body::empty()).unwrap())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = app().await;
    app.get("/events").await;
    app.get("/events?limit=0").await;
    app.get("/events/evt_x").await;
    let r = send(
        &app.router,
        Request::get("/metrics").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status(), 200);
    let text = String::from_utf8(
        axum::body::to_bytes(r.into_body(), 1 << 20)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(
        text.contains(
            "linimasa_http_requests_total{method=\"GET\",route=\"/events\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("route=\"/events\",status=\"400\"} 1"));
    assert!(text.contains("route=\"/events/{id}\",status=\"404\"} 1"));
    assert!(text.contains("linimasa_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn cors_on_reads_never_on_writes() {
    let app = app().await;
    let get = app
        .request(
            Request::get("/events")
                .header("origin", "https://news.example")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(get.headers.get("access-control-allow-origin").unwrap(), "*");
    let exposed = get
        .headers
        .get("access-control-expose-headers")
        .unwrap()
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("link")
            && exposed.contains("etag")
            && exposed.contains("ratelimit-remaining")
    );

    let preflight = send(
        &app.router,
        Request::options("/events/evt_x")
            .header("origin", "https://news.example")
            .header("access-control-request-method", "PATCH")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let allowed = preflight
        .headers()
        .get("access-control-allow-methods")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(
        !allowed.contains("PATCH") && !allowed.contains("POST"),
        "{allowed}"
    );

    let post = app
        .request(
            Request::post("/articles")
                .header("origin", "https://news.example")
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(post.status, 401);
    assert!(post.headers.get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn slow_requests_are_cut_off_with_503() {
    // The service's own middleware around a handler that takes too long.
    let app = app().await;
    let state = AppState::with_ops(
        app.store.clone(),
        Knowledge::embedded(),
        OpsConfig {
            request_timeout: std::time::Duration::from_millis(50),
            ..Default::default()
        },
    );
    let r: axum::Router = axum::Router::new()
        .route(
            "/slow",
            axum::routing::get(|| async {
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                "late"
            }),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            linimasa::api::ops::middleware,
        ))
        .with_state(state);
    let started = std::time::Instant::now();
    let res = send(&r, Request::get("/slow").body(Body::empty()).unwrap()).await;
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(res.status(), 503);
    assert_eq!(
        res.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    assert!(res.headers().get("retry-after").is_some());
}

#[tokio::test]
async fn not_ready_until_migrated() {
    let app = app().await;
    let state = AppState::new(app.store.clone(), Knowledge::embedded());
    state
        .ready
        .store(false, std::sync::atomic::Ordering::SeqCst);
    let r = router(state.clone());
    assert_eq!(
        send(&r, Request::get("/readyz").body(Body::empty()).unwrap())
            .await
            .status(),
        503
    );
    assert_eq!(
        send(&r, Request::get("/healthz").body(Body::empty()).unwrap())
            .await
            .status(),
        200
    );
    state.ready.store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        send(&r, Request::get("/readyz").body(Body::empty()).unwrap())
            .await
            .status(),
        200
    );
}

/// A PostgreSQL cluster of the test's own on a free port, run as the postgres user.
pub struct Cluster {
    dir: std::path::PathBuf,
    bin: std::path::PathBuf,
    pub port: u16,
}

impl Cluster {
    fn pg(&self, args: &[&str]) -> bool {
        let cmd = format!(
            "{} {}",
            self.bin.join("pg_ctl").display(),
            args.iter()
                .map(|a| format!("'{a}'"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        std::process::Command::new("runuser")
            .args(["-u", "postgres", "--", "sh", "-c", &cmd])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    pub fn start(&self) -> bool {
        let opts = format!("-p {} -k /tmp -c listen_addresses=127.0.0.1", self.port);
        self.pg(&[
            "-D",
            self.dir.to_str().unwrap(),
            "-o",
            &opts,
            "-w",
            "-l",
            self.dir.join("log").to_str().unwrap(),
            "start",
        ])
    }

    pub fn stop(&self) -> bool {
        self.pg(&[
            "-D",
            self.dir.to_str().unwrap(),
            "-m",
            "immediate",
            "-w",
            "stop",
        ])
    }

    pub fn create() -> Option<Cluster> {
        Self::create_on(free_port()?)
    }

    /// A cluster listening on `port` (which a client may already be knocking on).
    pub fn create_on(port: u16) -> Option<Cluster> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin"))
            .find(|p| p.join("initdb").exists())?;
        let dir = std::env::temp_dir().join(format!("linimasa-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        let chown = std::process::Command::new("chown")
            .args(["postgres", dir.to_str()?])
            .status()
            .ok()?;
        if !chown.success() {
            return None;
        }
        let init = format!(
            "{} -D '{}' -A trust -U postgres >/dev/null",
            bin.join("initdb").display(),
            dir.display()
        );
        let ok = std::process::Command::new("runuser")
            .args(["-u", "postgres", "--", "sh", "-c", &init])
            .status()
            .ok()?
            .success();
        let c = Cluster { dir, bin, port };
        (ok && c.start()).then_some(c)
    }
}

/// A loopback port nobody listens on just now.
pub fn free_port() -> Option<u16> {
    Some(
        std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port(),
    )
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test]
async fn database_outage_is_503_and_recovers_without_a_restart() {
    let Some(cluster) = Cluster::create() else {
        eprintln!(
            "NOTICE: cannot start a throw-away PostgreSQL cluster (needs initdb and root); skipping"
        );
        return;
    };
    let url = format!("postgres://postgres@127.0.0.1:{}/postgres", cluster.port);
    let store = linimasa::store::connect(&url)
        .await
        .expect("connect to the throw-away cluster");
    let state = AppState::new(store, Knowledge::embedded());
    let r = router(state);
    let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
    assert_eq!(send(&r, get("/events")).await.status(), 200);
    assert_eq!(send(&r, get("/readyz")).await.status(), 200);

    assert!(cluster.stop(), "stop the cluster");
    for uri in ["/events?region=kursk", "/readyz", "/regions"] {
        let res = send(&r, get(uri)).await;
        assert_eq!(res.status(), 503, "{uri}");
        assert_eq!(
            res.headers().get("content-type").unwrap(),
            "application/problem+json"
        );
        assert!(res.headers().get("retry-after").is_some());
        let body = axum::body::to_bytes(res.into_body(), 1 << 16)
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(
            !text.contains("127.0.0.1") && !text.contains("postgres"),
            "no internals leak: {text}"
        );
    }
    assert_eq!(send(&r, get("/healthz")).await.status(), 200);

    assert!(cluster.start(), "restart the cluster");
    let mut back = false;
    for _ in 0..50 {
        if send(&r, get("/events")).await.status() == 200 {
            back = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(back, "the service recovers by itself");
    assert_eq!(send(&r, get("/readyz")).await.status(), 200);
}
