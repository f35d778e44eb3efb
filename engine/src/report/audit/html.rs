//! The audit as one self-contained HTML page: no network (styles and script inline), a chart of
//! conformity per category (inline SVG), filters by severity, requirement and status (a URL
//! fragment such as `#severity=error&req=EXI-ARCH-27` sets them, so a view can be shared), and a
//! print style that shows everything.

use std::fmt::Write as _;
use std::io::Write;

use super::{evidence, header, severity_text, t, Audit, Status};
use crate::catalogue::Catalogue;
use crate::report::{RenderOptions, Report};
use crate::vocab::Severity;

/// Escape text for HTML content and attributes.
fn h(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --met: #2e7d32; --broken: #c62828; --partial: #ef6c00; --manual: #546e7a; --ink: #1b1b1b; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; }
.status { font-weight: 600; padding: .05rem .45rem; border-radius: .3rem; color: #fff; font-size: .85rem; }
.status.met { background: var(--met); } .status.broken { background: var(--broken); }
.status.partial { background: var(--partial); } .status.manual { background: var(--manual); }
#filters { position: sticky; top: 0; background: #f4f6f8; border: 1px solid #d5dbe0; border-radius: .4rem; padding: .5rem .8rem; display: flex; gap: 1.2rem; flex-wrap: wrap; align-items: center; z-index: 1; }
section.req { border-top: 1px solid #ddd; padding: .6rem 0; }
section.req h3 { margin: .2rem 0; font-size: 1.05rem; }
li.finding .sev { font-weight: 600; }
li.finding.error .sev { color: var(--broken); } li.finding.warning .sev { color: var(--partial); }
li.finding.note .sev { color: var(--manual); }
code { font-size: .9em; }
.muted { color: #666; }
[hidden] { display: none !important; }
@media print {
  #filters { display: none; }
  [hidden] { display: revert !important; }
  section.req { break-inside: avoid; }
  body { margin: 0; max-width: none; }
}
"#;

const SCRIPT: &str = r#"
(function () {
  function selected() {
    var sev = Array.prototype.map.call(document.querySelectorAll('input[name=severity]:checked'), function (e) { return e.value; });
    return { sev: sev, req: document.getElementById('req').value, status: document.getElementById('status').value };
  }
  function apply() {
    var s = selected();
    var shown = 0;
    document.querySelectorAll('li.finding').forEach(function (li) {
      var ok = s.sev.indexOf(li.dataset.severity) >= 0;
      li.hidden = !ok;
      if (ok) { shown++; }
    });
    document.querySelectorAll('li.file').forEach(function (li) {
      li.hidden = li.querySelectorAll('li.finding:not([hidden])').length === 0;
    });
    document.querySelectorAll('section.req').forEach(function (sec) {
      sec.hidden = (s.req !== '' && sec.dataset.req !== s.req) || (s.status !== '' && sec.dataset.status !== s.status);
    });
    document.getElementById('shown').textContent = String(shown);
  }
  function fromHash() {
    var params = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var p = kv.split('='); if (p[0]) { params[decodeURIComponent(p[0])] = decodeURIComponent(p[1] || ''); }
    });
    if (params.severity) {
      var wanted = params.severity.split(',');
      document.querySelectorAll('input[name=severity]').forEach(function (e) { e.checked = wanted.indexOf(e.value) >= 0; });
    }
    if (params.req !== undefined) { document.getElementById('req').value = params.req; }
    if (params.status !== undefined) { document.getElementById('status').value = params.status; }
  }
  document.querySelectorAll('#filters input, #filters select').forEach(function (e) { e.addEventListener('change', apply); });
  window.addEventListener('hashchange', function () { fromHash(); apply(); });
  fromHash();
  apply();
  document.body.dataset.ready = 'true';
})();
"#;

/// The chart: per category, a bar of its requirements by status.
fn chart(audit: &Audit<'_>, lang: crate::vocab::Lang) -> String {
    let cats = audit.by_category(lang);
    let (label_w, bar_w, row_h) = (230.0, 520.0, 26.0);
    let height = row_h * cats.len() as f64 + 40.0;
    let mut svg = format!(
        "<svg id=\"chart\" role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        h(t(lang, "Conformity by category", "Conformité par catégorie")),
        label_w + bar_w + 60.0,
        label_w + bar_w + 60.0
    );
    let max = cats
        .iter()
        .map(|(_, c)| c.values().sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    for (i, (name, counts)) in cats.iter().enumerate() {
        let y = i as f64 * row_h + 4.0;
        // Long names are shortened; the full name is the label's tooltip.
        let short: String = if name.chars().count() > 32 {
            name.chars().take(31).chain(std::iter::once('…')).collect()
        } else {
            name.clone()
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\"><title>{}</title>{}</text>",
            label_w - 8.0,
            y + 15.0,
            h(name),
            h(&short)
        );
        let mut x = label_w;
        for s in Status::ALL {
            let n = counts.get(&s).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let w = bar_w * n as f64 / max;
            let _ = write!(
                svg,
                "<rect class=\"bar {}\" data-category=\"{}\" data-count=\"{n}\" x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"var(--{})\"><title>{}: {n}</title></rect>",
                s.key(),
                h(name),
                row_h - 8.0,
                s.key(),
                h(s.text().get(lang))
            );
            x += w;
        }
    }
    // Legend.
    let y = cats.len() as f64 * row_h + 20.0;
    let mut x = label_w;
    for s in Status::ALL {
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"var(--{})\"/><text x=\"{}\" y=\"{y}\" font-size=\"12\">{}</text>",
            y - 10.0,
            s.key(),
            x + 16.0,
            h(s.text().get(lang))
        );
        x += 130.0;
    }
    svg.push_str("</svg>");
    svg
}

pub(crate) fn render(
    report: &Report,
    catalogue: &Catalogue,
    options: RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let lang = options.lang;
    let audit = Audit::of(report, catalogue);
    let title = t(
        lang,
        "CCT Cloud π Native audit",
        "Audit du CCT Cloud π Native",
    );
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n",
        lang.code(),
        h(title),
        h(title),
        h(&header(report, catalogue, options))
    );

    // Summary.
    let _ = write!(
        page,
        "<h2>{}</h2>\n<table id=\"totals\">",
        h(t(lang, "Summary", "Synthèse"))
    );
    for (status, n) in audit.totals() {
        let _ = write!(
            page,
            "<tr><td><span class=\"status {}\">{}</span></td><td class=\"count\" data-status=\"{}\">{n}</td></tr>",
            status.key(),
            h(status.text().get(lang)),
            status.key()
        );
    }
    page.push_str("</table>\n");
    let _ = write!(
        page,
        "<h3>{}</h3>\n{}\n",
        h(t(
            lang,
            "Conformity by category",
            "Conformité par catégorie"
        )),
        chart(&audit, lang)
    );

    let unjudged: Vec<_> = report.unjudged().collect();
    if !unjudged.is_empty() {
        let _ = write!(
            page,
            "<h2>{}</h2>\n<ul id=\"unjudged\">",
            h(t(
                lang,
                "Inputs that could not be judged",
                "Entrées qui n'ont pas pu être jugées"
            ))
        );
        for d in unjudged {
            let at = d
                .location
                .as_ref()
                .map(|l| format!("{}:{}", l.path, l.start.line))
                .unwrap_or_default();
            let _ = write!(
                page,
                "<li><code>{}</code> <code>{}</code> {}</li>",
                h(&at),
                d.code,
                h(d.message.get(lang))
            );
        }
        page.push_str("</ul>\n");
    }

    // Filters.
    let _ = write!(
        page,
        "<div id=\"filters\"><span>{}:",
        h(t(lang, "Severity", "Sévérité"))
    );
    for s in [Severity::Error, Severity::Warning, Severity::Note] {
        let _ = write!(
            page,
            " <label><input type=\"checkbox\" name=\"severity\" value=\"{}\" checked> {}</label>",
            s.as_str(),
            h(severity_text(s, lang))
        );
    }
    let _ = write!(
        page,
        "</span><label>{} <select id=\"req\"><option value=\"\">{}</option>",
        h(t(lang, "Requirement", "Exigence")),
        h(t(lang, "all", "toutes"))
    );
    for row in &audit.rows {
        let _ = write!(page, "<option>{}</option>", h(&row.req.uid));
    }
    let _ = write!(
        page,
        "</select></label><label>{} <select id=\"status\"><option value=\"\">{}</option>",
        h(t(lang, "Status", "Statut")),
        h(t(lang, "all", "tous"))
    );
    for s in Status::ALL {
        let _ = write!(
            page,
            "<option value=\"{}\">{}</option>",
            s.key(),
            h(s.text().get(lang))
        );
    }
    let _ = writeln!(
        page,
        "</select></label><span><span id=\"shown\"></span> {}</span></div>",
        h(t(lang, "finding(s) shown", "constat(s) affiché(s)"))
    );

    // Requirements.
    let _ = writeln!(page, "<h2>{}</h2>", h(t(lang, "Requirements", "Exigences")));
    for row in &audit.rows {
        let _ = write!(
            page,
            "<section class=\"req\" id=\"{}\" data-req=\"{}\" data-status=\"{}\">\n<h3>{} ({}) <span class=\"status {}\">{}</span></h3>\n<p>{}</p>\n",
            h(&row.req.uid),
            h(&row.req.uid),
            row.status.key(),
            h(&row.req.uid),
            row.req.level.as_str(),
            row.status.key(),
            h(row.status.text().get(lang)),
            h(row.req.summary.get(lang))
        );
        if !row.rules.is_empty() {
            let rules: Vec<String> = row
                .rules
                .iter()
                .map(|(r, primary, ran)| {
                    let mut s = format!("<code>{}</code> {}", h(&r.spec.id), h(&r.spec.name));
                    if !primary {
                        s.push_str(&h(t(lang, " (supporting)", " (en appui)")));
                    }
                    if !ran {
                        s.push_str(&h(t(lang, " (not run)", " (non exécutée)")));
                    }
                    s
                })
                .collect();
            let _ = writeln!(
                page,
                "<p class=\"muted\">{}: {}</p>",
                h(t(lang, "Rules", "Règles")),
                rules.join(", ")
            );
        }
        if !row.findings.is_empty() {
            page.push_str("<ul class=\"files\">");
            for (path, findings) in &row.findings {
                let _ = write!(page, "<li class=\"file\"><code>{}</code><ul>", h(path));
                for f in findings {
                    let _ = write!(
                        page,
                        "<li class=\"finding {}\" data-severity=\"{}\" data-rule=\"{}\">{}:{} <span class=\"sev\">{}</span> <code>{}</code> {}</li>",
                        f.severity.as_str(),
                        f.severity.as_str(),
                        h(&f.rule_id),
                        f.location.start.line,
                        f.location.start.column,
                        h(severity_text(f.severity, lang)),
                        h(&f.rule_id),
                        h(f.message.get(lang))
                    );
                }
                page.push_str("</ul></li>");
            }
            page.push_str("</ul>\n");
        }
        if row.known > 0 {
            let _ = writeln!(
                page,
                "<p class=\"muted\">{} {}</p>",
                row.known,
                h(t(
                    lang,
                    "known finding(s) (baseline).",
                    "constat(s) connu(s) (référence)."
                ))
            );
        }
        if !row.suppressed.is_empty() {
            let _ = write!(
                page,
                "<p>{}:</p><ul class=\"derogations\">",
                h(t(lang, "Under derogation", "Sous dérogation"))
            );
            for f in &row.suppressed {
                if let Some(s) = &f.suppression {
                    let mut extra = Vec::new();
                    if let Some(e) = &s.expires {
                        extra.push(format!("{} {e}", t(lang, "until", "jusqu'au")));
                    }
                    if let Some(r) = &s.reference {
                        extra.push(r.clone());
                    }
                    let _ = write!(
                        page,
                        "<li class=\"derogation\"><code>{}:{}</code> <code>{}</code> {} — {}: <q>{}</q>{}</li>",
                        h(&f.location.path),
                        f.location.start.line,
                        h(&f.rule_id),
                        h(f.message.get(lang)),
                        h(t(lang, "reason", "raison")),
                        h(&s.justification),
                        if extra.is_empty() { String::new() } else { format!(" ({})", h(&extra.join(", "))) }
                    );
                }
            }
            page.push_str("</ul>\n");
        }
        let ev = evidence(row.req, lang);
        if !ev.is_empty() && matches!(row.status, Status::Manual | Status::Partial) {
            let _ = write!(
                page,
                "<p>{}:</p><ul class=\"evidence\">",
                h(t(lang, "Evidence to ask for", "Preuves à demander"))
            );
            for e in ev {
                let _ = write!(page, "<li>{}</li>", h(e));
            }
            page.push_str("</ul>\n");
        }
        page.push_str("</section>\n");
    }
    let _ = write!(page, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out.write_all(page.as_bytes())
}
