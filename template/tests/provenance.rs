//! Provenance: output bytes map back to template text, value scalars or actions.

use cct_template::{ExecOptions, Origin, Rendered, TemplateSet, Value};

const VALUES: &str =
    "image:\n  tag: latest\n  repo: nginx\nreplicas: 3\nlabels:\n  app: web\n  tier: front\n";

fn values() -> Value {
    let v = cct_template::yaml::parse_values(VALUES, 7).unwrap();
    let mut top = std::collections::BTreeMap::new();
    top.insert("Values".to_string(), v);
    Value::map(top)
}

fn render(src: &str) -> (Rendered, TemplateSet) {
    let mut set = TemplateSet::new();
    set.add("t.yaml", src).unwrap();
    let r = set
        .execute("t.yaml", &values(), &ExecOptions::helm())
        .unwrap();
    (r, set)
}

/// The origin of the first output byte of `needle`.
fn origin_of(r: &Rendered, needle: &str) -> Origin {
    let at = r
        .text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {:?}", r.text));
    r.origin_at(at).unwrap().origin
}

fn value_span(needle: &str) -> Origin {
    let start = VALUES.find(needle).unwrap() as u32;
    Origin::Value {
        source: 7,
        start,
        end: start + needle.len() as u32,
    }
}

fn assert_covers(r: &Rendered) {
    let mut pos = 0;
    for s in &r.segments {
        assert_eq!(
            s.start, pos,
            "segments must be contiguous: {:?}",
            r.segments
        );
        assert!(s.end > s.start);
        pos = s.end;
    }
    assert_eq!(pos, r.text.len());
}

#[test]
fn template_text_is_byte_exact() {
    let (r, _) = render("kind: Pod\nname: {{ .Values.image.repo }}\n");
    assert_covers(&r);
    let (origin, src) = r.source_offset(6).unwrap();
    assert!(matches!(origin, Origin::Template { file: 0, .. }));
    assert_eq!(src, 6);
    let at = r.text.find("name").unwrap();
    assert_eq!(r.source_offset(at).unwrap().1, "kind: Pod\n".len());
}

#[test]
fn value_survives_functions() {
    let (r, _) = render(concat!(
        "a: {{ .Values.image.tag }}\n",
        "b: {{ .Values.image.tag | quote }}\n",
        "c: {{ .Values.nope | default .Values.image.repo }}\n",
        "d: {{ .Values.image.tag | upper | trim | nindent 2 }}\n",
        "e: {{ printf \"%s\" .Values.image.repo }}\n",
        "f: {{ .Values.replicas }}\n",
        "g: {{ list .Values.image.tag | first }}\n",
        "h: {{ dict \"k\" .Values.image.repo | toYaml }}\n",
        "i: {{ printf \"%s:%s\" .Values.image.repo .Values.image.tag }}\n",
    ));
    assert_covers(&r);
    let tag = value_span("latest");
    let repo = value_span("nginx");
    let lines: Vec<&str> = r.text.lines().collect();
    let line_start = |k: usize| lines[..k].iter().map(|l| l.len() + 1).sum::<usize>();
    assert_eq!(r.origin_at(line_start(0) + 3).unwrap().origin, tag);
    // quote: the quote characters come from the action, the content from the value
    assert_eq!(r.origin_at(line_start(1) + 4).unwrap().origin, tag);
    assert!(matches!(
        r.origin_at(line_start(1) + 3).unwrap().origin,
        Origin::Action { .. }
    ));
    assert_eq!(r.origin_at(line_start(2) + 3).unwrap().origin, repo);
    // nindent: "\n  LATEST" — the letters come from the value
    let d = r.text.find("LATEST").unwrap();
    assert_eq!(r.origin_at(d).unwrap().origin, tag);
    assert_eq!(
        r.origin_at(line_start(5) + 3).unwrap().origin,
        value_span("nginx")
    );
    let e = r.text.find("e: nginx").unwrap() + 3;
    assert_eq!(r.origin_at(e).unwrap().origin, repo);
    let f = r.text.find("f: 3").unwrap() + 3;
    assert_eq!(r.origin_at(f).unwrap().origin, value_span("3"));
    let g = r.text.find("g: latest").unwrap() + 3;
    assert_eq!(r.origin_at(g).unwrap().origin, tag);
    let h = r.text.find("h: k: nginx").unwrap();
    assert_eq!(r.origin_at(h + 6).unwrap().origin, repo);
    assert!(matches!(
        r.origin_at(h + 3).unwrap().origin,
        Origin::Action { .. }
    ));
    let i = r.text.find("i: nginx:latest").unwrap();
    assert_eq!(r.origin_at(i + 3).unwrap().origin, repo);
    assert_eq!(r.origin_at(i + 9).unwrap().origin, tag);
    // the ':' comes from the printf format literal in the template
    assert!(matches!(
        r.origin_at(i + 8).unwrap().origin,
        Origin::Template { .. }
    ));
}

#[test]
fn to_yaml_of_map_keeps_each_scalar() {
    let (r, _) = render("labels:\n{{ toYaml .Values.labels | indent 2 }}\n");
    assert_covers(&r);
    assert_eq!(origin_of(&r, "web"), value_span("web"));
    assert_eq!(origin_of(&r, "front"), value_span("front"));
    assert!(matches!(origin_of(&r, "tier"), Origin::Action { .. }));
}

#[test]
fn include_keeps_inner_origins() {
    let src = concat!(
        "{{- define \"img\" -}}\n",
        "image: {{ .Values.image.repo }}:{{ .Values.image.tag }}\n",
        "{{- end -}}\n",
        "spec:\n",
        "  {{- include \"img\" . | nindent 2 }}\n",
    );
    let (r, _) = render(src);
    assert_covers(&r);
    assert_eq!(r.text, "spec:\n  image: nginx:latest\n");
    assert_eq!(origin_of(&r, "nginx"), value_span("nginx"));
    assert_eq!(origin_of(&r, "latest"), value_span("latest"));
    // "image: " is literal text of the define body, byte-exact
    let at = r.text.find("image").unwrap();
    let (o, src_off) = r.source_offset(at).unwrap();
    assert!(matches!(o, Origin::Template { .. }));
    assert_eq!(&src[src_off..src_off + 6], "image:");
    // the indentation added by nindent comes from the outer action
    let (o, _) = r.source_offset(6).unwrap();
    assert!(matches!(o, Origin::Action { .. }));
}

#[test]
fn tpl_text_maps_to_the_value() {
    let values = "tplText: 'name-{{ .Values.image.repo }}'\nimage:\n  repo: nginx\n";
    let v = cct_template::yaml::parse_values(values, 3).unwrap();
    let mut top = std::collections::BTreeMap::new();
    top.insert("Values".to_string(), v);
    let mut set = TemplateSet::new();
    set.add("t", "x: {{ tpl .Values.tplText . }}").unwrap();
    let r = set
        .execute("t", &Value::map(top), &ExecOptions::helm())
        .unwrap();
    assert_eq!(r.text, "x: name-nginx");
    assert_covers(&r);
    let repo_start = values.find("nginx").unwrap() as u32;
    assert_eq!(
        origin_of(&r, "nginx"),
        Origin::Value {
            source: 3,
            start: repo_start,
            end: repo_start + 5
        }
    );
    // "name-" comes from the tplText scalar
    assert!(matches!(
        origin_of(&r, "name-"),
        Origin::Value { source: 3, .. }
    ));
}

#[test]
fn default_literal_maps_to_template() {
    let (r, _) = render("tag: {{ .Values.nope | default \"stable\" }}\n");
    let at = r.text.find("stable").unwrap();
    let (o, src) = r.source_offset(at).unwrap();
    assert!(matches!(o, Origin::Template { .. }));
    assert_eq!(src, "tag: {{ .Values.nope | default \"".len());
}

#[test]
fn helm_no_value_stripping_keeps_coverage() {
    let (r, _) = render("a: {{ .Values.nope }}|{{ .Values.image.tag }}|<no value>|\n");
    assert_eq!(r.text, "a: |latest||\n");
    assert_covers(&r);
    assert_eq!(origin_of(&r, "latest"), value_span("latest"));
    // include output keeps "<no value>" (Helm strips only the final output).
    let (r, _) = render("{{ define \"d\" }}{{ .Values.nope }}{{ end }}{{ include \"d\" . | len }}");
    assert_eq!(r.text, "10");
}

#[test]
fn encodings_keep_the_origin_of_their_input() {
    let (r, _) = render(concat!(
        "a: {{ .Values.image.tag | b64enc }}\n",
        "b: {{ randAlphaNum 8 | b64enc }}\n",
        "c: {{ .Values.image.repo | b64enc | b64dec }}\n",
    ));
    assert_covers(&r);
    let a = r.text.find("a: ").unwrap() + 3;
    assert_eq!(r.origin_at(a).unwrap().origin, value_span("latest"));
    // a generated string stays computed by the action
    let b = r.text.find("b: ").unwrap() + 3;
    assert!(matches!(
        r.origin_at(b).unwrap().origin,
        Origin::Action { .. }
    ));
    let c = r.text.find("c: nginx").unwrap() + 3;
    assert_eq!(r.origin_at(c).unwrap().origin, value_span("nginx"));
}
