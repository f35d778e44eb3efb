//! Where a scan's time goes, rule by rule, when asked (`ScanOptions::timings`): compiling a
//! rule's check (and preparing its policy), and evaluating its schema and its policy on the
//! subjects it selects, summed over threads. Rule authors find their costly rules with it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The time one rule took, summed over the threads of a scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleTiming {
    /// The rule's id.
    pub rule: String,
    /// Compiling its check and preparing its policy.
    pub compile: Duration,
    /// Evaluating its schema.
    pub schema: Duration,
    /// The subjects its schema was evaluated on.
    pub schema_subjects: u64,
    /// Evaluating its policy: the total, and the number of subjects.
    pub rego: Duration,
    /// The subjects its policy was evaluated on.
    pub rego_subjects: u64,
}

impl RuleTiming {
    /// Everything the rule took.
    pub fn total(&self) -> Duration {
        self.compile + self.schema + self.rego
    }
}

/// What one rule took so far (nanoseconds, and subjects), shared by the threads; a clock
/// that is off measures nothing.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    on: bool,
    compile: AtomicU64,
    schema: AtomicU64,
    schema_subjects: AtomicU64,
    rego: AtomicU64,
    rego_subjects: AtomicU64,
}

/// Which part of a rule's work a time is about.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part {
    Compile,
    Schema,
    Rego,
}

impl Clock {
    /// A clock, on or off.
    pub(crate) fn new(on: bool) -> Clock {
        Clock {
            on,
            ..Clock::default()
        }
    }

    /// When the clock is on, now: the start of a time to [`Clock::add`].
    pub(crate) fn start(&self) -> Option<Instant> {
        self.on.then(Instant::now)
    }

    /// Add the time since `started` (from [`Clock::start`]) to `part`.
    pub(crate) fn add(&self, part: Part, started: Option<Instant>) {
        let Some(started) = started else { return };
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let (time, count) = match part {
            Part::Compile => (&self.compile, None),
            Part::Schema => (&self.schema, Some(&self.schema_subjects)),
            Part::Rego => (&self.rego, Some(&self.rego_subjects)),
        };
        time.fetch_add(nanos, Ordering::Relaxed);
        if let Some(count) = count {
            count.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// What the rule `rule` took.
    pub(crate) fn timing(&self, rule: &str) -> RuleTiming {
        let time = |a: &AtomicU64| Duration::from_nanos(a.load(Ordering::Relaxed));
        RuleTiming {
            rule: rule.to_string(),
            compile: time(&self.compile),
            schema: time(&self.schema),
            schema_subjects: self.schema_subjects.load(Ordering::Relaxed),
            rego: time(&self.rego),
            rego_subjects: self.rego_subjects.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_add_up_by_part_and_count_subjects() {
        let clock = Clock::default();
        clock.add(Part::Schema, None);
        assert_eq!(
            clock.timing("R").schema_subjects,
            0,
            "not timing: nothing counted"
        );
        let started = Instant::now();
        std::thread::sleep(Duration::from_millis(2));
        clock.add(Part::Rego, Some(started));
        clock.add(Part::Rego, Some(started));
        clock.add(Part::Compile, Some(started));
        let t = clock.timing("R");
        assert_eq!(t.rule, "R");
        assert_eq!(t.rego_subjects, 2);
        assert!(t.rego >= Duration::from_millis(4), "{t:?}");
        assert!(t.compile >= Duration::from_millis(2), "{t:?}");
        assert_eq!(t.total(), t.compile + t.rego);
    }
}
