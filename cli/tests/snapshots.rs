//! Snapshot tests of everything `cct` prints: `check` in each format (human in French and in
//! English, JSON, SARIF) on the demo repository and on chosen fixtures, `rules`, `render`, a
//! broken YAML file, and the exit codes. A change of output fails here, to be seen and reviewed.
//!
//! To review and accept a change of output:
//! - with `cargo-insta` installed: `cargo insta test -p cct --test snapshots`, then
//!   `cargo insta review` (it writes the accepted `.snap` files);
//! - without it: `INSTA_UPDATE=always cargo test -p cct --test snapshots`, then read
//!   `git diff cli/tests/snapshots` and commit what is meant (or `git checkout` it back).
//!
//! Locally a mismatch writes a `.snap.new` beside the snapshot (delete it after review); CI exports
//! `INSTA_UPDATE=no` (`.ci/run`), so there a mismatch only fails and nothing is written.
//!
//! The runs are machine-independent: from the repository root with relative paths, two worker
//! threads, a fixed `--lang`, no colour, no locale variables; the version is redacted.

mod common;
use common::root;

/// What one run of `cct` gave.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn cct(args: &[&str]) -> Run {
    let o = common::cct(args);
    Run {
        code: o.status.code(),
        stdout: String::from_utf8(o.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(o.stderr).expect("stderr is UTF-8"),
    }
}

/// `cct check` with the options that make its output deterministic; the exit code must be `code`
/// and standard error empty. Returns standard output, with the version redacted.
fn check(code: i32, args: &[&str]) -> String {
    let mut all = vec!["check", "--jobs", "2", "--color", "never"];
    all.extend_from_slice(args);
    let run = cct(&all);
    assert_eq!(
        run.code,
        Some(code),
        "cct {}\n{}",
        all.join(" "),
        run.stderr
    );
    assert_eq!(run.stderr, "", "cct {}", all.join(" "));
    machine_independent(&run.stdout)
}

/// Redacts the version (it changes with every release, not with the output) and makes sure no
/// absolute path of this machine is in the text.
fn machine_independent(text: &str) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let text = text
        .replace(
            &format!("\"version\": \"{version}\""),
            "\"version\": \"[version]\"",
        )
        .replace(
            &format!("\"semanticVersion\": \"{version}\""),
            "\"semanticVersion\": \"[version]\"",
        );
    for dir in [root(), root().canonicalize().expect("repository root")] {
        let dir = dir.to_string_lossy().into_owned();
        assert!(!text.contains(&dir), "an absolute path is printed:\n{text}");
    }
    text
}

/// Compares `text` with the stored snapshot `name`; its header tells the command that made it.
fn snapshot(name: &str, command: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(command);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// `cct check` in one format, snapshotted.
fn check_snapshot(name: &str, code: i32, args: &[&str]) {
    let out = check(code, args);
    snapshot(name, &format!("cct check {}", args.join(" ")), &out);
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).expect("JSON prints") + "\n"
}

/// The SARIF of a scan without its two copies of the catalogue (`tool.driver.rules` and
/// `taxonomies`, the same whatever is scanned: the demo's SARIF snapshot keeps them), as the same
/// pretty JSON that cct prints.
fn sarif_snapshot(name: &str, code: i32, args: &[&str]) {
    let mut all = vec!["--format", "sarif"];
    all.extend_from_slice(args);
    let raw = check(code, &all);
    let mut sarif: serde_json::Value = serde_json::from_str(&raw).expect("SARIF is JSON");
    assert_eq!(
        pretty(&sarif),
        raw,
        "cct's SARIF is not printed as expected"
    );
    let run = sarif["runs"][0].as_object_mut().expect("a run");
    let taxonomies = run.remove("taxonomies");
    assert!(taxonomies.is_some_and(|t| t[0]["taxa"].is_array()));
    let driver = run["tool"]["driver"].as_object_mut().expect("a driver");
    let rules = driver.remove("rules");
    assert!(rules.is_some_and(|r| r.as_array().is_some_and(|r| !r.is_empty())));
    snapshot(
        name,
        &format!(
            "cct check {} (without runs[0].tool.driver.rules and runs[0].taxonomies)",
            all.join(" ")
        ),
        &pretty(&sarif),
    );
}

// The demo repository: every format, whole.

#[test]
fn demo_human_en() {
    check_snapshot("demo_human_en", 1, &["--lang", "en", "fixtures/demo"]);
}

#[test]
fn demo_human_fr() {
    check_snapshot("demo_human_fr", 1, &["--lang", "fr", "fixtures/demo"]);
}

#[test]
fn demo_json() {
    check_snapshot(
        "demo_json",
        1,
        &["--lang", "en", "--format", "json", "fixtures/demo"],
    );
}

#[test]
fn demo_sarif() {
    let args = ["--lang", "fr", "--format", "sarif", "fixtures/demo"];
    let out = check(1, &args);
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("SARIF is JSON");
    assert_eq!(pretty(&sarif), out, "the snapshot is cct's pretty JSON");
    snapshot("demo_sarif", &format!("cct check {}", args.join(" ")), &out);
}

// A Helm chart: findings traced back to values files and templates, per environment.

const CHART: &str = "fixtures/charts/provenance-demo";

#[test]
fn chart_human_en() {
    check_snapshot("chart_human_en", 1, &["--lang", "en", CHART]);
}

#[test]
fn chart_human_fr() {
    check_snapshot("chart_human_fr", 1, &["--lang", "fr", CHART]);
}

#[test]
fn chart_json() {
    check_snapshot(
        "chart_json",
        1,
        &["--lang", "en", "--format", "json", CHART],
    );
}

#[test]
fn chart_sarif() {
    sarif_snapshot("chart_sarif", 1, &["--lang", "en", CHART]);
}

// Dockerfiles.

const DOCKERFILE_RULE: &str = "fixtures/rules/CCT-DKR-002";

#[test]
fn dockerfile_rule_human_en() {
    check_snapshot(
        "dockerfile_rule_human_en",
        1,
        &["--lang", "en", DOCKERFILE_RULE],
    );
}

#[test]
fn dockerfile_rule_json() {
    check_snapshot(
        "dockerfile_rule_json",
        1,
        &["--lang", "en", "--format", "json", DOCKERFILE_RULE],
    );
}

// GitLab CI files, with a local include and notes for what cannot be resolved offline.

const GITLAB_CI_RULE: &str = "fixtures/rules/CCT-CI-001";

#[test]
fn gitlab_ci_rule_human_fr() {
    check_snapshot(
        "gitlab_ci_rule_human_fr",
        1,
        &["--lang", "fr", GITLAB_CI_RULE],
    );
}

#[test]
fn gitlab_ci_rule_json() {
    check_snapshot(
        "gitlab_ci_rule_json",
        1,
        &["--lang", "en", "--format", "json", GITLAB_CI_RULE],
    );
}

#[test]
fn gitlab_ci_rule_sarif() {
    sarif_snapshot("gitlab_ci_rule_sarif", 1, &["--lang", "fr", GITLAB_CI_RULE]);
}

// A rule over several resources (Rego): HorizontalPodAutoscalers against their workloads.

const CROSS_RESOURCE_RULE: &str = "fixtures/rules/CCT-HA-003";

#[test]
fn cross_resource_rule_human_en() {
    check_snapshot(
        "cross_resource_rule_human_en",
        1,
        &["--lang", "en", CROSS_RESOURCE_RULE],
    );
}

#[test]
fn cross_resource_rule_json() {
    check_snapshot(
        "cross_resource_rule_json",
        1,
        &["--lang", "en", "--format", "json", CROSS_RESOURCE_RULE],
    );
}

// A manifest with several findings and a document that is not YAML.

const FINDINGS_AND_YAML_ERROR: &str = "cli/tests/inputs/several-findings-and-a-yaml-error.yaml";

#[test]
fn findings_and_yaml_error_human_en() {
    check_snapshot(
        "findings_and_yaml_error_human_en",
        1,
        &["--lang", "en", FINDINGS_AND_YAML_ERROR],
    );
}

#[test]
fn findings_and_yaml_error_human_fr() {
    check_snapshot(
        "findings_and_yaml_error_human_fr",
        1,
        &["--lang", "fr", FINDINGS_AND_YAML_ERROR],
    );
}

#[test]
fn findings_and_yaml_error_json() {
    check_snapshot(
        "findings_and_yaml_error_json",
        1,
        &["--lang", "en", "--format", "json", FINDINGS_AND_YAML_ERROR],
    );
}

#[test]
fn findings_and_yaml_error_sarif() {
    sarif_snapshot(
        "findings_and_yaml_error_sarif",
        1,
        &["--lang", "en", FINDINGS_AND_YAML_ERROR],
    );
}

// A file that is not YAML at all: a located diagnostic, no finding.

const BROKEN_YAML: &str = "cli/tests/inputs/broken.yaml";

#[test]
fn broken_yaml_human_en() {
    check_snapshot("broken_yaml_human_en", 1, &["--lang", "en", BROKEN_YAML]);
}

#[test]
fn broken_yaml_human_fr() {
    check_snapshot("broken_yaml_human_fr", 1, &["--lang", "fr", BROKEN_YAML]);
}

#[test]
fn broken_yaml_sarif() {
    sarif_snapshot("broken_yaml_sarif", 1, &["--lang", "en", BROKEN_YAML]);
}

// The other commands.

fn command_snapshot(name: &str, args: &[&str]) {
    let run = cct(args);
    let command = format!("cct {}", args.join(" "));
    assert_eq!(run.code, Some(0), "{command}\n{}", run.stderr);
    // `cct render` says on stderr which capabilities the chart saw.
    if args.first() == Some(&"render") {
        assert_eq!(run.stderr.lines().count(), 1, "{command}\n{}", run.stderr);
    } else {
        assert_eq!(run.stderr, "", "{command}");
    }
    snapshot(name, &command, &machine_independent(&run.stdout));
}

#[test]
fn rules_en() {
    command_snapshot("rules_en", &["rules", "--lang", "en"]);
}

#[test]
fn rules_fr() {
    command_snapshot("rules_fr", &["rules", "--lang", "fr"]);
}

#[test]
fn render_chart() {
    command_snapshot("render_chart", &["render", CHART]);
}

#[test]
fn render_uses_the_platform_api_versions_unless_told() {
    let run = cct(&["render", CHART]);
    assert!(run.stderr.contains("v1.36.0"), "{}", run.stderr);
    assert!(
        run.stderr.contains("route.openshift.io/v1"),
        "{}",
        run.stderr
    );
    let run = cct(&[
        "render",
        "--kube-version",
        "1.30.2",
        "--api-versions",
        "example.com/v1",
        CHART,
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("1.30.2"), "{}", run.stderr);
    assert!(run.stderr.contains("example.com/v1"), "{}", run.stderr);
    assert!(!run.stderr.contains("route.openshift.io"), "{}", run.stderr);
}

// Exit codes, with what each run prints on standard error.

#[test]
fn exit_codes() {
    let runs: &[&[&str]] = &[
        &[
            "check",
            "-j",
            "2",
            "fixtures/demo/deploy/web.yaml",
            "fixtures/demo/deploy/web-service.yaml",
        ],
        &["check", "-j", "2", "fixtures/demo"],
        &["check", "-j", "2", "--fail-on", "never", "fixtures/demo"],
        &[
            "check",
            "-j",
            "2",
            "fixtures/rules/CCT-DKR-002/pass/numeric.Dockerfile",
        ],
        &[
            "check",
            "-j",
            "2",
            "--fail-on",
            "note",
            "fixtures/rules/CCT-DKR-002/pass/numeric.Dockerfile",
        ],
        &["check", "-j", "2", BROKEN_YAML],
        &["check", "-j", "2", "fixtures/does-not-exist"],
        &["check", "-j", "2", "--profile", "nope", "fixtures/demo"],
        &["check", "-j", "2", "--format", "xml", "fixtures/demo"],
        &["check", "-j", "2", "--lang", "de", "fixtures/demo"],
        &["frobnicate"],
        &["rules", "--lang", "en"],
        &["render", CHART],
        &["render", "fixtures/charts/does-not-exist"],
    ];
    let mut table = String::new();
    for args in runs {
        let run = cct(args);
        let code = run
            .code
            .map_or_else(|| "killed".to_string(), |c| c.to_string());
        table += &format!("$ cct {}\nexit code: {code}\n", args.join(" "));
        for line in run.stderr.lines() {
            table += &format!(
                "  stderr|{}{line}\n",
                if line.is_empty() { "" } else { " " }
            );
        }
        table += "\n";
    }
    snapshot(
        "exit_codes",
        "exit code and standard error of each run",
        &machine_independent(&table),
    );
}
