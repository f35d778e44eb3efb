//! Checking deployment units in parallel: every document of every unit against the rule set,
//! Rego rules with their unit's inventory; then the same finding in several renders of a chart
//! (its environments) merged into one.

use std::collections::BTreeMap;
use std::sync::Mutex;

use rayon::prelude::*;

use super::{check_document, settle, Outcome, Partial, Reach, RuleSet, RuleSlice, UnitRef, Worker};
use crate::progress::{Progress, ProgressSink};
use crate::source::ByteRange;
use crate::source::Location;
use crate::source::{DocFormat, Document};
use crate::units::{DeploymentUnit, Inventory};
use crate::vocab::{catch_panic, Diagnostic, Finding};

/// Check deployment units (in the current rayon pool): their findings (environments merged)
/// and the diagnostics of rules that failed on them. `repository` is what the whole scan
/// knows beyond one unit (see `units::repository_facts`); `reported` tells whether findings
/// located in a file (by its display path) are reported: the documents of other files are only
/// read for context ([`Reach::Context`]) when nothing found in them can be located elsewhere.
pub(crate) fn check_units(
    rules: &RuleSet,
    units: &[&DeploymentUnit],
    repository: &regorus::Value,
    reported: &(dyn Fn(&str) -> bool + Sync),
    progress: &ProgressSink,
) -> (Vec<Finding>, Vec<Diagnostic>) {
    let reach = |doc: &Document| {
        if reported(doc.file.path()) || !self_located(doc) {
            Reach::Judged
        } else {
            Reach::Context
        }
    };
    let documents: Vec<(usize, usize, Reach)> = units
        .iter()
        .enumerate()
        .flat_map(|(u, unit)| {
            unit.documents
                .iter()
                .enumerate()
                .map(move |(d, doc)| (u, d, reach(doc)))
        })
        .collect();
    // Compile, in parallel, the rules the judged documents will need (embedded rules are
    // compiled on first use).
    rules.prepare(
        documents
            .iter()
            .filter(|(_, _, r)| *r == Reach::Judged)
            .filter_map(|&(u, d, _)| units[u].documents.get(d)),
    );
    // Only units where a rule reads `data.inventory` need theirs.
    let inventories: Vec<Inventory> = units
        .par_iter()
        .with_max_len(1)
        .map(|u| {
            if rules.needs_inventory(u) {
                Inventory::build(u, repository)
            } else {
                Inventory::default()
            }
        })
        .collect();
    // A scan of few documents (a pre-commit hook's one file) would leave threads idle: each
    // document's rules are then split into slices, checked in parallel and settled together.
    let threads = rayon::current_num_threads();
    let rule_count = rules.rules().len();
    let judged = documents
        .iter()
        .filter(|(_, _, r)| *r == Reach::Judged)
        .count();
    let slices = if threads > 1 && judged < 2 * threads {
        (4 * threads / judged.max(1)).clamp(1, rule_count.max(1))
    } else {
        1
    };
    let work: Vec<(usize, (usize, Reach), RuleSlice)> = documents
        .iter()
        .flat_map(|&(u, d, r)| {
            (0..slices).map(move |first| {
                let slice = RuleSlice {
                    first,
                    step: slices,
                };
                (u, (d, r), slice)
            })
        })
        .collect();
    // One worker state (prepared Rego engines) per thread of the pool, whatever the number of
    // splits rayon makes.
    let workers: Vec<Mutex<Worker>> = (0..threads + 1)
        .map(|_| Mutex::new(Worker::default()))
        .collect();
    let checking = progress.counter(documents.len(), |done, total| Progress::Checking {
        done,
        total,
    });
    // One document per task: the documents of a large unit (a chart rendered in several
    // environments) cost more than others, and they come together.
    let partials: Vec<Result<Partial, Outcome>> = work
        .par_iter()
        .with_max_len(1)
        .map(|&(u, d, slice)| {
            if slice.first == 0 {
                checking.step();
            }
            let unit = UnitRef {
                unit: units[u],
                inventory: &inventories[u],
            };
            let slot = rayon::current_thread_index()
                .unwrap_or(workers.len() - 1)
                .min(workers.len() - 1);
            let mut worker = match workers[slot].lock() {
                Ok(worker) => worker,
                Err(poisoned) => poisoned.into_inner(),
            };
            catch_panic(|| check_document(rules, &unit, d, slice, &mut worker)).map_err(
                |panicked| {
                    // The worker's prepared engines may be half-updated: start afresh.
                    *worker = Worker::default();
                    internal_error(units[u], d.0, &panicked.0)
                },
            )
        })
        .collect();
    // Each document's slices, in rule order; a document where one slice panicked has only the
    // internal error (once).
    let mut outcomes = Vec::with_capacity(documents.len());
    let mut partials = partials.into_iter();
    for _ in &documents {
        let mut settled = Vec::with_capacity(slices);
        let mut failed = None;
        for _ in 0..slices {
            match partials.next() {
                Some(Ok(p)) => settled.push(p),
                Some(Err(e)) => {
                    failed.get_or_insert(e);
                }
                None => {}
            }
        }
        outcomes.push(match failed {
            Some(e) => e,
            None => settle(rules, settled),
        });
    }
    let mut findings = Vec::new();
    let mut diagnostics = Vec::new();
    for o in outcomes {
        findings.extend(o.findings);
        diagnostics.extend(o.diagnostics);
    }
    (merge_environments(findings), diagnostics)
}

/// Whether whatever a rule finds in a document through the document itself is located in the
/// document's own file: a manifest or a Dockerfile read as is (not a render, whose findings are
/// traced to templates and values files; not a model that holds nodes of other files).
fn self_located(doc: &Document) -> bool {
    matches!(doc.format, DocFormat::Yaml | DocFormat::Dockerfile)
        && doc.provenance.is_none()
        && doc.spans.iter().all(|(_, s)| s.file.is_none())
}

/// What a panic while checking document `d` of `unit` leaves: an internal error located at
/// the document, and no finding for it.
fn internal_error(unit: &DeploymentUnit, d: usize, message: &str) -> Outcome {
    let diagnostic = match unit.documents.get(d) {
        Some(doc) => Diagnostic::internal_error(
            Some(Location::of(&doc.file, doc.range)),
            doc.file.path(),
            message,
        ),
        None => Diagnostic::internal_error(None, &unit.name, message),
    };
    Outcome {
        findings: Vec::new(),
        diagnostics: vec![diagnostic],
    }
}

/// The same finding in several renders of a chart (its environments) is reported once, with
/// the list of environments: same rule, place, node and subject, saying the same thing (a
/// workload with 2 replicas in one environment and 3 in another is two findings).
fn merge_environments(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    type Key = (String, String, ByteRange, String, String, String);
    let mut index: BTreeMap<Key, usize> = BTreeMap::new();
    for f in findings {
        if f.environments.is_empty() {
            out.push(f);
            continue;
        }
        let key = (
            f.rule_id.clone(),
            f.location.path.clone(),
            f.location.bytes,
            f.pointer.clone(),
            f.fingerprint.clone(),
            f.message.en.clone(),
        );
        match index.get(&key) {
            Some(&i) => {
                for e in f.environments {
                    if !out[i].environments.contains(&e) {
                        out[i].environments.push(e);
                    }
                }
                out[i].environments.sort_by(|a, b| {
                    (a != "default", a.as_str()).cmp(&(b != "default", b.as_str()))
                });
            }
            None => {
                index.insert(key, out.len());
                out.push(f);
            }
        }
    }
    out
}

/// A file of this name makes checking its documents panic, in the engine's tests only.
#[cfg(test)]
pub(super) const INJECTED_PANIC: &str = "cct-injected-panic.yaml";

#[cfg(test)]
mod tests {
    use super::INJECTED_PANIC;
    use crate::{CatalogueBuilder, DiagnosticCode, Scan, ScanOptions};

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:latest\n";

    #[test]
    fn a_panic_while_checking_one_document_is_an_internal_error_and_the_scan_goes_on() {
        let dir = std::env::temp_dir().join(format!("cct-panic-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::create_dir_all(dir.join("b")).unwrap();
        std::fs::write(dir.join("a").join(INJECTED_PANIC), POD).unwrap();
        std::fs::write(dir.join("b/pod.yaml"), POD).unwrap();
        let catalogue = CatalogueBuilder::new().build().unwrap();
        for jobs in [1, 2] {
            let options = ScanOptions {
                jobs,
                ..ScanOptions::default()
            };
            let report = Scan::new(&catalogue, options).run(std::slice::from_ref(&dir));
            let internal: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| d.code == DiagnosticCode::InternalError)
                .collect();
            assert_eq!(internal.len(), 1, "{:?}", report.diagnostics);
            let location = internal[0].location.as_ref().unwrap();
            assert!(location.path.ends_with(INJECTED_PANIC), "{location:?}");
            assert_eq!(location.start.line, 1);
            assert!(internal[0].message.en.contains("injected for a test"));
            assert!(internal[0].message.en.contains("please report it"));
            assert!(internal[0].message.fr.contains("merci de le signaler"));
            // The other file is judged; the failed one has no finding.
            assert!(report
                .findings
                .iter()
                .any(|f| f.location.path.ends_with("b/pod.yaml")));
            assert!(!report
                .findings
                .iter()
                .any(|f| f.location.path.ends_with(INJECTED_PANIC)));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
