//! Differential test of the native Helm renderer against the real Helm engine.
//!
//! Every chart listed in `../shared/corpus/rendered/render_results.json` is rendered as the
//! corpus README says (`helm template rel <chart> -n test-ns`, dependencies resolved by name
//! from the sibling charts of the same repository folder) and compared with the golden render
//! `rendered/<repo>/<chart>.yaml` as parsed documents, grouped by `# Source:` template. Charts
//! that Helm refused must fail too, with an equivalent message. Skipped when `../shared` is
//! absent.
//!
//! The reference renders come from Helm's engine called through its SDK, which renders
//! without the dependencies it cannot find (no `helm dependency build` check): the test renders
//! with [`MissingDependencies::Ignore`] likewise, and checks separately that the default
//! ([`MissingDependencies::Error`], as `helm template`) refuses exactly the charts with a
//! missing dependency.
//!
//! **Normalisation** (the only one): a value that differs is accepted when Helm produces it at
//! random by design. That is decided from our own provenance, never from the value: the rendered
//! bytes of our leaf were computed by a template action that calls one of [`RANDOM_FUNCS`]
//! (random strings, generated keys and certificates, `now`) directly or through `include`d
//! templates, or that prints a variable its file assigns from one (`{{ $password := randAlphaNum 10 }}` … `{{ $password | b64enc }}`),
//! or that is a checksum (`sha256sum`…) in a chart whose templates call one (the checksum of
//! a secret holding a generated password); and a value that is, on both sides, a PEM key or
//! certificate of the same type (plain or base64: `genCA`/`genSignedCert`/`genPrivateKey`
//! output passed through `common.secrets.lookup`). Nothing else is normalised. Documents of one
//! template are compared in a stable order (kind, namespace, name): Helm's install order
//! sorts them by kind, the reference printer does not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::helm::{self, MissingDependencies, RenderOptions, RenderedChart};
use crate::source::{ByteOrigin, Place, PlaceRole};
use crate::source::{Document, SourceFile};
use crate::yaml::{self, YamlLimits};
use serde_json::Value as J;

/// Template functions whose output is random (or time-dependent) by design in Helm.
const RANDOM_FUNCS: &[&str] = &[
    "randAlphaNum",
    "randAlpha",
    "randNumeric",
    "randAscii",
    "randBytes",
    "randInt",
    "shuffle",
    "uuidv4",
    "genCA",
    "genCAWithKey",
    "genPrivateKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "buildCustomCert",
    "htpasswd",
    "bcrypt",
    "derivePassword",
    "encryptAES",
    "now",
];

/// Charts whose render differs from Helm's for a reason outside the renderer, each with the
/// reason. Keep this list short: fix the engine instead.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    p.join("rendered/render_results.json")
        .is_file()
        .then_some(p)
}

struct Entry {
    rel: String,
    ok: bool,
    error: String,
    helm_missing: Vec<String>,
}

fn entries(root: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(root.join("rendered/render_results.json")).unwrap();
    let v: J = serde_json::from_str(&text).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| Entry {
            rel: r["chart"]
                .as_str()
                .unwrap()
                .trim_start_matches("charts/")
                .to_string(),
            ok: r["ok"].as_bool().unwrap_or(false),
            error: r["error"].as_str().unwrap_or("").to_string(),
            helm_missing: r["missing_deps"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

fn options(root: &Path, rel: &str, missing: MissingDependencies) -> RenderOptions {
    let repo = rel.split('/').next().unwrap();
    RenderOptions {
        release_name: "rel".into(),
        namespace: "test-ns".into(),
        charts_dirs: vec![root.join("charts").join(repo)],
        display: Some(rel.to_string()),
        missing_dependencies: missing,
        ..RenderOptions::default()
    }
}

/// Golden output: `# Source:` template → parsed documents (comment-only ones left out).
fn parse_golden(text: &str) -> BTreeMap<String, Vec<J>> {
    let mut out: BTreeMap<String, Vec<J>> = BTreeMap::new();
    for chunk in text.split("---\n# Source: ").skip(1) {
        let (source, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        let file = SourceFile::new(source, body.to_string());
        let stream = yaml::parse(&file, &YamlLimits::default());
        let e = out.entry(source.to_string()).or_default();
        e.extend(stream.documents.into_iter().map(|d| d.value));
    }
    out
}

/// Our output: `# Source:` template → documents.
fn parse_ours(r: &RenderedChart) -> BTreeMap<String, Vec<Document>> {
    let (docs, diags) = helm::documents(r, None, &YamlLimits::default());
    let diags: Vec<_> = diags
        .into_iter()
        .filter(|d| d.level == crate::vocab::DiagnosticLevel::Error)
        .collect();
    assert!(
        diags.is_empty(),
        "{}: YAML problems in our output: {diags:?}",
        r.display
    );
    let mut out: BTreeMap<String, Vec<Document>> = BTreeMap::new();
    for d in docs {
        let at = d.spans.get("").map_or(d.range.start, |s| s.value.start) as usize;
        let src = r
            .documents
            .iter()
            .find(|x| x.text_range.start <= at && at <= x.text_range.end)
            .map(|x| x.source_template.clone())
            .unwrap_or_default();
        out.entry(src).or_default().push(d);
    }
    out
}

fn diff(a: &J, b: &J, path: &mut String, out: &mut Vec<String>) {
    match (a, b) {
        (J::Object(x), J::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let len = path.len();
                path.push('/');
                path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => diff(p, q, path, out),
                    _ => out.push(format!("!{path}")),
                }
                path.truncate(len);
            }
        }
        (J::Array(x), J::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                let len = path.len();
                path.push_str(&format!("/{i}"));
                diff(p, q, path, out);
                path.truncate(len);
            }
        }
        (J::Number(x), J::Number(y)) if x.as_f64() == y.as_f64() => {}
        _ if a == b => {}
        _ => out.push(path.clone()),
    }
}

/// The template actions (their text, and their file's text) that computed the bytes of the
/// node at `pointer` in our manifest.
fn actions_of(doc: &Document, pointer: &str) -> Vec<(String, String)> {
    let Some(prov) = &doc.provenance else {
        return Vec::new();
    };
    let Some(spans) = doc.spans.get(pointer) else {
        return Vec::new();
    };
    let r = spans.value;
    prov.map
        .segments
        .iter()
        .filter(|s| s.start < r.end.max(r.start + 1) && s.end > r.start)
        .filter_map(|s| match s.origin {
            ByteOrigin::Action { file, range } => prov.map.files.get(file as usize).map(|f| {
                (
                    f.text()
                        .get(range.start as usize..range.end as usize)
                        .unwrap_or("")
                        .to_string(),
                    f.text().to_string(),
                )
            }),
            _ => None,
        })
        .collect()
}

/// The variables (`$name`) an action reads.
fn variables(action: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = action.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let start = i;
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            if i > start + 1 {
                out.push(&action[start..i]);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Whether `file` assigns `var` (`$x := …` or `$x = …`) from a random function, directly or
/// through other variables so assigned.
fn assigned_from_random(file: &str, var: &str, defs: &Defines, depth: usize) -> bool {
    depth < 4
        && file.lines().any(|l| {
            let Some(at) = [format!("{var} :="), format!("{var} =")]
                .iter()
                .find_map(|p| l.find(p.as_str()).map(|i| i + p.len()))
            else {
                return false;
            };
            let rhs = &l[at..];
            defs.calls_random_deep(rhs, 0)
                || variables(rhs)
                    .iter()
                    .any(|v| *v != var && assigned_from_random(file, v, defs, depth + 1))
        })
}

/// `define`d template bodies of a chart (body: up to the next `define`).
struct Defines(BTreeMap<String, String>);

impl Defines {
    fn of(files: &[std::sync::Arc<SourceFile>]) -> Defines {
        let mut m = BTreeMap::new();
        for f in files {
            let t = f.text();
            let starts: Vec<usize> = t.match_indices("define \"").map(|(i, _)| i).collect();
            for (k, &i) in starts.iter().enumerate() {
                let rest = &t[i + 8..];
                let Some(q) = rest.find('"') else { continue };
                let end = starts.get(k + 1).copied().unwrap_or(t.len());
                m.insert(rest[..q].to_string(), t[i..end].to_string());
            }
        }
        Defines(m)
    }

    /// Whether text calls a random function, directly or through `include`d templates.
    fn calls_random_deep(&self, text: &str, depth: usize) -> bool {
        if calls_random(text) {
            return true;
        }
        if depth > 8 {
            return false;
        }
        text.match_indices("include \"").any(|(i, _)| {
            let rest = &text[i + 9..];
            rest.find('"')
                .and_then(|q| self.0.get(&rest[..q]))
                .is_some_and(|body| self.calls_random_deep(body, depth + 1))
        })
    }
}

/// Whether two values are both generated PEM keys or certificates (plain or base64) of the
/// same type: `genCA`, `genSignedCert`, `genPrivateKey`… output, random by design.
fn both_generated_pem(a: &J, b: &J) -> bool {
    fn pem_header(v: &J) -> Option<String> {
        let s = v.as_str()?;
        let text = if s.starts_with("-----BEGIN ") {
            s.to_string()
        } else {
            String::from_utf8(base64_decode(s)?).ok()?
        };
        let line = text.lines().next()?;
        (line.starts_with("-----BEGIN ") && line.ends_with("-----")).then(|| line.to_string())
    }
    matches!((pem_header(a), pem_header(b)), (Some(x), Some(y)) if x == y)
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn calls_random(action: &str) -> bool {
    RANDOM_FUNCS.iter().any(|f| {
        action.match_indices(f).any(|(i, _)| {
            let before = action[..i].chars().next_back();
            let after = action[i + f.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric())
                && !after.is_some_and(|c| c.is_alphanumeric())
        })
    })
}

/// Whether an action is a checksum (`sha256sum`…) in a chart whose templates call a random
/// function (the checksum of a secret holding a generated password).
fn derived_from_random(action: &str, chart_uses_random: bool) -> bool {
    chart_uses_random
        && ["sha256sum", "sha1sum", "adler32sum"]
            .iter()
            .any(|f| action.contains(f))
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum Status {
    Identical,
    IdenticalNormalised,
    ExpectedFailure,
    KnownMissingDependency,
    KnownDifference,
    Different,
    UnexpectedFailure,
    UnexpectedSuccess,
}

/// The message without the location lines: Helm's `execution error at (…): msg`, or the last
/// line of a trace.
fn equivalent(ours: &str, helm: &str) -> bool {
    if ours == helm {
        return true;
    }
    let key = |s: &str| -> (String, String) {
        let first = s.lines().next().unwrap_or("").to_string();
        let last = s.lines().last().unwrap_or("").trim().to_string();
        (first, last)
    };
    key(ours) == key(helm)
}

#[test]
#[allow(clippy::print_stderr)]
fn corpus_charts_render_as_helm() {
    let Some(root) = corpus() else {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    };
    let only = std::env::var("CHART").ok();
    let mut rows: Vec<(String, Status, String)> = Vec::new();
    let started = Instant::now();
    let mut render_time = std::time::Duration::ZERO;
    for e in entries(&root) {
        if only.as_deref().is_some_and(|o| !e.rel.contains(o)) {
            continue;
        }
        let dir = root.join("charts").join(&e.rel);
        let t0 = Instant::now();
        let result = helm::render(&dir, &options(&root, &e.rel, MissingDependencies::Ignore));
        render_time += t0.elapsed();
        // Dependencies that the corpus lacks but Helm had (computed, not listed by hand).
        let repo = e.rel.split('/').next().unwrap();
        let chart = helm::load_chart(
            &dir,
            &e.rel,
            &helm::DependencySources {
                charts_dirs: vec![root.join("charts").join(repo)],
                ..Default::default()
            },
            &helm::LoadLimits::default(),
        )
        .unwrap();
        let mut lacking: Vec<String> = Vec::new();
        collect_missing(&chart, &mut lacking);
        lacking.retain(|m| !e.helm_missing.contains(m));
        // The default (as `helm template`) refuses a chart with a missing dependency.
        let strict = helm::render(&dir, &options(&root, &e.rel, MissingDependencies::Error));
        if chart.missing.is_empty()
            != !matches!(&strict, Err(e) if e.kind == helm::RenderErrorKind::MissingDependency)
        {
            rows.push((
                e.rel.clone(),
                Status::Different,
                "missing-dependency check disagrees with Chart::missing".into(),
            ));
            continue;
        }
        let known = KNOWN_DIFFERENCES.iter().find(|(c, _)| *c == e.rel);
        let (status, detail) = match (e.ok, result) {
            (false, Err(err)) => {
                if equivalent(&err.message, &e.error) {
                    (Status::ExpectedFailure, first_line(&e.error))
                } else if !lacking.is_empty() {
                    (
                        Status::KnownMissingDependency,
                        format!(
                            "lacks {}; fails with: {}",
                            lacking.join(", "),
                            first_line(&err.message)
                        ),
                    )
                } else {
                    (
                        Status::Different,
                        format!(
                            "message differs:\n    ours: {}\n    helm: {}",
                            err.message, e.error
                        ),
                    )
                }
            }
            (false, Ok(_)) if !lacking.is_empty() => (
                Status::KnownMissingDependency,
                format!(
                    "lacks {}; Helm failed: {}",
                    lacking.join(", "),
                    first_line(&e.error)
                ),
            ),
            (false, Ok(_)) => (Status::UnexpectedSuccess, first_line(&e.error)),
            (true, Err(err)) if !lacking.is_empty() => (
                Status::KnownMissingDependency,
                format!(
                    "lacks {}; fails: {}",
                    lacking.join(", "),
                    first_line(&err.message)
                ),
            ),
            (true, Err(err)) => (Status::UnexpectedFailure, short_text(&err.message)),
            (true, Ok(r)) => {
                let golden = root.join("rendered").join(repo).join(format!(
                    "{}.yaml",
                    e.rel[repo.len() + 1..].replace('/', "__")
                ));
                let want = parse_golden(&std::fs::read_to_string(&golden).unwrap_or_default());
                let got = parse_ours(&r);
                let (s, d) = compare(&r, &got, &want);
                match (s, known, lacking.is_empty()) {
                    (Status::Different, _, false) => (
                        Status::KnownMissingDependency,
                        format!("lacks {}; {d}", lacking.join(", ")),
                    ),
                    (Status::Different, Some((_, why)), _) => {
                        (Status::KnownDifference, format!("{why}; {d}"))
                    }
                    other => (other.0, d),
                }
            }
        };
        rows.push((e.rel.clone(), status, detail));
    }
    let total = started.elapsed();
    eprintln!("\n{:<58} {:<24} detail", "chart", "status");
    for (c, s, d) in &rows {
        eprintln!("{c:<58} {:<24} {d}", format!("{s:?}"));
    }
    let mut counts: BTreeMap<Status, usize> = BTreeMap::new();
    for (_, s, _) in &rows {
        *counts.entry(*s).or_default() += 1;
    }
    eprintln!("\n{counts:?}");
    eprintln!("render time (all charts, this build): {render_time:?}; test total {total:?}");
    let bad: Vec<&(String, Status, String)> = rows
        .iter()
        .filter(|(_, s, _)| {
            matches!(
                s,
                Status::Different | Status::UnexpectedFailure | Status::UnexpectedSuccess
            )
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{} charts differ from Helm: {:#?}",
        bad.len(),
        bad
    );
}

fn collect_missing(c: &helm::Chart, out: &mut Vec<String>) {
    out.extend(c.missing.iter().cloned());
    for d in &c.dependencies {
        collect_missing(d, out);
    }
}

fn short_text(s: &str) -> String {
    s.chars().take(300).collect()
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

fn compare(
    r: &RenderedChart,
    got: &BTreeMap<String, Vec<Document>>,
    want: &BTreeMap<String, Vec<J>>,
) -> (Status, String) {
    let chart_uses_random = r
        .provenance
        .files
        .iter()
        .any(|f| f.path().contains("/templates/") && calls_random(f.text()));
    let defs = Defines::of(&r.provenance.files);
    let mut normalised = 0;
    let mut problems = Vec::new();
    let sources: BTreeSet<&String> = got.keys().chain(want.keys()).collect();
    for s in sources {
        let g = got.get(s).map(Vec::as_slice).unwrap_or(&[]);
        let w = want.get(s).map(Vec::as_slice).unwrap_or(&[]);
        if g.len() != w.len() {
            problems.push(format!("{s}: {} documents, Helm {}", g.len(), w.len()));
            continue;
        }
        let key = |v: &J| {
            format!(
                "{}/{}/{}",
                v["kind"].as_str().unwrap_or(""),
                v["metadata"]["namespace"].as_str().unwrap_or(""),
                v["metadata"]["name"].as_str().unwrap_or("")
            )
        };
        let mut g: Vec<&Document> = g.iter().collect();
        g.sort_by_key(|d| key(&d.value));
        let mut w: Vec<&J> = w.iter().collect();
        w.sort_by_key(|v| key(v));
        for (i, (gd, wd)) in g.iter().zip(w).enumerate() {
            let mut paths = Vec::new();
            diff(&gd.value, wd, &mut String::new(), &mut paths);
            for p in paths {
                let ok = !p.starts_with('!') && {
                    let (gv, wv) = (gd.value.pointer(&p), wd.pointer(&p));
                    gv.zip(wv).is_some_and(|(x, y)| both_generated_pem(x, y))
                        || actions_of(gd, &p).iter().any(|(a, file)| {
                            defs.calls_random_deep(a, 0)
                                || variables(a)
                                    .iter()
                                    .any(|v| assigned_from_random(file, v, &defs, 0))
                                || derived_from_random(a, chart_uses_random)
                        })
                };
                if ok {
                    normalised += 1;
                } else {
                    let got_v = gd.value.pointer(p.trim_start_matches('!'));
                    let want_v = wd.pointer(p.trim_start_matches('!'));
                    problems.push(format!(
                        "{s}#{i} {p}: ours {} / helm {}",
                        short(got_v),
                        short(want_v)
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        if normalised > 0 {
            (
                Status::IdenticalNormalised,
                format!("{normalised} random values normalised"),
            )
        } else {
            (Status::Identical, String::new())
        }
    } else {
        let n = problems.len();
        problems.truncate(4);
        (
            Status::Different,
            format!("{n} differences: {}", problems.join(" | ")),
        )
    }
}

fn short(v: Option<&J>) -> String {
    match v {
        None => "(absent)".into(),
        Some(v) => {
            let s = v.to_string();
            if s.len() > 80 {
                format!(
                    "{}…",
                    &s[..s.char_indices().nth(80).map_or(s.len(), |(i, _)| i)]
                )
            } else {
                s
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Provenance: `fixtures/charts/provenance-demo`, golden renders by the real Helm engine in
// `tests/helm/` (`helm template rel <chart> -n demo [-f values-prod.yaml] [--set …]`).

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/charts/provenance-demo")
}

fn demo_options(prod: bool, set: &[&str]) -> RenderOptions {
    RenderOptions {
        release_name: "rel".into(),
        namespace: "demo".into(),
        display: Some("fixtures/charts/provenance-demo".into()),
        values_files: if prod {
            vec![demo_dir().join("values-prod.yaml")]
        } else {
            Vec::new()
        },
        set: set.iter().map(|s| s.to_string()).collect(),
        ..RenderOptions::default()
    }
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/helm")
            .join(name),
    )
    .unwrap()
}

#[test]
fn demo_chart_renders_byte_for_byte_as_helm() {
    for (file, prod, set) in [
        ("provenance-demo.yaml", false, &[][..]),
        ("provenance-demo.prod.yaml", true, &[][..]),
        (
            "provenance-demo.set.yaml",
            true,
            &["image.tag=1.27,podLabels.tier=web"][..],
        ),
    ] {
        let r = helm::render(&demo_dir(), &demo_options(prod, set)).unwrap();
        assert_eq!(r.manifest, golden(file), "{file}");
        assert_eq!(r.documents.len(), 1);
        assert_eq!(
            r.documents[0].source_template,
            "provenance-demo/templates/deployment.yaml"
        );
        assert_eq!(
            &r.manifest[r.documents[0].text_range.clone()][..10],
            "apiVersion"
        );
    }
}

fn deployment(prod: bool, set: &[&str], env: Option<&str>) -> Document {
    let r = helm::render(&demo_dir(), &demo_options(prod, set)).unwrap();
    let (mut docs, diags) = helm::documents(&r, env, &YamlLimits::default());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

/// (role, path, line, text of the place).
fn place(p: &Place) -> (PlaceRole, String, u32, String) {
    let l = p.location();
    let text = p.file.text()[p.range.start as usize..p.range.end as usize].to_string();
    (p.role, l.path, l.start.line, text)
}

#[test]
fn image_tag_latest_maps_to_the_values_line() {
    use crate::source::LocateMode;
    let d = deployment(false, &[], None);
    let t = d
        .trace_pointer("/spec/template/spec/containers/0/image", LocateMode::Value)
        .unwrap();
    assert_eq!(
        place(&t.primary),
        (
            PlaceRole::Value,
            "fixtures/charts/provenance-demo/values.yaml".into(),
            3,
            "latest".into()
        )
    );
    // The repository is another value; the template line and the rendered position follow.
    let related: Vec<_> = t.related.iter().map(place).collect();
    assert!(related.contains(&(
        PlaceRole::Value,
        "fixtures/charts/provenance-demo/values.yaml".into(),
        2,
        "docker.io/library/nginx".into()
    )));
    assert!(related
        .iter()
        .any(|(role, path, _, _)| *role == PlaceRole::Template
            && path.starts_with("fixtures/charts/provenance-demo/templates/")));
    let last = related.last().unwrap();
    assert_eq!(last.0, PlaceRole::Rendered);
    assert_eq!(last.1, "fixtures/charts/provenance-demo (rendered)");
    assert_eq!(last.2, 22);
}

#[test]
fn host_network_maps_to_the_environment_values_file() {
    use crate::source::LocateMode;
    let d = deployment(true, &[], Some("prod"));
    let prov = d.provenance.as_ref().unwrap();
    assert_eq!(prov.environment.as_deref(), Some("prod"));
    assert_eq!(
        d.file.path(),
        "fixtures/charts/provenance-demo (rendered, prod)"
    );
    // Whether the rule locates the key or the value, the values line is the primary place.
    for mode in [LocateMode::Key, LocateMode::Value] {
        let t = d
            .trace_pointer("/spec/template/spec/hostNetwork", mode)
            .unwrap();
        assert_eq!(
            place(&t.primary),
            (
                PlaceRole::Value,
                "fixtures/charts/provenance-demo/values-prod.yaml".into(),
                1,
                "true".into()
            )
        );
        let template = t
            .related
            .iter()
            .find(|p| p.role == PlaceRole::Template)
            .map(place)
            .unwrap();
        assert_eq!(
            template,
            (
                PlaceRole::Template,
                "fixtures/charts/provenance-demo/templates/deployment.yaml".into(),
                17,
                "hostNetwork: {{ .Values.hostNetwork }}".into()
            )
        );
    }
    // `replicas` comes from values-prod.yaml too, and from `--set` when given.
    let t = d
        .trace_pointer("/spec/replicas", LocateMode::Value)
        .unwrap();
    assert_eq!(
        place(&t.primary).1,
        "fixtures/charts/provenance-demo/values-prod.yaml"
    );
    let d = deployment(true, &["replicaCount=5"], Some("prod"));
    let t = d
        .trace_pointer("/spec/replicas", LocateMode::Value)
        .unwrap();
    assert_eq!(place(&t.primary).1, "--set");
}

#[test]
fn literal_template_text_maps_to_the_template_line() {
    use crate::source::LocateMode;
    let d = deployment(false, &[], None);
    let t = d
        .trace_pointer(
            "/spec/template/spec/containers/0/securityContext/privileged",
            LocateMode::Key,
        )
        .unwrap();
    assert_eq!(
        place(&t.primary),
        (
            PlaceRole::Template,
            "fixtures/charts/provenance-demo/templates/deployment.yaml".into(),
            22,
            "privileged".into()
        )
    );
    assert_eq!(t.related.last().unwrap().role, PlaceRole::Rendered);
}

#[test]
fn values_through_to_yaml_and_include_keep_their_lines() {
    use crate::source::LocateMode;
    let d = deployment(false, &[], None);
    let cases = [
        (
            "/spec/template/spec/containers/0/resources/limits/cpu",
            8,
            "500m",
        ),
        ("/metadata/labels/team", 11, "demo"),
    ];
    for (pointer, line, text) in cases {
        let t = d.trace_pointer(pointer, LocateMode::Value).unwrap();
        assert_eq!(
            place(&t.primary),
            (
                PlaceRole::Value,
                "fixtures/charts/provenance-demo/values.yaml".into(),
                line,
                text.into()
            ),
            "{pointer}"
        );
    }
    // A name computed by `printf` in a helper is the helper's action.
    let t = d
        .trace_pointer("/metadata/name", LocateMode::Value)
        .unwrap();
    let (role, path, line, _) = place(&t.primary);
    assert_eq!(role, PlaceRole::Action);
    assert_eq!(
        path,
        "fixtures/charts/provenance-demo/templates/_helpers.tpl"
    );
    assert_eq!(line, 2);
}

/// A throw-away chart in the temporary directory.
fn temp_chart(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cct-helm-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n"),
    )
    .unwrap();
    for (f, t) in files {
        std::fs::write(dir.join(f), t).unwrap();
    }
    dir
}

#[test]
fn errors_carry_helms_message_and_the_template_location() {
    let dir = temp_chart(
        "errs",
        &[
            ("values.yaml", "a: {}\n"),
            (
                "templates/cm.yaml",
                "kind: ConfigMap\ndata:\n  x: {{ required \"x is required\" .Values.x }}\n",
            ),
        ],
    );
    let opts = RenderOptions {
        display: Some("errs".into()),
        ..RenderOptions::default()
    };
    let e = helm::render(&dir, &opts).unwrap_err();
    assert_eq!(
        e.message,
        "execution error at (errs/templates/cm.yaml:3:8): x is required"
    );
    let loc = e.location.unwrap();
    assert_eq!(
        (loc.path.as_str(), loc.start.line, loc.start.column),
        ("errs/templates/cm.yaml", 3, 9)
    );

    std::fs::write(dir.join("templates/cm.yaml"), "x: {{ .Values.a.b.c }}\n").unwrap();
    let e = helm::render(&dir, &opts).unwrap_err();
    assert_eq!(
        e.message,
        "errs/templates/cm.yaml:1:13\n  executing \"errs/templates/cm.yaml\" at <.Values.a.b.c>:\n    nil pointer evaluating interface {}.c"
    );

    // Errors through `include` chains are traced as Helm v4 traces them.
    std::fs::write(
        dir.join("templates/_h.tpl"),
        "{{- define \"x\" -}}\na: {{ .Values.a.b.c }}\n{{- end -}}\n{{- define \"i\" -}}\na: {{ index .Values.l 3 }}\n{{- end -}}\n{{- define \"n\" -}}\na: {{ include \"x\" . }}\n{{- end -}}\n",
    )
    .unwrap();
    std::fs::write(dir.join("templates/cm.yaml"), "x: {{ include \"n\" . }}\n").unwrap();
    let e = helm::render(&dir, &opts).unwrap_err();
    assert_eq!(
        e.message,
        "errs/templates/cm.yaml:1:6\n  executing \"errs/templates/cm.yaml\" at <include \"n\" .>:\n    error calling include:\nerrs/templates/_h.tpl:8:6\n  executing \"n\" at <include \"x\" .>:\n    error calling include:\nerrs/templates/_h.tpl:2:13\n  executing \"x\" at <.Values.a.b.c>:\n    nil pointer evaluating interface {}.c"
    );
    std::fs::write(
        dir.join("templates/cm.yaml"),
        "x: {{ include \"nope\" . }}\n",
    )
    .unwrap();
    let e = helm::render(&dir, &opts).unwrap_err();
    assert_eq!(
        e.message,
        "errs/templates/cm.yaml:1:6\n  executing \"errs/templates/cm.yaml\" at <include \"nope\" .>:\n    error calling include:\ntemplate: no template \"nope\" associated with template \"gotpl\""
    );
    std::fs::write(dir.join("templates/_h.tpl"), "").unwrap();

    std::fs::write(dir.join("templates/cm.yaml"), "x: {{ .Values.a }\n").unwrap();
    let e = helm::render(&dir, &opts).unwrap_err();
    assert_eq!(e.kind, helm::RenderErrorKind::Parse);
    assert_eq!(
        e.message,
        "parse error at (errs/templates/cm.yaml:1): unexpected \"}\" in operand"
    );

    // A runaway template is an error, never a hang.
    std::fs::write(
        dir.join("templates/cm.yaml"),
        "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}x: {{ include \"loop\" . }}\n",
    )
    .unwrap();
    let e = helm::render(&dir, &opts).unwrap_err();
    assert!(
        matches!(
            e.kind,
            helm::RenderErrorKind::Limit | helm::RenderErrorKind::Exec
        ),
        "{e:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Timing (run in release: `cargo test --release -p cct-engine --test helm_render -- --ignored
/// --nocapture timing`): every corpus chart rendered, best of three runs.
#[test]
#[ignore]
#[allow(clippy::print_stderr)]
fn timing_all_corpus_charts() {
    let Some(root) = corpus() else {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    };
    let list = entries(&root);
    let mut best = std::time::Duration::MAX;
    for _ in 0..3 {
        let t0 = Instant::now();
        for e in &list {
            let dir = root.join("charts").join(&e.rel);
            let _ = helm::render(&dir, &options(&root, &e.rel, MissingDependencies::Ignore));
        }
        best = best.min(t0.elapsed());
    }
    eprintln!("{} charts rendered in {best:?} (best of 3)", list.len());
    // Where the time goes: loading, Helm's preparation (dependencies, coalescing, schema).
    let (mut load, mut prep) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for e in &list {
        let dir = root.join("charts").join(&e.rel);
        let repo = e.rel.split('/').next().unwrap();
        let t0 = Instant::now();
        let chart = helm::load_chart(
            &dir,
            &e.rel,
            &helm::DependencySources {
                charts_dirs: vec![root.join("charts").join(repo)],
                ..Default::default()
            },
            &helm::LoadLimits::default(),
        )
        .unwrap();
        load += t0.elapsed();
        let t1 = Instant::now();
        let _ = helm::prepare(
            &chart,
            &helm::UserValues::default(),
            &helm::ReleaseOptions::default(),
            &helm::Capabilities::default(),
        );
        prep += t1.elapsed();
    }
    eprintln!("of which loading {load:?}, preparing {prep:?}");
}
