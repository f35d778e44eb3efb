//! Templates that tried to exhaust memory or time within the step limit (the six findings
//! of fuzzing, `fuzz/findings/README.md`): each now stops at a limit, with a limit error,
//! in a fraction of a second; and what normal charts do with the same functions still works.

use std::time::{Duration, Instant};

use cct_template::{ExecError, ExecOptions, TemplateSet, Value};

/// Far more than any of these takes once bounded (a debug build on a loaded machine); far
/// less than any took before.
const QUICK: Duration = Duration::from_secs(20);

fn run(src: &str, opts: &ExecOptions) -> Result<String, ExecError> {
    let mut set = TemplateSet::new();
    set.add("t", src).unwrap_or_else(|e| panic!("parse: {e}"));
    set.execute("t", &Value::nil(), opts).map(|r| r.text)
}

/// Runs `src` with Helm's options; it must fail on a limit, quickly, with `message`.
fn stops_at_a_limit(src: &str, opts: &ExecOptions, message: &str) {
    let start = Instant::now();
    let e = run(src, opts).expect_err("a limit error");
    assert!(e.limit, "not a limit error: {e}");
    assert!(e.to_string().contains(message), "{e}");
    assert!(start.elapsed() < QUICK, "took {:?}", start.elapsed());
}

#[test]
fn template_memory_list_doubling() {
    stops_at_a_limit(
        "{{- $l := list 1 }}{{ range until 40 }}{{ $l = concat $l $l }}{{ end }}{{ len $l }}",
        &ExecOptions::helm(),
        "value size limit exceeded",
    );
}

#[test]
fn template_memory_string_doubling() {
    for f in [
        "print $s $s",
        "cat $s $s",
        "printf \"%s%s\" $s $s",
        "list $s $s | join \"\"",
    ] {
        stops_at_a_limit(
            &format!(
                "{{{{- $s := \"ab\" }}}}{{{{ range until 40 }}}}{{{{ $s = {f} }}}}{{{{ end }}}}{{{{ len $s }}}}"
            ),
            &ExecOptions::helm(),
            "limit exceeded",
        );
    }
}

#[test]
fn template_memory_shared_map_serialised() {
    for f in [
        "toJson $d",
        "toYaml $d",
        "deepCopy $d",
        "printf \"%v\" $d",
        "toString $d",
        "$d",
    ] {
        stops_at_a_limit(
            &format!(
                "{{{{- $d := dict }}}}{{{{ range until 40 }}}}{{{{ $d = dict \"a\" $d \"b\" $d }}}}{{{{ end }}}}{{{{ {f} }}}}"
            ),
            &ExecOptions::helm(),
            "value size limit exceeded",
        );
    }
}

#[test]
fn template_time_shared_map_compared() {
    stops_at_a_limit(
        "{{- $d := dict }}{{- $e := dict }}{{ range until 40 }}{{ $d = dict \"a\" $d \"b\" $d }}\
         {{ $e = dict \"a\" $e \"b\" $e }}{{ end }}{{ eq $d $e }}",
        &ExecOptions::helm(),
        "value size limit exceeded",
    );
}

#[test]
fn template_time_uniq_quadratic() {
    // Linear now: 300,000 items in one call, well within the limits.
    let start = Instant::now();
    let out = run("{{ until 300000 | uniq | len }}", &ExecOptions::helm()).expect("runs");
    assert_eq!(out, "300000");
    assert!(start.elapsed() < QUICK, "took {:?}", start.elapsed());
    // Deep equality as before: maps and lists by content, types exactly, -0.0 = 0.0.
    let out = run(
        "{{ list 1 1 \"1\" (list 1) (list 1) (dict \"a\" 1) (dict \"a\" 1) (dict \"a\" 2) 0.0 -0.0 \
         (int64 1) true true nil nil | uniq }}",
        &ExecOptions::helm(),
    )
    .expect("runs");
    assert_eq!(out, "[1 1 [1] map[a:1] map[a:2] 0 1 true <nil>]");
}

#[test]
fn template_time_rsa_keys() {
    // An RSA 4096 key costs millions of steps: a loop of them meets the step limit.
    let mut opts = ExecOptions::helm();
    opts.limits.max_steps = 5_000_000;
    stops_at_a_limit(
        "{{ range until 1000 }}{{ genPrivateKey \"rsa\" | len }}{{ end }}",
        &opts,
        "step limit exceeded",
    );
    stops_at_a_limit(
        "{{ range until 1000 }}{{ genCA \"ca\" 365 | len }}{{ end }}",
        &opts,
        "step limit exceeded",
    );
    // Cheap keys stay cheap.
    let out = run(
        "{{ range until 20 }}{{ if genPrivateKey \"ecdsa\" }}k{{ end }}{{ end }}",
        &ExecOptions::helm(),
    )
    .expect("runs");
    assert_eq!(out, "k".repeat(20));
}

#[test]
fn the_value_size_limit_is_configurable() {
    let src =
        "{{ $m := dict }}{{ range until 100 }}{{ $_ := set $m (print .) (repeat 100 \"x\") }}\
               {{ end }}{{ toJson $m | len }}";
    assert_eq!(run(src, &ExecOptions::helm()).expect("runs"), "10791");
    let mut opts = ExecOptions::helm();
    opts.limits.max_value_size = 4096;
    stops_at_a_limit(src, &opts, "value size limit exceeded (4096 bytes)");
}

#[test]
fn strings_that_multiply_their_input_fail_before_allocating() {
    for src in [
        "{{ $s := repeat 1000000 \"\\n\" }}{{ indent 65536 $s | len }}",
        "{{ $s := repeat 1000000 \"x\" }}{{ replace \"\" (repeat 1000 \"y\") $s | len }}",
        "{{ $s := repeat 1000000 \"x\" }}{{ join $s (until 1000) | len }}",
    ] {
        let e = run(src, &ExecOptions::helm()).expect_err("an error");
        assert!(e.to_string().contains("output too large"), "{e}");
    }
}

#[test]
fn values_of_normal_charts_are_well_within_the_limits() {
    let src = "{{ $v := dict }}{{ range until 2000 }}{{ $_ := set $v (printf \"k%d\" .) \
               (dict \"image\" \"nginx\" \"ports\" (list 80 443)) }}{{ end }}\
               {{ $y := toYaml $v }}{{ $j := toJson $v }}{{ deepEqual (deepCopy $v) $v }} {{ len $y }}";
    let out = run(src, &ExecOptions::helm()).expect("runs");
    assert!(out.starts_with("true "), "{out}");
}
