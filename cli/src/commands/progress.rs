//! The progress line on standard error, for scans longer than a second on a terminal; never
//! in CI logs or pipes.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cct_engine::{Lang, Progress, ProgressSink};

/// Shown after this long, then at most this often.
const DELAY: Duration = Duration::from_secs(1);
const EVERY: Duration = Duration::from_millis(100);

/// The progress line: a sink for the scan, cleared when dropped.
pub(crate) struct ProgressLine {
    shown: Arc<Mutex<Option<Instant>>>,
    enabled: bool,
}

impl ProgressLine {
    /// A progress line, enabled on a terminal outside CI.
    pub(crate) fn new() -> Self {
        let enabled = std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none()
            && std::env::var_os("NO_PROGRESS").is_none();
        ProgressLine {
            shown: Arc::new(Mutex::new(None)),
            enabled,
        }
    }

    /// The sink to give the scan.
    pub(crate) fn sink(&self, lang: Lang) -> ProgressSink {
        if !self.enabled {
            return ProgressSink::default();
        }
        let start = Instant::now();
        let shown = Arc::clone(&self.shown);
        ProgressSink::new(move |p| {
            let now = Instant::now();
            if now.duration_since(start) < DELAY {
                return;
            }
            let Ok(mut last) = shown.lock() else { return };
            if last.is_some_and(|t| now.duration_since(t) < EVERY) {
                return;
            }
            *last = Some(now);
            let (what, done, total) = match (p, lang) {
                (Progress::Loading { done, total }, Lang::En) => ("reading", done, total),
                (Progress::Loading { done, total }, Lang::Fr) => ("lecture", done, total),
                (Progress::Checking { done, total }, Lang::En) => ("checking", done, total),
                (Progress::Checking { done, total }, Lang::Fr) => ("vérification", done, total),
            };
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2Kcct: {what} {done}/{total}");
            let _ = err.flush();
        })
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        if self.shown.lock().is_ok_and(|s| s.is_some()) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}
