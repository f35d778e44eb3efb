//! Scratch harness (ignored by default): renders the dependency-free charts of
//! `../shared/corpus/charts` with a minimal Helm model and compares each document with the
//! golden render of the real Helm engine in `../shared/corpus/rendered`.
//! Run with `cargo test -p cct-template --test charts -- --ignored --nocapture`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use cct_template::{ExecOptions, Object, TemplateSet, Value};

const API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

#[derive(Debug)]
struct ApiVersions;
impl Object for ApiVersions {
    fn type_name(&self) -> String {
        "common.VersionSet".into()
    }
    fn has_method(&self, name: &str) -> bool {
        name == "Has"
    }
    fn call_method(&self, _: &str, args: &[Value]) -> Result<Value, String> {
        let a = args.first().and_then(Value::as_str).unwrap_or("");
        Ok(Value::bool(API_VERSIONS.contains(&a)))
    }
    fn to_plain(&self) -> Value {
        Value::list(API_VERSIONS.iter().map(|s| Value::str(*s)).collect())
    }
}

#[derive(Debug)]
struct Files(PathBuf);
impl Object for Files {
    fn type_name(&self) -> String {
        "common.Files".into()
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(name, "Get" | "Glob" | "AsConfig" | "AsSecrets" | "Lines")
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let a = args.first().and_then(Value::as_str).unwrap_or("");
        match name {
            "Get" => Ok(Value::str(
                std::fs::read_to_string(self.0.join(a)).unwrap_or_default(),
            )),
            "Lines" => Ok(Value::list(
                std::fs::read_to_string(self.0.join(a))
                    .unwrap_or_default()
                    .lines()
                    .map(Value::str)
                    .collect(),
            )),
            _ => Ok(Value::str("")),
        }
    }
}

fn go_name(k: &str) -> String {
    match k {
        "apiVersion" => "APIVersion".into(),
        "appVersion" => "AppVersion".into(),
        "kubeVersion" => "KubeVersion".into(),
        _ => {
            let mut c = k.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

fn collect_templates(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut v: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    v.sort();
    for p in v {
        if p.is_dir() {
            collect_templates(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Renders a chart; returns (source name, text) per template, or an error text.
fn render_chart(dir: &Path, common: Option<&Path>) -> Result<Vec<(String, String)>, String> {
    let chart_yaml = Value::from_yaml(&std::fs::read_to_string(dir.join("Chart.yaml")).unwrap())?;
    let name = chart_yaml
        .as_map()
        .unwrap()
        .get("name")
        .and_then(|v| v.as_str().map(String::from))
        .unwrap();
    let values = cct_template::yaml::parse_values(
        &std::fs::read_to_string(dir.join("values.yaml")).unwrap_or_default(),
        0,
    )?;
    let mut values = if values.is_nil() {
        Value::map(BTreeMap::new())
    } else {
        values
    };
    let mut chart = BTreeMap::new();
    for (k, v) in chart_yaml.as_map().unwrap().iter() {
        chart.insert(go_name(k), v.clone());
    }
    chart.insert("IsRoot".into(), Value::bool(true));
    let mut set = TemplateSet::new();
    let mut names = Vec::new();
    if let Some(common) = common {
        let mut files = Vec::new();
        collect_templates(&common.join("templates"), &mut files);
        for f in &files {
            let rel = f.strip_prefix(common).unwrap().display().to_string();
            let tname = format!("{name}/charts/common/{rel}");
            let text = std::fs::read_to_string(f).unwrap();
            set.add(&tname, &text).map_err(|e| e.to_string())?;
        }
        let cv = Value::from_yaml(
            &std::fs::read_to_string(common.join("values.yaml")).unwrap_or_default(),
        )?;
        let mut cm: BTreeMap<String, Value> = cv.as_map().map(|m| m.clone()).unwrap_or_default();
        if let Some(g) = values.as_map().and_then(|m| m.get("global").cloned()) {
            cm.insert("global".into(), g);
        }
        if let Some(m) = values.as_map().map(|m| m.clone()) {
            let mut m = m;
            m.entry("common".to_string())
                .or_insert_with(|| Value::map(cm));
            values = Value::map(m);
        }
    }
    let mut files = Vec::new();
    collect_templates(&dir.join("templates"), &mut files);
    for f in &files {
        let rel = f.strip_prefix(dir).unwrap().display().to_string();
        let tname = format!("{name}/{rel}");
        let text = std::fs::read_to_string(f).unwrap();
        set.add(&tname, &text).map_err(|e| e.to_string())?;
        names.push(tname);
    }
    let mut out = Vec::new();
    for tname in names {
        let base = tname.rsplit('/').next().unwrap();
        if base.starts_with('_') || base == "NOTES.txt" {
            continue;
        }
        let mut top = BTreeMap::new();
        top.insert("Values".to_string(), values.clone());
        top.insert("Chart".to_string(), Value::map(chart.clone()));
        let release: BTreeMap<String, Value> = [
            ("Name", Value::str("rel")),
            ("Namespace", Value::str("test-ns")),
            ("IsInstall", Value::bool(true)),
            ("IsUpgrade", Value::bool(false)),
            ("Revision", Value::int(1)),
            ("Service", Value::str("Helm")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        top.insert("Release".to_string(), Value::map(release));
        let kv: BTreeMap<String, Value> = [
            ("Version", "v1.36.0"),
            ("GitVersion", "v1.36.0"),
            ("Major", "1"),
            ("Minor", "36"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::str(v)))
        .collect();
        let mut caps = BTreeMap::new();
        caps.insert("KubeVersion".to_string(), Value::map(kv));
        caps.insert(
            "APIVersions".to_string(),
            Value::object(Rc::new(ApiVersions)),
        );
        top.insert("Capabilities".to_string(), Value::map(caps));
        let mut t = BTreeMap::new();
        t.insert("Name".to_string(), Value::str(tname.as_str()));
        t.insert(
            "BasePath".to_string(),
            Value::str(format!("{name}/templates")),
        );
        top.insert("Template".to_string(), Value::map(t));
        top.insert(
            "Files".to_string(),
            Value::object(Rc::new(Files(dir.to_path_buf()))),
        );
        let r = set
            .execute(&tname, &Value::map(top), &ExecOptions::helm())
            .map_err(|e| e.to_string())?;
        out.push((tname, r.text));
    }
    Ok(out)
}

/// Mimics the reference `helm template` printing.
fn print(rendered: &[(String, String)]) -> String {
    let mut s = String::new();
    let mut sorted: Vec<&(String, String)> = rendered.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, text) in sorted {
        if text.trim().is_empty() {
            continue;
        }
        for part in text.split("\n---") {
            let body = if part.starts_with("---") {
                part.trim_start_matches(['-', '\n'])
            } else {
                part
            };
            let body = body.trim_start_matches('\n');
            let has = body
                .lines()
                .any(|l| !l.trim().is_empty() && !l.trim().starts_with('#'));
            if has {
                s.push_str(&format!("---\n# Source: {key}\n{}\n", body.trim_end()));
            }
        }
    }
    s
}

#[test]
#[ignore]
fn render_corpus_charts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if !root.is_dir() {
        return;
    }
    let only = std::env::var("CHART").ok();
    let mut ok = 0;
    let mut bad = 0;
    for repo in [
        "argo-helm",
        "grafana",
        "bitnami",
        "cloud-pi-native-console-2024",
    ] {
        let Ok(rd) = std::fs::read_dir(root.join("charts").join(repo)) else {
            continue;
        };
        let mut charts: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
        charts.sort();
        for c in charts {
            let cy = std::fs::read_to_string(c.join("Chart.yaml")).unwrap_or_default();
            if cy.is_empty() {
                continue;
            }
            let deps: Vec<String> = Value::from_yaml(&cy)
                .ok()
                .and_then(|v| v.as_map().and_then(|m| m.get("dependencies").cloned()))
                .and_then(|d| {
                    d.as_list().map(|l| {
                        l.iter()
                            .filter_map(|x| {
                                x.as_map().and_then(|m| {
                                    m.get("name").and_then(|n| n.as_str().map(String::from))
                                })
                            })
                            .collect()
                    })
                })
                .unwrap_or_default();
            let common_dir = root.join("charts").join(repo).join("common");
            let common = match deps.as_slice() {
                [] => None,
                [d] if d == "common" => Some(common_dir.as_path()),
                _ => continue,
            };
            let cname = c.file_name().unwrap().to_string_lossy().to_string();
            if only.as_deref().is_some_and(|o| o != cname) {
                continue;
            }
            let golden = root
                .join("rendered")
                .join(repo)
                .join(format!("{cname}.yaml"));
            let want = match std::fs::read_to_string(&golden) {
                Ok(w) => w,
                Err(_) => {
                    match render_chart(&c, common) {
                        Ok(_) => eprintln!("NOGOLD {repo}/{cname}: rendered without error"),
                        Err(e) => eprintln!("NOGOLD {repo}/{cname}: {e}"),
                    }
                    continue;
                }
            };
            match render_chart(&c, common) {
                Ok(r) => {
                    let got = print(&r);
                    let norm = |t: &str| -> Vec<String> {
                        t.lines()
                            .filter(|l| {
                                let l = l.trim();
                                !l.is_empty() && l != "---" && !l.starts_with("# Source:")
                            })
                            .map(|l| l.trim_end().to_string())
                            .collect()
                    };
                    let (gl, wl) = (norm(&got), norm(&want));
                    if gl == wl {
                        ok += 1;
                        eprintln!("OK   {repo}/{cname}");
                    } else {
                        bad += 1;
                        eprintln!("DIFF {repo}/{cname}");
                        let _ = std::fs::write(format!("/tmp/cct-got-{cname}.yaml"), &got);
                        for (g, w) in gl.iter().zip(wl.iter()) {
                            if g != w {
                                eprintln!("  got : {g}\n  want: {w}");
                                break;
                            }
                        }
                    }
                }
                Err(e) => {
                    bad += 1;
                    eprintln!("ERR  {repo}/{cname}: {e}");
                }
            }
        }
    }
    eprintln!("{ok} identical, {bad} different");
}
