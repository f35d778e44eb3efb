//! What a template sees: `.Values`, `.Release`, `.Chart`, `.Capabilities`, `.Files`,
//! `.Subcharts`, `.Template`, one scope per chart and subchart (Helm's `recAllTpls`), and the
//! `.Files` helpers (`Get`, `GetBytes`, `Glob`, `Lines`, `AsConfig`, `AsSecrets`).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::chart::Chart;
use super::pattern::Pattern;
use super::values::{table_at, Table, Value, ValueKind};
use crate::source::SourceFile;

/// `.Release`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseOptions {
    /// `Name` (`helm template`'s default is `release-name`).
    pub name: String,
    /// `Namespace` (`default` unless `-n`).
    pub namespace: String,
    /// `Revision`.
    pub revision: i64,
    /// `IsInstall`.
    pub is_install: bool,
    /// `IsUpgrade`.
    pub is_upgrade: bool,
}

impl Default for ReleaseOptions {
    fn default() -> Self {
        ReleaseOptions {
            name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_install: true,
            is_upgrade: false,
        }
    }
}

impl ReleaseOptions {
    /// `.Release` as a map (`Service` is always `Helm`; `Revision` an `int`).
    pub fn to_template_value(&self) -> Value {
        let mut t = Table::new();
        t.insert(
            "IsInstall".into(),
            Value::new(ValueKind::Bool(self.is_install)),
        );
        t.insert(
            "IsUpgrade".into(),
            Value::new(ValueKind::Bool(self.is_upgrade)),
        );
        t.insert("Name".into(), Value::string(self.name.as_str()));
        t.insert("Namespace".into(), Value::string(self.namespace.as_str()));
        t.insert("Revision".into(), Value::new(ValueKind::Int(self.revision)));
        t.insert("Service".into(), Value::string("Helm"));
        Value::map(t)
    }
}

/// `.Capabilities.KubeVersion`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeVersion {
    /// `Version` (`v1.36.0`); also what `GitVersion` and printing the object give.
    pub version: String,
    /// `Major`.
    pub major: String,
    /// `Minor`.
    pub minor: String,
}

impl KubeVersion {
    /// Helm's `ParseKubeVersion` (for `--kube-version`): `1.29` → `v1.29.0`.
    pub fn parse(s: &str) -> Option<KubeVersion> {
        let v = super::semver::Version::parse(s)?;
        let pre = if v.pre.is_empty() {
            String::new()
        } else {
            format!("-{}", v.pre)
        };
        Some(KubeVersion {
            version: format!("v{}.{}.{}{pre}", v.major, v.minor, v.patch),
            major: v.major.to_string(),
            minor: v.minor.to_string(),
        })
    }
}

/// Helm v4.2's default API versions (client-go v0.36 scheme), in Helm's order.
const DEFAULT_API_VERSIONS: &[&str] = &[
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

/// `.Capabilities`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    /// `KubeVersion`.
    pub kube_version: KubeVersion,
    /// `APIVersions` (Helm's defaults, then `--api-versions`); `Has` is [`Capabilities::has`].
    pub api_versions: Vec<String>,
    /// `HelmVersion.Version`.
    pub helm_version: String,
}

/// The Kubernetes version charts see unless told otherwise (Helm v4.2.3's client-side one).
pub const DEFAULT_KUBE_VERSION: &str = "v1.36.0";

impl Default for Capabilities {
    /// What Helm v4.2.3 reports client-side: Kubernetes v1.36.0 and client-go's API versions.
    fn default() -> Self {
        Capabilities {
            kube_version: KubeVersion {
                version: DEFAULT_KUBE_VERSION.into(),
                major: "1".into(),
                minor: "36".into(),
            },
            api_versions: DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect(),
            helm_version: "v4.2".into(),
        }
    }
}

impl Capabilities {
    /// With `--kube-version` and `--api-versions` applied.
    pub fn with_options(kube_version: Option<KubeVersion>, extra_api_versions: &[String]) -> Self {
        let mut c = Capabilities::default();
        if let Some(k) = kube_version {
            c.kube_version = k;
        }
        c.api_versions.extend(extra_api_versions.iter().cloned());
        c
    }

    /// `.Capabilities.APIVersions.Has`: exact membership (`apps/v1`, or `apps/v1/Deployment`
    /// when given with `--api-versions`).
    pub fn has(&self, api_version: &str) -> bool {
        self.api_versions.iter().any(|v| v == api_version)
    }
}

/// `.Files` of one chart: name → bytes, names relative to the chart root.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Files {
    /// The files.
    pub map: BTreeMap<String, Arc<[u8]>>,
}

impl Files {
    /// The files of a chart.
    pub fn of(chart: &Chart) -> Files {
        Files {
            map: chart
                .files
                .iter()
                .map(|f| (f.name.clone(), Arc::clone(&f.data)))
                .collect(),
        }
    }

    /// `.Files.GetBytes` (empty when absent).
    pub fn get_bytes(&self, name: &str) -> &[u8] {
        self.map.get(name).map_or(&[], |d| d)
    }

    /// `.Files.Get` (empty when absent; invalid UTF-8 replaced, as the renderer shows text).
    pub fn get(&self, name: &str) -> String {
        String::from_utf8_lossy(self.get_bytes(name)).into_owned()
    }

    /// `.Files.Glob` (gobwas/glob with `/` separator; a bad pattern matches everything, as
    /// Helm falls back to `**`).
    pub fn glob(&self, pattern: &str) -> Files {
        let p = Pattern::glob(pattern).or_else(|_| Pattern::glob("**"));
        Files {
            map: self
                .map
                .iter()
                .filter(|(n, _)| p.as_ref().is_ok_and(|p| p.matches(n)))
                .map(|(n, d)| (n.clone(), Arc::clone(d)))
                .collect(),
        }
    }

    /// `.Files.Lines`: the file split on `\n`, one final newline dropped.
    pub fn lines(&self, name: &str) -> Vec<String> {
        let Some(d) = self.map.get(name) else {
            return Vec::new();
        };
        let s = String::from_utf8_lossy(d);
        let s = s.strip_suffix('\n').unwrap_or(&s);
        s.split('\n').map(str::to_string).collect()
    }

    /// `.Files.AsConfig`: base names → contents, as YAML (no final newline).
    pub fn as_config(&self) -> String {
        let m: BTreeMap<String, String> = self
            .map
            .iter()
            .map(|(k, v)| (base(k).to_string(), String::from_utf8_lossy(v).into_owned()))
            .collect();
        string_map_yaml(&m)
    }

    /// `.Files.AsSecrets`: base names → base64 of contents, as YAML (no final newline).
    pub fn as_secrets(&self) -> String {
        let m: BTreeMap<String, String> = self
            .map
            .iter()
            .map(|(k, v)| (base(k).to_string(), base64(v)))
            .collect();
        string_map_yaml(&m)
    }
}

fn base(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// Standard base64 with padding (the template engine's, as Sprig's `b64enc`).
pub(super) fn base64(data: &[u8]) -> String {
    cct_template::base64_encode(data)
}

/// A `map[string]string` as sigs.k8s.io/yaml (go-yaml v2) prints it, without the final newline.
fn string_map_yaml(m: &BTreeMap<String, String>) -> String {
    if m.is_empty() {
        return "{}".into();
    }
    let mut out = String::new();
    for (k, v) in m {
        out.push_str(&yaml_scalar(k, 0));
        out.push(':');
        let s = yaml_scalar(v, 2);
        if !s.starts_with('\n') {
            out.push(' ');
        }
        out.push_str(&s);
        out.push('\n');
    }
    out.trim_end_matches('\n').to_string()
}

/// One string scalar as go-yaml v2 emits it: a literal block for multi-line text, plain when
/// it reads back as the same string, else quoted.
fn yaml_scalar(s: &str, indent: usize) -> String {
    let printable = s
        .chars()
        .all(|c| c == '\n' || (c >= ' ' && c != '\u{7f}') || c as u32 >= 0xA0);
    if s.contains('\n') && printable && !s.lines().any(|l| l.ends_with(' ')) {
        let chomp = if !s.ends_with('\n') {
            "-"
        } else if s.ends_with("\n\n") || s == "\n" {
            "+"
        } else {
            ""
        };
        let ind = if s.starts_with(' ') {
            indent.to_string()
        } else {
            String::new()
        };
        let pad = " ".repeat(indent);
        let mut out = format!("|{ind}{chomp}");
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad);
                out.push_str(line);
            }
        }
        return out;
    }
    let resolves_to_string =
        cct_yaml11::resolve(s).is_str() && !s.is_empty() && !cct_yaml11::is_base60_float(s);
    let plain_ok = printable
        && !s.contains('\n')
        && !s.starts_with([' ', '\t'])
        && !s.ends_with([' ', '\t'])
        && !s.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`',
        ])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.contains(['\t'])
        && !s.contains([',', '[', ']', '{', '}']);
    let starts_special_ok =
        s.starts_with(['-', '?', ':']) && s.len() > 1 && !s[1..].starts_with(' ');
    if resolves_to_string
        && (plain_ok
            || (starts_special_ok
                && printable
                && !s.contains(": ")
                && !s.contains(" #")
                && !s.ends_with(' ')
                && !s.contains([',', '[', ']', '{', '}'])))
    {
        return s.to_string();
    }
    if !resolves_to_string || !printable {
        return serde_json::Value::String(s.to_string()).to_string();
    }
    format!("'{}'", s.replace('\'', "''"))
}

/// Go's `%v` of a value, for messages.
pub(super) fn go_print(v: &Value) -> String {
    match &v.kind {
        ValueKind::Null => "<nil>".into(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Int(i) => i.to_string(),
        ValueKind::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e21 {
                format!("{f:.0}")
            } else {
                f.to_string()
            }
        }
        ValueKind::String(s) => s.clone(),
        ValueKind::List(l) => format!("[{}]", l.iter().map(go_print).collect::<Vec<_>>().join(" ")),
        ValueKind::Map(t) => format!(
            "map[{}]",
            t.iter()
                .map(|(k, v)| format!("{k}:{}", go_print(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// One chart's scope: the objects its templates see (`.Release` and `.Capabilities` are shared
/// and live in [`RenderPlan`]).
#[derive(Debug, Clone)]
pub struct Scope {
    /// Helm's `ChartFullPath` (`parent/charts/sub`), the prefix of its template names.
    pub chart_path: String,
    /// `.Chart`.
    pub chart: Value,
    /// `.Values` (the chart's slice of the coalesced values).
    pub values: Value,
    /// `.Files`.
    pub files: Files,
    /// `.Subcharts`: subchart name → index of its scope in [`RenderPlan::scopes`].
    pub subcharts: BTreeMap<String, usize>,
}

/// One template to execute.
#[derive(Debug, Clone)]
pub struct TemplateJob {
    /// Its full name (`.Template.Name`, the `# Source:` path): `<chart>/templates/x.yaml`.
    pub name: String,
    /// `.Template.BasePath`: `<chart>/templates`.
    pub base_path: String,
    /// The template text.
    pub file: Arc<SourceFile>,
    /// Index of its chart's scope.
    pub scope: usize,
    /// Whether it is only parsed (`_*` partials, and every template of a library chart that
    /// is not a partial is dropped altogether).
    pub partial: bool,
}

/// Everything the renderer needs: shared objects, one scope per chart, the templates.
#[derive(Debug, Clone)]
pub struct RenderPlan {
    /// `.Release`.
    pub release: Value,
    /// `.Capabilities`.
    pub capabilities: Capabilities,
    /// Scopes; index 0 is the root chart.
    pub scopes: Vec<Scope>,
    /// Templates in Helm's parse order (deepest path first, then reverse name order: later
    /// `define`s win, so a parent's override a subchart's).
    pub templates: Vec<TemplateJob>,
}

/// Build the render plan of a processed chart ([`super::deps::process_dependencies`] done)
/// and its coalesced values, as Helm's `recAllTpls`.
pub(crate) fn plan(
    chart: &Chart,
    values: &Table,
    release: &ReleaseOptions,
    caps: &Capabilities,
) -> RenderPlan {
    let mut p = RenderPlan {
        release: release.to_template_value(),
        capabilities: caps.clone(),
        scopes: Vec::new(),
        templates: Vec::new(),
    };
    add_scope(&mut p, chart, Value::map(values.clone()), None);
    p.templates.sort_by(|a, b| {
        let (ca, cb) = (a.name.matches('/').count(), b.name.matches('/').count());
        cb.cmp(&ca).then_with(|| b.name.cmp(&a.name))
    });
    p
}

fn add_scope(p: &mut RenderPlan, c: &Chart, values: Value, parent: Option<&str>) -> usize {
    let chart_path = match parent {
        None => c.name().to_string(),
        Some(pp) => format!("{pp}/charts/{}", c.name()),
    };
    let idx = p.scopes.len();
    p.scopes.push(Scope {
        chart_path: chart_path.clone(),
        chart: c.metadata.to_template_value(parent.is_none()),
        values: values.clone(),
        files: Files::of(c),
        subcharts: BTreeMap::new(),
    });
    let own = values.as_table().cloned().unwrap_or_default();
    for child in &c.dependencies {
        let child_values = match table_at(&own, child.name()) {
            Some(t) => Value::map(t.clone()),
            None => Value::map(Table::new()),
        };
        let ci = add_scope(p, child, child_values, Some(&chart_path));
        p.scopes[idx].subcharts.insert(child.name().to_string(), ci);
    }
    let library = c.metadata.is_library();
    for t in &c.templates {
        let partial = base(&t.name).starts_with('_');
        if library && !partial {
            continue;
        }
        p.templates.push(TemplateJob {
            name: format!("{chart_path}/{}", t.name),
            base_path: format!("{chart_path}/templates"),
            file: Arc::clone(&t.file),
            scope: idx,
            partial,
        });
    }
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        let mut f = Files::default();
        f.map
            .insert("files/a.txt".into(), Arc::from(&b"a\nb\n"[..]));
        f.map.insert("files/b.conf".into(), Arc::from(&b"k=v"[..]));
        f.map.insert("other/c.txt".into(), Arc::from(&b"true"[..]));
        f
    }

    #[test]
    fn files_helpers() {
        let f = files();
        assert_eq!(f.get("files/b.conf"), "k=v");
        assert_eq!(f.get("missing"), "");
        assert_eq!(f.lines("files/a.txt"), vec!["a", "b"]);
        assert_eq!(f.glob("files/*").map.len(), 2);
        assert_eq!(f.glob("**.txt").map.len(), 2);
        assert_eq!(
            f.glob("files/*").as_config(),
            "a.txt: |\n  a\n  b\nb.conf: k=v"
        );
        assert_eq!(f.glob("other/*").as_config(), "c.txt: \"true\"");
        assert_eq!(f.glob("files/b.conf").as_secrets(), "b.conf: az12");
        assert_eq!(Files::default().as_config(), "{}");
    }

    #[test]
    fn as_config_quotes_what_go_yaml_v2_resolves_as_no_string() {
        let mut f = Files::default();
        for (name, text) in [
            ("a", "2001-12-14"),
            ("b", ".inf"),
            ("c", "0o17"),
            ("d", "1:20"),
            ("e", "<<"),
        ] {
            f.map.insert(name.into(), Arc::from(text.as_bytes()));
        }
        assert_eq!(
            f.as_config(),
            "a: \"2001-12-14\"\nb: \".inf\"\nc: \"0o17\"\nd: \"1:20\"\ne: <<"
        );
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a\nb\n"), "YQpiCg==");
    }

    #[test]
    fn kube_version_parse() {
        let k = KubeVersion::parse("1.29").unwrap();
        assert_eq!(
            (k.version.as_str(), k.major.as_str(), k.minor.as_str()),
            ("v1.29.0", "1", "29")
        );
        assert!(Capabilities::default().has("apps/v1"));
        assert!(!Capabilities::default().has("apps/v1/Deployment"));
    }
}
