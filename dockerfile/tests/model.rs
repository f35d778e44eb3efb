use cct_dockerfile::*;
use serde_json::json;

fn model(text: &str) -> (Parsed, serde_json::Value, SpanTable) {
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let (m, t) = p.dockerfile.model();
    (p, m, t)
}

fn at<'a>(p: &'a Parsed, t: &SpanTable, ptr: &str) -> &'a str {
    let s = t.get(ptr).unwrap_or_else(|| panic!("no span for {ptr}"));
    &p.dockerfile.source[s.value.clone()]
}

const MULTI: &str = "# syntax=docker/dockerfile:1\n\
ARG GO_VERSION=1.22\n\
ARG BASE\n\
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build\n\
ARG GO_VERSION\n\
ENV CGO_ENABLED=0 API_TOKEN=\"x y\"\n\
RUN apk add --no-cache git make \\\n    && go build -o /out/app .\n\
FROM build AS test\n\
RUN go test ./...\n\
FROM gcr.io/distroless/static-debian12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n\
COPY --from=build --chown=1001:0 --chmod=g=u /out/app /app\n\
EXPOSE 8080 443/tcp\n\
USER ${UID:-1001}:0\n\
HEALTHCHECK CMD [\"/app\", \"health\"]\n\
ENTRYPOINT [\"/app\"]\n";

#[test]
fn stages_and_from() {
    let (p, m, t) = model(MULTI);
    assert_eq!(m["directives"]["syntax"], "docker/dockerfile:1");
    assert_eq!(at(&p, &t, "/directives/syntax"), "docker/dockerfile:1");
    assert_eq!(m["args"][0], json!({"key": "GO_VERSION", "value": "1.22"}));
    assert_eq!(at(&p, &t, "/args/0/value"), "1.22");
    assert_eq!(m["finalStage"], 2);
    let s0 = &m["stages"][0];
    assert_eq!(s0["name"], "build");
    assert_eq!(s0["final"], false);
    assert_eq!(s0["from"]["image"], "golang:${GO_VERSION}-alpine");
    assert_eq!(s0["from"]["resolved"], "golang:1.22-alpine");
    assert_eq!(s0["from"]["repository"], "library/golang");
    assert_eq!(s0["from"]["tag"], "1.22-alpine");
    assert_eq!(s0["from"]["platform"], "");
    assert_eq!(s0["from"]["undefinedVars"], json!(["BUILDPLATFORM"]));
    assert_eq!(at(&p, &t, "/stages/0/from/platform"), "$BUILDPLATFORM");
    assert_eq!(
        at(&p, &t, "/stages/0/from/tag"),
        "golang:${GO_VERSION}-alpine"
    );
    let s1 = &m["stages"][1];
    assert_eq!(s1["from"]["stageRef"], 0);
    assert_eq!(s1["from"]["registry"], serde_json::Value::Null);
    // the image at the root of the stages it derives from
    assert_eq!(s1["from"]["baseImage"], "golang:1.22-alpine");
    assert_eq!(s0["from"]["baseImage"], "golang:1.22-alpine");
    let s2 = &m["stages"][2];
    assert_eq!(s2["final"], true);
    assert_eq!(s2["from"]["registry"], "gcr.io");
    assert_eq!(s2["from"]["repository"], "distroless/static-debian12");
    assert!(s2["from"]["digest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert_eq!(s2["from"]["tag"], serde_json::Value::Null);
}

#[test]
fn instructions_and_spans() {
    let (p, m, t) = model(MULTI);
    let s0 = &m["stages"][0]["instructions"];
    assert_eq!(s0[0]["keyword"], "FROM");
    assert_eq!(s0[1]["vars"][0]["resolved"], "1.22");
    assert_eq!(
        s0[2]["env"][1],
        json!({"key": "API_TOKEN", "value": "x y", "resolved": "x y"})
    );
    assert_eq!(
        at(&p, &t, "/stages/0/instructions/2/env/1/key"),
        "API_TOKEN"
    );
    assert_eq!(
        at(&p, &t, "/stages/0/instructions/2/env/1/value"),
        "\"x y\""
    );
    let run = &s0[3];
    assert_eq!(run["form"], "shell");
    assert_eq!(run["commands"][0]["program"], "apk");
    assert_eq!(run["commands"][0]["packages"][1]["name"], "make");
    assert_eq!(
        at(&p, &t, "/stages/0/instructions/3/commands/0/packages/1"),
        "make"
    );
    assert_eq!(
        at(&p, &t, "/stages/0/instructions/3/commands/1/program"),
        "go"
    );
    let span = t.get("/stages/0/instructions/3/commands/1").unwrap();
    assert_eq!(p.dockerfile.line_col(span.value.start).0, 8);
    let s2 = &m["stages"][2]["instructions"];
    let copy = &s2[1];
    assert_eq!(copy["fromStage"], 0);
    assert_eq!(copy["flags"]["chown"], "1001:0");
    assert_eq!(copy["flags"]["chmod"], "g=u");
    assert_eq!(copy["sources"], json!(["/out/app"]));
    assert_eq!(copy["destination"], "/app");
    let flag = t.get("/stages/2/instructions/1/flags/chmod").unwrap();
    assert_eq!(&p.dockerfile.source[flag.key.clone().unwrap()], "chmod");
    assert_eq!(&p.dockerfile.source[flag.value.clone()], "g=u");
    assert_eq!(at(&p, &t, "/stages/2/instructions/1/fromStage"), "build");
    let expose = &s2[2];
    assert_eq!(
        expose["ports"][1],
        json!({"raw": "443/tcp", "resolved": "443/tcp", "port": 443, "endPort": null, "protocol": "tcp"})
    );
    assert_eq!(
        at(&p, &t, "/stages/2/instructions/2/ports/1/port"),
        "443/tcp"
    );
    let user = &s2[3]["user"];
    assert_eq!(user["user"], "${UID:-1001}");
    assert_eq!(user["resolved"], "1001");
    assert_eq!(user["resolvedGroup"], "0");
    assert_eq!(user["numeric"], true);
    assert_eq!(user["root"], false);
    assert_eq!(s2[4]["form"], "exec");
    assert_eq!(s2[4]["commands"][0]["program"], "app");
    assert_eq!(at(&p, &t, "/stages/2/instructions/5/args/0"), "\"/app\"");
}

#[test]
fn effective_user_and_healthcheck() {
    let (p, m, t) = model(MULTI);
    assert_eq!(m["stages"][0]["user"], serde_json::Value::Null);
    // Missing USER is located at the FROM of the stage.
    assert!(at(&p, &t, "/stages/0/user").starts_with("FROM --platform"));
    let u = &m["stages"][2]["user"];
    assert_eq!(u["instruction"], "/stages/2/instructions/3");
    assert_eq!(u["inherited"], false);
    assert_eq!(at(&p, &t, "/stages/2/user"), "${UID:-1001}:0");
    assert_eq!(m["stages"][2]["healthcheck"]["none"], false);
    assert_eq!(m["stages"][0]["healthcheck"], serde_json::Value::Null);

    let (_, m, _) = model("FROM alpine AS base\nUSER 0\nHEALTHCHECK NONE\nFROM base\nRUN id\n");
    let u = &m["stages"][1]["user"];
    assert_eq!(u["inherited"], true);
    assert_eq!(u["root"], true);
    assert_eq!(u["instruction"], "/stages/0/instructions/1");
    assert_eq!(m["stages"][1]["healthcheck"]["none"], true);
}

#[test]
fn run_mounts_and_heredocs() {
    let text = "FROM x\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc --mount=type=cache,target=/var/cache/apt <<EOF\napt-get install -y openssh-server\nEOF\nCOPY --link <<EOF /etc/motd\nhi\nEOF\n";
    let (p, m, t) = model(text);
    let run = &m["stages"][0]["instructions"][1];
    assert_eq!(
        run["mounts"][0],
        json!({"type": "secret", "id": "npmrc", "target": "/root/.npmrc"})
    );
    assert_eq!(run["flags"]["mount"].as_array().unwrap().len(), 2);
    assert_eq!(
        at(&p, &t, "/stages/0/instructions/1/mounts/0/id"),
        "id=npmrc"
    );
    assert_eq!(
        at(&p, &t, "/stages/0/instructions/1/flags/mount/1"),
        "type=cache,target=/var/cache/apt"
    );
    assert_eq!(run["heredocs"][0]["name"], "EOF");
    assert_eq!(run["commands"][0]["packages"][0]["name"], "openssh-server");
    assert_eq!(
        at(
            &p,
            &t,
            "/stages/0/instructions/1/commands/0/packages/0/name"
        ),
        "openssh-server"
    );
    let copy = &m["stages"][0]["instructions"][2];
    assert_eq!(copy["flags"]["link"], true);
    assert_eq!(copy["heredocs"][0]["content"], "hi\n");
    assert_eq!(
        at(&p, &t, "/stages/0/instructions/2/heredocs/0/content"),
        "hi"
    );
}

#[test]
fn copy_from_image_and_onbuild() {
    let (_, m, _) = model(
        "FROM x\nCOPY --from=nginx:1.25 /etc/nginx /etc/nginx\nONBUILD RUN sudo make install\n",
    );
    let ins = &m["stages"][0]["instructions"];
    assert_eq!(ins[1]["fromStage"], serde_json::Value::Null);
    assert_eq!(ins[1]["fromImage"]["repository"], "library/nginx");
    assert_eq!(ins[2]["trigger"]["keyword"], "RUN");
    assert_eq!(ins[2]["trigger"]["commands"][0]["sudo"], true);
}

#[test]
fn every_pointer_resolves_in_the_model() {
    let (_, m, t) = model(MULTI);
    assert!(!t.is_empty());
    for (ptr, _) in t.iter() {
        assert!(m.pointer(ptr).is_some(), "dangling pointer {ptr}");
    }
    assert!(t
        .locate("/stages/2/instructions/1/flags/chown/zzz")
        .is_some());
}

#[test]
fn scopes() {
    let p = parse("ARG A=1\nARG B\nFROM x:$A\nRUN x\nARG A\nENV C=${A}-c\nARG C=ignored\nUSER $C\nFROM y\nENV D=$A\n");
    let df = &p.dockerfile;
    let sc = df.scopes();
    assert_eq!(sc[2].get("A"), Some("1"));
    assert_eq!(sc[3].get("A"), None);
    assert_eq!(sc[5].get("A"), Some("1"));
    assert_eq!(sc[7].get("C"), Some("1-c"));
    assert_eq!(sc[9].get("A"), None);
    assert_eq!(df.stages()[0].image, "x:1");
    let (m, _) = df.model();
    assert_eq!(m["stages"][0]["instructions"][5]["user"]["resolved"], "1-c");
    assert_eq!(m["stages"][1]["instructions"][1]["env"][0]["resolved"], "");
}

#[test]
fn final_image_ancestry_and_root_image() {
    let text = "ARG BASE=python:3.12-slim\n\
FROM golang:1.22 AS build\n\
RUN go build -o /out/app .\n\
FROM ${BASE} AS base\n\
FROM base AS runtime\n\
COPY --from=build /out/app /app\n\
FROM scratch AS empty\n\
FROM runtime\n\
FROM ${UNSET} AS unresolved\n\
FROM unresolved AS last\n";
    let (p, m, t) = model(text);
    let st = |i: usize, k: &str| m["stages"][i][k].clone();
    // the last stage derives from `unresolved` only
    assert_eq!(st(0, "inFinalImage"), false);
    assert_eq!(st(4, "inFinalImage"), false);
    assert_eq!(st(5, "inFinalImage"), true);
    assert_eq!(st(6, "inFinalImage"), true);
    assert_eq!(st(0, "rootImage"), "docker.io/library/golang:1.22");
    assert_eq!(st(1, "rootImage"), "docker.io/library/python:3.12-slim");
    assert_eq!(st(2, "rootImage"), "docker.io/library/python:3.12-slim");
    assert_eq!(st(4, "rootImage"), "docker.io/library/python:3.12-slim");
    assert_eq!(st(3, "rootImage"), serde_json::Value::Null);
    assert_eq!(st(5, "rootImage"), serde_json::Value::Null);
    assert_eq!(st(6, "rootImage"), serde_json::Value::Null);
    assert_eq!(at(&p, &t, "/stages/2/rootImage"), "base");
    assert!(at(&p, &t, "/stages/2/inFinalImage").starts_with("FROM base AS runtime"));

    // `COPY --from` does not put a stage in the final image; `FROM <stage>` chains do
    let (_, m, _) = model(
        "FROM alpine:3.20 AS tools\nFROM alpine:3.20 AS base\nFROM base AS mid\n\
FROM mid\nCOPY --from=tools /bin/x /bin/x\n",
    );
    let flags: Vec<_> = (0..4)
        .map(|i| m["stages"][i]["inFinalImage"].clone())
        .collect();
    assert_eq!(flags, [false, true, true, true]);
    let (_, m, _) = model("FROM gcr.io/distroless/static@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
    assert_eq!(m["stages"][0]["inFinalImage"], true);
    assert!(m["stages"][0]["rootImage"]
        .as_str()
        .unwrap()
        .starts_with("gcr.io/distroless/static@sha256:"));
}
