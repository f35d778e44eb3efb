//! End-to-end tests of rules written by users (`--rules DIR`): the smallest rule form of the
//! design (ARCHITECTURE.md), and Conftest policies run unchanged.

use std::path::Path;
use std::process::Output;

mod common;
use common::{cct, temp_dir};

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("folder");
    }
    std::fs::write(path, text).expect("write");
}

/// The findings of a JSON report as (rule, file name, line, column, severity), sorted; the
/// report's error diagnostics must be none.
fn findings(o: &Output, rule_prefix: &str) -> Vec<(String, String, u64, u64, String)> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON report: {e}\n{}", String::from_utf8_lossy(&o.stderr)));
    let errors: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["level"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut out: Vec<(String, String, u64, u64, String)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            f["rule"]
                .as_str()
                .is_some_and(|r| r.starts_with(rule_prefix))
        })
        .map(|f| {
            let path = f["path"].as_str().unwrap_or("");
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                path.rsplit('/').next().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

const MANIFESTS: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
      - name: api
        image: harbor.example/prj/api:latest
---
apiVersion: v1
kind: Pod
metadata:
  name: solo
  labels: {app: solo}
spec:
  containers:
  - name: solo
    image: harbor.example/prj/solo:1.0.0
";

/// The rule of ARCHITECTURE.md at its smallest (`id`, `name`, `requirements`, `level`,
/// `severity`, `profiles`, `title`, `message`, `select`, `params`, `check`: no `since`,
/// `rationale` nor `remediation`), with its `…` written out; and the `select: {kinds: […]}`
/// shorthand for whole resources, without `profiles`.
#[test]
fn the_smallest_rule_form_of_the_design_runs() {
    let dir = temp_dir("smallest-rule");
    write(
        &dir.join("rules/image-tag.yaml"),
        r#"id: TEAM-K8S-008                # stable code: the SARIF ruleId
name: team-image-tag-explicit   # kebab-case alias
requirements: [EXI-ARCH-27]     # requirement uids it implements
level: P                        # P | I | none (platform-only rules)
severity: error                 # error | warning | note, before profile escalation
profiles: [cpin, kubernetes]
title:   {en: "Images carry an explicit tag", fr: "Les images portent un tag explicite"}
message: {en: "container {container} uses {value}", fr: "le conteneur {container} utilise {value}"}
select: {subject: container}
params: {}
check:
  schema:
    properties:
      container:
        properties:
          image: {not: {pattern: ":latest$"}}
"#,
    );
    write(
        &dir.join("rules/owner.yaml"),
        r#"id: TEAM-OWN-001
name: team-owner-label
requirements: []
level: none
severity: warning
title: {en: "Workloads name their owner", fr: "Les charges nomment leur responsable"}
message: {en: "{kind} {name} has no owner label", fr: "{kind} {name} n'a pas de label owner"}
select: {kinds: [Deployment]}
check:
  schema:
    properties:
      metadata:
        required: [labels]
        properties:
          labels: {required: [owner]}
"#,
    );
    write(&dir.join("deploy/app.yaml"), MANIFESTS);
    let rules = dir.join("rules");
    let deploy = dir.join("deploy");
    for profile in ["cpin", "kubernetes"] {
        let o = cct(&[
            "check",
            "--rules",
            rules.to_str().expect("path"),
            "--profile",
            profile,
            "--format",
            "json",
            deploy.to_str().expect("path"),
        ]);
        assert_eq!(
            findings(&o, "TEAM-"),
            vec![
                (
                    "TEAM-K8S-008".into(),
                    "app.yaml".into(),
                    10,
                    16,
                    "error".into()
                ),
                (
                    "TEAM-OWN-001".into(),
                    "app.yaml".into(),
                    3,
                    1,
                    "warning".into()
                ),
            ],
            "profile {profile}"
        );
    }
    // `profiles` left out: every profile, the Pod Security ones too; the ARCHITECTURE rule
    // names cpin and kubernetes only.
    let o = cct(&[
        "check",
        "--rules",
        rules.to_str().expect("path"),
        "--profile",
        "pss-baseline",
        "--format",
        "json",
        deploy.to_str().expect("path"),
    ]);
    assert_eq!(
        findings(&o, "TEAM-"),
        vec![(
            "TEAM-OWN-001".into(),
            "app.yaml".into(),
            3,
            1,
            "warning".into()
        )]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A Conftest folder, unchanged: a Rego v0 policy (`deny[msg] { … }`, `warn[msg] { … }`) and a
/// Rego v1 one of the same package with a `deny_` rule and a helper from a library file. Every
/// resource is its `input`; findings are named `<package>.<rule>`, at the resource.
#[test]
fn a_conftest_policy_runs_unchanged() {
    let dir = temp_dir("conftest");
    write(
        &dir.join("policy/base.rego"),
        r#"package main

deny[msg] {
  input.kind == "Deployment"
  not input.metadata.labels.app
  msg := sprintf("Deployment %s must have an app label", [input.metadata.name])
}

warn[msg] {
  input.kind == "Pod"
  msg := sprintf("Pod %s is not managed by a controller", [input.metadata.name])
}
"#,
    );
    write(
        &dir.join("policy/images.rego"),
        r#"package main

import rego.v1

import data.lib.images

deny_latest contains msg if {
	some c in input.spec.template.spec.containers
	images.latest(c.image)
	msg := sprintf("container %s uses a latest image", [c.name])
}
"#,
    );
    write(
        &dir.join("policy/lib/images.rego"),
        "package lib.images\n\nimport rego.v1\n\nlatest(image) if endswith(image, \":latest\")\n",
    );
    write(&dir.join("deploy/app.yaml"), MANIFESTS);
    let o = cct(&[
        "check",
        "--rules",
        dir.join("policy").to_str().expect("path"),
        "--format",
        "json",
        "--lang",
        "en",
        dir.join("deploy").to_str().expect("path"),
    ]);
    assert_eq!(
        findings(&o, "main."),
        vec![
            ("main.deny".into(), "app.yaml".into(), 4, 3, "error".into()),
            (
                "main.deny_latest".into(),
                "app.yaml".into(),
                4,
                3,
                "error".into()
            ),
            (
                "main.warn".into(),
                "app.yaml".into(),
                15,
                3,
                "warning".into()
            ),
        ]
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let messages: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("main.")))
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages.contains(&"Deployment api must have an app label"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"container api uses a latest image"),
        "{messages:?}"
    );
    // A deny rule makes the run fail; the rules are listed with their ids.
    assert_eq!(o.status.code(), Some(1));
    let listed = cct(&[
        "rules",
        "--rules",
        dir.join("policy").to_str().expect("path"),
    ]);
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    for id in ["main.deny", "main.deny_latest", "main.warn"] {
        assert!(listed.contains(id), "{listed}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
