//! The HTML audit report, opened in a real browser: headless Chromium (Debian's `chromium`
//! package, which `.ci/run` installs) runs its script and dumps the page it shows. The test
//! checks the chart, the totals and the filters (set from the URL fragment), and keeps a
//! screenshot as an artefact in `target/test-artifacts/`. Without Chromium it is skipped,
//! unless `CCT_REQUIRE_CHROMIUM` is set (as in CI).

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::root;

fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Run headless Chromium on a page; `extra` are more arguments (`--dump-dom`, `--screenshot`).
fn browse(browser: &Path, profile: &Path, url: &str, extra: &[&str]) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_html_audit_renders_in_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CCT_REQUIRE_CHROMIUM").is_none(),
            "CCT_REQUIRE_CHROMIUM is set but no chromium is on PATH"
        );
        eprintln!("skipped: no chromium on PATH");
        return;
    };
    let artefacts = root().join("target/test-artifacts");
    std::fs::create_dir_all(&artefacts).expect("artefacts folder");
    let page = artefacts.join("audit.html");
    let o = Command::new(env!("CARGO_BIN_EXE_cct"))
        .args(["check", "fixtures/demo", "--lang", "en", "-f", "html", "-o"])
        .arg(&page)
        .current_dir(root())
        .output()
        .expect("cct runs");
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let html = std::fs::read_to_string(&page).expect("page written");
    let errors = html.matches("class=\"finding error\"").count();
    let warnings = html.matches("class=\"finding warning\"").count();
    assert!(
        errors > 0 && warnings > 0,
        "the demo has errors and warnings"
    );

    let profile = std::env::temp_dir().join(format!("cct-chromium-{}", std::process::id()));
    let url = format!(
        "file://{}",
        page.canonicalize().expect("absolute").display()
    );

    // As opened: every finding shown, the chart drawn.
    let dom = browse(&browser, &profile, &url, &["--dump-dom"]);
    assert!(
        dom.contains("data-ready=\"true\""),
        "the script ran: {dom:.400}"
    );
    assert!(dom.contains("<svg id=\"chart\""), "the chart is there");
    assert!(
        dom.contains("class=\"bar broken\""),
        "a broken category bar"
    );
    let shown = |dom: &str| -> usize {
        let at = dom.find("id=\"shown\">").expect("counter") + "id=\"shown\">".len();
        dom[at..]
            .split('<')
            .next()
            .unwrap_or_default()
            .trim()
            .parse()
            .expect("a number")
    };
    assert_eq!(
        shown(&dom),
        errors + warnings + html.matches("class=\"finding note\"").count()
    );

    // Filtered from the URL: errors only, one requirement.
    let dom = browse(
        &browser,
        &profile,
        &format!("{url}#severity=error"),
        &["--dump-dom"],
    );
    assert_eq!(shown(&dom), errors, "only errors are shown");
    let visible_warnings = dom
        .split("class=\"finding warning\"")
        .skip(1)
        .filter(|rest| {
            !rest
                .split('>')
                .next()
                .unwrap_or_default()
                .contains("hidden")
        })
        .count();
    assert_eq!(visible_warnings, 0, "every warning is hidden");
    let dom = browse(
        &browser,
        &profile,
        &format!("{url}#req=EXI-ARCH-27"),
        &["--dump-dom"],
    );
    let visible_sections = dom
        .split("<section class=\"req\"")
        .skip(1)
        .filter(|s| !s.split('>').next().unwrap_or_default().contains("hidden"))
        .count();
    assert_eq!(visible_sections, 1, "only EXI-ARCH-27 is shown");

    // A screenshot, kept for people to look at.
    let shot = artefacts.join("audit.png");
    let _ = std::fs::remove_file(&shot);
    browse(
        &browser,
        &profile,
        &url,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,1600",
        ],
    );
    assert!(
        std::fs::metadata(&shot)
            .map(|m| m.len() > 10_000)
            .unwrap_or(false),
        "screenshot written"
    );
    let _ = std::fs::remove_dir_all(&profile);
}
