//! End-to-end tests: run the `cct` binary on the demo repository and check its outputs.

mod common;
use common::{cct, root, stdout, temp_dir};

#[test]
fn demo_scan_blocks_and_points_at_lines() {
    let o = cct(&["check", "fixtures/demo", "--lang", "en"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = stdout(&o);
    assert!(out.contains("error[CCT-K8S-008]"), "{out}");
    assert!(out.contains("fixtures/demo/deploy/api.yaml:22:18"), "{out}");
    assert!(out.contains("Summary by CCT requirement:"), "{out}");
    assert!(out.contains("EXI-ARCH-27"), "{out}");
    assert!(out.contains("1 Dockerfile(s)"), "{out}");
    // The compliant files give nothing.
    assert!(!out.contains("deploy/web.yaml"), "{out}");
}

#[test]
fn french_is_the_default_language() {
    let o = cct(&["check", "fixtures/demo/deploy/api.yaml"]);
    let out = stdout(&o);
    assert!(out.contains("Résumé par exigence du CCT"), "{out}");
    let o = cct(&["check", "--lang", "en", "fixtures/demo/deploy/api.yaml"]);
    assert!(stdout(&o).contains("Summary by CCT requirement"));
}

#[test]
fn compliant_files_exit_zero() {
    let o = cct(&[
        "check",
        "fixtures/demo/deploy/web.yaml",
        "fixtures/demo/deploy/web-service.yaml",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn usage_and_configuration_errors_exit_two() {
    assert_eq!(
        cct(&["check", "--profile", "nope", "."]).status.code(),
        Some(2)
    );
    assert_eq!(
        cct(&["check", "--format", "xml", "."]).status.code(),
        Some(2)
    );
    assert_eq!(cct(&["frobnicate"]).status.code(), Some(2));
    let o = cct(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("cct "));
    let o = cct(&["check", "--help"]);
    assert!(stdout(&o).contains("Exit codes"));
}

#[test]
fn a_secret_is_never_printed() {
    for format in ["human", "json", "sarif"] {
        let o = cct(&["check", "fixtures/demo", "--format", format]);
        let out = stdout(&o);
        assert!(out.contains("CCT-K8S-014"), "{format}");
        assert!(!out.contains("s3cr3t"), "{format} prints a secret:\n{out}");
    }
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let one = cct(&["check", "fixtures", "--format", "sarif", "-j", "1"]);
    let four = cct(&["check", "fixtures", "--format", "sarif", "-j", "4"]);
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, four.stdout);
}

#[test]
fn broken_files_are_diagnostics_and_the_scan_goes_on() {
    let dir = temp_dir("broken");
    std::fs::write(
        dir.join("bad.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("good.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort}\n",
    )
    .expect("write");
    std::fs::write(dir.join("notes.yaml"), "title: not a manifest\n").expect("write");
    let o = cct(&[
        "check",
        "--format",
        "json",
        dir.to_str().expect("utf-8 path"),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"yaml-syntax"), "{codes:?}");
    let bad = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "yaml-syntax")
        .expect("syntax diagnostic");
    assert!(bad["path"].as_str().expect("path").ends_with("bad.yaml"));
    assert!(bad["line"].as_u64().expect("line") >= 3);
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"CCT-NET-003"), "{rules:?}");
    assert_eq!(v["stats"]["skipped_documents"], 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let schema_path = root().join("../shared/schemas/sarif-schema-2.1.0.json");
    let Ok(schema_text) = std::fs::read_to_string(&schema_path) else {
        println!("skipped: {} not found", schema_path.display());
        return;
    };
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let o = cct(&["check", "fixtures", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(20)
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(
        run["taxonomies"][0]["taxa"].as_array().map(Vec::len),
        Some(55)
    );
    let result = &run["results"][0];
    assert!(result["partialFingerprints"]["cct/v1"].is_string());
    assert!(result["properties"]["requirements"].is_array());
    assert!(result["properties"]["level"].is_string());
    assert!(run["tool"]["driver"]["rules"][0]["relationships"][0]["target"]["id"].is_string());
}

#[test]
fn fingerprints_survive_line_shifts() {
    let dir = temp_dir("shift");
    let body = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort}\n";
    let file = dir.join("svc.yaml");
    let fp = |text: &str| {
        std::fs::write(&file, text).expect("write");
        let o = cct(&["check", "--format", "json", file.to_str().expect("path")]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        let f = &v["findings"][0];
        (
            f["fingerprint"].as_str().map(str::to_string),
            f["line"].as_u64(),
        )
    };
    let (a, line_a) = fp(body);
    let (b, line_b) = fp(&format!("# a comment\n\n{body}"));
    assert!(a.is_some());
    assert_eq!(a, b);
    assert_ne!(line_a, line_b);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn user_rules_are_loaded() {
    let dir = temp_dir("user-rules");
    std::fs::write(
        dir.join("team-label.yaml"),
        r#"id: TEAM-LBL-001
name: team-deployment-label
since: 0.1.0
requirements: []
level: none
severity: warning
profiles: [cpin]
title: {en: "Deployments carry a team label", fr: "Les Deployments portent un label team"}
message: {en: "Deployment {name} has no team label", fr: "Le Deployment {name} n'a pas de label team"}
rationale: {en: "Ownership.", fr: "Responsabilité."}
remediation: {en: "Add `team`.", fr: "Ajouter `team`."}
select: {subject: resource, kinds: [Deployment]}
check:
  schema:
    properties:
      metadata:
        properties:
          labels: {required: [team]}
"#,
    )
    .expect("write rule");
    let o = cct(&[
        "check",
        "--rules",
        dir.to_str().expect("path"),
        "--format",
        "json",
        "fixtures/demo/deploy/web.yaml",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let f = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "TEAM-LBL-001")
        .expect("user rule finding");
    assert_eq!(f["line"], 6);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn user_rego_rule_flags_deployments_without_team_label() {
    let dir = std::env::temp_dir().join(format!("cct-user-rego-{}", std::process::id()));
    let rules = dir.join("rules");
    let deploy = dir.join("deploy");
    std::fs::create_dir_all(&rules).expect("temp dir");
    std::fs::create_dir_all(&deploy).expect("temp dir");
    std::fs::write(
        rules.join("team-label.yaml"),
        r#"id: TEAM-REGO-001
name: team-deployment-label
since: 0.1.0
requirements: []
level: none
severity: warning
profiles: [cpin]
title: {en: "Deployments carry a team label", fr: "Les Deployments portent un label team"}
message: {en: "Deployment {name} has no team label", fr: "Le Deployment {name} n'a pas de label team"}
rationale: {en: "Ownership.", fr: "Responsabilité."}
remediation: {en: "Add `team`.", fr: "Ajouter `team`."}
select: {subject: resource, kinds: [Deployment]}
check: {rego: team-label.rego}
"#,
    )
    .expect("write rule");
    std::fs::write(
        rules.join("team-label.rego"),
        r#"package team.label

deny contains {"path": ["metadata", "labels"]} if {
	not input.metadata.labels.team
}
"#,
    )
    .expect("write policy");
    std::fs::write(
        deploy.join("a.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: labelled\n  labels:\n    app: a\nspec: {}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: owned\n  labels: {team: core}\nspec: {}\n",
    )
    .expect("write manifest");
    std::fs::write(
        deploy.join("b.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bare\nspec: {}\n",
    )
    .expect("write manifest");
    let o = cct(&[
        "check",
        "--rules",
        rules.to_str().expect("path"),
        "--format",
        "sarif",
        "--fail-on",
        "never",
        deploy.to_str().expect("path"),
    ]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    let run = &sarif["runs"][0];
    let mut found: Vec<(String, u64)> = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "TEAM-REGO-001")
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            let uri = loc["artifactLocation"]["uri"].as_str().unwrap_or("");
            let file = uri.rsplit('/').next().unwrap_or("").to_string();
            (file, loc["region"]["startLine"].as_u64().unwrap_or(0))
        })
        .collect();
    found.sort();
    // `labelled`: its labels line; `bare`: its metadata line; `owned` has a team.
    assert_eq!(
        found,
        vec![("a.yaml".to_string(), 5), ("b.yaml".to_string(), 8)],
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .any(|r| r["id"] == "TEAM-REGO-001"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn charts_are_rendered_and_findings_traced_to_values_lines() {
    let o = cct(&[
        "check",
        "--format",
        "sarif",
        "fixtures/charts/provenance-demo",
    ]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).expect("SARIF");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let find = |rule: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == rule)
            .unwrap_or_else(|| panic!("no {rule} finding"))
    };
    // `tag: latest` in values.yaml, every environment.
    let tag = find("CCT-K8S-008");
    let loc = &tag["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "fixtures/charts/provenance-demo/values.yaml"
    );
    assert_eq!(loc["region"]["startLine"], 3);
    assert_eq!(
        tag["properties"]["environment"],
        serde_json::json!(["default", "prod"])
    );
    let related: Vec<&str> = tag["relatedLocations"]
        .as_array()
        .expect("related")
        .iter()
        .filter_map(|r| r["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(
        related
            .iter()
            .any(|u| u.ends_with("templates/_helpers.tpl")),
        "{related:?}"
    );
    // `hostNetwork: true` in values-prod.yaml, only in prod.
    let host = find("CCT-K8S-005");
    let loc = &host["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "fixtures/charts/provenance-demo/values-prod.yaml"
    );
    assert_eq!(loc["region"]["startLine"], 1);
    assert_eq!(
        host["properties"]["environment"],
        serde_json::json!(["prod"])
    );
    // A literal template line is reported on that template line.
    let privileged = find("CCT-K8S-002");
    let loc = &privileged["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "fixtures/charts/provenance-demo/templates/deployment.yaml"
    );
    assert_eq!(loc["region"]["startLine"], 22);
}

#[test]
fn render_prints_what_helm_template_prints() {
    // The golden file was made by the real Helm engine (`helm template rel <chart>`).
    let o = cct(&[
        "render",
        "--release",
        "rel",
        "fixtures/charts/provenance-demo",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let golden = std::fs::read_to_string(root().join("engine/tests/helm/provenance-demo.yaml"))
        .expect("golden render");
    assert_eq!(stdout(&o), golden);
    let o = cct(&["render", "fixtures/charts/does-not-exist"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_broken_user_rule_is_a_located_diagnostic_and_the_others_run() {
    let dir = temp_dir("bad-rule");
    std::fs::write(
        dir.join("bad.yaml"),
        "id: TEAM-BAD-001\nname: team-bad\nsince: 0.1.0\nrequirements: []\nlevel: none\nseverity: warning\nprofiles: [cpin]\ntitle: {en: t, fr: t}\nmessage: {en: m, fr: m}\nrationale: {en: r, fr: r}\nremediation: {en: f, fr: f}\nselect: {subject: resource}\ncheck:\n  schema:\n    properties:\n      x: {minimum: {$param: nope}}\n",
    )
    .expect("write rule");
    let o = cct(&[
        "check",
        "--rules",
        dir.to_str().expect("path"),
        "--format",
        "json",
        "fixtures/demo/deploy/api.yaml",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let d = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "rule-invalid-schema")
        .expect("a diagnostic for the broken rule");
    assert!(d["path"].as_str().expect("path").ends_with("bad.yaml"));
    assert_eq!(d["line"], 16);
    assert!(v["findings"].as_array().expect("findings").len() > 5);
    let _ = std::fs::remove_dir_all(&dir);
}
