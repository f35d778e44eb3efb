use cct_dockerfile::*;

fn src<'a>(p: &'a Parsed, span: &Span) -> &'a str {
    &p.dockerfile.source[span.clone()]
}

#[test]
fn directives_and_backtick_escape() {
    let text = "# Syntax=docker/dockerfile:1\n#ESCAPE = `\n# check=skip=all\nFROM windows\nRUN dir `\n  c:\\ \nCOPY a b\n";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let df = &p.dockerfile;
    assert_eq!(df.escape, '`');
    assert_eq!(df.directive("syntax"), Some("docker/dockerfile:1"));
    assert_eq!(df.directive("check"), Some("skip=all"));
    assert_eq!(src(&p, &df.directives[1].value_span), "`");
    let InstructionKind::Run(CommandLine::Shell(sf)) = &df.instructions[1].kind else {
        panic!()
    };
    assert_eq!(sf.text, "dir   c:\\");
    assert_eq!(df.instructions.len(), 3);
}

#[test]
fn directives_only_at_top() {
    let p = parse("FROM x\n# escape=`\nRUN a \\\n b\n");
    assert_eq!(p.dockerfile.escape, '\\');
    assert!(p.dockerfile.directives.is_empty());
    assert_eq!(p.dockerfile.comments[0].text, "escape=`");
    // A blank line ends the directives.
    let p = parse("\n# escape=`\nFROM x\n");
    assert!(p.dockerfile.directives.is_empty());
    // An unknown directive ends them too.
    let p = parse("# foo=bar\n# escape=`\nFROM x\n");
    assert!(p.dockerfile.directives.is_empty());
    // Duplicates and invalid values are errors.
    let p = parse("# escape=`\n# escape=\\\nFROM x\n");
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.errors[0].line, 2);
    let p = parse("# escape=x\nFROM x\n");
    assert_eq!(p.errors.len(), 1);
    assert_eq!((p.errors[0].line, p.errors[0].column), (1, 10));
}

#[test]
fn continuation_with_comments_and_blank_lines() {
    let text = "FROM x\nRUN apt-get update \\\n    # comment inside\n\n    && apt-get install -y \\\r\n  curl\n# after\nCMD x\n";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let df = &p.dockerfile;
    assert_eq!(df.instructions.len(), 3);
    let run = &df.instructions[1];
    let InstructionKind::Run(CommandLine::Shell(sf)) = &run.kind else {
        panic!()
    };
    assert_eq!(sf.text, "apt-get update     && apt-get install -y   curl");
    assert_eq!(src(&p, &run.span), &text[7..text.find("curl").unwrap() + 4]);
    assert_eq!(df.comments.len(), 2);
    assert!(df.comments[0].in_continuation);
    assert_eq!(df.comments[0].text, "comment inside");
    assert_eq!(df.line_col(df.comments[0].span.start), (3, 5));
    assert!(!df.comments[1].in_continuation);
}

#[test]
fn comment_spans_for_derogations() {
    let p = parse("FROM x\n  # cct-ignore: CCT-DKR-001 -- reason  \nUSER root\n");
    let c = &p.dockerfile.comments[0];
    assert_eq!(c.text, "cct-ignore: CCT-DKR-001 -- reason");
    assert_eq!(src(&p, &c.span), "# cct-ignore: CCT-DKR-001 -- reason");
}

#[test]
fn heredocs() {
    let text = "FROM x\nRUN <<EOF\napt-get install -y vim\necho hi\nEOF\nCOPY <<-\"CONF\" /etc/app.conf\n\tkey=$VALUE\n\tCONF\nRUN <<A <<'B' cat > /x\na\nA\nb\nB\nCMD y\n";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let df = &p.dockerfile;
    assert_eq!(df.instructions.len(), 5);
    let run = &df.instructions[1];
    assert_eq!(run.heredocs.len(), 1);
    let h = &run.heredocs[0];
    assert_eq!(h.name, "EOF");
    assert!(h.expand && !h.chomp);
    assert_eq!(h.content, "apt-get install -y vim\necho hi\n");
    assert_eq!(src(&p, &h.body_span), "apt-get install -y vim\necho hi");
    assert_eq!(src(&p, &h.marker_span), "<<EOF");
    assert!(src(&p, &run.span).ends_with("EOF"));
    let copy = &df.instructions[2];
    let h = &copy.heredocs[0];
    assert_eq!(h.name, "CONF");
    assert!(h.chomp && !h.expand);
    assert_eq!(h.content, "key=$VALUE\n");
    let InstructionKind::Copy(c) = &copy.kind else {
        panic!()
    };
    assert_eq!(c.dest.as_ref().unwrap().value, "/etc/app.conf");
    let multi = &df.instructions[3];
    assert_eq!(multi.heredocs.len(), 2);
    assert_eq!(multi.heredocs[0].content, "a\n");
    assert_eq!(multi.heredocs[1].content, "b\n");
    assert!(!multi.heredocs[1].expand);
    assert_eq!(df.instructions[4].keyword, "CMD");
    assert_eq!(df.instructions[4].line, 14);
    // The heredoc script is analysed as shell, with spans in the body.
    let cmds = run.shell_commands();
    let inst = cmds.iter().find_map(|c| c.install.as_ref()).unwrap();
    assert_eq!(inst.packages[0].name, "vim");
    assert_eq!(df.line_col(inst.packages[0].word.span.start), (3, 20));
}

#[test]
fn unterminated_heredoc() {
    let p = parse("FROM x\nRUN  cat <<EOF\nhello\n");
    assert_eq!(p.errors.len(), 1);
    assert_eq!((p.errors[0].line, p.errors[0].column), (2, 10));
    assert!(p.errors[0].message.contains("unterminated heredoc"));
}

#[test]
fn exec_and_shell_forms() {
    let p = parse("FROM x\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\nENTRYPOINT [\"a\" \"b\"]\nRUN [\"/bin/sh\",\"-c\",\"echo \\u0041\"]\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK NONE\n");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let ins = &p.dockerfile.instructions;
    let InstructionKind::Cmd(Some(CommandLine::Exec(ws))) = &ins[1].kind else {
        panic!()
    };
    assert_eq!(ws[2].value, "daemon off;");
    assert_eq!(src(&p, &ws[2].span), "\"daemon off;\"");
    // Malformed JSON falls back to the shell form.
    assert!(matches!(
        ins[2].kind,
        InstructionKind::Entrypoint(Some(CommandLine::Shell(_)))
    ));
    let InstructionKind::Run(CommandLine::Exec(ws)) = &ins[3].kind else {
        panic!()
    };
    assert_eq!(ws[2].value, "echo A");
    assert!(matches!(ins[4].kind, InstructionKind::Shell(ref w) if w.len() == 4));
    let hc = &ins[5];
    assert_eq!(hc.flag("interval").unwrap().value.as_deref(), Some("30s"));
    assert!(matches!(
        hc.kind,
        InstructionKind::Healthcheck(Healthcheck::Cmd(CommandLine::Shell(_)))
    ));
    assert!(matches!(
        ins[6].kind,
        InstructionKind::Healthcheck(Healthcheck::None)
    ));
}

#[test]
fn flags_with_spans() {
    let text = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc --network=none make\nCOPY --from=build --chown=1001:0 --chmod=g=u --link /out /app\nADD --checksum=sha256:abc --keep-git-dir=true https://x/y.tar.gz /src\nCOPY --parents --exclude=*.md ./a ./b/\nFROM scratch\n";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let ins = &p.dockerfile.instructions;
    let f = ins[0].flag("platform").unwrap();
    assert_eq!(src(&p, &f.name_span), "platform");
    assert_eq!(src(&p, f.value_span.as_ref().unwrap()), "$BUILDPLATFORM");
    let m = ins[1].flag("mount").unwrap();
    assert_eq!(
        m.value.as_deref(),
        Some("type=secret,id=npmrc,target=/root/.npmrc")
    );
    assert_eq!(
        ins[1].flag("network").unwrap().value.as_deref(),
        Some("none")
    );
    let c = &ins[2];
    assert_eq!(c.flags.len(), 4);
    assert_eq!(c.flag("chmod").unwrap().value.as_deref(), Some("g=u"));
    assert_eq!(c.flag("link").unwrap().value, None);
    assert_eq!(src(&p, &c.flag("link").unwrap().span), "--link");
    assert_eq!(
        ins[3].flag("keep-git-dir").unwrap().value.as_deref(),
        Some("true")
    );
    assert_eq!(
        ins[4].flag("exclude").unwrap().value.as_deref(),
        Some("*.md")
    );
}

#[test]
fn unknown_flag_is_reported() {
    let p = parse("FROM x\nCOPY --frm=build a b\n");
    assert_eq!(p.errors.len(), 1);
    assert_eq!((p.errors[0].line, p.errors[0].column), (2, 6));
    assert_eq!(p.dockerfile.instructions.len(), 2);
}

#[test]
fn case_insensitive_keywords_and_stages() {
    let p = parse("from alpine:3.20 as Build\nrun echo\nFrom build\ncopy --from=0 /a /b\n");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let df = &p.dockerfile;
    assert_eq!(df.instructions[1].keyword, "RUN");
    let stages = df.stages();
    assert_eq!(stages.len(), 2);
    assert_eq!(stages[0].name.as_deref(), Some("build"));
    assert_eq!(stages[1].base, StageRef::Stage(0));
    assert_eq!(stages[1].instructions, 2..4);
}

#[test]
fn env_label_arg_key_values() {
    let text = "ARG VERSION=1.0 OTHER\nFROM x\nENV A=1 B=\"two words\" C=three\\ words\nENV LEGACY some value\nLABEL org.opencontainers.image.title=\"My app\" maintainer=me\nARG TOKEN\n";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let ins = &p.dockerfile.instructions;
    let InstructionKind::Arg(a) = &ins[0].kind else {
        panic!()
    };
    assert_eq!(a[0].key.value, "VERSION");
    assert_eq!(a[0].value.as_ref().unwrap().value, "1.0");
    assert!(a[1].value.is_none());
    let InstructionKind::Env(e) = &ins[2].kind else {
        panic!()
    };
    assert_eq!(e.len(), 3);
    assert_eq!(e[1].value.as_ref().unwrap().value, "two words");
    assert_eq!(src(&p, &e[1].value.as_ref().unwrap().span), "\"two words\"");
    assert_eq!(src(&p, &e[1].key.span), "B");
    assert_eq!(e[2].value.as_ref().unwrap().value, "three words");
    let InstructionKind::Env(e) = &ins[3].kind else {
        panic!()
    };
    assert_eq!(e[0].key.value, "LEGACY");
    assert_eq!(e[0].value.as_ref().unwrap().value, "some value");
    let InstructionKind::Label(l) = &ins[4].kind else {
        panic!()
    };
    assert_eq!(l[0].value.as_ref().unwrap().value, "My app");
    assert_eq!(p.dockerfile.global_args().len(), 2);
}

#[test]
fn expose_user_and_other_instructions() {
    let p = parse("FROM x\nEXPOSE 8080 8443/tcp 3000-3005/udp $PORT\nUSER app:0\nWORKDIR /app\nVOLUME [\"/data\"]\nVOLUME /a /b\nSTOPSIGNAL SIGTERM\nMAINTAINER me <me@x>\nONBUILD RUN make\n");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let ins = &p.dockerfile.instructions;
    let InstructionKind::Expose(ports) = &ins[1].kind else {
        panic!()
    };
    assert_eq!(ports.len(), 4);
    assert_eq!(src(&p, &ports[2].span), "3000-3005/udp");
    assert!(matches!(&ins[2].kind, InstructionKind::User(w) if w.value == "app:0"));
    assert!(matches!(&ins[4].kind, InstructionKind::Volume(v) if v[0].value == "/data"));
    assert!(matches!(&ins[5].kind, InstructionKind::Volume(v) if v.len() == 2));
    assert!(matches!(&ins[7].kind, InstructionKind::Maintainer(w) if w.value == "me <me@x>"));
    let InstructionKind::Onbuild(inner) = &ins[8].kind else {
        panic!()
    };
    assert_eq!(inner.keyword, "RUN");
    assert_eq!(src(&p, &inner.keyword_span), "RUN");
    assert_eq!(ins[8].shell_commands()[0].program_name(), Some("make"));
}

#[test]
fn errors_with_recovery() {
    let text = "FROM alpine\nRUNN echo\nCOPY onlyone\nENV\nEXPOSE 80/xyz\nFROM a b\nHEALTHCHECK FOO\nCMD [1, 2]\nUSER app\n  bogus \\\n   continued\nWORKDIR /x\n";
    let p = parse(text);
    let pos: Vec<(usize, usize)> = p.errors.iter().map(|e| (e.line, e.column)).collect();
    assert_eq!(
        pos,
        vec![
            (2, 1),
            (3, 6),
            (4, 1),
            (5, 8),
            (6, 1),
            (7, 13),
            (8, 5),
            (10, 3)
        ],
        "{:?}",
        p.errors
    );
    assert!(p.errors[0].message.contains("unknown instruction: RUNN"));
    assert!(p.errors[0].message.contains("RUN"));
    let kws: Vec<&str> = p
        .dockerfile
        .instructions
        .iter()
        .map(|i| i.keyword.as_str())
        .collect();
    assert_eq!(kws, vec!["FROM", "EXPOSE", "USER", "WORKDIR"]);
}

#[test]
fn error_columns_count_unicode_scalars() {
    let p = parse("FROM x\nLABEL é=1 ü\n");
    assert_eq!(p.errors.len(), 1);
    assert_eq!((p.errors[0].line, p.errors[0].column), (2, 11));
}

#[test]
fn crlf_and_bom() {
    let p = parse("\u{feff}FROM x\r\nRUN a \\\r\n  b\r\nUSER 1001\r\n");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let df = &p.dockerfile;
    assert_eq!(df.instructions.len(), 3);
    let InstructionKind::User(w) = &df.instructions[2].kind else {
        panic!()
    };
    assert_eq!(w.value, "1001");
    assert_eq!(src(&p, &w.span), "1001");
}

#[test]
fn file_names() {
    for ok in [
        "Dockerfile",
        "dockerfile",
        "Containerfile",
        "Dockerfile.dev",
        "Containerfile.prod",
        "app.Dockerfile",
        "app.dockerfile",
        "dir/Dockerfile",
        "DockerfileJavanaise",
        "Dockerfile-prod",
        "Dockerfile_ci",
        "dockerfile-dev",
        "Containerfile2",
        "api.Containerfile",
    ] {
        assert!(is_dockerfile_name(ok), "{ok}");
    }
    for ko in [
        ".dockerignore",
        "Dockerfile.dockerignore",
        "Dockerfile.",
        "Dockerfiles",
        "README.md",
        "my-Dockerfile",
        "Dockerfile-",
        "Dockerfile.md",
        "Dockerfile-prod.yml",
        "Dockerfile.j2",
        "Dockerfile.template",
        "dockerfile_lint.sh",
    ] {
        assert!(!is_dockerfile_name(ko), "{ko}");
    }
}

#[test]
fn backtick_escape_in_words_and_env() {
    let text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV PATH=C:\\tools;C:\\bin A=`\"q`\"\nWORKDIR C:\\app\nRUN powershell -Command `\n    Write-Host hi\n";
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let df = &p.dockerfile;
    let InstructionKind::Env(e) = &df.instructions[1].kind else {
        panic!()
    };
    assert_eq!(e[0].value.as_ref().unwrap().value, "C:\\tools;C:\\bin");
    assert_eq!(e[1].value.as_ref().unwrap().value, "\"q\"");
    assert!(
        matches!(&df.instructions[2].kind, InstructionKind::Workdir(w) if w.value == "C:\\app")
    );
    let cmds = df.instructions[3].shell_commands();
    assert_eq!(cmds[0].program_name(), Some("powershell"));
    assert_eq!(df.line_col(cmds[0].words[2].span.start), (6, 5));
    let (m, _) = df.model();
    assert_eq!(m["directives"]["escape"], "`");
    assert_eq!(m["stages"][0]["from"]["registry"], "mcr.microsoft.com");
}
