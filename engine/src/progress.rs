//! Progress of a scan, for a caller that shows it (the CLI's progress line on a terminal).
//! The engine never prints: it calls the caller's function, from any thread.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Where a scan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Inputs read (files parsed, charts rendered), of how many.
    Loading {
        /// Done.
        done: usize,
        /// In all.
        total: usize,
    },
    /// Documents checked, of how many.
    Checking {
        /// Done.
        done: usize,
        /// In all.
        total: usize,
    },
}

/// A function told of the progress of a scan.
#[derive(Clone, Default)]
pub struct ProgressSink(Option<Arc<dyn Fn(Progress) + Send + Sync>>);

impl ProgressSink {
    /// A sink calling `f`.
    pub fn new(f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        ProgressSink(Some(Arc::new(f)))
    }

    /// Tell the sink, if there is one.
    pub(crate) fn tell(&self, p: Progress) {
        if let Some(f) = &self.0 {
            f(p);
        }
    }

    /// A counter of `total` steps that tells the sink as each one is done.
    pub(crate) fn counter(&self, total: usize, make: fn(usize, usize) -> Progress) -> Counter<'_> {
        Counter {
            sink: self,
            done: AtomicUsize::new(0),
            total,
            make,
        }
    }
}

impl fmt::Debug for ProgressSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "ProgressSink(Some)"
        } else {
            "ProgressSink(None)"
        })
    }
}

/// Steps done, shared by the threads of a stage.
pub(crate) struct Counter<'a> {
    sink: &'a ProgressSink,
    done: AtomicUsize,
    total: usize,
    make: fn(usize, usize) -> Progress,
}

impl Counter<'_> {
    /// One more step done.
    pub(crate) fn step(&self) {
        if self.sink.0.is_some() {
            let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
            self.sink.tell((self.make)(done, self.total));
        }
    }
}
