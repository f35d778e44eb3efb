//! YAML/JSON reading and writing.

use cct_template::{Kind, Origin, Value};

#[test]
fn from_yaml_helm_semantics() {
    let v = Value::from_yaml(
        "a: 1\nb: 1.5\nc: yes\nd: ~\ne: '1'\nf: 2021-01-01\ng: [1, x]\nh: &anc {k: v}\ni: *anc\nj:\n  <<: *anc\n  z: 1\n1: int-key\ntrue: bool-key\n",
    )
    .unwrap();
    let m = v.as_map().unwrap();
    assert!(matches!(m["a"].kind(), Kind::Float(f) if *f == 1.0));
    assert!(matches!(m["b"].kind(), Kind::Float(f) if *f == 1.5));
    assert!(matches!(m["c"].kind(), Kind::Bool(true)));
    assert!(m["d"].is_nil());
    assert_eq!(m["e"].as_str(), Some("1"));
    assert_eq!(m["f"].as_str(), Some("2021-01-01"));
    assert_eq!(m["g"].as_list().unwrap().len(), 2);
    assert_eq!(m["i"].as_map().unwrap()["k"].as_str(), Some("v"));
    let j = m["j"].as_map().unwrap();
    assert_eq!(j["k"].as_str(), Some("v"));
    assert!(m.contains_key("1") && m.contains_key("true"));
}

#[test]
fn yaml_1_1_keys_like_helm() {
    // Checked against Helm v4.2.3: {"1.5":9,"16":10,"false":3,"true":6}
    let v = Value::from_yaml("n: 3\ny: 4\non: 5\nyes: 6\n1.5: 9\n0x10: 10\n").unwrap();
    assert_eq!(
        v.to_json().unwrap(),
        r#"{"1.5":9,"16":10,"false":3,"true":6}"#
    );
    let e = Value::from_yaml("null: 7\n").unwrap_err().to_string();
    assert!(
        e.ends_with("unsupported map key of type: %!s(<nil>), key: <nil>, value: 7"),
        "{e}"
    );
}

#[test]
fn scalars_resolve_as_go_yaml_v2() {
    // Written plain because go-yaml v2 resolves them as strings, or quoted because it does not.
    for (s, out) in [
        ("<<", "<<\n"),
        ("1e400", "1e400\n"),
        ("0b-101", "\"0b-101\"\n"),
        ("2001-12-14 21:59:43,5", "\"2001-12-14 21:59:43,5\"\n"),
        ("2001-12-14T21:59:43+25:00", "2001-12-14T21:59:43+25:00\n"),
    ] {
        assert_eq!(Value::str(s).to_yaml().unwrap(), out, "{s}");
    }
    let v = Value::from_yaml("a: 1e400\nb: .5_0\nc: 0b-101\nd: 0o17\n").unwrap();
    let m = v.as_map().unwrap();
    assert_eq!(m["a"].as_str(), Some("1e400"));
    assert!(matches!(m["b"].kind(), Kind::Float(f) if *f == 0.5));
    assert!(matches!(m["c"].kind(), Kind::Float(f) if *f == -5.0));
    assert!(matches!(m["d"].kind(), Kind::Float(f) if *f == 15.0));
}

#[test]
fn from_yaml_empty_and_errors() {
    assert!(Value::from_yaml("").unwrap().is_nil());
    assert!(Value::from_yaml("a: [1").is_err());
    // Only the first document is read.
    let v = Value::from_yaml("a: 1\n---\nb: 2\n").unwrap();
    assert!(v.as_map().unwrap().contains_key("a"));
}

#[test]
fn parse_values_spans() {
    let text = "image:\n  tag: \"1.0\"\n  pull: Always\nnum: 3\n";
    let v = cct_template::yaml::parse_values(text, 5).unwrap();
    let m = v.as_map().unwrap();
    let image = m["image"].as_map().unwrap();
    let Origin::Value { source, start, end } = image["pull"].origin().unwrap() else {
        panic!()
    };
    assert_eq!(source, 5);
    assert_eq!(&text[start as usize..end as usize], "Always");
    let Origin::Value { start, end, .. } = m["num"].origin().unwrap() else {
        panic!()
    };
    assert_eq!(&text[start as usize..end as usize], "3");
    let Origin::Value { start, end, .. } = image["tag"].origin().unwrap() else {
        panic!()
    };
    assert!(text[start as usize..end as usize].contains("1.0"));
}

#[test]
fn json_round_trip() {
    let v = Value::from_json(r#"{"b":[1,2.5,"x\u00e9",null,true],"a":{"<":">"}}"#).unwrap();
    assert_eq!(
        v.to_json().unwrap(),
        r#"{"a":{"\u003c":"\u003e"},"b":[1,2.5,"xé",null,true]}"#
    );
    assert!(Value::from_json("{").is_err());
    assert!(Value::from_json("[1] x").is_err());
}

#[test]
fn to_yaml_basics() {
    let v = Value::from_json(r#"{"b":[1,{"c":"d"}],"a":"","e":{},"f":"multi\nline"}"#).unwrap();
    assert_eq!(
        v.to_yaml().unwrap(),
        "a: \"\"\nb:\n- 1\n- c: d\ne: {}\nf: |-\n  multi\n  line\n"
    );
    assert_eq!(Value::nil().to_yaml().unwrap(), "null\n");
    assert_eq!(Value::str("x").to_yaml().unwrap(), "x\n");
}

#[test]
fn maps_are_shared_references() {
    let m = Value::from_json(r#"{"a":1}"#).unwrap();
    let alias = m.clone();
    assert!(alias.set("b", Value::str("x")));
    assert_eq!(
        m.get("b")
            .and_then(|v| v.as_str().map(String::from))
            .as_deref(),
        Some("x")
    );
    assert!(!Value::str("s").set("k", Value::nil()));
}

#[test]
fn to_date_does_not_panic_on_odd_input() {
    let mut set = cct_template::TemplateSet::new();
    set.add(
        "t",
        r#"{{ toDate "2006-01-02T15:04:05Z07:00" "2020-01-02T10:00:0é" | unixEpoch }}"#,
    )
    .unwrap();
    assert!(set
        .execute("t", &Value::nil(), &cct_template::ExecOptions::default())
        .is_ok());
}
