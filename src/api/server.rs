//! Connections, before any request reaches the router: the accept loop of `serve`. It
//! bounds what a client can hold without sending a request: a request's head must
//! arrive within the header timeout, a connection on which no byte moves for the idle
//! timeout is closed, one address holds at most a set number of connections, and a
//! process out of file descriptors backs off instead of spinning on `accept`. It also
//! answers hyper's own refusals of a request head (a URI past 64 KiB, a head past the
//! buffer) with problem+json like every other error. It knows nothing of routes.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

/// What `serve` allows one connection and one client address.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// A request's head (request line and headers) must arrive within this. hyper
    /// starts the clock whenever it waits for a request, so it also closes a
    /// keep-alive connection that sends no next request.
    pub header_timeout: Duration,
    /// A connection on which no byte is read or written for this long is closed
    /// (a stalled upload, a client that stopped reading its download).
    pub idle_timeout: Duration,
    /// Open connections one client address may hold; the next are closed at once.
    /// 0 = no cap.
    pub max_connections_per_ip: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections_per_ip: 64,
        }
    }
}

/// The largest request head hyper buffers (431 beyond): room for the longest query
/// string we answer ourselves (414 with a problem past [`super::MAX_QUERY_BYTES`])
/// plus headers.
const MAX_HEAD_BYTES: usize = 256 * 1024;

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests
/// in flight finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let counts = Arc::new(Mutex::new(HashMap::<IpAddr, usize>::new()));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let mut backoff = Duration::ZERO;
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(a) => {
                backoff = Duration::ZERO;
                a
            }
            Err(e) if per_connection(&e) => continue,
            Err(e) => {
                // Out of descriptors or memory: accepting again at once fails again
                // and spins a core. Wait, longer each time, for connections to close.
                backoff = (backoff * 2).clamp(Duration::from_millis(10), Duration::from_secs(1));
                tracing::warn!(error = %e, retry_in_ms = backoff.as_millis() as u64, "accept failed");
                tokio::time::sleep(backoff).await;
                continue;
            }
        };
        let Some(slot) = Slot::take(&counts, peer.ip(), config.max_connections_per_ip) else {
            tracing::debug!(client = %peer.ip(), "connection refused: per-address cap");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(req.map(axum::body::Body::new))
        });
        let last = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let io = Watched {
            inner: stream,
            last: last.clone(),
            started,
            pending: None,
        };
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(config.header_timeout)
            .max_buf_size(MAX_HEAD_BYTES)
            .serve_connection(TokioIo::new(io), service);
        let conn = graceful.watch(conn);
        let idle = config.idle_timeout;
        tokio::spawn(async move {
            let _slot = slot;
            tokio::select! {
                r = conn => {
                    if let Err(e) = r {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                }
                () = idle_watch(last, started, idle) => {
                    tracing::debug!(client = %peer.ip(), "connection closed: idle");
                }
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Accept errors that concern one connection only (it was reset before we took it).
fn per_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted
    )
}

/// Completes once no byte has moved on the connection for `idle`.
async fn idle_watch(last: Arc<AtomicU64>, started: Instant, idle: Duration) {
    if idle.is_zero() {
        return std::future::pending().await;
    }
    loop {
        let since = Duration::from_millis(last.load(Ordering::Relaxed));
        let deadline = started + since + idle;
        if Instant::now() >= deadline {
            return;
        }
        tokio::time::sleep_until(deadline.into()).await;
    }
}

/// One connection's place in its address's count, given back when it closes.
struct Slot {
    counts: Arc<Mutex<HashMap<IpAddr, usize>>>,
    ip: IpAddr,
}

impl Slot {
    fn take(counts: &Arc<Mutex<HashMap<IpAddr, usize>>>, ip: IpAddr, cap: usize) -> Option<Slot> {
        let mut map = counts.lock().unwrap_or_else(|p| p.into_inner());
        let n = map.entry(ip).or_insert(0);
        if cap > 0 && *n >= cap {
            return None;
        }
        *n += 1;
        Some(Slot {
            counts: counts.clone(),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut map = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.ip);
            }
        }
    }
}

/// A socket that records when a byte last moved, and that replaces hyper's bodiless
/// automatic answers to a malformed request head (414, 431, 400) with problem+json.
struct Watched {
    inner: TcpStream,
    /// Milliseconds from `started` to the last read or write.
    last: Arc<AtomicU64>,
    started: Instant,
    /// A replacement answer still being written, and how much of it is out.
    pending: Option<(Vec<u8>, usize)>,
}

impl Watched {
    fn touch(&self) {
        let ms = self.started.elapsed().as_millis() as u64;
        self.last.store(ms, Ordering::Relaxed);
    }

    /// Writes what is left of a replacement answer; ready once it is all out.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((buf, done)) = &mut self.pending {
            if *done >= buf.len() {
                self.pending = None;
                break;
            }
            let n = std::task::ready!(Pin::new(&mut self.inner).poll_write(cx, &buf[*done..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *done += n;
            self.last
                .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
        }
        Poll::Ready(Ok(()))
    }
}

/// hyper's automatic answer to a request head it could not take: a status line, a
/// zero length, a date and nothing else. Our own answers always carry a body and a
/// content type, so they never match.
fn problem_for_automatic_answer(head: &[u8]) -> Option<Vec<u8>> {
    let (status, title, detail) = if head.starts_with(b"HTTP/1.1 414 ") {
        (
            414,
            "Query string too long",
            format!(
                "the request line is too long; the query string takes at most {} bytes",
                super::MAX_QUERY_BYTES
            ),
        )
    } else if head.starts_with(b"HTTP/1.1 431 ") {
        (
            431,
            "Request header fields too large",
            format!("the request's line and headers exceed {MAX_HEAD_BYTES} bytes"),
        )
    } else if head.starts_with(b"HTTP/1.1 400 ") {
        (
            400,
            "Bad request",
            "the request line or a header is not valid HTTP/1.1".to_string(),
        )
    } else {
        return None;
    };
    let text = std::str::from_utf8(head).ok()?.to_ascii_lowercase();
    if !text.ends_with("\r\n\r\n")
        || !text.contains("\r\ncontent-length: 0\r\n")
        || text.contains("\r\ncontent-type:")
    {
        return None;
    }
    let kind = match status {
        414 => "uri-too-long",
        431 => "header-too-large",
        _ => "bad-request",
    };
    let body = serde_json::json!({
        "type": format!("/problems/{kind}"),
        "title": title,
        "status": status,
        "detail": detail,
    })
    .to_string();
    let reason = &head[9..head.iter().position(|&b| b == b'\r')?];
    let mut out = Vec::with_capacity(body.len() + 160);
    out.extend_from_slice(b"HTTP/1.1 ");
    out.extend_from_slice(reason);
    out.extend_from_slice(
        format!(
            "\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(body.as_bytes());
    Some(out)
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let r = Pin::new(&mut this.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.touch();
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        std::task::ready!(this.poll_pending(cx))?;
        if let Some(replacement) = problem_for_automatic_answer(buf) {
            this.pending = Some((replacement, 0));
            // The automatic answer counts as written; the replacement goes out in
            // its place before anything else (hyper closes after it).
            let _ = this.poll_pending(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        let r = Pin::new(&mut this.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            this.touch();
        }
        r
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        std::task::ready!(this.poll_pending(cx))?;
        // hyper queues a head in its own buffer, first.
        if let Some(replacement) = bufs
            .iter()
            .find(|b| !b.is_empty())
            .and_then(|head| problem_for_automatic_answer(head))
        {
            this.pending = Some((replacement, 0));
            let _ = this.poll_pending(cx)?;
            return Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()));
        }
        let r = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            this.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        std::task::ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        std::task::ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// Raises the soft limit on open files to the hard one (Linux and other Unixes), so
/// that connections, not a default of 1,024 descriptors, are what the caps bound.
/// Returns the (old, new) soft limit, or None where the platform has no such limit.
#[allow(
    clippy::useless_conversion,
    reason = "rlim_t is u64 here, narrower on some platforms"
)]
pub fn raise_file_limit() -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write the struct we pass.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
            return None;
        }
        let old = lim.rlim_cur;
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            // SAFETY: as above.
            if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
                return Some((u64::from(old), u64::from(raised.rlim_cur)));
            }
        }
        Some((u64::from(old), u64::from(old)))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_bodiless_automatic_answers_are_replaced() {
        let auto = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Sun, 06 Dec 2026 18:00:00 GMT\r\n\r\n";
        let out = String::from_utf8(problem_for_automatic_answer(auto).unwrap()).unwrap();
        assert!(out.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["status"], 431);
        // Our own 414 carries a body and a content type: left alone.
        let ours = b"HTTP/1.1 414 URI Too Long\r\ncontent-type: application/problem+json\r\ncontent-length: 120\r\n\r\n";
        assert!(problem_for_automatic_answer(ours).is_none());
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert!(problem_for_automatic_answer(ok).is_none());
    }

    #[test]
    fn a_slot_is_given_back_when_its_connection_closes() {
        let counts = Arc::new(Mutex::new(HashMap::new()));
        let ip: IpAddr = [10, 0, 0, 1].into();
        let a = Slot::take(&counts, ip, 2).unwrap();
        let b = Slot::take(&counts, ip, 2).unwrap();
        assert!(Slot::take(&counts, ip, 2).is_none());
        assert!(Slot::take(&counts, [10, 0, 0, 2].into(), 2).is_some());
        drop(a);
        let c = Slot::take(&counts, ip, 2).unwrap();
        drop((b, c));
        assert!(counts.lock().unwrap().is_empty());
    }
}
