//! What an SQL store knows of its own health, so that a fault heals without a restart.
//! A write that failed for want of room, permission or the file itself (SQLite's
//! `FULL`, `READONLY`, `IOERR`, `CANTOPEN`; PostgreSQL's `disk_full`, read-only) marks
//! the store as unable to write until a write goes through again, and retires every
//! connection open at that moment: SQLite opens a file it may not write read-only and
//! stays so, and a connection to a file that was deleted keeps reading the deleted
//! copy. For an SQLite file the file's identity (device, inode) is checked before a
//! connection is reused: a deleted or replaced file retires every connection opened on
//! the old one, and new connections open the file that is there now (or fail, 503).

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A file's identity: a file deleted and copied back is another file.
type FileId = (u64, u64);

#[derive(Debug)]
pub(crate) struct Health {
    /// The SQLite file; none for PostgreSQL and in-memory databases.
    path: Option<PathBuf>,
    epoch: Instant,
    /// Connections opened at or before this instant (µs after `epoch`) are not reused.
    retired_until: AtomicU64,
    /// The file as last seen; none before the first look and while it is missing.
    file: Mutex<Option<FileId>>,
    /// A write failed for a fault of the store and none has succeeded since.
    write_fault: AtomicBool,
}

impl Health {
    pub(crate) fn new(path: Option<PathBuf>) -> Health {
        Health {
            path,
            epoch: Instant::now(),
            retired_until: AtomicU64::new(0),
            file: Mutex::new(None),
            write_fault: AtomicBool::new(false),
        }
    }

    fn now_us(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    /// No connection open now is used again.
    pub(crate) fn retire_connections(&self) {
        self.retired_until
            .fetch_max(self.now_us(), Ordering::SeqCst);
    }

    /// Whether a connection opened `age` ago may be used (looking at the file first).
    pub(crate) fn usable(&self, age: Duration) -> bool {
        self.file_present();
        let opened = self
            .now_us()
            .saturating_sub(u64::try_from(age.as_micros()).unwrap_or(u64::MAX));
        opened > self.retired_until.load(Ordering::SeqCst)
    }

    /// Whether a connection opened at `opened` may be used (looking at the file first).
    pub(crate) fn usable_since(&self, opened: Instant) -> bool {
        self.usable(opened.elapsed())
    }

    /// Whether the database file is there (always true without a file). A file that
    /// went away or was replaced since the last look retires every open connection.
    pub(crate) fn file_present(&self) -> bool {
        let Some(path) = &self.path else {
            return true;
        };
        let now = std::fs::metadata(path).ok().map(|m| file_id(&m));
        let Ok(mut seen) = self.file.lock() else {
            return now.is_some();
        };
        if *seen != now {
            if seen.is_some() {
                tracing::warn!(path = %path.display(), present = now.is_some(), "the database file went away or was replaced; reopening connections");
                self.retire_connections();
            }
            *seen = now;
        }
        now.is_some()
    }

    pub(crate) fn write_fault(&self) -> bool {
        self.write_fault.load(Ordering::SeqCst)
    }

    /// Records how a write ended: a fault of the store retires the open connections.
    pub(crate) fn wrote(&self, ok: bool, fault: bool) {
        if ok {
            self.write_fault.store(false, Ordering::SeqCst);
        } else if fault {
            self.write_fault.store(true, Ordering::SeqCst);
            self.retire_connections();
        }
    }
}

#[cfg(unix)]
fn file_id(m: &std::fs::Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata) -> FileId {
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_file_retires_the_connections_opened_on_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        std::fs::write(&path, b"one").unwrap();
        let h = Health::new(Some(path.clone()));
        assert!(h.file_present());
        let opened = Instant::now();
        std::thread::sleep(Duration::from_millis(2));
        assert!(h.usable_since(opened));
        std::fs::remove_file(&path).unwrap();
        assert!(!h.file_present());
        std::fs::write(&path, b"two").unwrap();
        assert!(h.file_present());
        assert!(!h.usable_since(opened), "opened on the deleted file");
        std::thread::sleep(Duration::from_millis(2));
        assert!(h.usable_since(Instant::now() - Duration::from_micros(1)));
    }

    #[test]
    fn a_write_fault_lasts_until_a_write_succeeds() {
        let h = Health::new(None);
        h.wrote(false, false);
        assert!(!h.write_fault(), "a bad request is no fault of the store");
        h.wrote(false, true);
        assert!(h.write_fault());
        h.wrote(true, false);
        assert!(!h.write_fault());
    }
}
