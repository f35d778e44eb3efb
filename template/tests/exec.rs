//! Go text/template semantics.

use cct_template::{ExecOptions, TemplateSet, Value};

fn data() -> Value {
    Value::from_json(
        r#"{"name":"world","n":3,"list":["a","b","c"],"m":{"b":2,"a":1},"empty":"","t":true,"f":false,"nested":{"x":{"y":"deep"}},"nul":null}"#,
    )
    .unwrap()
}

fn render(src: &str) -> String {
    render_with(src, &data())
}

fn render_with(src: &str, d: &Value) -> String {
    let mut set = TemplateSet::new();
    set.add("t", src).unwrap_or_else(|e| panic!("parse: {e}"));
    match set.execute("t", d, &ExecOptions::default()) {
        Ok(r) => r.text,
        Err(e) => panic!("exec: {e}"),
    }
}

fn exec_err(src: &str) -> String {
    let mut set = TemplateSet::new();
    set.add("t", src).unwrap_or_else(|e| panic!("parse: {e}"));
    set.execute("t", &data(), &ExecOptions::default())
        .map(|r| r.text)
        .expect_err("expected an error")
        .to_string()
}

fn parse_err(src: &str) -> String {
    let mut set = TemplateSet::new();
    set.add("t", src)
        .expect_err("expected a parse error")
        .to_string()
}

#[test]
fn text_and_fields() {
    assert_eq!(render("Hello {{ .name }}!"), "Hello world!");
    assert_eq!(render("{{ .nested.x.y }}"), "deep");
    assert_eq!(render("{{ .n }}"), "3");
    assert_eq!(render("{{ .missing }}"), "<no value>");
    assert_eq!(render("{{ .nul }}"), "<no value>");
    assert_eq!(render("{{ .list }}"), "[a b c]");
    assert_eq!(render("{{ .m }}"), "map[a:1 b:2]");
}

#[test]
fn trim_markers() {
    assert_eq!(render("a  \n {{- .name -}} \n  b"), "aworldb");
    assert_eq!(render("a {{- /* c */ -}} b"), "ab");
    assert_eq!(render("a {{/* c */}} b"), "a  b");
    assert_eq!(render("{{-3}}"), "-3");
    assert_eq!(render("x\n{{- if .t }}\ny{{ end }}"), "x\ny");
}

#[test]
fn if_else_with_range() {
    assert_eq!(render("{{ if .t }}T{{ else }}F{{ end }}"), "T");
    assert_eq!(
        render("{{ if .f }}T{{ else if .t }}E{{ else }}F{{ end }}"),
        "E"
    );
    assert_eq!(render("{{ with .nested.x }}{{ .y }}{{ end }}"), "deep");
    assert_eq!(
        render("{{ with .empty }}x{{ else with .name }}{{ . }}{{ end }}"),
        "world"
    );
    assert_eq!(render("{{ range .list }}{{ . }},{{ end }}"), "a,b,c,");
    assert_eq!(
        render("{{ range $i, $v := .list }}{{ $i }}={{ $v }} {{ end }}"),
        "0=a 1=b 2=c "
    );
    assert_eq!(
        render("{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}"),
        "a=1;b=2;"
    );
    assert_eq!(
        render("{{ range .missing }}x{{ else }}none{{ end }}"),
        "none"
    );
    assert_eq!(render("{{ range 3 }}{{ . }}{{ end }}"), "012");
    assert_eq!(
        render("{{ range .list }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}"),
        "ac"
    );
    assert_eq!(
        render("{{ range .list }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}"),
        "a"
    );
}

#[test]
fn variables_scoping() {
    assert_eq!(
        render("{{ $x := 1 }}{{ if .t }}{{ $x = 2 }}{{ end }}{{ $x }}"),
        "2"
    );
    assert_eq!(
        render("{{ $x := 1 }}{{ if .t }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}"),
        "21"
    );
    assert_eq!(
        render("{{ range .list }}{{ $.name }}{{ end }}"),
        "worldworldworld"
    );
    assert_eq!(render("{{ $v := .m }}{{ $v.a }}"), "1");
    assert_eq!(render("{{ if $x := .name }}{{ $x }}{{ end }}"), "world");
}

#[test]
fn define_template_block() {
    assert_eq!(
        render(r#"{{ define "a" }}[{{ . }}]{{ end }}{{ template "a" .name }}"#),
        "[world]"
    );
    assert_eq!(render(r#"{{ block "b" .n }}<{{ . }}>{{ end }}"#), "<3>");
}

#[test]
fn builtins() {
    assert_eq!(
        render("{{ and 1 0 2 }}|{{ or 0 \"\" 5 }}|{{ and 1 2 }}|{{ not .t }}"),
        "0|5|2|false"
    );
    assert_eq!(
        render("{{ eq 1 2 3 1 }}|{{ ne \"a\" \"b\" }}|{{ lt 1 2 }}|{{ ge 2.5 2.5 }}"),
        "true|true|true|true"
    );
    assert_eq!(render("{{ eq .missing \"x\" }}"), "false");
    assert_eq!(
        render("{{ index .list 1 }}{{ index .m \"b\" }}{{ index .nested \"x\" \"y\" }}"),
        "b2deep"
    );
    assert_eq!(render("{{ index .m \"zz\" }}"), "<no value>");
    assert_eq!(render("{{ len .list }}{{ len .name }}{{ len .m }}"), "352");
    assert_eq!(render("{{ print 1 2 \"a\" \"b\" 3 }}"), "1 2ab3");
    assert_eq!(render("{{ println 1 \"a\" }}"), "1 a\n");
    assert_eq!(
        render("{{ html \"<a href='x'>\" }}"),
        "&lt;a href=&#39;x&#39;&gt;"
    );
    assert_eq!(
        render("{{ js \"a'b\" }}|{{ urlquery \"a b&c\" }}"),
        "a\\'b|a+b%26c"
    );
    assert_eq!(
        render("{{ 1.0 }} {{ 1e6 }} {{ 3.14159 }} {{ 'a' }} {{ 0x10 }} {{ 1_000 }}"),
        "1 1e+06 3.14159 97 16 1000"
    );
    assert_eq!(render("{{ (index .list 0) }}{{ (.nested).x.y }}"), "adeep");
}

#[test]
fn printf_verbs() {
    assert_eq!(
        render(
            r#"{{ printf "%d %5.2f %q %x %v %s" 3 3.14159 "hi" "hi" (list 1 "a") (dict "a" 1) }}"#
        ),
        r#"3  3.14 "hi" 6869 [1 a] map[a:%!s(int=1)]"#
    );
    assert_eq!(
        render(
            r#"{{ printf "%-5s|%5s|%05d|%+d|%x|%X|%o|%b|%e|%g|%c|%U|%%" "ab" "cd" 42 5 255 255 8 5 1234.5678 0.00001 65 65 }}"#
        ),
        "ab   |   cd|00042|+5|ff|FF|10|101|1.234568e+03|1e-05|A|U+0041|%"
    );
    assert_eq!(
        render(
            r#"{{ printf "%d" }}|{{ printf "%d" "x" }}|{{ printf "%s" nil }}|{{ printf "%v" nil }}|{{ printf "%t" true }}"#
        ),
        "%!d(MISSING)|%!d(string=x)|%!s(<nil>)|<nil>|true"
    );
    assert_eq!(
        render(r#"{{ printf "%s" 1 2 }}"#),
        "%!s(int=1)%!(EXTRA int=2)"
    );
    assert_eq!(
        render(r#"{{ printf "%.3s|%8.3f|%-8.2f|" "abcdef" 3.14159 2.5 }}"#),
        "abc|   3.142|2.50    |"
    );
    assert_eq!(
        render(r#"{{ printf "%v %v %v" 1e21 123456789.0 0.000012 }}"#),
        "1e+21 1.23456789e+08 1.2e-05"
    );
    assert_eq!(
        render(r#"{{ printf "%T %T %T %T" 1 1.5 "s" .m }}"#),
        "int float64 string map[string]interface {}"
    );
}

#[test]
fn missing_and_nil_errors() {
    assert_eq!(
        exec_err("x: {{ .nested.a.b }}"),
        "template: t:1:13: executing \"t\" at <.nested.a.b>: nil pointer evaluating interface {}.b"
    );
    assert_eq!(
        exec_err("{{ eq .n 1 }}"),
        "template: t:1:3: executing \"t\" at <eq .n 1>: error calling eq: incompatible types for comparison: float64 and int"
    );
    assert_eq!(
        exec_err("{{ index .list 5 }}"),
        "template: t:1:3: executing \"t\" at <index .list 5>: error calling index: index out of range: 5"
    );
    assert_eq!(
        exec_err("{{ template \"nope\" }}"),
        "template: t:1:12: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" not defined"
    );
    assert_eq!(
        exec_err("{{ .missing | upper }}"),
        "template: t:1:14: executing \"t\" at <upper>: invalid value; expected string"
    );
    assert_eq!(
        exec_err("{{ .n | upper }}"),
        "template: t:1:8: executing \"t\" at <upper>: wrong type for value; expected string; got float64"
    );
}

#[test]
fn parse_errors() {
    assert_eq!(
        parse_err("a\n{{ end }}"),
        "template: t:2: unexpected {{end}}"
    );
    assert_eq!(parse_err("{{ if .x }}"), "template: t:1: unexpected EOF");
    assert_eq!(
        parse_err("{{ else }}"),
        "template: t:1: unexpected {{else}}"
    );
    assert_eq!(
        parse_err("{{ nofunc 1 }}"),
        "template: t:1: function \"nofunc\" not defined"
    );
    assert_eq!(
        parse_err("{{ $x }}"),
        "template: t:1: undefined variable \"$x\""
    );
    assert_eq!(
        parse_err("{{ break }}"),
        "template: t:1: {{break}} outside {{range}}"
    );
    assert_eq!(parse_err("{{ .x "), "template: t:1: unclosed action");
    assert_eq!(
        parse_err("{{ 3 | 4 }}"),
        "template: t:1: non executable command in pipeline stage 2"
    );
    assert_eq!(
        parse_err("{{ \"a }}"),
        "template: t:1: unterminated quoted string"
    );
    assert_eq!(
        parse_err("{{ ( .x }}"),
        "template: t:1: unclosed left paren"
    );
    assert_eq!(
        parse_err("{{ }}"),
        "template: t:1: missing value for command"
    );
}

#[test]
fn limits() {
    let mut set = TemplateSet::new();
    set.add(
        "t",
        r#"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}"#,
    )
    .unwrap();
    let e = set
        .execute("t", &Value::nil(), &ExecOptions::default())
        .unwrap_err();
    assert!(e.limit, "{e}");
    let mut opts = ExecOptions::default();
    opts.limits.max_steps = 1000;
    set.add("u", "{{ range 100000 }}x{{ end }}").unwrap();
    let e = set.execute("u", &Value::nil(), &opts).unwrap_err();
    assert!(e.to_string().contains("step limit"), "{e}");
    opts.limits.max_steps = u64::MAX;
    opts.limits.max_output = 100;
    let e = set.execute("u", &Value::nil(), &opts).unwrap_err();
    assert!(e.to_string().contains("output size"), "{e}");
}

#[test]
fn deep_nesting_is_bounded() {
    // Within the limit: parses and runs.
    let n = 150;
    let src = format!(
        "{}{}{}",
        "{{ if true }}".repeat(n),
        "x",
        "{{ end }}".repeat(n)
    );
    assert_eq!(render(&src), "x");
    let src = format!("{{{{ {}1{} }}}}", "(".repeat(n), ")".repeat(n));
    assert_eq!(render(&src), "1");
    // Beyond it: a parse error, not a stack overflow.
    let n = 5000;
    let src = format!(
        "{}{}{}",
        "{{ if true }}".repeat(n),
        "x",
        "{{ end }}".repeat(n)
    );
    assert!(parse_err(&src).contains("nesting deeper"));
    let src = format!("{{{{ {}1{} }}}}", "(".repeat(n), ")".repeat(n));
    assert!(parse_err(&src).contains("nesting deeper"));
}

#[test]
fn cyclic_maps_do_not_overflow() {
    let out =
        render(r#"{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ len (printf "%v" $d) | lt 0 }}"#);
    assert_eq!(out, "true");
}

#[test]
fn nesting_budget_is_enforced() {
    let mut set = TemplateSet::new();
    // 99 recursive template calls, each inside two nested ifs: within the default limits.
    set.add(
        "t",
        r#"{{ define "r" }}{{ if gt . 0 }}{{ if true }}{{ template "r" (sub . 1) }}{{ end }}{{ end }}{{ end }}{{ template "r" 98 }}"#,
    )
    .unwrap();
    set.execute("t", &Value::nil(), &ExecOptions::default())
        .unwrap();
    set.add("u", r#"{{ template "r" 400 }}"#).unwrap();
    let e = set
        .execute("u", &Value::nil(), &ExecOptions::default())
        .unwrap_err();
    assert!(e.limit, "{e}");
}

#[test]
fn function_coverage() {
    let names = cct_template::FuncMap::standard().names();
    let wanted = "include nindent dict quote toYaml and not printf or list eq default trimSuffix trunc empty tpl indent print ternary ne omit b64enc contains int hasKey append dig sha256sum coalesce semverCompare index mergeOverwrite join required toString fromYaml genSignedCert trim genCA fail gt replace upper kindIs until without len set has add deepCopy regexFind concat lower randAlphaNum mustMergeOverwrite trimAll mul sub pick merge get lookup b64dec squote regexReplaceAll int64 typeIs splitList lt uniq div add1 toJson regexMatch le now prepend hasSuffix first date float64 floor typeOf mustUniq mulf trimPrefix split mustMerge base htpasswd mod kindOf toPrettyJson keys splitn max fromYamlArray unset compact randAlpha last ge hasPrefix regexReplaceAllLiteral dateInZone deepEqual min cat randNumeric urlquery genPrivateKey sortAlpha mustToPrettyJson fromJson values tuple toRawJson atoi divf buildCustomCert slice semver randAscii substr shuffle reverse kebabcase urlParse mustRegexMatch regexSplit abbrev sha1sum camelcase untitle mustRegexReplaceAllLiteral mustRegexFind fromJsonArray mustToJson";
    let missing: Vec<&str> = wanted
        .split_whitespace()
        .filter(|w| !names.iter().any(|n| n == w))
        .collect();
    assert!(missing.is_empty(), "missing functions: {missing:?}");
}

#[test]
fn a_field_of_no_value_is_no_value_but_a_field_of_a_nil_interface_fails() {
    // A parenthesised pipeline's nil is no value: its fields are no value again.
    assert_eq!(render("{{ (.missing).a.b }}"), "<no value>");
    assert_eq!(render("{{ if (.missing).a }}y{{ else }}n{{ end }}"), "n");
    assert_eq!(render("{{ default 1 ((.missing).a) }}"), "1");
    assert_eq!(render("{{ $x := .missing }}{{ $x.a.b }}"), "<no value>");
    // A missing key, or a nil element, is a nil interface {}: its fields fail.
    assert!(exec_err("{{ .missing.a }}").ends_with("nil pointer evaluating interface {}.a"));
    assert!(
        exec_err("{{ (.nested).missing.a }}").ends_with("nil pointer evaluating interface {}.a")
    );
    let d = Value::from_json(r#"{"l":[null, 1]}"#).unwrap();
    let mut set = TemplateSet::new();
    set.add("t", "{{ range .l }}{{ .a }}{{ end }}").unwrap();
    let e = set.execute("t", &d, &ExecOptions::default()).unwrap_err();
    assert!(
        e.message.ends_with("nil pointer evaluating interface {}.a"),
        "{e}"
    );
    // Errors name the static type: an element is an interface {}, a pipeline's value is not.
    let d = Value::from_json(r#"{"l":[1]}"#).unwrap();
    set.add("u", "{{ range .l }}{{ .a }}{{ end }}").unwrap();
    let e = set.execute("u", &d, &ExecOptions::default()).unwrap_err();
    assert_eq!(e.message, "can't evaluate field a in type interface {}");
    set.add("w", "{{ with .l }}{{ (index . 0).a }}{{ end }}")
        .unwrap();
    let e = set.execute("w", &d, &ExecOptions::default()).unwrap_err();
    assert_eq!(e.message, "can't evaluate field a in type float64");
}

#[test]
fn typed_parameters_tell_no_value_from_a_nil_interface() {
    assert!(exec_err("{{ upper .missing }}")
        .ends_with("wrong type for value; expected string; got interface {}"));
    assert!(exec_err("{{ upper (.missing) }}").ends_with("invalid value; expected string"));
    assert!(exec_err("{{ .missing | upper }}").ends_with("invalid value; expected string"));
}
