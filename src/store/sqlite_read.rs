//! Event pages on SQLite read through its C API rather than sqlx.
//!
//! sqlx runs each SQLite connection on a thread of its own and sends every row of a
//! result across a channel, copied into an owned row and then into an `Any` row: for a
//! page of 100 events (~180 KB of docs) that is hundreds of allocations and a thread
//! hand-off per row. Here a read runs on a read-only connection of our own with its
//! statements prepared once, and a row's doc is read in place from SQLite's buffer and
//! copied once, into the page.
//!
//! A read first runs where it is asked for, on the async worker, with a budget of
//! [`INLINE_BUDGET`]: a page from an index range takes a fraction of a millisecond, and
//! handing it to another thread and back would cost as much again. A read still running
//! at the budget is stopped and run again on tokio's blocking pool, where it may take up
//! to the statement timeout without holding up the requests that share the worker.
//!
//! The connections are opened on the same file (WAL mode: they see every committed
//! write, and never block the writer) and read only; a progress handler of their own
//! stops a statement at its deadline (`SQLITE_INTERRUPT`, answered 503 like the
//! statement timeout of `sqlite_timeout`, which the other connections have).

use std::cell::Cell;
use std::collections::HashMap;
use std::ffi::{CStr, CString, c_int, c_void};
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use libsqlite3_sys as ffi;
use tokio::sync::Semaphore;

use super::StoreError;
use super::health::Health;
use super::sql::{Bind, Sql};

/// Reads at once (and connections kept open): twice the cores of the machine the
/// benchmarks ran on; more only added thread switches and memory.
const READERS: usize = 4;

/// The page cache of each reader, in KiB (SQLite's default is 2,000). A page of words
/// in a place reads each match's event row and link key from all over the file: at 1M
/// events the first page of Donetsk and "drone" checks 189 matches of its first day,
/// each on pages of its own, and the default (500 pages of 4 KiB) no longer held them
/// from one request to the next: they were read again from the operating system
/// (measured: 1.45 ms of CPU for the query against 1.0 ms at this size). Four readers
/// at this size add at most 24 MB.
const READER_CACHE_KIB: u32 = 8 * 1024;

/// Prepared statements kept per connection; past this the cache starts again.
const STATEMENTS: usize = 64;

/// How long a read may run on the async worker before it moves to the blocking pool.
const INLINE_BUDGET: Duration = Duration::from_millis(5);

/// Virtual-machine steps between two looks at the clock.
const STEPS: c_int = 4_000;

/// Read-only connections to one SQLite file.
pub struct Readers {
    path: CString,
    health: Arc<Health>,
    /// The statement timeout; none = no limit.
    timeout: Option<Duration>,
    idle: Mutex<Vec<Conn>>,
    permits: Semaphore,
}

/// The file a `sqlite:` URL names; none for an in-memory database or a URL whose path
/// is percent-encoded (sqlx's own parsing decides what those mean).
pub(super) fn file_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty()
        || path == ":memory:"
        || path.contains('%')
        || query.split('&').any(|p| p == "mode=memory")
    {
        return None;
    }
    Some(path)
}

/// Why a run ended early.
enum Stop {
    /// Past the deadline it was given.
    Deadline,
    Failed(StoreError),
}

impl Readers {
    /// Readers for the file a `sqlite:` URL names; none for an in-memory database or a
    /// URL whose path is percent-encoded (sqlx's own parsing decides what those mean).
    /// `timeout_ms`: the statement timeout (0 = none).
    /// `health`: whether a connection may be reused (the file may have been replaced).
    pub fn for_url(url: &str, timeout_ms: u64, health: Arc<Health>) -> Option<Readers> {
        Some(Readers {
            path: CString::new(file_path(url)?).ok()?,
            health,
            timeout: (timeout_ms > 0).then(|| Duration::from_millis(timeout_ms)),
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(READERS),
        })
    }

    /// Runs `sql` and hands each row to `row` until it breaks or the rows end; the
    /// value is what `finish` makes of the state `row` filled.
    pub async fn query<S, T>(
        &self,
        sql: Sql,
        state: S,
        row: fn(&mut S, &Row<'_>) -> Result<ControlFlow<()>, StoreError>,
        finish: fn(S) -> T,
    ) -> Result<T, StoreError>
    where
        S: Clone + Send + 'static,
        T: Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::Corrupt("the SQLite readers are closed".into()))?;
        let mut conn = loop {
            let idle = self.idle.lock().map(|mut v| v.pop()).unwrap_or(None);
            match idle {
                // One opened on a file since deleted or replaced, or before a fault of
                // the store, is closed.
                Some(c) if !self.health.usable_since(c.opened) => drop(c),
                Some(c) => break c,
                None if !self.health.file_present() => {
                    return Err(StoreError::Sqlite {
                        code: ffi::SQLITE_CANTOPEN,
                        message: "the database file is missing".into(),
                    });
                }
                None => break Conn::open(&self.path)?,
            }
        };
        // For a second run: the state as it was (a clone keeps no spare capacity).
        let retry = state.clone();
        let mut state = state;
        let deadline = Instant::now() + INLINE_BUDGET;
        match conn.run(&sql, |r| row(&mut state, r), Some(deadline)) {
            Ok(()) => {
                self.put(conn);
                return Ok(finish(state));
            }
            Err(Stop::Failed(e)) => {
                self.put(conn);
                return Err(e);
            }
            Err(Stop::Deadline) => drop(state),
        }
        let state = retry;
        let timeout = self.timeout;
        let (conn, out) = tokio::task::spawn_blocking(move || {
            let mut state = state;
            let deadline = timeout.map(|t| Instant::now() + t);
            let out = match conn.run(&sql, |r| row(&mut state, r), deadline) {
                Ok(()) => Ok(finish(state)),
                Err(Stop::Failed(e)) => Err(e),
                Err(Stop::Deadline) => Err(StoreError::Sqlite {
                    code: ffi::SQLITE_INTERRUPT,
                    message: "the statement ran past the statement timeout".into(),
                }),
            };
            (conn, out)
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("an SQLite read failed: {e}")))?;
        self.put(conn);
        out
    }

    fn put(&self, conn: Conn) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
    }
}

/// One row of a result, read in place.
pub struct Row<'a> {
    stmt: *mut ffi::sqlite3_stmt,
    columns: &'a [(String, c_int)],
}

impl Row<'_> {
    fn index(&self, name: &str) -> Result<c_int, StoreError> {
        self.columns
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, i)| *i)
            .ok_or_else(|| StoreError::Corrupt(format!("no column {name:?} in the result")))
    }

    /// A text column; NULL reads as "".
    pub fn text(&self, name: &str) -> Result<&str, StoreError> {
        let i = self.index(name)?;
        // SAFETY: `stmt` has a row (we are called between a SQLITE_ROW step and the
        // next step); the pointer and length are read in the order SQLite documents, and
        // the bytes stay valid until the next step, which outlives this borrow.
        let bytes = unsafe {
            let p = ffi::sqlite3_column_text(self.stmt, i);
            if p.is_null() {
                return Ok("");
            }
            let n = ffi::sqlite3_column_bytes(self.stmt, i);
            std::slice::from_raw_parts(p, n.max(0) as usize)
        };
        simdutf8::basic::from_utf8(bytes)
            .map_err(|_| StoreError::Corrupt(format!("column {name} is not UTF-8")))
    }

    pub fn int(&self, name: &str) -> Result<i64, StoreError> {
        let i = self.index(name)?;
        // SAFETY: as in `text`.
        Ok(unsafe { ffi::sqlite3_column_int64(self.stmt, i) })
    }
}

/// A connection and its prepared statements, used by one thread at a time.
struct Conn {
    db: *mut ffi::sqlite3,
    statements: HashMap<String, *mut ffi::sqlite3_stmt>,
    /// When the running statement is to be stopped; read by the progress handler.
    deadline: Box<Cell<Option<Instant>>>,
    opened: Instant,
}

unsafe extern "C" fn on_progress(ctx: *mut c_void) -> c_int {
    // SAFETY: `ctx` is the connection's `deadline`, which lives as long as the
    // connection; the handler runs on the thread running a statement, which holds the
    // connection.
    let deadline = unsafe { &*(ctx as *const Cell<Option<Instant>>) };
    c_int::from(deadline.get().is_some_and(|d| Instant::now() >= d))
}

// SAFETY: the connection is opened with SQLITE_OPEN_NOMUTEX and only ever used by the
// one thread that took it from the idle list; moving it between threads is allowed.
unsafe impl Send for Conn {}

impl Conn {
    fn open(path: &CStr) -> Result<Conn, StoreError> {
        let mut db = std::ptr::null_mut();
        let flags = ffi::SQLITE_OPEN_READONLY | ffi::SQLITE_OPEN_NOMUTEX;
        // SAFETY: `path` is NUL-terminated; `db` receives a handle (also on failure,
        // when it is closed by the `Conn` drop below).
        let rc = unsafe { ffi::sqlite3_open_v2(path.as_ptr(), &mut db, flags, std::ptr::null()) };
        let conn = Conn {
            db,
            statements: HashMap::new(),
            deadline: Box::new(Cell::new(None)),
            opened: Instant::now(),
        };
        if rc != ffi::SQLITE_OK {
            return Err(conn.error(rc));
        }
        // SAFETY: `db` is open; the handler's context is the boxed deadline, which
        // outlives the connection's statements (it is dropped after the close).
        unsafe {
            ffi::sqlite3_extended_result_codes(db, 1);
            ffi::sqlite3_busy_timeout(db, 10_000);
            let pragma = CString::new(format!("PRAGMA cache_size = -{READER_CACHE_KIB}"))
                .unwrap_or_default();
            // A failure leaves SQLite's default cache: slower, still correct.
            ffi::sqlite3_exec(
                db,
                pragma.as_ptr(),
                None,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
            // In place of `sqlite_timeout`'s handler: this one knows the deadline of
            // each run.
            let ctx = &*conn.deadline as *const Cell<Option<Instant>> as *mut c_void;
            ffi::sqlite3_progress_handler(db, STEPS, Some(on_progress), ctx);
        }
        Ok(conn)
    }

    fn error(&self, rc: c_int) -> StoreError {
        // SAFETY: `db` is a handle from `sqlite3_open_v2` (SQLite gives a message for a
        // handle whose open failed too); the message is copied before any other call.
        let (code, message) = unsafe {
            if self.db.is_null() {
                (rc, "out of memory".to_string())
            } else {
                let m = ffi::sqlite3_errmsg(self.db);
                let m = if m.is_null() {
                    String::new()
                } else {
                    CStr::from_ptr(m).to_string_lossy().into_owned()
                };
                (ffi::sqlite3_extended_errcode(self.db), m)
            }
        };
        StoreError::Sqlite { code, message }
    }

    fn statement(&mut self, text: &str) -> Result<*mut ffi::sqlite3_stmt, StoreError> {
        if let Some(s) = self.statements.get(text) {
            return Ok(*s);
        }
        if self.statements.len() >= STATEMENTS {
            self.finalize_all();
        }
        let mut stmt = std::ptr::null_mut();
        let len = c_int::try_from(text.len())
            .map_err(|_| StoreError::Corrupt("a statement too long for SQLite".into()))?;
        // SAFETY: `db` is open; `text` is valid for `len` bytes.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                self.db,
                text.as_ptr().cast(),
                len,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut stmt,
                std::ptr::null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK || stmt.is_null() {
            return Err(self.error(rc));
        }
        self.statements.insert(text.to_string(), stmt);
        Ok(stmt)
    }

    /// Runs `sql`, stopped at `deadline`.
    fn run(
        &mut self,
        sql: &Sql,
        mut row: impl FnMut(&Row<'_>) -> Result<ControlFlow<()>, StoreError>,
        deadline: Option<Instant>,
    ) -> Result<(), Stop> {
        let stmt = self.statement(&sql.text).map_err(Stop::Failed)?;
        self.deadline.set(deadline);
        let out = self.bind_and_step(stmt, sql, &mut row);
        self.deadline.set(None);
        // SAFETY: `stmt` is a live statement of this connection; resetting ends its run
        // whether it finished or not.
        unsafe {
            ffi::sqlite3_reset(stmt);
            ffi::sqlite3_clear_bindings(stmt);
        }
        match out {
            Err(StoreError::Sqlite { code, .. })
                if code & 0xff == ffi::SQLITE_INTERRUPT
                    && deadline.is_some_and(|d| Instant::now() >= d) =>
            {
                Err(Stop::Deadline)
            }
            other => other.map_err(Stop::Failed),
        }
    }

    fn bind_and_step(
        &self,
        stmt: *mut ffi::sqlite3_stmt,
        sql: &Sql,
        row: &mut impl FnMut(&Row<'_>) -> Result<ControlFlow<()>, StoreError>,
    ) -> Result<(), StoreError> {
        // SAFETY (the whole function): `stmt` is a live, reset statement of this
        // connection; bound texts are copied by SQLite (SQLITE_TRANSIENT).
        unsafe {
            let params = ffi::sqlite3_bind_parameter_count(stmt);
            for i in 1..=params {
                // `$n` names the n-th bind, wherever it first appears in the text.
                let name = ffi::sqlite3_bind_parameter_name(stmt, i);
                let n = if name.is_null() {
                    i as usize
                } else {
                    CStr::from_ptr(name)
                        .to_str()
                        .ok()
                        .and_then(|s| s.strip_prefix('$'))
                        .and_then(|s| s.parse::<usize>().ok())
                        .unwrap_or(i as usize)
                };
                let rc = match sql.binds.get(n.wrapping_sub(1)) {
                    Some(Bind::Text(t) | Bind::OptText(Some(t))) => {
                        let len = c_int::try_from(t.len()).map_err(|_| {
                            StoreError::Corrupt("a value too long for SQLite".into())
                        })?;
                        ffi::sqlite3_bind_text(
                            stmt,
                            i,
                            t.as_ptr().cast(),
                            len,
                            ffi::SQLITE_TRANSIENT(),
                        )
                    }
                    Some(Bind::Int(v)) => ffi::sqlite3_bind_int64(stmt, i, *v),
                    Some(Bind::Real(v)) => ffi::sqlite3_bind_double(stmt, i, *v),
                    Some(Bind::OptText(None)) => ffi::sqlite3_bind_null(stmt, i),
                    None => {
                        return Err(StoreError::Corrupt(format!(
                            "statement parameter {n} has no value"
                        )));
                    }
                };
                if rc != ffi::SQLITE_OK {
                    return Err(self.error(rc));
                }
            }
            let count = ffi::sqlite3_column_count(stmt);
            let columns: Vec<(String, c_int)> = (0..count)
                .map(|i| {
                    let n = ffi::sqlite3_column_name(stmt, i);
                    let n = if n.is_null() {
                        String::new()
                    } else {
                        CStr::from_ptr(n).to_string_lossy().into_owned()
                    };
                    (n, i)
                })
                .collect();
            loop {
                match ffi::sqlite3_step(stmt) {
                    ffi::SQLITE_ROW => {
                        let r = Row {
                            stmt,
                            columns: &columns,
                        };
                        if row(&r)?.is_break() {
                            return Ok(());
                        }
                    }
                    ffi::SQLITE_DONE => return Ok(()),
                    rc => return Err(self.error(rc)),
                }
            }
        }
    }

    fn finalize_all(&mut self) {
        for (_, s) in self.statements.drain() {
            // SAFETY: each statement is live and finalized once.
            unsafe { ffi::sqlite3_finalize(s) };
        }
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.finalize_all();
        // SAFETY: every statement is finalized; the handle is closed once.
        unsafe { ffi::sqlite3_close(self.db) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_file_gets_readers() {
        assert!(file_path("sqlite://data/x.db?mode=rwc").is_some());
        assert!(file_path("sqlite:x.db").is_some());
        assert!(file_path("sqlite::memory:").is_none());
        assert!(file_path("sqlite://x.db?mode=memory").is_none());
        assert!(file_path("sqlite://a%20b.db").is_none());
        assert!(file_path("postgres://localhost/x").is_none());
    }

    fn sql(text: &str, binds: Vec<Bind>) -> Sql {
        Sql {
            text: text.into(),
            binds,
        }
    }

    /// Rows of `text` as (name, n) pairs.
    async fn rows(r: &Readers, s: Sql) -> Result<Vec<(String, i64)>, StoreError> {
        r.query(
            s,
            Vec::new(),
            |v, row| {
                v.push((row.text("name")?.to_string(), row.int("n")?));
                Ok(ControlFlow::Continue(()))
            },
            |v| v,
        )
        .await
    }

    #[tokio::test]
    async fn reads_binds_by_number_finishes_long_reads_and_stops_at_the_timeout() {
        super::super::sqlite_timeout::install();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        drop(super::super::db::SqlStore::connect(&url).await.unwrap());
        let r = Readers::for_url(&url, 2_000, Arc::new(Health::new(None))).unwrap();
        // `$2` before `$1`: each placeholder takes the bind its number names.
        let got = rows(
            &r,
            sql(
                "SELECT $2 AS name, $1 AS n UNION ALL SELECT 'b', $1 + 1",
                vec![Bind::Int(7), Bind::Text("a".into())],
            ),
        )
        .await
        .unwrap();
        assert_eq!(got, vec![("a".to_string(), 7), ("b".to_string(), 8)]);
        // Each reader has its own larger page cache (negative: KiB).
        let got = rows(
            &r,
            sql(
                "SELECT 'cache' AS name, cache_size AS n FROM pragma_cache_size",
                Vec::new(),
            ),
        )
        .await
        .unwrap();
        assert_eq!(
            got,
            vec![("cache".to_string(), -i64::from(READER_CACHE_KIB))]
        );
        // A read past the inline budget is run again on the blocking pool, from the
        // start: every row once.
        let long = sql(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $1) \
             SELECT 'r' AS name, x AS n FROM c",
            vec![Bind::Int(400_000)],
        );
        let started = Instant::now();
        let got = rows(&r, long).await.unwrap();
        assert!(started.elapsed() > INLINE_BUDGET, "too quick to test with");
        assert_eq!(got.len(), 400_000);
        assert!(got.iter().enumerate().all(|(i, (_, n))| *n == i as i64 + 1));
        // A read that would never end is interrupted at the statement timeout.
        let r = Readers::for_url(&url, 50, Arc::new(Health::new(None))).unwrap();
        let forever = sql(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) \
             SELECT 'x' AS name, COUNT(*) AS n FROM c",
            Vec::new(),
        );
        let started = Instant::now();
        match rows(&r, forever).await {
            Err(StoreError::Sqlite { code, .. }) => assert_eq!(code & 0xff, 9),
            other => panic!("{other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(5));
        // The connection is fine afterwards, and reads only.
        let got = rows(&r, sql("SELECT 'c' AS name, 1 AS n", Vec::new())).await;
        assert_eq!(got.unwrap(), vec![("c".to_string(), 1)]);
        let write = rows(&r, sql("CREATE TABLE t (x)", Vec::new())).await;
        assert!(
            matches!(write, Err(StoreError::Sqlite { code, .. }) if code & 0xff == 8),
            "{write:?}"
        );
    }
}
