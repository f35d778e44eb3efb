use super::*;
use crate::vocab::DiagnosticCode;

fn load_text(text: &str) -> Loaded {
    let file = SourceFile::new(".gitlab-ci.yml", text);
    load(&file, None, &YamlLimits::default())
}

fn line_of(doc: &Document, pointer: &str) -> (String, u32, u32) {
    let (range, found, file) = doc
        .spans
        .locate_in(pointer, crate::source::LocateMode::Value)
        .unwrap();
    assert!(found, "{pointer}");
    let f = file.unwrap_or(&doc.file);
    let lc = f.line_col(range.start);
    (f.path().to_string(), lc.line, lc.column)
}

#[test]
fn extends_default_and_references() {
    let l = load_text(
        "default:\n  before_script:\n    - echo default\n.setup:\n  script:\n    - echo setup\n.base:\n  image: alpine:3.20\n  variables: {A: \"1\", B: \"2\"}\n  script: [helm lint .]\n.mid:\n  extends: .base\n  variables: {B: \"3\"}\ndeploy:\n  extends: [.mid]\n  script:\n    - !reference [.setup, script]\n    - 'kubectl apply -f \"k8s dir/\"'\n",
    );
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let doc = l.document.unwrap();
    let job = &doc.value["jobs"]["deploy"];
    assert_eq!(job["image"], "alpine:3.20");
    assert_eq!(job["variables"], json!({"A": "1", "B": "3"}));
    assert_eq!(job["extendsAll"], json!([".mid", ".base"]));
    assert_eq!(
        doc.value["jobs"][".base"]["extendedBy"],
        json!([".mid", "deploy"])
    );
    let lines = job["scriptLines"].as_array().unwrap();
    let texts: Vec<&str> = lines.iter().map(|l| l["line"].as_str().unwrap()).collect();
    assert_eq!(
        texts,
        vec![
            "echo default",
            "echo setup",
            "kubectl apply -f \"k8s dir/\""
        ]
    );
    assert_eq!(lines[0]["inherited"], true);
    assert_eq!(lines[1]["inherited"], true);
    assert_eq!(lines[2]["inherited"], false);
    // The inherited image is located at its definition in `.base`.
    assert_eq!(
        line_of(&doc, "/jobs/deploy/image"),
        (".gitlab-ci.yml".into(), 8, 10)
    );
    // Each word of a quoted line is located in the file.
    assert_eq!(
        line_of(&doc, "/jobs/deploy/scriptLines/2/commands/0/args/0"),
        (".gitlab-ci.yml".into(), 18, 16)
    );
    assert_eq!(
        line_of(&doc, "/jobs/deploy/scriptLines/2/commands/0/args/2"),
        (".gitlab-ci.yml".into(), 18, 25)
    );
    assert_eq!(
        line_of(&doc, "/jobs/deploy/scriptLines/1/commands/0/args/0"),
        (".gitlab-ci.yml".into(), 6, 12)
    );
    assert_eq!(doc.value["default"]["scriptLines"][0]["inherited"], false);
}

#[test]
fn block_scalars_are_aligned() {
    let l =
        load_text("job:\n  script:\n    - |\n      echo a\n      helm upgrade --install x ./c\n");
    let doc = l.document.unwrap();
    assert_eq!(
        line_of(&doc, "/jobs/job/scriptLines/0/commands/1/args/0"),
        (".gitlab-ci.yml".into(), 5, 12)
    );
}

#[test]
fn external_and_unfollowed_includes_are_notes() {
    let l = load_text(
        "include:\n  - project: dso/catalog\n    file: [kaniko.yml]\n  - local: ci/x.yml\n  - template: Security/SAST.gitlab-ci.yml\nbuild:\n  extends: .dso:custom-build\n",
    );
    let codes: Vec<DiagnosticCode> = l.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![
            DiagnosticCode::GitlabIncludeExternal,
            DiagnosticCode::GitlabIncludeNotFollowed,
            DiagnosticCode::GitlabIncludeExternal,
            DiagnosticCode::GitlabExtendsUnknown
        ]
    );
    assert!(l
        .diagnostics
        .iter()
        .all(|d| d.level == DiagnosticLevel::Note));
    let doc = l.document.unwrap();
    assert_eq!(doc.value["includes"][0]["type"], "project");
    assert_eq!(
        doc.value["jobs"]["build"]["extendsAll"],
        json!([".dso:custom-build"])
    );
}

/// A hidden job of the Cloud π Native catalogue resolves offline: the job inherits the known
/// template's variables and script, shown at its `extends`.
#[test]
fn catalogue_templates_resolve_offline() {
    let text = "include:\n  - project: $CATALOG_PATH\n    file: [kaniko-ci.yml]\nbuild:\n  extends: .kaniko:build-push\n  variables:\n    DOCKERFILE: api/Dockerfile\n";
    let l = load_text(text);
    let codes: Vec<DiagnosticCode> = l.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![DiagnosticCode::GitlabIncludeExternal]);
    let doc = l.document.unwrap();
    let job = &doc.value["jobs"]["build"];
    assert_eq!(job["variables"]["DOCKERFILE"], "api/Dockerfile");
    assert_eq!(job["variables"]["WORKING_DIR"], ".");
    let script = job["script"].as_array().unwrap();
    assert!(script
        .iter()
        .any(|l| l.as_str().unwrap_or("").contains("/kaniko/executor")));
    // The inherited nodes are shown at the job's `extends`.
    let (range, _, file) = doc
        .spans
        .locate_in(
            "/jobs/build/variables/WORKING_DIR",
            crate::source::LocateMode::Key,
        )
        .unwrap();
    assert!(file.is_none_or(|f| f.path() == doc.file.path()));
    assert_eq!(&text[range.start as usize..range.end as usize], "extends");
}

#[test]
fn local_includes_are_located_in_their_file() {
    let base = std::env::temp_dir().join(format!("cct-gitlab-{}", std::process::id()));
    std::fs::create_dir_all(base.join("ci")).unwrap();
    std::fs::create_dir_all(base.join("scripts")).unwrap();
    std::fs::write(
        base.join("ci/deploy.yml"),
        ".deploy:\n  script:\n    - ./scripts/deploy.sh prod\n",
    )
    .unwrap();
    std::fs::write(
        base.join("scripts/deploy.sh"),
        "#!/bin/sh\nset -e\nkubectl apply -f k8s/\n",
    )
    .unwrap();
    let text = "include:\n  - local: /ci/deploy.yml\n  - local: ../outside.yml\n  - ci/missing.yml\ndeploy:\n  extends: .deploy\n";
    std::fs::write(base.join(".gitlab-ci.yml"), text).unwrap();
    let file = SourceFile::new("repo/.gitlab-ci.yml", text);
    let files = crate::discover::discover(std::slice::from_ref(&base)).files_below(&base);
    let repository = Repository {
        dir: &base,
        files: &files,
    };
    let l = load(&file, Some(repository), &YamlLimits::default());
    let codes: Vec<DiagnosticCode> = l.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec!["gitlab-include-missing", "gitlab-include-missing"]
    );
    assert_eq!(l.included, vec!["repo/ci/deploy.yml"]);
    let doc = l.document.unwrap();
    // The hidden job owns its line and the script's; the job inherits them.
    let hidden = &doc.value["jobs"][".deploy"]["scriptLines"];
    assert_eq!(hidden[0]["inherited"], false);
    assert_eq!(hidden[1]["script"], "repo/scripts/deploy.sh");
    assert_eq!(hidden[2]["line"], "kubectl apply -f k8s/");
    assert_eq!(hidden[2]["inherited"], false);
    assert_eq!(
        doc.value["jobs"]["deploy"]["scriptLines"][2]["inherited"],
        true
    );
    assert_eq!(
        line_of(&doc, "/jobs/deploy/scriptLines/0/commands/0/program"),
        ("repo/ci/deploy.yml".into(), 3, 7)
    );
    assert_eq!(
        line_of(&doc, "/jobs/.deploy/scriptLines/2/commands/0/args/0"),
        ("repo/scripts/deploy.sh".into(), 3, 9)
    );
    assert_eq!(doc.value["repository"]["application"], false);
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn hostile_input_does_not_panic() {
    for text in [
        "a: !reference [a]\n",
        "a:\n  extends: a\n",
        "a:\n  extends: b\nb:\n  extends: a\n",
        "- 1\n- 2\n",
        "include: 3\njob: {script: 4}\n",
        "job:\n  script: [[[[[[[[[[[[[[[echo]]]]]]]]]]]]]]]\n",
        "job:\n  script: \"\\t\\u00e9 \\\"x\\\"\"\n",
    ] {
        let _ = load_text(text);
    }
    let l = load_text("a:\n  extends: b\nb:\n  extends: a\n  script: [x]\n");
    assert!(l
        .diagnostics
        .iter()
        .any(|d| d.code == "gitlab-extends-loop"));
}

#[test]
fn repository_facts_list_dockerfiles_and_coverage() {
    let base = std::env::temp_dir().join(format!("cct-gitlab-facts-{}", std::process::id()));
    for d in ["worker", "node_modules/x", ".devcontainer", "build/package"] {
        std::fs::create_dir_all(base.join(d)).unwrap();
    }
    for (path, text) in [
        ("worker/Dockerfile", "# syntax=docker/dockerfile:1\n\nFROM alpine:3.20\n"),
        ("build/package/api.Dockerfile", "from alpine:3.20 AS base\n"),
        ("node_modules/x/Dockerfile", "FROM node:22\n"),
        (".devcontainer/Dockerfile", "FROM node:22\n"),
        (
            "package.json",
            r#"{"scripts": {"e2e": "playwright test"}, "jest": {"coverageThreshold": {"global": {"lines": 90, "branches": 80}}}}"#,
        ),
        ("pyproject.toml", "[project]\nname = \"x\"\n\n[tool.coverage.report]\nfail_under = 95.5\n"),
        (
            "pom.xml",
            "<project><build><plugins><plugin><artifactId>jacoco-maven-plugin</artifactId>\n<minimum>0.75</minimum><minimum>1.0</minimum></plugin></plugins></build></project>\n",
        ),
    ] {
        std::fs::write(base.join(path), text).unwrap();
    }
    let text = "test:\n  script: [npm test]\n";
    std::fs::write(base.join(".gitlab-ci.yml"), text).unwrap();
    let file = SourceFile::new("repo/.gitlab-ci.yml", text);
    let files = crate::discover::discover(std::slice::from_ref(&base)).files_below(&base);
    let repository = Repository {
        dir: &base,
        files: &files,
    };
    let l = load(&file, Some(repository), &YamlLimits::default());
    let doc = l.document.unwrap();
    let repo = &doc.value["repository"];
    assert_eq!(
        repo["dockerfiles"],
        json!(["build/package/api.Dockerfile", "worker/Dockerfile"])
    );
    assert_eq!(repo["packageScripts"], json!({"e2e": "playwright test"}));
    assert_eq!(
        repo["coverage"],
        json!([
            {"file": "package.json", "tool": "jest", "minimum": 80},
            {"file": "pom.xml", "tool": "jacoco", "minimum": 75},
            {"file": "pyproject.toml", "tool": "coverage.py", "minimum": 95.5},
        ])
    );
    // Each fact is located in its own file: a Dockerfile at its FROM, a threshold at its value.
    assert_eq!(
        line_of(&doc, "/repository/dockerfiles/1"),
        ("repo/worker/Dockerfile".into(), 3, 1)
    );
    assert_eq!(
        line_of(&doc, "/repository/coverage/1"),
        ("repo/pom.xml".into(), 2, 1)
    );
    assert_eq!(
        line_of(&doc, "/repository/coverage/2"),
        ("repo/pyproject.toml".into(), 5, 1)
    );
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn example_module_example() {
    use crate::{gitlab, source::SourceFile, yaml::YamlLimits};
    let file = SourceFile::new(".gitlab-ci.yml", ".base:\n  image: alpine:3.20\n  script: [helm lint .]\ndeploy:\n  extends: .base\n  script:\n    - kubectl apply -f k8s/\n");
    let loaded = gitlab::load(&file, None, &YamlLimits::default());
    let doc = loaded.document.unwrap();
    let job = &doc.value["jobs"]["deploy"];
    assert_eq!(job["image"], "alpine:3.20");
    assert_eq!(job["scriptLines"][0]["commands"][0]["args"][0], "apply");
}

#[test]
fn a_script_word_ending_with_the_file_is_located_inside_it() {
    // Found by fuzzing: a block scalar at the very end of the file, its last word an open
    // quote: the value's final line break, which the file lacks, was located one byte past
    // the end of the file.
    let text = "deploy:\n  script:\n    - |\n      set -eu\n      for f in k8s/*.yaml; do kubectl erfile\"";
    let loaded = load_text(text);
    let doc = loaded.document.expect("a model");
    for (pointer, spans) in doc.spans.iter() {
        let r = spans.value;
        let len = spans.file.as_ref().map_or(text.len(), |f| f.text().len());
        assert!(
            r.start <= r.end && r.end as usize <= len,
            "{pointer}: {r:?}"
        );
    }
}
