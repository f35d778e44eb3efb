//! End-to-end tests of the CI gate: configuration, derogations (configuration, inline,
//! annotation), unjudged inputs, baseline, every report format, sharding and merging, and a
//! file given alone judged with its unit.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;
use common::{cct, cct_in, temp_dir};

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    std::fs::write(path, text).expect("write");
}

/// `cct baseline create TARGET -o baseline.json` in `dir`, which must succeed.
fn create_baseline(dir: &Path, target: &str) {
    let o = cct_in(dir, &["baseline", "create", target, "-o", "baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn sarif(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("SARIF: {e}\n{}", text(&o.stdout)))
}

fn results(s: &Value) -> Vec<Value> {
    s.pointer("/runs/0/results")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// A pod that breaks only CCT-K8S-008 (a floating tag) among the errors.
const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, env: prod, tier: front}
spec:
  containers:
    - name: web
      image: quay.io/prj/web:latest
      imagePullPolicy: IfNotPresent
      ports: [{containerPort: 8080}]
      resources:
        requests: {cpu: 100m, memory: 64Mi}
        limits: {cpu: 200m, memory: 128Mi}
      readinessProbe: {httpGet: {path: /health, port: 8080}}
      livenessProbe: {httpGet: {path: /health, port: 8080}}
";

fn k8s_008(s: &Value) -> Vec<Value> {
    results(s)
        .into_iter()
        .filter(|r| r["ruleId"] == "CCT-K8S-008")
        .collect()
}

#[test]
fn a_configuration_derogation_suppresses_with_its_reason() {
    let dir = temp_dir("config-derogation");
    write(&dir, "deploy/pod.yaml", POD);
    write(
        &dir,
        ".cct.yaml",
        "derogations:\n  - rule: CCT-K8S-008\n    paths: [\"deploy/**\"]\n    reason: the mirror does not pin tags yet\n    expires: 2099-12-31\n    reference: DEROG-42\n",
    );
    let o = cct_in(&dir, &["check", "deploy", "-f", "sarif", "--lang", "en"]);
    let s = sarif(&o);
    let found = k8s_008(&s);
    assert_eq!(found.len(), 1, "{}", text(&o.stdout));
    let sup = &found[0]["suppressions"][0];
    assert_eq!(sup["kind"], "external");
    assert_eq!(sup["status"], "accepted");
    assert_eq!(sup["justification"], "the mirror does not pin tags yet");
    assert_eq!(sup["properties"]["reference"], "DEROG-42");
    // No other error is left: the run passes.
    let errors: Vec<_> = results(&s)
        .into_iter()
        .filter(|r| r["level"] == "error" && r.get("suppressions").is_none())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

#[test]
fn inline_and_annotation_derogations_suppress_in_source() {
    let dir = temp_dir("inline");
    let inline = POD.replace(
        "      image: quay.io/prj/web:latest\n",
        "      # cct-ignore: k8s-image-tag-explicit -- pinned by the release pipeline\n      image: quay.io/prj/web:latest\n",
    );
    write(&dir, "a/pod.yaml", &inline);
    let annotated = POD.replace(
        "  labels: {app: web, env: prod, tier: front}\n",
        "  labels: {app: web, env: prod, tier: front}\n  annotations:\n    cct.cloud-pi-native.fr/ignore: \"EXI-ARCH-27: pinned by the release pipeline\"\n",
    );
    write(&dir, "b/pod.yaml", &annotated);
    for folder in ["a", "b"] {
        let o = cct_in(&dir, &["check", folder, "-f", "sarif", "--no-config"]);
        let s = sarif(&o);
        let found = k8s_008(&s);
        assert_eq!(found.len(), 1, "{folder}: {}", text(&o.stdout));
        assert_eq!(found[0]["suppressions"][0]["kind"], "inSource", "{folder}");
        assert_eq!(
            found[0]["suppressions"][0]["justification"],
            "pinned by the release pipeline"
        );
        assert_eq!(o.status.code(), Some(0), "{folder}: {}", text(&o.stderr));
    }
}

#[test]
fn expired_unexplained_and_unused_derogations_are_reported() {
    let dir = temp_dir("expired");
    write(&dir, "deploy/pod.yaml", POD);
    write(
        &dir,
        ".cct.yaml",
        "derogations:\n  - rule: CCT-K8S-008\n    reason: the mirror does not pin tags yet\n    expires: 2020-01-31\n  - rule: CCT-K8S-001\n    reason: nothing to cover here\n",
    );
    let o = cct_in(&dir, &["check", "deploy", "-f", "sarif", "--lang", "en"]);
    let s = sarif(&o);
    // Expired: it suppresses nothing, and it is reported with its date, where it is written.
    assert!(k8s_008(&s)[0].get("suppressions").is_none());
    let expired: Vec<_> = results(&s)
        .into_iter()
        .filter(|r| r["ruleId"] == "CCT-REPO-003")
        .collect();
    assert_eq!(expired.len(), 1, "{expired:#?}");
    assert!(expired[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("2020-01-31"));
    assert_eq!(
        expired[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    // Unused: a warning.
    let notes = s
        .pointer("/runs/0/invocations/0/toolExecutionNotifications")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    assert!(
        notes
            .iter()
            .any(|n| n["descriptor"]["id"] == "derogation-unused"),
        "{notes:#?}"
    );
    assert_eq!(o.status.code(), Some(1));

    // Without a reason, inline: a finding where it is written; the finding stays.
    let dir = temp_dir("no-reason");
    let inline = POD.replace(
        "      image: quay.io/prj/web:latest\n",
        "      # cct-ignore: CCT-K8S-008\n      image: quay.io/prj/web:latest\n",
    );
    write(&dir, "pod.yaml", &inline);
    let o = cct_in(&dir, &["check", ".", "-f", "sarif", "--no-config"]);
    let s = sarif(&o);
    assert!(k8s_008(&s)[0].get("suppressions").is_none());
    assert!(results(&s).iter().any(|r| r["ruleId"] == "CCT-REPO-003"
        && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 9));
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn configuration_errors_are_located_and_exit_2() {
    let dir = temp_dir("config-error");
    write(&dir, "pod.yaml", POD);
    write(
        &dir,
        ".cct.yaml",
        "profile: cpin\nrules:\n  CCT-NOPE-001: {enabled: false}\n",
    );
    let o = cct_in(&dir, &["check", "."]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains(".cct.yaml:3:3"), "{err}");
    assert!(err.contains("CCT-NOPE-001"), "{err}");
    write(&dir, ".cct.yaml", "profile: openshift\n");
    let o = cct_in(&dir, &["check", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains(".cct.yaml:1:10"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn configuration_switches_rules_and_sets_severities() {
    let dir = temp_dir("config-rules");
    write(&dir, "pod.yaml", POD);
    write(
        &dir,
        ".cct.yaml",
        "rules:\n  EXI-ARCH-27: {severity: warning}\n",
    );
    let o = cct_in(&dir, &["check", ".", "-f", "sarif"]);
    let s = sarif(&o);
    assert_eq!(k8s_008(&s)[0]["level"], "warning");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    write(
        &dir,
        ".cct.yaml",
        "rules:\n  CCT-K8S-008: {enabled: false}\nfail_on: warning\n",
    );
    let o = cct_in(&dir, &["check", ".", "-f", "sarif"]);
    let s = sarif(&o);
    assert!(k8s_008(&s).is_empty());
    let rule = s
        .pointer("/runs/0/tool/driver/rules")
        .and_then(Value::as_array)
        .and_then(|r| r.iter().find(|r| r["id"] == "CCT-K8S-008").cloned())
        .unwrap();
    assert_eq!(rule["defaultConfiguration"]["enabled"], false);
}

#[test]
fn check_against_its_own_baseline_passes_and_a_new_violation_fails() {
    let dir = temp_dir("baseline");
    write(&dir, "deploy/pod.yaml", POD);
    let o = cct_in(&dir, &["check", "deploy"]);
    assert_eq!(o.status.code(), Some(1));
    create_baseline(&dir, "deploy");
    let o = cct_in(
        &dir,
        &[
            "check",
            "deploy",
            "--baseline",
            "baseline.json",
            "--lang",
            "en",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(
        text(&o.stdout).contains("known finding(s) hidden"),
        "{}",
        text(&o.stdout)
    );
    // Lines shift: still known.
    write(&dir, "deploy/pod.yaml", &format!("# a comment\n\n{POD}"));
    let o = cct_in(&dir, &["check", "deploy", "--baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    // A new violation: exit 1, and SARIF says which are new.
    write(
        &dir,
        "deploy/pod.yaml",
        &POD.replace(
            "      imagePullPolicy: IfNotPresent\n",
            "      imagePullPolicy: Always\n",
        ),
    );
    let o = cct_in(
        &dir,
        &[
            "check",
            "deploy",
            "--baseline",
            "baseline.json",
            "-f",
            "sarif",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let s = sarif(&o);
    let states: Vec<(String, String)> = results(&s)
        .iter()
        .filter(|r| r["level"] == "error")
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default().to_string(),
                r["baselineState"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(
        states.contains(&("CCT-K8S-009".into(), "new".into())),
        "{states:?}"
    );
    assert!(
        states.contains(&("CCT-K8S-008".into(), "unchanged".into())),
        "{states:?}"
    );
}

#[test]
fn a_scan_whose_only_chart_does_not_render_fails_and_says_why() {
    let dir = temp_dir("unjudged");
    write(
        &dir,
        "chart/Chart.yaml",
        "apiVersion: v2\nname: broken\nversion: 0.1.0\n",
    );
    // The values leave `name` out: the render fails on `required`.
    write(&dir, "chart/values.yaml", "replicas: 1\n");
    write(
        &dir,
        "chart/templates/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ required \"name is required\" .Values.name }}\nspec:\n  hostNetwork: true\n  containers: [{name: a, image: a:1}]\n",
    );
    let o = cct_in(&dir, &["check", ".", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let out = text(&o.stdout);
    assert!(out.contains("could not be judged"), "{out}");
    assert!(out.contains("name is required"), "{out}");
    let o = cct_in(&dir, &["check", ".", "--allow-unjudged"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    // A path that does not exist is not judged either.
    let o = cct_in(&dir, &["check", "does-not-exist"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn given_one_file_the_rules_see_the_rest_of_its_folder() {
    let case = "fixtures/rules/CCT-HA-001/pass/pdb-in-another-file";
    let o = cct(&["check", &format!("{case}/deployment.yaml"), "-f", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let findings = v["findings"].as_array().cloned().unwrap_or_default();
    assert!(
        !findings.iter().any(|f| f["rule"] == "CCT-HA-001"),
        "the PDBs of pdb.yaml count: {findings:#?}"
    );
    // Only the given file is reported on.
    assert!(findings.iter().all(|f| f["path"]
        .as_str()
        .unwrap_or_default()
        .ends_with("deployment.yaml")));
}

/// The rule ids and paths of a JSON report's findings.
fn rule_paths(o: &Output) -> Vec<(String, String)> {
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    v["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("path"))
        })
        .collect()
}

#[test]
fn given_one_file_what_other_documents_find_in_it_is_reported() {
    // CCT-HA-003 judges the HPA and reports at the `replicas` of the Deployment it scales:
    // the HPA's file, read for context, still runs the rules that report elsewhere.
    let case = "fixtures/rules/CCT-HA-003/fail/static-replicas";
    let o = cct(&["check", &format!("{case}/deployment.yaml"), "-f", "json"]);
    let found = rule_paths(&o);
    assert!(
        found.contains(&("CCT-HA-003".into(), format!("{case}/deployment.yaml"))),
        "{found:?}"
    );
    assert!(
        found.iter().all(|(_, p)| p.ends_with("deployment.yaml")),
        "{found:?}"
    );
    // The same findings in that file as when the whole folder is judged.
    let all = rule_paths(&cct(&["check", case, "-f", "json"]));
    let mut own: Vec<_> = all
        .into_iter()
        .filter(|(_, p)| p.ends_with("deployment.yaml"))
        .collect();
    let mut found = found;
    own.sort();
    found.sort();
    assert_eq!(found, own);
}

#[test]
fn given_one_file_the_baseline_entries_of_other_files_are_not_absent() {
    let dir = temp_dir("baseline-one-file");
    write(&dir, "deploy/pod.yaml", POD);
    write(
        &dir,
        "deploy/other.yaml",
        &POD.replace("name: web", "name: other"),
    );
    create_baseline(&dir, "deploy");
    let o = cct_in(
        &dir,
        &[
            "check",
            "deploy/pod.yaml",
            "--baseline",
            "baseline.json",
            "-f",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["baselineAbsent"], serde_json::json!([]), "{v:#}");
}

#[test]
fn cct_timing_prints_the_time_of_each_rule_after_the_report() {
    let case = "fixtures/rules/CCT-HA-003/fail/static-replicas";
    let o = common::command(
        &common::root(),
        &["check", case, "--lang", "en", "-f", "json"],
    )
    .env("CCT_TIMING", "1")
    .output()
    .expect("cct runs");
    let err = text(&o.stderr);
    assert!(err.contains("rule") && err.contains("compile ms"), "{err}");
    // The rule that judged the HPA, with the one subject its policy ran on.
    let row = err
        .lines()
        .find(|l| l.starts_with("CCT-HA-003 "))
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(row.split_whitespace().last(), Some("1"), "{row}");
    assert!(
        err.contains("rules:") && err.contains("summed over threads"),
        "{err}"
    );
    // The report itself is unchanged, and nothing is timed unless asked.
    let plain = cct(&["check", case, "--lang", "en", "-f", "json"]);
    assert_eq!(o.stdout, plain.stdout);
    assert!(!text(&plain.stderr).contains("compile ms"));
    let o = common::command(&common::root(), &["check", case, "-f", "json"])
        .env("CCT_TIMING", "1")
        .output()
        .expect("cct runs");
    assert!(text(&o.stderr).contains("compil. ms"), "French by default");
}

#[test]
fn every_format_is_produced_and_parses() {
    let dir = temp_dir("formats");
    let out = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let o = cct(&[
        "check",
        "fixtures/demo",
        "--lang",
        "en",
        "-f",
        "human",
        "--report",
        &format!("gitlab={}", out("gl.json")),
        "--report",
        &format!("junit={}", out("junit.xml")),
        "--report",
        &format!("markdown={}", out("audit.md")),
        "--report",
        &format!("html={}", out("audit.html")),
        "--report",
        &format!("sarif={}", out("cct.sarif")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect(name);
    // GitLab Code Quality: an array of issues with unique fingerprints.
    let gl: Value = serde_json::from_str(&read("gl.json")).expect("Code Quality JSON");
    let issues = gl.as_array().expect("array");
    assert!(!issues.is_empty());
    let mut fps: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let n = fps.len();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), n, "fingerprints are unique");
    for i in issues {
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&i["severity"].as_str().unwrap()));
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(!i["check_name"].as_str().unwrap().is_empty());
    }
    // JUnit: well-formed, with failures.
    let junit = read("junit.xml");
    assert!(junit.starts_with("<?xml"));
    assert!(junit.contains("<failure"));
    assert_well_formed(&junit);
    // Markdown audit: a section per requirement, evidence for manual rows.
    let md = read("audit.md");
    assert!(md.contains("### EXI-ARCH-27 (P) — broken"), "{md}");
    assert!(md.contains("Evidence to ask for"), "{md}");
    // HTML: self-contained.
    let html = read("audit.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"));
    assert!(
        !html.contains("<link") && !html.contains("src=\""),
        "no external resource"
    );
    assert_well_formed_html(&html);
    // The SARIF written alongside is the same scan.
    let s: Value = serde_json::from_str(&read("cct.sarif")).expect("SARIF");
    assert!(!results(&s).is_empty());
}

/// A minimal well-formedness check: every element closed, in order.
fn assert_well_formed(xml: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("tag closed");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name.trim()), "closing {name}");
        } else if !tag.ends_with('/') {
            stack.push(
                tag.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

fn assert_well_formed_html(html: &str) {
    for tag in ["html", "head", "body", "table", "svg", "script", "style"] {
        let open = html.matches(&format!("<{tag}")).count();
        let close = html.matches(&format!("</{tag}>")).count();
        assert_eq!(open, close, "<{tag}>");
    }
}

#[test]
fn sharded_scans_merged_equal_a_full_scan() {
    let dir = temp_dir("shards");
    let path = |n: &str| dir.join(n).to_string_lossy().into_owned();
    let target = "fixtures";
    let full = cct(&[
        "check",
        target,
        "-f",
        "sarif",
        "--lang",
        "en",
        "-o",
        &path("full.sarif"),
    ]);
    assert!(full.status.code().is_some());
    let mut shards = Vec::new();
    for k in 1..=3 {
        let file = path(&format!("shard-{k}.sarif"));
        let o = cct(&[
            "check",
            target,
            "-f",
            "sarif",
            "--lang",
            "en",
            "--shard",
            &format!("{k}/3"),
            "-o",
            &file,
        ]);
        assert!(o.status.code().is_some(), "{}", text(&o.stderr));
        shards.push(file);
    }
    let mut args = vec!["merge".to_string()];
    args.extend(shards.iter().cloned());
    args.extend(["-o".to_string(), path("merged.sarif")]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = cct(&args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let read = |n: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(n)).expect(n)).expect("SARIF")
    };
    let full = read("full.sarif");
    let merged = read("merged.sarif");
    assert_eq!(
        results(&merged),
        results(&full),
        "the merged shards give the full scan's results"
    );
    assert_eq!(
        merged.pointer("/runs/0/tool/driver/rules"),
        full.pointer("/runs/0/tool/driver/rules")
    );
    assert_eq!(
        merged
            .pointer("/runs/0/invocations")
            .and_then(Value::as_array)
            .map(Vec::len),
        Some(3)
    );
}

#[test]
fn ccts_own_dockerfile_has_no_finding() {
    let o = cct(&["check", "Dockerfile", "-f", "json", "--no-config"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0), "{v:#}");
    assert_eq!(v["stats"]["dockerfiles"], 1);
}

#[test]
fn init_writes_a_starter_that_reads_and_completions_and_man_page_print() {
    let dir = temp_dir("init");
    let o = cct_in(&dir, &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // The starter is a valid configuration, and init does not overwrite it.
    write(&dir, "pod.yaml", POD);
    let o = cct_in(&dir, &["check", "."]);
    assert_ne!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert_eq!(cct_in(&dir, &["init"]).status.code(), Some(2));
    let o = cct(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("cct"));
    let o = cct(&["man"]);
    assert!(text(&o.stdout).starts_with(".ie") || text(&o.stdout).contains(".TH cct"));
}
