//! Merging SARIF files written by `cct check` (the shards of one audit) into one run: the tool's
//! rules and the CCT taxonomy once, the results of every run (re-indexed against the merged
//! rules, in the order one full scan gives), every invocation kept, statistics added up.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

/// Why SARIF files cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A file is not a SARIF log with one run of cct.
    #[error("input {index} is not a SARIF log written by cct (one run whose tool is cct)")]
    NotCct {
        /// Its position (from 1).
        index: usize,
    },
    /// Nothing to merge.
    #[error("no SARIF file to merge")]
    Empty,
}

/// Merge SARIF logs of cct (one run each) into one log with one run.
pub fn merge_sarif(logs: &[Value]) -> Result<Value, MergeError> {
    let mut runs = Vec::new();
    for (i, log) in logs.iter().enumerate() {
        let run = log
            .pointer("/runs/0")
            .filter(|r| r.pointer("/tool/driver/name").and_then(Value::as_str) == Some("cct"))
            .ok_or(MergeError::NotCct { index: i + 1 })?;
        runs.push(run);
    }
    let first = runs.first().ok_or(MergeError::Empty)?;
    let mut merged = (*first).clone();

    // Rules: the union, by id (each run lists the whole catalogue; a rule enabled in one run is
    // enabled in the merge).
    let mut rules: BTreeMap<String, Value> = BTreeMap::new();
    for run in &runs {
        for rule in run
            .pointer("/tool/driver/rules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(id) = rule.get("id").and_then(Value::as_str) else {
                continue;
            };
            let enabled = |r: &Value| {
                r.pointer("/defaultConfiguration/enabled")
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
            };
            match rules.get(id) {
                Some(existing) if enabled(existing) || !enabled(rule) => {}
                _ => {
                    rules.insert(id.to_string(), rule.clone());
                }
            }
        }
    }
    let index: BTreeMap<String, usize> = rules
        .keys()
        .enumerate()
        .map(|(i, id)| (id.clone(), i))
        .collect();

    // Results, re-indexed, sorted as a full scan sorts findings (file, line, column, rule,
    // message, pointer); results found no more (baseline `absent`) last.
    let mut results: Vec<Value> = Vec::new();
    for run in &runs {
        for r in run
            .get("results")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut r = r.clone();
            if let Some(obj) = r.as_object_mut() {
                let idx = obj
                    .get("ruleId")
                    .and_then(Value::as_str)
                    .and_then(|id| index.get(id))
                    .copied();
                match idx {
                    Some(i) if obj.contains_key("ruleIndex") => {
                        obj.insert("ruleIndex".into(), json!(i));
                    }
                    _ => {}
                }
            }
            results.push(r);
        }
    }
    results.sort_by_key(sort_key);
    results.dedup();

    // Invocations: every run's; statistics: added up.
    let invocations: Vec<Value> = runs
        .iter()
        .flat_map(|r| {
            r.get("invocations")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let mut stats = Map::new();
    let mut unjudged = Vec::new();
    for run in &runs {
        if let Some(s) = run.pointer("/properties/stats").and_then(Value::as_object) {
            for (k, v) in s {
                let sum =
                    stats.get(k).and_then(Value::as_u64).unwrap_or(0) + v.as_u64().unwrap_or(0);
                stats.insert(k.clone(), json!(sum));
            }
        }
        if let Some(u) = run
            .pointer("/properties/unjudged")
            .and_then(Value::as_array)
        {
            unjudged.extend(u.iter().cloned());
        }
    }

    if let Some(obj) = merged.as_object_mut() {
        if let Some(driver) = obj
            .get_mut("tool")
            .and_then(|t| t.get_mut("driver"))
            .and_then(Value::as_object_mut)
        {
            driver.insert("rules".into(), Value::Array(rules.into_values().collect()));
        }
        obj.insert("results".into(), Value::Array(results));
        obj.insert("invocations".into(), Value::Array(invocations));
        if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
            props.insert("stats".into(), Value::Object(stats));
            props.insert("unjudged".into(), Value::Array(unjudged));
            props.insert("mergedRuns".into(), json!(runs.len()));
        }
    }
    Ok(json!({
        "$schema": logs[0].get("$schema").cloned().unwrap_or(Value::Null),
        "version": "2.1.0",
        "runs": [merged],
    }))
}

/// The order of a full scan: file, line, column, rule, message, pointer (absent results last).
fn sort_key(r: &Value) -> (bool, String, u64, u64, String, String, String) {
    let loc = r.pointer("/locations/0/physicalLocation");
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
    let num = |v: Option<&Value>| v.and_then(Value::as_u64).unwrap_or(0);
    (
        r.get("baselineState").and_then(Value::as_str) == Some("absent"),
        text(loc.and_then(|l| l.pointer("/artifactLocation/uri"))),
        num(loc.and_then(|l| l.pointer("/region/startLine"))),
        num(loc.and_then(|l| l.pointer("/region/startColumn"))),
        text(r.get("ruleId")),
        text(r.pointer("/message/text")),
        text(r.pointer("/properties/pointer")),
    )
}
