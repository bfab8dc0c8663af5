//! A statement timeout for SQLite, which has none of its own (PostgreSQL's
//! `statement_timeout` covers the other backend).
//!
//! Every SQLite connection this process opens gets, through `sqlite3_auto_extension`:
//! a per-connection limit, set with `SELECT linimasa_statement_timeout(ms)` (0 = none;
//! the store sets it after connecting and lifts it for migrations); a trace callback
//! that notes when a statement starts running and clears the clock when it finishes;
//! and a progress handler, called every few thousand virtual-machine steps, that
//! interrupts a statement running past its limit. The statement then fails with
//! `SQLITE_INTERRUPT`, which the API answers 503, and the connection is free at once —
//! the query does not run on after its request has given up.

use std::ffi::{c_char, c_int, c_uint, c_void};
use std::sync::Once;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use libsqlite3_sys as ffi;

/// Virtual-machine steps between two looks at the clock.
const STEPS: c_int = 4_000;

/// One connection's limit and the start of its running statement.
#[derive(Default)]
struct Limit {
    /// Milliseconds a statement may run; 0 = no limit.
    timeout_ms: AtomicU64,
    /// When the running statement started, in ms since [`epoch`] plus one; 0 = idle.
    started: AtomicU64,
}

fn now_ms() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_millis() as u64 + 1
}

unsafe extern "C" fn on_trace(
    mask: c_uint,
    ctx: *mut c_void,
    _p: *mut c_void,
    _x: *mut c_void,
) -> c_int {
    // SAFETY: `ctx` is the connection's `Limit`, alive until the connection closes.
    let limit = unsafe { &*(ctx as *const Limit) };
    if mask == ffi::SQLITE_TRACE_STMT as c_uint {
        limit.started.store(now_ms(), Ordering::Relaxed);
    } else if mask == ffi::SQLITE_TRACE_PROFILE as c_uint {
        limit.started.store(0, Ordering::Relaxed);
    }
    0
}

unsafe extern "C" fn on_progress(ctx: *mut c_void) -> c_int {
    // SAFETY: as in `on_trace`.
    let limit = unsafe { &*(ctx as *const Limit) };
    let timeout = limit.timeout_ms.load(Ordering::Relaxed);
    let started = limit.started.load(Ordering::Relaxed);
    c_int::from(timeout > 0 && started > 0 && now_ms().saturating_sub(started) > timeout)
}

unsafe extern "C" fn set_timeout(
    cx: *mut ffi::sqlite3_context,
    n: c_int,
    args: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: SQLite passes the function's user data (the `Limit`) and `n` arguments.
    unsafe {
        let limit = &*(ffi::sqlite3_user_data(cx) as *const Limit);
        let ms = if n == 1 {
            ffi::sqlite3_value_int64(*args).max(0)
        } else {
            0
        };
        limit.timeout_ms.store(ms as u64, Ordering::Relaxed);
        ffi::sqlite3_result_int64(cx, ms);
    }
}

unsafe extern "C" fn drop_limit(p: *mut c_void) {
    // SAFETY: `p` came from `Box::into_raw` in `init`; SQLite calls this once, when the
    // function is dropped with its connection.
    drop(unsafe { Box::from_raw(p as *mut Limit) });
}

unsafe extern "C" fn init(
    db: *mut ffi::sqlite3,
    _err: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    let limit = Box::into_raw(Box::<Limit>::default()) as *mut c_void;
    // SAFETY: `db` is the connection being opened; `limit` outlives every callback
    // registered with it (it is freed by the function's destructor when the
    // connection closes, after which no callback runs).
    unsafe {
        let rc = ffi::sqlite3_create_function_v2(
            db,
            c"linimasa_statement_timeout".as_ptr(),
            1,
            ffi::SQLITE_UTF8,
            limit,
            Some(set_timeout),
            None,
            None,
            Some(drop_limit),
        );
        if rc != ffi::SQLITE_OK {
            drop_limit(limit);
            return rc;
        }
        ffi::sqlite3_trace_v2(
            db,
            (ffi::SQLITE_TRACE_STMT | ffi::SQLITE_TRACE_PROFILE) as c_uint,
            Some(on_trace),
            limit,
        );
        ffi::sqlite3_progress_handler(db, STEPS, Some(on_progress), limit);
        // Plans that do not depend on the values bound (the query planner stability
        // guarantee). Otherwise a statement with a term `column = $n` that some plan
        // the planner weighs would leave to a filter is marked to be prepared again when
        // its values are cleared, and sqlx (as `sqlite_read`) clears them before every
        // execution: every such statement was parsed and planned anew each time it ran
        // (21 % of the ingest writer's SQLite thread, `sqlite3Reprepare`). Our plans use
        // no value bound: no `sqlite_stat4` samples are kept, and no `LIKE` takes one.
        ffi::sqlite3_db_config(
            db,
            ffi::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as c_int,
            std::ptr::null_mut::<c_int>(),
        );
    }
    ffi::SQLITE_OK
}

/// Registers the limit for every SQLite connection opened from now on.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: `sqlite3_config` is called before the library is initialised (by the
        // first connection or `sqlite3_auto_extension`; if it already was, the call
        // fails harmlessly); `init` has the signature SQLite expects of an extension
        // entry point.
        unsafe {
            // No allocation statistics: they cost a global mutex around every
            // allocation, which page reads on several threads contended for.
            ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int);
            ffi::sqlite3_auto_extension(Some(init));
        }
    });
}
