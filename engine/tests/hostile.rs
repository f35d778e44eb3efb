//! Hostile inputs (a repository cct does not trust): each ends in a located diagnostic, within
//! bounded time and memory, while the other files of the scan are still judged. Big inputs are
//! generated here, in a temporary folder, and removed.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cct_engine::{CatalogueBuilder, Diagnostic, Report, Scan, ScanOptions};

/// A bound no hostile input may pass (a debug build, on a loaded two-core machine).
const TIME_BOUND: Duration = Duration::from_secs(60);
/// Peak memory of the whole test process (the tests run in parallel in it).
const MEMORY_BOUND_KIB: u64 = 3 << 20;

/// A Pod with a finding (an image without a pinned tag): judged beside every hostile input.
const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:latest\n";

/// A temporary folder holding `good/pod.yaml`, removed when dropped.
struct Repo(PathBuf);

impl Repo {
    fn new(name: &str) -> Repo {
        let dir = std::env::temp_dir().join(format!("cct-hostile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("good")).unwrap();
        std::fs::write(dir.join("good/pod.yaml"), POD).unwrap();
        Repo(dir)
    }

    fn path(&self, rel: &str) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        p
    }

    fn write(&self, rel: &str, data: impl AsRef<[u8]>) {
        std::fs::write(self.path(rel), data).unwrap();
    }

    /// Scans the folder: the report, after checking the bounds and that the good Pod was
    /// judged.
    fn scan(&self) -> Report {
        let catalogue = CatalogueBuilder::new().build().unwrap();
        let start = Instant::now();
        let report =
            Scan::new(&catalogue, ScanOptions::default()).run(std::slice::from_ref(&self.0));
        let elapsed = start.elapsed();
        assert!(elapsed < TIME_BOUND, "the scan took {elapsed:?}");
        if let Some(peak) = peak_memory_kib() {
            assert!(peak < MEMORY_BOUND_KIB, "peak memory {peak} KiB");
        }
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.location.path.ends_with("good/pod.yaml")),
            "the good Pod was not judged: {:?}",
            report.diagnostics
        );
        report
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The process's peak resident memory (Linux), in KiB.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The diagnostic of `code` on a file whose path ends with `file`; it must be located (a
/// line, and a byte range inside the file when the file has text).
fn located<'r>(report: &'r Report, code: &str, file: &str) -> &'r Diagnostic {
    let d = report
        .diagnostics
        .iter()
        .find(|d| {
            d.code.as_str() == code && d.location.as_ref().is_some_and(|l| l.path.ends_with(file))
        })
        .unwrap_or_else(|| panic!("no {code} on {file}: {:#?}", report.diagnostics));
    let location = d.location.as_ref().unwrap();
    assert!(location.start.line >= 1, "{location:?}");
    assert!(!d.message.en.is_empty() && !d.message.fr.is_empty());
    d
}

#[test]
fn an_alias_bomb_is_refused_before_it_is_built() {
    let repo = Repo::new("alias-bomb");
    let mut text = String::from(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let items = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    repo.write("bomb/bomb.yaml", &text);
    let start = Instant::now();
    let report = repo.scan();
    // Refused by counting, not by building a million nodes first.
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    let d = located(&report, "yaml-alias-budget", "bomb/bomb.yaml");
    // At the alias that expands most (the last line).
    assert_eq!(d.location.as_ref().unwrap().start.line, 9);
}

#[test]
fn two_hundred_thousand_levels_of_nesting() {
    let repo = Repo::new("nesting");
    let n = 200_000;
    repo.write(
        "deep/flow.yaml",
        format!("a: {}{}\n", "[".repeat(n), "]".repeat(n)),
    );
    // Block nesting: one more space a level (5,000 levels, 12 MB).
    let mut block = String::new();
    for i in 0..5_000 {
        block.push_str(&" ".repeat(i));
        block.push_str("k:\n");
    }
    repo.write("deep/block.yaml", block);
    let report = repo.scan();
    // The parser's own recursion limit, or the reader's depth limit.
    for file in ["deep/flow.yaml", "deep/block.yaml"] {
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.location.as_ref().is_some_and(|l| l.path.ends_with(file)))
            .unwrap_or_else(|| panic!("no diagnostic on {file}: {:#?}", report.diagnostics));
        assert!(
            matches!(d.code.as_str(), "yaml-syntax" | "yaml-too-deep"),
            "{d:?}"
        );
        assert!(d.location.as_ref().unwrap().start.line >= 1);
    }
}

#[test]
fn a_hundred_megabyte_file() {
    let repo = Repo::new("big");
    // Sparse: 100 MB long, no disk used.
    let f = std::fs::File::create(repo.path("big/huge.yaml")).unwrap();
    f.set_len(100 << 20).unwrap();
    let report = repo.scan();
    located(&report, "file-too-large", "big/huge.yaml");
}

#[test]
fn invalid_utf8_and_binary_data_named_yaml() {
    let repo = Repo::new("binary");
    repo.write("bin/latin1.yaml", b"name: caf\xe9\n");
    // Binary data that happens to be UTF-8: control characters and NULs.
    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 32) as u8).collect();
    repo.write("bin/zeros.yaml", &binary);
    let random: Vec<u8> = (0..65536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    repo.write("bin/random.yml", &random);
    let report = repo.scan();
    let d = located(&report, "file-not-utf8", "bin/latin1.yaml");
    assert!(d.message.en.contains("offset 9"), "{}", d.message.en);
    located(&report, "yaml-syntax", "bin/zeros.yaml");
    located(&report, "file-not-utf8", "bin/random.yml");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_root() {
    let repo = Repo::new("links");
    let outside = Repo::new("links-outside");
    outside.write("secret.yaml", "password: hunter2\n");
    repo.write("links/a/x.txt", "");
    std::os::unix::fs::symlink(repo.0.join("links"), repo.0.join("links/a/loop")).unwrap();
    std::os::unix::fs::symlink("self.yaml", repo.path("links/self.yaml")).unwrap();
    std::os::unix::fs::symlink(outside.0.join("secret.yaml"), repo.path("links/out.yaml")).unwrap();
    let report = repo.scan();
    located(&report, "path-unreadable", "links/out.yaml");
    located(&report, "path-unreadable", "links/self.yaml");
    // Nothing of the outside file is read.
    let text = format!("{:?}", report.diagnostics);
    assert!(!text.contains("hunter2"));
    assert!(!report
        .findings
        .iter()
        .any(|f| f.location.path.contains("secret")));
}

/// A chart whose templates are `templates` (name, text) and values `values`.
fn chart(repo: &Repo, name: &str, templates: &[(&str, &str)], values: &str) {
    repo.write(
        &format!("{name}/Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nversion: 1.0.0\n"),
    );
    repo.write(&format!("{name}/values.yaml"), values);
    for (file, text) in templates {
        repo.write(&format!("{name}/templates/{file}"), text);
    }
}

#[test]
fn templates_that_recurse_loop_or_explode() {
    let repo = Repo::new("templates");
    chart(
        &repo,
        "selfinclude",
        &[(
            "cm.yaml",
            "{{- define \"me\" }}{{ include \"me\" . }}{{ end }}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: {{ include \"me\" . | quote }}}\n",
        )],
        "",
    );
    chart(
        &repo,
        "longrange",
        &[(
            "cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n{{- range until 100000000 }}\n  k{{ . }}: v\n{{- end }}\n",
        )],
        "",
    );
    // Small on disk, 200 aliases of a 200 kB string: 40 MB once written out.
    let values = format!(
        "s: &s \"{}\"\nall: [{}]\n",
        "x".repeat(200_000),
        vec!["*s"; 200].join(", ")
    );
    chart(
        &repo,
        "toyaml",
        &[(
            "cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  all: |\n{{ toYaml .Values | indent 4 }}\n",
        )],
        &values,
    );
    let report = repo.scan();
    for (chart, message) in [
        ("selfinclude", "exceeded maximum template depth"),
        ("longrange", "too many elements"),
        ("toyaml", "value size limit exceeded"),
    ] {
        let d = report
            .diagnostics
            .iter()
            .find(|d| {
                d.code.as_str() == "helm-render"
                    && d.location
                        .as_ref()
                        .is_some_and(|l| l.path.contains(&format!("/{chart}/")))
            })
            .unwrap_or_else(|| panic!("no diagnostic for {chart}: {:#?}", report.diagnostics));
        assert!(d.location.as_ref().unwrap().start.line >= 1);
        assert!(d.message.en.contains(message), "{}", d.message.en);
    }
}

#[test]
fn a_gitlab_ci_file_including_itself() {
    let repo = Repo::new("gitlab");
    repo.write(
        ".gitlab-ci.yml",
        "include:\n  - local: .gitlab-ci.yml\n  - local: ci/a.yml\njob:\n  image: alpine:latest\n  script: [true]\n",
    );
    repo.write("ci/a.yml", "include: {local: ci/b.yml}\n");
    repo.write("ci/b.yml", "include: {local: ci/a.yml}\n");
    let report = repo.scan();
    located(&report, "gitlab-include-loop", ".gitlab-ci.yml");
    located(&report, "gitlab-include-loop", "ci/b.yml");
}

/// A gzip-compressed tar archive holding `entries` (name, size in bytes of zeros).
fn tgz(entries: &[(&str, u64)]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for (name, size) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_path(name).unwrap();
        header.set_size(*size);
        header.set_mode(0o644);
        header.set_cksum();
        gz.write_all(header.as_bytes()).unwrap();
        let zeros = vec![0u8; 1 << 20];
        let mut left = *size;
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            gz.write_all(&zeros[..n]).unwrap();
            left -= n as u64;
        }
        let pad = (512 - size % 512) % 512;
        gz.write_all(&vec![0u8; pad as usize]).unwrap();
    }
    gz.write_all(&[0u8; 1024]).unwrap();
    gz.finish().unwrap()
}

#[test]
fn a_chart_archive_bomb() {
    let repo = Repo::new("tgz");
    chart(
        &repo,
        "parent",
        &[(
            "cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
        )],
        "",
    );
    repo.write(
        "parent/Chart.yaml",
        "apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n- name: bomb\n  version: 1.0.0\n",
    );
    // 256 MiB of zeros once unpacked, a few hundred kilobytes packed.
    let archive = tgz(&[
        ("bomb/Chart.yaml", 0),
        ("bomb/templates/big.yaml", 256 << 20),
    ]);
    assert!(archive.len() < 8 << 20, "{}", archive.len());
    repo.write("parent/charts/bomb-1.0.0.tgz", archive);
    let report = repo.scan();
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code.as_str().starts_with("helm-"))
        .unwrap_or_else(|| panic!("no helm diagnostic: {:#?}", report.diagnostics));
    let location = d.location.as_ref().unwrap();
    assert!(location.path.contains("parent"), "{location:?}");
}

#[test]
fn a_hundred_thousand_files_in_one_folder() {
    let repo = Repo::new("many");
    let dir = repo.path("many/x");
    let dir = dir.parent().unwrap();
    for i in 0..100_000 {
        std::fs::File::create(dir.join(format!("f{i}.txt"))).unwrap();
    }
    for i in 0..1000 {
        std::fs::File::create(dir.join(format!("empty{i}.yaml"))).unwrap();
    }
    repo.write("many/bad.yaml", "a: [\n");
    let report = repo.scan();
    located(&report, "yaml-syntax", "many/bad.yaml");
}
