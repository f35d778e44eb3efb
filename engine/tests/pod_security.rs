//! The `pss-baseline` and `pss-restricted` profiles answer one question: would Kubernetes' Pod
//! Security Admission, at that level, admit this pod? The fixtures of Pod Security Admission
//! itself (`../shared/corpus/psa/<level>/{pass,fail}/`, one pod per file, named after the PSA check
//! they exercise) are the oracle: every `fail` pod gives at least one error, no `pass` pod gives
//! any, under the profile of its level; and the same pod as the template of a Deployment or a
//! CronJob gets the same answer.
//!
//! What PSA answers beyond the level of the folder is asserted too:
//! - `restricted` contains `baseline`: every pod `baseline` refuses, `restricted` refuses;
//! - every pod `restricted` admits, `baseline` admits;
//! - a pod of `restricted/fail/` named after a baseline check is refused by `baseline`.
//!
//! The corpus is not part of the repository: the test prints a message and passes when it is
//! absent (a fresh clone has no `../shared`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cct_engine::source::SourceFile;
use cct_engine::vocab::{DiagnosticLevel, Severity};
use cct_engine::yaml::{self, YamlLimits};
use cct_engine::{Catalogue, CatalogueBuilder, Scan, ScanOptions};

/// The PSA fixtures folder, or `None` (and a message) when it is absent.
fn psa() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/psa");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared/corpus/psa not found");
        None
    }
}

/// The `.yaml` files of a folder, sorted.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The PSA check a fixture exercises: its file name without the number (`runasnonroot2.yaml` →
/// `runasnonroot`).
fn check_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .to_string()
}

/// The same pod as the template of a Deployment and of a CronJob, as JSON texts (JSON is YAML).
fn as_templates(display: &str, text: &str) -> Vec<(String, String)> {
    let file = SourceFile::new(display, text);
    let stream = yaml::parse(&file, &YamlLimits::default());
    let pod = &stream.documents[0].value;
    assert_eq!(pod["kind"], "Pod", "{display}: a Pod");
    let template = serde_json::json!({
        "metadata": pod["metadata"],
        "spec": pod["spec"],
    });
    let deployment = serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "from-pod"},
        "spec": {"selector": {"matchLabels": {"app": "x"}}, "template": template},
    });
    let cronjob = serde_json::json!({
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "from-pod"},
        "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": template}}},
    });
    vec![
        (format!("{display} (Deployment)"), deployment.to_string()),
        (format!("{display} (CronJob)"), cronjob.to_string()),
    ]
}

/// The errors of a scan of one text under a profile: the rule ids of error findings, and error
/// diagnostics as `diagnostic:<code>`.
fn errors(catalogue: &Catalogue, profile: &str, display: &str, text: &str) -> BTreeSet<String> {
    let scan = Scan::new(
        catalogue,
        ScanOptions {
            profile: profile.parse().expect("known profile"),
            ..ScanOptions::default()
        },
    );
    let report = scan.check_text(display, text);
    let mut out: BTreeSet<String> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule_id.clone())
        .collect();
    out.extend(
        report
            .diagnostics
            .iter()
            .filter(|d| d.level == DiagnosticLevel::Error)
            .map(|d| format!("diagnostic:{}", d.code)),
    );
    out
}

#[test]
fn pod_security_profiles_agree_with_pod_security_admission() {
    let Some(psa) = psa() else { return };
    let catalogue = CatalogueBuilder::new().build().expect("catalogue");
    // The baseline checks: the names of the baseline fixtures.
    let baseline_checks: BTreeSet<String> = yaml_files(&psa.join("baseline/fail"))
        .iter()
        .chain(yaml_files(&psa.join("baseline/pass")).iter())
        .map(|p| check_of(p))
        .collect();
    let mut failures = Vec::new();
    let mut judged = 0;
    for level in ["baseline", "restricted"] {
        for verdict in ["fail", "pass"] {
            let files = yaml_files(&psa.join(level).join(verdict));
            assert!(!files.is_empty(), "no fixture in psa/{level}/{verdict}");
            for path in files {
                let display = path
                    .file_name()
                    .map(|n| format!("psa/{level}/{verdict}/{}", n.to_string_lossy()))
                    .unwrap_or_default();
                let text = std::fs::read_to_string(&path).expect("fixture readable");
                // The profiles whose answer PSA gives for this pod: refused (true) or admitted.
                let mut expected = vec![(format!("pss-{level}"), verdict == "fail")];
                match (level, verdict) {
                    ("baseline", "fail") => expected.push(("pss-restricted".into(), true)),
                    ("restricted", "pass") => expected.push(("pss-baseline".into(), false)),
                    ("restricted", "fail") if baseline_checks.contains(&check_of(&path)) => {
                        expected.push(("pss-baseline".into(), true))
                    }
                    _ => {}
                }
                let mut inputs = vec![(display.clone(), text.clone())];
                inputs.extend(as_templates(&display, &text));
                for (profile, refused) in &expected {
                    for (name, input) in &inputs {
                        judged += 1;
                        let got = errors(&catalogue, profile, name, input);
                        if *refused && got.is_empty() {
                            failures
                                .push(format!("{name} [{profile}]: PSA refuses it, but no error"));
                        } else if !*refused && !got.is_empty() {
                            failures.push(format!(
                                "{name} [{profile}]: PSA admits it, but errors {got:?}"
                            ));
                        }
                    }
                }
            }
        }
    }
    println!("PSA: {judged} (input, profile) verdicts compared");
    assert!(judged > 400, "only {judged} verdicts");
    assert!(
        failures.is_empty(),
        "{} disagreement(s) with Pod Security Admission:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Under the Pod Security profiles, only the Pod Security controls run: no CCT rule fires on a
/// pod that PSA restricted admits but that breaks many CCT rules (no probes, no resources, a
/// `latest` image, a NodePort Service beside it).
#[test]
fn pod_security_profiles_run_only_the_pod_security_controls() {
    let catalogue = CatalogueBuilder::new().build().expect("catalogue");
    let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: web
    image: nginx:latest
    imagePullPolicy: Always
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
";
    for profile in ["pss-baseline", "pss-restricted"] {
        let scan = Scan::new(
            &catalogue,
            ScanOptions {
                profile: profile.parse().expect("known profile"),
                ..ScanOptions::default()
            },
        );
        let report = scan.check_text("web.yaml", text);
        assert!(
            report.findings.is_empty(),
            "{profile}: {:?}",
            report
                .findings
                .iter()
                .map(|f| &f.rule_id)
                .collect::<Vec<_>>()
        );
    }
    // The CCT judges it under `kubernetes`.
    let scan = Scan::new(
        &catalogue,
        ScanOptions {
            profile: "kubernetes".parse().expect("known profile"),
            ..ScanOptions::default()
        },
    );
    assert!(!scan.check_text("web.yaml", text).findings.is_empty());
}

/// The catalogue keeps the two families apart: a rule runs under the Pod Security profiles if and
/// only if it is a Pod Security control of `rules/pss/` (tag `pod-security`), and those run under
/// no other profile.
#[test]
fn only_pod_security_controls_declare_the_pod_security_profiles() {
    let catalogue = CatalogueBuilder::new().build().expect("catalogue");
    let mut pss = 0;
    for rule in &catalogue.rules {
        let profiles: Vec<&str> = rule.spec.profiles.iter().map(|p| p.as_str()).collect();
        let control = rule.spec.tags.iter().any(|t| t == "pod-security");
        let under_pss = profiles.iter().any(|p| p.starts_with("pss-"));
        assert_eq!(
            control, under_pss,
            "{}: tagged pod-security: {control}, profiles {profiles:?}",
            rule.spec.id
        );
        if control {
            pss += 1;
            assert!(rule.spec.id.starts_with("CCT-PSS-"), "{}", rule.spec.id);
            assert!(
                profiles.iter().all(|p| p.starts_with("pss-")),
                "{}: {profiles:?}",
                rule.spec.id
            );
        }
    }
    assert_eq!(pss, 19, "one rule per PSA check of Kubernetes 1.37");
}
