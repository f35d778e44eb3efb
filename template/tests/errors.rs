//! Execution error messages, checked against the reference Helm v4.2.3 engine
//! (Helm v4 prints some of them split over lines; the underlying Go text is what is
//! asserted here).

use cct_template::{ExecOptions, TemplateSet, Value};

const NAME: &str = "c1/templates/t.yaml";

fn err(src: &str) -> String {
    let values = Value::from_yaml("replicas: 1\nstr: hello\nnested:\n  a: 1\n").unwrap();
    let mut top = std::collections::BTreeMap::new();
    top.insert("Values".to_string(), values);
    let mut set = TemplateSet::new();
    set.add(NAME, src).unwrap();
    set.execute(NAME, &Value::map(top), &ExecOptions::helm())
        .expect_err("expected an error")
        .to_string()
}

fn at(lc: &str, ctx: &str, msg: &str) -> String {
    format!("template: {NAME}:{lc}: executing \"{NAME}\" at <{ctx}>: {msg}")
}

#[test]
fn helm_error_messages() {
    assert_eq!(
        err(r#"{{ tpl "{{ .Values.a.b }}" . }}"#),
        at("1:3", r#"tpl "{{ .Values.a.b }}" ."#, "error calling tpl: error during tpl function execution for \"{{ .Values.a.b }}\": template: gotpl:1:10: executing \"gotpl\" at <.Values.a.b>: nil pointer evaluating interface {}.b")
    );
    assert_eq!(
        err(r#"{{ include "x" . }}{{ define "x" }}{{ .Values.a.b }}{{ end }}"#),
        at("1:3", r#"include "x" ."#, &format!("error calling include: template: {NAME}:1:45: executing \"x\" at <.Values.a.b>: nil pointer evaluating interface {{}}.b"))
    );
    assert_eq!(
        err("{{ upper 3 }}"),
        at("1:9", "3", "expected string; found 3")
    );
    assert_eq!(
        err(r#"{{ .Values.str | indent "x" }}"#),
        at("1:24", "\"x\"", "expected integer; found \"x\"")
    );
    assert_eq!(
        err(r#"{{ index .Values.nope "x" }}"#),
        at(
            "1:3",
            r#"index .Values.nope "x""#,
            "error calling index: index of untyped nil"
        )
    );
    assert_eq!(
        err("{{ len .Values.nope }}"),
        at(
            "1:3",
            "len .Values.nope",
            "error calling len: len of nil pointer"
        )
    );
    assert_eq!(
        err("{{ range .Values.str }}{{ end }}"),
        at("1:16", ".Values.str", "range can't iterate over hello")
    );
    assert_eq!(
        err("{{ .Values.str.foo }}"),
        at(
            "1:10",
            ".Values.str.foo",
            "can't evaluate field foo in type interface {}"
        )
    );
    assert_eq!(
        err(r#"{{ template "nope" }}"#),
        at(
            "1:12",
            r#"{{template "nope"}}"#,
            "template \"nope\" not defined"
        )
    );
    assert_eq!(
        err("{{ $x := 1 }}{{ $x.foo }}"),
        at("1:18", "$x.foo", "can't evaluate field foo in type int")
    );
    assert_eq!(err("{{ nil }}"), at("1:3", "nil", "nil is not a command"));
    assert_eq!(
        err("{{ .Values.replicas 1 }}"),
        at(
            "1:10",
            ".Values.replicas",
            "replicas is not a method but has arguments"
        )
    );
    assert_eq!(
        err(r#"{{ "a" 1 }}"#),
        at("1:3", "\"a\"", "can't give argument to non-function \"a\"")
    );
    assert_eq!(
        err("{{ add1 }}"),
        at("1:3", "add1", "wrong number of args for add1: want 1 got 0")
    );
    assert_eq!(
        err("{{ add1 1 2 }}"),
        at("1:3", "add1", "wrong number of args for add1: want 1 got 2")
    );
    assert_eq!(
        err("{{ printf }}"),
        at(
            "1:3",
            "printf",
            "wrong number of args for printf: want at least 1 got 0"
        )
    );
    assert_eq!(
        err("{{ and }}"),
        at(
            "1:3",
            "and",
            "wrong number of args for and: want at least 1 got 0"
        )
    );
    assert_eq!(
        err(r#"{{ lt 1 "a" }}"#),
        at(
            "1:3",
            r#"lt 1 "a""#,
            "error calling lt: incompatible types for comparison: int and string"
        )
    );
    assert_eq!(
        err("{{ eq (list 1) (list 1) }}"),
        at(
            "1:3",
            "eq (list 1) (list 1)",
            "error calling eq: non-comparable type [%!s(int=1)]: []interface {}"
        )
    );
    assert_eq!(
        err("{{ div 1 0 }}"),
        at(
            "1:3",
            "div 1 0",
            "error calling div: runtime error: integer divide by zero"
        )
    );
    assert_eq!(
        err(r#"{{ semverCompare "bad" "1.0.0" }}"#),
        at(
            "1:3",
            r#"semverCompare "bad" "1.0.0""#,
            "error calling semverCompare: improper constraint: \"bad\""
        )
    );
    assert_eq!(
        err(r#"{{ semverCompare ">1" "x" }}"#),
        at(
            "1:3",
            r#"semverCompare ">1" "x""#,
            "error calling semverCompare: invalid semantic version"
        )
    );
    assert_eq!(err(r#"{{ regexFind "(" "a" }}"#), at("1:3", r#"regexFind "(" "a""#, "error calling regexFind: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"));
    assert_eq!(
        err(r#"{{ mustRegexMatch "(" "a" }}"#),
        at(
            "1:3",
            r#"mustRegexMatch "(" "a""#,
            "error calling mustRegexMatch: error parsing regexp: missing closing ): `(`"
        )
    );
    assert_eq!(
        err("{{ range $i, $v := 3 }}{{ end }}"),
        at(
            "1:19",
            "3",
            "can't use 3 to iterate over more than one variable"
        )
    );
    assert_eq!(
        err("{{ range 1.5 }}{{ end }}"),
        at("1:9", "1.5", "range can't iterate over 1.5")
    );
    assert_eq!(
        err(r#"{{ fail "boom" }}"#),
        at("1:3", r#"fail "boom""#, "error calling fail: boom")
    );
    assert_eq!(
        err("{{ eq .Values.replicas 1 }}"),
        at(
            "1:3",
            "eq .Values.replicas 1",
            "error calling eq: incompatible types for comparison: float64 and int"
        )
    );
}

#[test]
fn regex_match_swallows_errors() {
    let mut set = TemplateSet::new();
    set.add("t", r#"{{ regexMatch "(" "a" }}"#).unwrap();
    let r = set
        .execute("t", &Value::nil(), &ExecOptions::default())
        .unwrap();
    assert_eq!(r.text, "false");
}

#[test]
fn dig_through_non_map_fails_like_sprig() {
    assert_eq!(
        err(r#"{{ dig "a" "b" "dflt" (dict "a" "notmap") }}"#),
        at("1:3", r#"dig "a" "b" "dflt" (dict "a" "notmap")"#, "error calling dig: interface conversion: interface {} is string, not map[string]interface {}")
    );
}
