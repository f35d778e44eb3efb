//! The chart model: `Chart.yaml` metadata (v1 and v2, `requirements.yaml`), default values,
//! templates, other files (`.Files`), and loaded subcharts.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value as J;

use super::values::{Table, Value, ValueKind};
use super::HelmError;
use crate::source::SourceFile;
use crate::vocab::Diagnostic;

/// A maintainer of `Chart.yaml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Maintainer {
    /// `name`.
    pub name: String,
    /// `email`.
    pub email: String,
    /// `url`.
    pub url: String,
}

/// One `import-values` entry, as Helm rewrites it: `child` table to `parent` path.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportValue {
    /// Path in the dependency's values (`exports.<name>` for the string form).
    pub child: String,
    /// Path in the parent's values (`.` for the string form).
    pub parent: String,
}

/// A dependency of `Chart.yaml` (or `requirements.yaml`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dependency {
    /// `name` (the alias once dependencies are processed).
    pub name: String,
    /// `version` (a range).
    pub version: String,
    /// `repository`.
    pub repository: String,
    /// `condition` (comma-separated paths).
    pub condition: String,
    /// `tags`.
    pub tags: Vec<String>,
    /// Whether enabled (after processing).
    pub enabled: bool,
    /// `import-values`.
    pub import_values: Vec<ImportValue>,
    /// `alias`.
    pub alias: String,
}

/// `Chart.yaml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// `apiVersion` (`v1` when absent, as Helm sets it).
    pub api_version: String,
    /// `name`.
    pub name: String,
    /// `version`.
    pub version: String,
    /// `appVersion`.
    pub app_version: String,
    /// `description`.
    pub description: String,
    /// `home`.
    pub home: String,
    /// `icon`.
    pub icon: String,
    /// `kubeVersion`.
    pub kube_version: String,
    /// `type`: `application`, `library` or empty.
    pub chart_type: String,
    /// `condition` (v1 charts).
    pub condition: String,
    /// `tags` (v1 charts; a string).
    pub tags: String,
    /// `deprecated`.
    pub deprecated: bool,
    /// `keywords`.
    pub keywords: Vec<String>,
    /// `sources`.
    pub sources: Vec<String>,
    /// `maintainers`.
    pub maintainers: Vec<Maintainer>,
    /// `annotations` (`None` when absent: `.Chart.Annotations` is then `nil`).
    pub annotations: Option<BTreeMap<String, String>>,
    /// `dependencies`.
    pub dependencies: Vec<Dependency>,
}

/// sigs.k8s.io/yaml converts a scalar to the string a Go `string` field expects.
fn as_string(v: &J) -> String {
    match v {
        J::String(s) => s.clone(),
        J::Bool(b) => b.to_string(),
        J::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        _ => String::new(),
    }
}

fn strings(v: Option<&J>) -> Vec<String> {
    match v {
        Some(J::Array(a)) => a.iter().map(as_string).collect(),
        _ => Vec::new(),
    }
}

fn field(o: &serde_json::Map<String, J>, k: &str) -> String {
    o.get(k).map(as_string).unwrap_or_default()
}

impl Metadata {
    /// Read the fields Helm reads from `Chart.yaml` (unknown fields are ignored, as Go's JSON
    /// decoding does).
    pub fn from_json(v: &J) -> Metadata {
        let empty = serde_json::Map::new();
        let o = v.as_object().unwrap_or(&empty);
        let mut md = Metadata {
            api_version: field(o, "apiVersion"),
            name: field(o, "name"),
            version: field(o, "version"),
            app_version: field(o, "appVersion"),
            description: field(o, "description"),
            home: field(o, "home"),
            icon: field(o, "icon"),
            kube_version: field(o, "kubeVersion"),
            chart_type: field(o, "type"),
            condition: field(o, "condition"),
            tags: field(o, "tags"),
            deprecated: o.get("deprecated").and_then(J::as_bool).unwrap_or(false),
            keywords: strings(o.get("keywords")),
            sources: strings(o.get("sources")),
            maintainers: Vec::new(),
            annotations: None,
            dependencies: Vec::new(),
        };
        if let Some(J::Array(ms)) = o.get("maintainers") {
            md.maintainers = ms
                .iter()
                .filter_map(J::as_object)
                .map(|m| Maintainer {
                    name: field(m, "name"),
                    email: field(m, "email"),
                    url: field(m, "url"),
                })
                .collect();
        }
        if let Some(J::Object(a)) = o.get("annotations") {
            md.annotations = Some(a.iter().map(|(k, v)| (k.clone(), as_string(v))).collect());
        }
        md.dependencies = dependencies_from_json(o.get("dependencies"));
        md
    }

    /// Helm's `Metadata.Validate`, with its messages.
    pub fn validate(&self) -> Result<(), HelmError> {
        let err = |m: String| Err(HelmError::Load(format!("validation: {m}")));
        if self.api_version.is_empty() {
            return err("chart.metadata.apiVersion is required".into());
        }
        if self.name.is_empty() {
            return err("chart.metadata.name is required".into());
        }
        if self.name.contains('/')
            || self.name.contains('\\')
            || self.name == "."
            || self.name == ".."
        {
            return err(format!("chart.metadata.name {:?} is invalid", self.name));
        }
        if self.version.is_empty() {
            return err("chart.metadata.version is required".into());
        }
        if super::semver::Version::parse(&self.version).is_none() {
            return err(format!(
                "chart.metadata.version {:?} is invalid",
                self.version
            ));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return err("chart.metadata.type must be application or library".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for d in &self.dependencies {
            if d.name.is_empty() {
                return err("dependencies must have a name".into());
            }
            if !d.alias.is_empty()
                && !d
                    .alias
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return err(format!(
                    "dependency {:?} has disallowed characters in the alias",
                    d.name
                ));
            }
            let key = if d.alias.is_empty() {
                &d.name
            } else {
                &d.alias
            };
            if !seen.insert(key.clone()) {
                return err(format!(
                    "more than one dependency with name or alias {key:?}"
                ));
            }
        }
        Ok(())
    }

    /// Whether this is a library chart.
    pub fn is_library(&self) -> bool {
        self.chart_type == "library"
    }

    /// `.Chart` as Helm v4 exposes it: a map with capitalised keys, plus `IsRoot`.
    pub fn to_template_value(&self, is_root: bool) -> Value {
        let s = |x: &str| Value::string(x);
        let list =
            |xs: &[String]| Value::list(xs.iter().map(|x| Value::string(x.as_str())).collect());
        let mut t = Table::new();
        t.insert("APIVersion".into(), s(&self.api_version));
        t.insert(
            "Annotations".into(),
            match &self.annotations {
                None => Value::null(),
                Some(a) => Value::map(a.iter().map(|(k, v)| (k.clone(), s(v))).collect()),
            },
        );
        t.insert("AppVersion".into(), s(&self.app_version));
        t.insert("Condition".into(), s(&self.condition));
        let deps = self
            .dependencies
            .iter()
            .map(|d| {
                let mut m = Table::new();
                m.insert("Alias".into(), s(&d.alias));
                m.insert("Condition".into(), s(&d.condition));
                m.insert("Enabled".into(), Value::new(ValueKind::Bool(d.enabled)));
                let iv = d
                    .import_values
                    .iter()
                    .map(|iv| {
                        let mut x = Table::new();
                        x.insert("child".into(), s(&iv.child));
                        x.insert("parent".into(), s(&iv.parent));
                        Value::map(x)
                    })
                    .collect();
                m.insert("ImportValues".into(), Value::list(iv));
                m.insert("Name".into(), s(&d.name));
                m.insert("Repository".into(), s(&d.repository));
                m.insert("Tags".into(), list(&d.tags));
                m.insert("Version".into(), s(&d.version));
                Value::map(m)
            })
            .collect();
        t.insert("Dependencies".into(), Value::list(deps));
        t.insert(
            "Deprecated".into(),
            Value::new(ValueKind::Bool(self.deprecated)),
        );
        t.insert("Description".into(), s(&self.description));
        t.insert("Home".into(), s(&self.home));
        t.insert("Icon".into(), s(&self.icon));
        t.insert("IsRoot".into(), Value::new(ValueKind::Bool(is_root)));
        t.insert("Keywords".into(), list(&self.keywords));
        t.insert("KubeVersion".into(), s(&self.kube_version));
        let maint = self
            .maintainers
            .iter()
            .map(|m| {
                let mut x = Table::new();
                x.insert("Email".into(), s(&m.email));
                x.insert("Name".into(), s(&m.name));
                x.insert("URL".into(), s(&m.url));
                Value::map(x)
            })
            .collect();
        t.insert("Maintainers".into(), Value::list(maint));
        t.insert("Name".into(), s(&self.name));
        t.insert("Sources".into(), list(&self.sources));
        t.insert("Tags".into(), s(&self.tags));
        t.insert("Type".into(), s(&self.chart_type));
        t.insert("Version".into(), s(&self.version));
        Value::map(t)
    }
}

/// The `dependencies` list of `Chart.yaml` or `requirements.yaml`.
pub(super) fn dependencies_from_json(v: Option<&J>) -> Vec<Dependency> {
    let Some(J::Array(ds)) = v else {
        return Vec::new();
    };
    ds.iter()
        .filter_map(J::as_object)
        .map(|d| Dependency {
            name: field(d, "name"),
            version: field(d, "version"),
            repository: field(d, "repository"),
            condition: field(d, "condition"),
            tags: strings(d.get("tags")),
            enabled: false,
            import_values: match d.get("import-values") {
                Some(J::Array(ivs)) => ivs
                    .iter()
                    .filter_map(|iv| match iv {
                        J::String(s) => Some(ImportValue {
                            child: format!("exports.{s}"),
                            parent: ".".into(),
                        }),
                        J::Object(m) => Some(ImportValue {
                            child: field(m, "child"),
                            parent: field(m, "parent"),
                        }),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            },
            alias: field(d, "alias"),
        })
        .collect()
}

/// A file of a chart, as `.Files` sees it.
#[derive(Debug, Clone)]
pub struct ChartFile {
    /// Its name relative to the chart root (`files/x.conf`).
    pub name: String,
    /// Its bytes.
    pub data: Arc<[u8]>,
}

/// A template of a chart.
#[derive(Debug, Clone)]
pub struct ChartTemplate {
    /// Its name relative to the chart (`templates/deployment.yaml`).
    pub name: String,
    /// Its text (display path: the chart's display path joined with the name).
    pub file: Arc<SourceFile>,
}

/// A loaded chart and its subcharts.
#[derive(Debug, Clone)]
pub struct Chart {
    /// `Chart.yaml` (dependencies from `requirements.yaml` included).
    pub metadata: Metadata,
    /// The display path of the chart (its folder, or its archive).
    pub display: String,
    /// The folder it was loaded from, when it is a folder on disk.
    pub dir: Option<std::path::PathBuf>,
    /// Default values (`values.yaml`, documents merged), with origins.
    pub values: Table,
    /// The `values.yaml` file.
    pub values_file: Option<Arc<SourceFile>>,
    /// `values.schema.json`.
    pub schema: Option<Arc<SourceFile>>,
    /// `templates/**`, in load order.
    pub templates: Vec<ChartTemplate>,
    /// Every other file (`.Files`): `crds/`, `.helmignore`, `README.md`…
    pub files: Vec<ChartFile>,
    /// Subcharts (from `charts/`, then resolved `file://` and `--charts-dir` dependencies).
    pub dependencies: Vec<Chart>,
    /// Declared dependencies found neither in `charts/` nor by resolution.
    pub missing: Vec<String>,
    /// The versions `Chart.lock` (or `requirements.lock`) pins, by name.
    pub lock: Vec<(String, String)>,
    /// Where each declared dependency came from (see [`super::resolve_dependencies`]).
    pub resolved: Vec<super::ResolvedDependency>,
    /// Warnings met while loading (YAML problems in values files…).
    pub diagnostics: Vec<Diagnostic>,
}

impl Chart {
    /// The chart's name (its alias, once dependencies are processed).
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// An empty chart of a name (for tests and synthetic parents).
    pub fn synthetic(name: &str) -> Chart {
        Chart {
            metadata: Metadata {
                api_version: "v2".into(),
                name: name.into(),
                version: "0.1.0".into(),
                ..Metadata::default()
            },
            display: name.into(),
            dir: None,
            values: Table::new(),
            values_file: None,
            schema: None,
            templates: Vec::new(),
            files: Vec::new(),
            dependencies: Vec::new(),
            missing: Vec::new(),
            lock: Vec::new(),
            resolved: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// The version the lock file pins for a dependency.
    pub fn locked_version(&self, name: &str) -> Option<&str> {
        self.lock
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Where the declared dependencies of this chart and of its subcharts came from.
    pub fn all_resolved(&self) -> Vec<&super::ResolvedDependency> {
        let mut out: Vec<&super::ResolvedDependency> = self.resolved.iter().collect();
        for d in &self.dependencies {
            out.extend(d.all_resolved());
        }
        out
    }

    /// The files of `crds/` (Helm's `CRDObjects`), in load order.
    pub fn crd_files(&self) -> impl Iterator<Item = &ChartFile> {
        self.files.iter().filter(|f| {
            f.name.starts_with("crds/")
                && (f.name.ends_with(".yaml")
                    || f.name.ends_with(".yml")
                    || f.name.ends_with(".json"))
        })
    }

    /// Helm's `CheckDependencies` error for the root chart, when a declared dependency is
    /// missing: `found in Chart.yaml, but missing in charts/ directory: a, b`.
    pub fn check_dependencies(&self) -> Result<(), HelmError> {
        let missing: Vec<&str> = self
            .metadata
            .dependencies
            .iter()
            .filter(|r| !self.dependencies.iter().any(|d| d.name() == r.name))
            .map(|r| r.name.as_str())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(HelmError::MissingDependencies(missing.join(", ")))
        }
    }
}
