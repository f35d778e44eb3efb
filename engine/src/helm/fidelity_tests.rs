//! Go `text/template` evaluation rules as Helm applies them, case by case, against the real
//! Helm engine.
//!
//! `engine/tests/helm/fidelity/cases.yaml` lists the cases (pipelines, interface values, nil,
//! missing keys under `missingkey=zero`, method and function calls on nil, comparison of mixed
//! kinds); `golden.json` beside it holds what the reference Helm (v4.2.3) printed for each, or
//! its error message, made by `make-golden.py`. Each case is rendered here as a chart of its
//! own and must print the same body, or fail with the same message.

use std::path::Path;

use super::load::{load_files, RawFile};
use super::{render_loaded, LoadLimits, MissingDependencies, RenderOptions, UserValues};
use crate::source::SourceFile;
use crate::yaml::{self, YamlLimits};
use serde_json::Value as J;

fn data_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/helm/fidelity")
}

fn cases() -> (String, Vec<J>) {
    let path = data_dir().join("cases.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let file = SourceFile::new("cases.yaml", text);
    let stream = yaml::parse(&file, &YamlLimits::default());
    let doc = &stream.documents[0].value;
    let values = doc["values"].as_str().unwrap().to_string();
    (values, doc["cases"].as_array().unwrap().clone())
}

/// What Helm printed for the case's template (its body), or its error message.
fn render_case(values: &str, case: &J) -> Result<String, String> {
    let mut files = vec![
        RawFile {
            name: "Chart.yaml".into(),
            data: b"apiVersion: v2\nname: fidelity\nversion: 0.1.0\n".to_vec(),
        },
        RawFile {
            name: "values.yaml".into(),
            data: values.as_bytes().to_vec(),
        },
        RawFile {
            name: "templates/case.yaml".into(),
            data: case["template"].as_str().unwrap().as_bytes().to_vec(),
        },
    ];
    if let Some(h) = case["helpers"].as_str() {
        files.push(RawFile {
            name: "templates/_helpers.tpl".into(),
            data: h.as_bytes().to_vec(),
        });
    }
    let chart = load_files(files, "fidelity", &LoadLimits::default(), 0).unwrap();
    let opts = RenderOptions {
        release_name: "rel".into(),
        missing_dependencies: MissingDependencies::Error,
        ..RenderOptions::default()
    };
    let rendered = render_loaded(&chart, &UserValues::default(), &opts).map_err(|e| e.message)?;
    let header = "# Source: fidelity/templates/case.yaml\n";
    Ok(match rendered.manifest.find(header) {
        Some(at) => rendered.manifest[at + header.len()..]
            .trim_end_matches('\n')
            .to_string(),
        None => String::new(),
    })
}

#[test]
fn template_evaluation_rules_match_helm() {
    let (values, cases) = cases();
    let golden: J =
        serde_json::from_str(&std::fs::read_to_string(data_dir().join("golden.json")).unwrap())
            .unwrap();
    let mut problems = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let Some(want) = golden.get(name) else {
            problems.push(format!("{name}: no golden output (run make-golden.py)"));
            continue;
        };
        let got = render_case(&values, case);
        let ok = match (&got, want.get("output"), want.get("error")) {
            (Ok(out), Some(w), _) => w.as_str() == Some(out.as_str()),
            (Err(err), _, Some(w)) => w.as_str() == Some(err.as_str()),
            _ => false,
        };
        if !ok {
            problems.push(format!("{name}:\n  ours: {got:?}\n  helm: {want}"));
        }
    }
    assert!(problems.len() < cases.len(), "no case ran");
    assert!(
        problems.is_empty(),
        "{} of {} cases differ from Helm:\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n")
    );
}

/// What `.Files.Get` reads points into the file it was read from, through `.Files.Glob` too.
#[test]
fn files_get_content_points_into_its_file() {
    let files = vec![
        RawFile {
            name: "Chart.yaml".into(),
            data: b"apiVersion: v2\nname: files\nversion: 0.1.0\n".to_vec(),
        },
        RawFile {
            name: "conf/app.ini".into(),
            data: b"mode=privileged".to_vec(),
        },
        RawFile {
            name: "templates/cm.yaml".into(),
            data: b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: {{ .Files.Get \"conf/app.ini\" | quote }}\n  b: {{ (.Files.Glob \"conf/*\").Get \"conf/app.ini\" }}\n".to_vec(),
        },
    ];
    let chart = load_files(files, "charts/files", &LoadLimits::default(), 0).unwrap();
    let rendered =
        render_loaded(&chart, &UserValues::default(), &RenderOptions::default()).unwrap();
    for key in ["  a: ", "  b: "] {
        let at = rendered.manifest.find(key).unwrap() + key.len();
        let value = rendered.manifest[at..].find("mode").unwrap() + at;
        let map = &rendered.provenance;
        let seg = map
            .segments
            .iter()
            .find(|s| (s.start as usize) <= value && value < s.end as usize)
            .unwrap();
        let crate::source::ByteOrigin::Value { file, .. } = seg.origin else {
            panic!("{key}: {:?}", seg.origin);
        };
        assert_eq!(
            map.files[file as usize].path(),
            "charts/files/conf/app.ini",
            "{key}"
        );
    }
}
