//! The "ceiling" of `scripts/bench_api.sh`: axum answering every GET with the same
//! bytes, serialised once at start — what the HTTP stack alone does on this machine,
//! to compare linimasa's `/events` with.
//!
//! `ceiling BIND FILE` (the script runs it); with no arguments, as under a plain
//! `cargo bench`, it says so and exits.

use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::routing::get;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [bind, file] = args.as_slice() else {
        eprintln!("ceiling: usage: ceiling BIND FILE (run by scripts/bench_api.sh); nothing to do");
        return;
    };
    let body = Bytes::from(std::fs::read(file).expect("the page to serve"));
    let app = Router::new().fallback(get(move || {
        let body = body.clone();
        async move { ([(header::CONTENT_TYPE, "application/json")], body) }
    }));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(bind.as_str())
            .await
            .expect("bind");
        eprintln!("ceiling listening on http://{bind}");
        axum::serve(listener, app).await.expect("serve");
    });
}
