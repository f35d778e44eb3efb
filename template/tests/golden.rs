//! Golden outputs produced by the reference Helm engine (v4.2.3) with `helm template`
//! on a scratch chart whose template is `golden/NAME.tpl` (values: `golden/values.yaml`).

use cct_template::{ExecOptions, TemplateSet, Value};

fn run(name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let tpl = std::fs::read_to_string(dir.join(format!("{name}.tpl"))).unwrap();
    let want = std::fs::read_to_string(dir.join(format!("{name}.out"))).unwrap();
    let values = std::fs::read_to_string(dir.join("values.yaml")).unwrap_or_default();
    let values = Value::from_yaml(&values).unwrap();
    let mut top = std::collections::BTreeMap::new();
    top.insert("Values".to_string(), values);
    let mut set = TemplateSet::new();
    set.add(name, &tpl).unwrap();
    let got = set
        .execute(name, &Value::map(top), &ExecOptions::helm())
        .unwrap()
        .text;
    // `helm template` strips trailing whitespace of the document.
    let got = format!("{}\n", got.trim_end());
    if got != want {
        for (g, w) in got.lines().zip(want.lines()) {
            if g != w {
                eprintln!("got : {g}\nwant: {w}\n");
            }
        }
        panic!("golden mismatch for {name}");
    }
}

#[test]
fn golden_toyaml() {
    run("toyaml");
}

#[test]
fn golden_basics() {
    run("basics");
}

#[test]
fn golden_basics2() {
    run("basics2");
}

#[test]
fn golden_basics3() {
    run("basics3");
}

#[test]
fn golden_to_yaml_pretty() {
    run("pretty");
}

#[test]
fn golden_basics4() {
    run("basics4");
}

#[test]
fn golden_toml() {
    run("toml");
}
