//! A chart's own files as documents for rules: its `Chart.yaml`, with facts about the chart's
//! other files (`helm-chart` subjects), and each of its values files as written, with facts
//! about the chart (`helm-values` subjects). Subcharts are not included: their files are
//! somebody else's.

use std::path::Path;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::{environments, Chart};
use crate::source::{DocFacts, DocFormat, Document, SourceFile};
use crate::yaml::{self, YamlLimits};

/// The `Chart.yaml` document of a chart folder and the documents of its values files
/// (`values.yaml`, then each environment's files). Files that cannot be read or parsed give
/// nothing here: loading the chart already reported them.
pub(crate) fn documents(
    chart: &Chart,
    dir: &Path,
    display: &str,
    limits: &YamlLimits,
) -> Vec<Document> {
    let mut out = Vec::new();
    if let Some(mut doc) = first_document(dir, display, "Chart.yaml", limits) {
        doc.format = DocFormat::HelmChart;
        doc.facts = Some(Arc::new(chart_facts(chart, dir)));
        out.push(doc);
    }
    let mut files: Vec<(String, Option<String>)> = Vec::new();
    for name in ["values.yaml", "values.yml"] {
        if dir.join(name).is_file() {
            files.push((name.to_string(), None));
            break;
        }
    }
    for env in environments(dir) {
        for f in env.files {
            if !files.iter().any(|(seen, _)| *seen == f) {
                files.push((f, Some(env.name.clone())));
            }
        }
    }
    let chart_value = values_chart_fact(chart);
    let values: Vec<(String, Option<String>, Document)> = files
        .into_iter()
        .filter_map(|(name, env)| {
            let doc = first_document(dir, display, &name, limits)?;
            Some((format!("{display}/{name}"), env, doc))
        })
        .collect();
    // Each file sees the others (the chart's other environments), for rules that compare them.
    let other_files = |skip: usize| -> Value {
        Value::Array(
            values
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, (file, env, doc))| {
                    json!({"file": file, "environment": env, "values": doc.value})
                })
                .collect(),
        )
    };
    let others: Vec<Value> = (0..values.len()).map(other_files).collect();
    for ((file, env, mut doc), others) in values.into_iter().zip(others) {
        let mut facts = Map::new();
        facts.insert("chart".into(), chart_value.clone());
        facts.insert("file".into(), json!(file));
        facts.insert("environment".into(), json!(env));
        facts.insert("otherFiles".into(), others);
        doc.format = DocFormat::HelmValues;
        doc.facts = Some(Arc::new(DocFacts::at_root(facts)));
        out.push(doc);
    }
    out
}

/// The facts of a values document: the chart it configures (`name`, `appVersion`,
/// `repository`, `bitnamiDependencies`).
pub(crate) fn values_chart_fact(chart: &Chart) -> Value {
    let m = &chart.metadata;
    json!({
        "name": m.name,
        "appVersion": m.app_version,
        "bitnamiDependencies": m.dependencies.iter().any(|d| d.repository.contains("bitnami")),
    })
}

fn chart_facts(chart: &Chart, dir: &Path) -> DocFacts {
    let locked = ["Chart.lock", "requirements.lock"]
        .iter()
        .any(|f| dir.join(f).is_file());
    let lock = if locked {
        Value::Object(
            chart
                .lock
                .iter()
                .map(|(name, version)| (name.clone(), json!(version)))
                .collect(),
        )
    } else {
        Value::Null
    };
    let mut facts = Map::new();
    facts.insert("lock".into(), lock);
    facts.insert("valuesFile".into(), json!(chart.values_file.is_some()));
    facts.insert("valuesSchema".into(), json!(chart.schema.is_some()));
    DocFacts::at_root(facts)
}

/// Files larger than this are not read here (the loader's limit for any file).
const MAX_FILE_SIZE: u64 = 32 << 20;

/// The first YAML document of a file of the chart folder.
fn first_document(dir: &Path, display: &str, name: &str, limits: &YamlLimits) -> Option<Document> {
    let path = dir.join(name);
    let size = std::fs::metadata(&path).ok()?.len();
    if size > MAX_FILE_SIZE {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let file = SourceFile::new(format!("{display}/{name}"), text);
    yaml::parse(&file, limits).documents.into_iter().next()
}
