use super::*;
use crate::source::LocateMode;

fn load(text: &str) -> (Arc<SourceFile>, YamlStream) {
    let file = SourceFile::new("t.yaml", text);
    let stream = parse(&file, &YamlLimits::default());
    (file, stream)
}

fn line_col(file: &SourceFile, r: ByteRange) -> (u32, u32) {
    let lc = file.line_col(r.start);
    (lc.line, lc.column)
}

#[test]
fn keys_and_values_keep_their_spans() {
    let (file, s) = load("a:\n  b: 1\n  c:\n  - name: x\n    v: [1, 2]\n");
    let d = &s.documents[0];
    let b = d.spans.get("/a/b").unwrap();
    assert_eq!(line_col(&file, b.key.unwrap()), (2, 3));
    assert_eq!(line_col(&file, b.value), (2, 6));
    let item = d.spans.locate("/a/c/0/missing", LocateMode::Key).unwrap();
    assert_eq!(line_col(&file, item.0), (4, 5));
    let v1 = d.spans.get("/a/c/0/v/1").unwrap();
    assert_eq!(line_col(&file, v1.value), (5, 12));
}

#[test]
fn syntax_error_is_a_diagnostic_and_other_documents_survive() {
    let (_file, s) = load("a: 1\n---\nb: \"unclosed\n---\nc: 3\n");
    assert_eq!(s.documents.len(), 2, "{:?}", s.diagnostics);
    assert_eq!(s.documents[1].value["c"], 3);
    assert_eq!(s.diagnostics.len(), 1);
    assert_eq!(s.diagnostics[0].code, "yaml-syntax");
    assert_eq!(s.diagnostics[0].location.as_ref().unwrap().start.line, 3);
}

#[test]
fn duplicate_keys_are_reported_and_last_wins() {
    let (_f, s) = load("a: 1\na: 2\n");
    assert_eq!(s.documents[0].value["a"], 2);
    assert_eq!(s.diagnostics[0].code, "yaml-duplicate-key");
    assert_eq!(s.diagnostics[0].location.as_ref().unwrap().start.line, 2);
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let text = "base: &b\n  x: 1\n  z: 2\nuse:\n  <<: *b\n  z: 3\nref: *b\n";
    let (file, s) = load(text);
    let d = &s.documents[0];
    assert_eq!(d.value["use"], serde_json::json!({"z": 3, "x": 1}));
    assert_eq!(d.value["ref"]["x"], 1);
    // A merged key is located at its definition, and knows the alias it came through.
    let x = d.spans.get("/use/x").unwrap();
    assert_eq!(line_col(&file, x.key.unwrap()), (2, 3));
    assert_eq!(line_col(&file, x.related.unwrap()), (5, 7));
    // The aliased node itself, as a value, is reported at the alias.
    let r = d.spans.locate("/ref", LocateMode::Value).unwrap();
    assert_eq!(line_col(&file, r.0), (7, 6));
}

#[test]
fn alias_bomb_is_bounded() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let file = SourceFile::new("bomb.yaml", text);
    let s = parse(&file, &YamlLimits::default());
    assert!(s.documents.is_empty());
    assert!(s.diagnostics.iter().any(|d| d.code == "yaml-alias-budget"));
}

#[test]
fn comments_are_collected() {
    let (file, s) = load("a: 1 # expect: 4 [X]\n# above\nb: 2\n");
    assert_eq!(s.comments.len(), 2);
    assert_eq!(s.comments[0].text, " expect: 4 [X]");
    assert_eq!(line_col(&file, s.comments[1].range), (2, 1));
}

#[test]
fn non_string_keys_are_stringified() {
    // As sigs.k8s.io/yaml reads them: `y` is a YAML 1.1 boolean.
    let (_f, s) = load("80: http\ntrue: x\ny: 1\n");
    assert_eq!(s.documents[0].value["true"], 1);
    assert_eq!(s.documents[0].value["80"], "http");
}

#[test]
fn block_scalars_start_at_their_indicator() {
    let (file, s) = load("a:\n  k: |- # note\n    text\n    more\n");
    let k = s.documents[0].spans.get("/a/k").unwrap();
    assert_eq!(line_col(&file, k.value), (2, 6));
    assert_eq!(s.documents[0].value["a"]["k"], "text\nmore");
}

#[test]
fn an_empty_value_is_located_at_its_key() {
    let (file, s) = load("metadata:\n  labels:\n  name: x\n");
    let d = &s.documents[0];
    assert!(d.value["metadata"]["labels"].is_null());
    let l = d.spans.get("/metadata/labels").unwrap();
    assert_eq!(line_col(&file, l.value), (2, 3));
}

#[test]
fn application_tags_of_sequences_are_kept() {
    let file = SourceFile::new(
        "c.yml",
        "a:\n  script:\n    - !reference [.setup, script]\n    - echo\nb: !reference [x, z]\n",
    );
    let s = parse(&file, &YamlLimits::default());
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    let tags: Vec<(usize, &str, &str)> = s
        .tags
        .iter()
        .map(|(d, p, t)| (*d, p.as_str(), t.as_str()))
        .collect();
    assert_eq!(
        tags,
        vec![(0, "/a/script/0", "!reference"), (0, "/b", "!reference")]
    );
    assert_eq!(s.documents[0].value["b"], serde_json::json!(["x", "z"]));
}
