//! Checking deployment units in parallel: every document of every unit against the rule set,
//! Rego rules with their unit's inventory; then the same finding in several renders of a chart
//! (its environments) merged into one.

use std::collections::BTreeMap;
use std::sync::Mutex;

use rayon::prelude::*;

use super::{check_document, Outcome, RuleSet, UnitRef, Worker};
use crate::progress::{Progress, ProgressSink};
use crate::source::{ByteRange, DocFormat};
use crate::units::{DeploymentUnit, Inventory};
use crate::vocab::{Diagnostic, Finding};

/// Check deployment units (in the current rayon pool): their findings (environments merged)
/// and the diagnostics of rules that failed on them. `repository` is what the whole scan
/// knows beyond one unit (see `units::repository_facts`).
pub(crate) fn check_units(
    rules: &RuleSet,
    units: &[&DeploymentUnit],
    repository: &regorus::Value,
    progress: &ProgressSink,
) -> (Vec<Finding>, Vec<Diagnostic>) {
    // Compile, in parallel, the rules these documents will need (embedded rules are compiled
    // on first use).
    let mut formats: Vec<DocFormat> = units
        .iter()
        .flat_map(|u| u.documents.iter())
        .map(|d| d.format)
        .collect();
    formats.sort();
    formats.dedup();
    rules.prepare(&formats);
    // Only units where a rule reads `data.inventory` need theirs.
    let inventories: Vec<Inventory> = units
        .par_iter()
        .map(|u| {
            if rules.needs_inventory(u) {
                Inventory::build(u, repository)
            } else {
                Inventory::default()
            }
        })
        .collect();
    let work: Vec<(usize, usize)> = units
        .iter()
        .enumerate()
        .flat_map(|(u, unit)| (0..unit.documents.len()).map(move |d| (u, d)))
        .collect();
    // One worker state (prepared Rego engines) per thread of the pool, whatever the number of
    // splits rayon makes.
    let workers: Vec<Mutex<Worker>> = (0..rayon::current_num_threads() + 1)
        .map(|_| Mutex::new(Worker::default()))
        .collect();
    let checking = progress.counter(work.len(), |done, total| Progress::Checking { done, total });
    let outcomes: Vec<Outcome> = work
        .par_iter()
        .map(|&(u, d)| {
            checking.step();
            let unit = UnitRef {
                unit: units[u],
                inventory: &inventories[u],
            };
            let slot = rayon::current_thread_index()
                .unwrap_or(workers.len() - 1)
                .min(workers.len() - 1);
            match workers[slot].lock() {
                Ok(mut worker) => check_document(rules, &unit, d, &mut worker),
                Err(poisoned) => check_document(rules, &unit, d, &mut poisoned.into_inner()),
            }
        })
        .collect();
    let mut findings = Vec::new();
    let mut diagnostics = Vec::new();
    for o in outcomes {
        findings.extend(o.findings);
        diagnostics.extend(o.diagnostics);
    }
    (merge_environments(findings), diagnostics)
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
