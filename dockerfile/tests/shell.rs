use cct_dockerfile::*;

fn commands(text: &str) -> (Parsed, Vec<ShellCommand>) {
    let p = parse(text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let cmds = p
        .dockerfile
        .instructions
        .iter()
        .flat_map(|i| i.shell_commands())
        .collect();
    (p, cmds)
}

fn programs(cmds: &[ShellCommand]) -> Vec<&str> {
    cmds.iter().filter_map(|c| c.program_name()).collect()
}

#[test]
fn splits_on_operators() {
    let (_, cmds) = commands(
        "FROM x\nRUN a && b || c; d | e & f\nRUN (g; h) && { i; } && if j; then k; else l; fi\n",
    );
    assert_eq!(
        programs(&cmds),
        vec!["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]
    );
}

#[test]
fn words_on_continuation_lines_point_at_their_line() {
    let text = "FROM x\nRUN curl -fsSL \\\n      -k \"https://example.com/a b\" \\\n    | sh\n";
    let (p, cmds) = commands(text);
    let df = &p.dockerfile;
    assert_eq!(programs(&cmds), vec!["curl", "sh"]);
    let k = &cmds[0].words[2];
    assert_eq!(k.value, "-k");
    assert_eq!(df.line_col(k.span.start), (3, 7));
    let url = &cmds[0].words[3];
    assert_eq!(url.value, "https://example.com/a b");
    assert_eq!(&text[url.span.clone()], "\"https://example.com/a b\"");
    assert_eq!(df.line_col(cmds[1].span.start), (4, 7));
}

#[test]
fn quotes_and_escapes() {
    let (_, cmds) = commands("FROM x\nRUN echo 'a b' \"c $D \\\"e\\\"\" f\\ g $'h\\ti'\n");
    let vals: Vec<&str> = cmds[0].words.iter().map(|w| w.value.as_str()).collect();
    assert_eq!(vals, vec!["echo", "a b", "c $D \"e\"", "f g", "h\ti"]);
}

#[test]
fn wrappers_assignments_and_sudo() {
    let (p, cmds) = commands(
        "FROM x\nRUN DEBIAN_FRONTEND=noninteractive sudo -E -u root env A=1 apt-get install -y git\nRUN exec nohup /usr/sbin/sshd -D\n",
    );
    let c = &cmds[0];
    assert_eq!(c.program_name(), Some("apt-get"));
    assert_eq!(c.assignments.len(), 2);
    let sudo = c.sudo.clone().unwrap();
    assert_eq!(&p.dockerfile.source[sudo], "sudo");
    assert_eq!(c.wrappers.len(), 2);
    assert_eq!(c.install.as_ref().unwrap().packages[0].name, "git");
    assert_eq!(cmds[1].program_name(), Some("sshd"));
    assert_eq!(cmds[1].program_word().unwrap().value, "/usr/sbin/sshd");
}

#[test]
fn package_managers() {
    let text = "FROM x\n\
RUN apt-get -q install --no-install-recommends -o Dpkg::Options::=x curl=7.88.1-10 ca-certificates openssh-server/bookworm\n\
RUN apk add --no-cache --virtual .build-deps gcc musl-dev=1.2 'python3~3.11'\n\
RUN dnf install -y --setopt=tsflags=nodocs httpd && microdnf install nginx && yum -y install git\n\
RUN pip install --no-cache-dir -r req.txt requests==2.31 'uvicorn[standard]>=0.20' && python3 -m pip install flask\n\
RUN npm install -g @angular/cli@17 typescript && yarn global add serve\n\
RUN apt-get update && apt-get remove -y vim\n";
    let (_, cmds) = commands(text);
    let installs: Vec<&PackageInstall> = cmds.iter().filter_map(|c| c.install.as_ref()).collect();
    let names = |i: &PackageInstall| -> Vec<(String, Option<String>)> {
        i.packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone()))
            .collect()
    };
    let s = |a: &str, b: Option<&str>| (a.to_string(), b.map(str::to_string));
    assert_eq!(installs.len(), 9);
    assert_eq!(installs[0].manager, "apt-get");
    assert_eq!(
        names(installs[0]),
        vec![
            s("curl", Some("7.88.1-10")),
            s("ca-certificates", None),
            s("openssh-server", None)
        ]
    );
    assert_eq!(installs[1].manager, "apk");
    assert_eq!(
        names(installs[1]),
        vec![
            s("gcc", None),
            s("musl-dev", Some("1.2")),
            s("python3", Some("3.11"))
        ]
    );
    assert_eq!(names(installs[2]), vec![s("httpd", None)]);
    assert_eq!(installs[3].manager, "microdnf");
    assert_eq!(installs[4].manager, "yum");
    assert_eq!(installs[5].manager, "pip");
    assert_eq!(
        names(installs[5]),
        vec![s("requests", Some("2.31")), s("uvicorn", Some("0.20"))]
    );
    assert_eq!(names(installs[6]), vec![s("flask", None)]);
    assert!(installs[7].global);
    assert_eq!(
        names(installs[7]),
        vec![s("@angular/cli", Some("17")), s("typescript", None)]
    );
    assert!(installs[8].global);
    assert_eq!(names(installs[8]), vec![s("serve", None)]);
}

#[test]
fn package_name_spans() {
    let text = "FROM x\nRUN apt-get install -y \\\n  curl=7.88 \\\n  \"git\"\n";
    let (p, cmds) = commands(text);
    let pk = &cmds[0].install.as_ref().unwrap().packages;
    assert_eq!(&text[pk[0].name_span.clone()], "curl");
    assert_eq!(&text[pk[0].version_span.clone().unwrap()], "7.88");
    assert_eq!(&text[pk[1].word.span.clone()], "\"git\"");
    assert_eq!(&text[pk[1].name_span.clone()], "git");
    assert_eq!(p.dockerfile.line_col(pk[1].name_span.start), (4, 4));
}

#[test]
fn command_substitution_and_sh_c() {
    let text = "FROM x\nRUN echo $(curl -k https://x) `wget --no-check-certificate y`\nCMD [\"sh\", \"-c\", \"apt-get install -y jq && exec app\"]\nENTRYPOINT bash -ec 'pip install x'\n";
    let (p, cmds) = commands(text);
    assert_eq!(
        programs(&cmds),
        vec!["echo", "curl", "wget", "sh", "apt-get", "app", "bash", "pip"]
    );
    let jq = &cmds[4].install.as_ref().unwrap().packages[0];
    assert_eq!(&p.dockerfile.source[jq.word.span.clone()], "jq");
    let x = &cmds[7].install.as_ref().unwrap().packages[0];
    assert_eq!(&p.dockerfile.source[x.word.span.clone()], "x");
}

#[test]
fn redirects_and_raw_words_for_rules() {
    let (_, cmds) = commands(
        "FROM x\nRUN ln -sf /dev/stdout /var/log/app.log && chmod 4755 /bin/x 2>/dev/null && git config --global http.sslVerify false > /tmp/log 2>&1\n",
    );
    assert_eq!(cmds[0].args()[1].value, "/dev/stdout");
    assert_eq!(cmds[1].redirects[0].op, "2>");
    assert_eq!(cmds[1].args().len(), 2);
    assert_eq!(cmds[2].redirects.len(), 2);
    assert_eq!(cmds[2].redirects[1].op, "2>&");
    assert_eq!(cmds[2].args().len(), 4);
}

#[test]
fn heredoc_script_with_nested_heredoc() {
    let text = "FROM x\nRUN <<EOF\nset -e\ncat > /etc/x <<CONF\napt-get install nope\nCONF\napk add bash\nEOF\nRUN python3 <<PY\nimport os\nPY\n";
    let (_, cmds) = commands(text);
    assert_eq!(programs(&cmds), vec!["set", "cat", "apk", "python3"]);
}
