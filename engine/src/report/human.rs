//! Human output: codespan-reporting snippets and a summary per requirement.

use std::collections::BTreeMap;
use std::io::Write;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

use super::RenderOptions;
use super::Report;
use crate::catalogue::{Catalogue, Level, Severity};
use crate::vocab::{BaselineState, DiagnosticLevel};
use crate::vocab::{Lang, Text};

struct Words {
    lang: Lang,
}

impl Words {
    fn t<'a>(&self, en: &'a str, fr: &'a str) -> &'a str {
        match self.lang {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }
}

pub(super) fn render(
    report: &Report,
    catalogue: &Catalogue,
    options: RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let w = Words { lang: options.lang };
    let mut files = SimpleFiles::new();
    let mut ids = BTreeMap::new();
    for (path, src) in &report.sources {
        ids.insert(
            path.clone(),
            files.add(path.clone(), src.text().to_string()),
        );
    }
    let config = term::Config::default();
    let mut buffer = if options.color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };

    for d in &report.diagnostics {
        let severity = match d.level {
            DiagnosticLevel::Error => CsSeverity::Error,
            DiagnosticLevel::Warning => CsSeverity::Warning,
            DiagnosticLevel::Note => CsSeverity::Note,
        };
        let mut cs = CsDiagnostic::new(severity)
            .with_code(d.code)
            .with_message(d.message.get(options.lang));
        match d.location.as_ref() {
            Some(l) if ids.contains_key(&l.path) => {
                let id = ids[&l.path];
                let range = l.bytes.start as usize..l.bytes.end as usize;
                cs = cs.with_labels(vec![Label::primary(id, range)]);
            }
            Some(l) => {
                cs = cs.with_notes(vec![format!(
                    "{}:{}:{}",
                    l.path, l.start.line, l.start.column
                )]);
            }
            None => {}
        }
        emit(&mut buffer, &config, &files, &cs)?;
    }

    // Findings already in the baseline are hidden (the summary says how many).
    for f in report
        .findings
        .iter()
        .filter(|f| f.baseline != Some(BaselineState::Unchanged))
    {
        let rule = catalogue.rule(&f.rule_id);
        let severity = match f.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
            Severity::Note => CsSeverity::Note,
        };
        // The requirements the rule implements, each with its own level.
        let primary: Vec<String> = rule
            .map(|r| {
                r.spec
                    .requirements
                    .iter()
                    .filter(|l| l.relation() == crate::catalogue::Relation::Primary)
                    .map(|l| {
                        let level = catalogue
                            .requirement(l.uid())
                            .map_or("?", |q| q.level.as_str());
                        format!("{} ({level})", l.uid())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut label_text = if primary.is_empty() {
            Group::of(rule.map(|r| &**r))
                .label()
                .get(w.lang)
                .to_string()
        } else {
            primary.join(", ")
        };
        if !f.blocking.is_empty() {
            label_text.push_str(&format!(
                " · {} {}",
                w.t("refused at admission by", "refusé à l'admission par"),
                f.blocking.join(", ")
            ));
        }
        let mut notes = Vec::new();
        if !f.environments.is_empty() {
            notes.push(format!(
                "{} {}",
                w.t("environments:", "environnements :"),
                f.environments.join(", ")
            ));
        }
        if let Some(s) = &f.suppression {
            notes.push(format!(
                "{} {}",
                w.t("derogation:", "dérogation :"),
                s.justification
            ));
        }
        if let Some(rule) = rule {
            // The first paragraph of the remediation (snippets are in the rule's page).
            let fix = rule.spec.remediation.get(options.lang);
            let paragraph: Vec<&str> = fix
                .lines()
                .map(str::trim)
                .skip_while(|l| l.is_empty())
                .take_while(|l| !l.is_empty() && !l.starts_with("```"))
                .collect();
            if !paragraph.is_empty() {
                let text = paragraph.join(" ");
                let text = text.trim_end_matches(':').trim_end();
                notes.push(format!("{} {text}", w.t("fix:", "correction :")));
            }
            if let Some(uri) = rule.help_uri() {
                notes.push(format!("{} {uri}", w.t("see", "voir")));
            }
        }
        let sensitive = rule.is_some_and(|r| r.spec.sensitive);
        let mut cs = CsDiagnostic::new(severity)
            .with_code(&f.rule_id)
            .with_message(f.message.get(options.lang));
        match ids.get(&f.location.path) {
            Some(id) if !sensitive => {
                let range = f.location.bytes.start as usize..f.location.bytes.end as usize;
                let mut labels = vec![Label::primary(*id, range).with_message(label_text)];
                for r in &f.related {
                    if let Some(rid) = ids.get(&r.location.path) {
                        labels.push(
                            Label::secondary(
                                *rid,
                                r.location.bytes.start as usize..r.location.bytes.end as usize,
                            )
                            .with_message(r.message.get(options.lang)),
                        );
                    }
                }
                cs = cs.with_labels(labels);
            }
            _ => {
                // A secret is never shown: no snippet, only the place.
                notes.insert(
                    0,
                    format!(
                        "{}:{}:{} · {label_text}",
                        f.location.path, f.location.start.line, f.location.start.column
                    ),
                );
            }
        }
        cs = cs.with_notes(notes);
        emit(&mut buffer, &config, &files, &cs)?;
    }
    out.write_all(buffer.as_slice())?;
    summary(report, catalogue, &w, out)
}

/// Where a rule that implements no CCT requirement belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    /// A Cloud π Native admission rule of the catalogue.
    Platform,
    /// A Pod Security Standards control (the `pss-*` profiles).
    PodSecurity,
    /// A rule of the team (`--rules`), Conftest policies included.
    Team,
}

impl Group {
    fn of(rule: Option<&crate::catalogue::Rule>) -> Group {
        match rule {
            Some(r) if r.user => Group::Team,
            Some(r) if r.spec.tags.iter().any(|t| t == "pod-security") => Group::PodSecurity,
            _ => Group::Platform,
        }
    }

    /// The label of a finding of the group.
    fn label(self) -> Text {
        match self {
            Group::Platform => Text::new("platform rule", "règle de la plateforme"),
            Group::PodSecurity => Text::new("Pod Security Standards", "Pod Security Standards"),
            Group::Team => Text::new("rule of the team", "règle de l'équipe"),
        }
    }

    /// Its row in the summary: a short name and what it is.
    fn summary(self) -> (Text, Text) {
        match self {
            Group::Platform => (
                Text::new("platform", "plateforme"),
                Text::new(
                    "Cloud π Native admission rules",
                    "règles d'admission de Cloud π Native",
                ),
            ),
            Group::PodSecurity => (
                Text::new("pod-security", "pod-security"),
                Text::new(
                    "Kubernetes Pod Security Admission",
                    "Pod Security Admission de Kubernetes",
                ),
            ),
            Group::Team => (
                Text::new("team", "équipe"),
                Text::new(
                    "rules of the team (--rules)",
                    "règles de l'équipe (--rules)",
                ),
            ),
        }
    }
}

fn emit(
    buffer: &mut termcolor::Buffer,
    config: &term::Config,
    files: &SimpleFiles<String, String>,
    d: &CsDiagnostic<usize>,
) -> std::io::Result<()> {
    term::emit_to_write_style(buffer, config, files, d)
        .map_err(|e| std::io::Error::other(e.to_string()))
}

fn summary(
    report: &Report,
    catalogue: &Catalogue,
    w: &Words,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    // Per requirement: counts of unsuppressed findings by severity.
    let mut per_req: BTreeMap<usize, [usize; 3]> = BTreeMap::new();
    // Findings of rules that implement no CCT requirement, by group.
    let mut outside: BTreeMap<Group, [usize; 3]> = BTreeMap::new();
    for f in report.findings.iter().filter(|f| f.counts()) {
        let idx = match f.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Note => 2,
        };
        if f.requirements.is_empty() {
            outside
                .entry(Group::of(catalogue.rule(&f.rule_id).map(|r| &**r)))
                .or_default()[idx] += 1;
        }
        for uid in &f.requirements {
            if let Some(pos) = catalogue.requirements.iter().position(|r| &r.uid == uid) {
                per_req.entry(pos).or_default()[idx] += 1;
            }
        }
    }
    let counts = |c: &[usize; 3]| {
        let mut parts = Vec::new();
        if c[0] > 0 {
            parts.push(format!("{} {}", c[0], w.t("error(s)", "erreur(s)")));
        }
        if c[1] > 0 {
            parts.push(format!(
                "{} {}",
                c[1],
                w.t("warning(s)", "avertissement(s)")
            ));
        }
        if c[2] > 0 {
            parts.push(format!("{} {}", c[2], w.t("note(s)", "note(s)")));
        }
        parts.join(", ")
    };
    if !per_req.is_empty() || !outside.is_empty() {
        writeln!(
            out,
            "{}",
            w.t(
                "Summary by CCT requirement:",
                "Résumé par exigence du CCT :"
            )
        )?;
        for (pos, c) in &per_req {
            let r = &catalogue.requirements[*pos];
            let level = match r.level {
                Level::P => "P",
                Level::I => "I",
                Level::None => "-",
            };
            let summary = r.summary.get(w.lang);
            let short: String = summary.chars().take(70).collect();
            let ellipsis = if summary.chars().count() > 70 {
                "…"
            } else {
                ""
            };
            writeln!(
                out,
                "  {:<14} {level}  {:<28} {short}{ellipsis}",
                r.uid,
                counts(c)
            )?;
        }
        for (group, c) in &outside {
            let (name, what) = group.summary();
            writeln!(
                out,
                "  {:<14} -  {:<28} {}",
                name.get(w.lang),
                counts(c),
                what.get(w.lang)
            )?;
        }
    }
    let total: usize = report.findings.iter().filter(|f| f.counts()).count();
    let suppressed = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_some())
        .count();
    let s = &report.stats;
    let line = Text::new(
        format!(
            "{total} finding(s){}; {} manifest file(s), {} Kubernetes object(s), {} document(s) without apiVersion/kind skipped, {} Dockerfile(s), {} Helm chart(s) rendered, {} not rendered, {} environment(s).",
            if suppressed > 0 { format!(" ({suppressed} under derogation)") } else { String::new() },
            s.manifest_files, s.resources, s.skipped_documents, s.dockerfiles, s.charts_rendered, s.charts_failed, s.environments
        ),
        format!(
            "{total} constat(s){} ; {} fichier(s) de manifestes, {} objet(s) Kubernetes, {} document(s) sans apiVersion/kind ignoré(s), {} Dockerfile(s), {} chart(s) Helm rendu(s), {} non rendu(s), {} environnement(s).",
            if suppressed > 0 { format!(" ({suppressed} sous dérogation)") } else { String::new() },
            s.manifest_files, s.resources, s.skipped_documents, s.dockerfiles, s.charts_rendered, s.charts_failed, s.environments
        ),
    );
    writeln!(out, "{}", line.get(w.lang))?;
    if s.test_hooks > 0 {
        let hooks = Text::new(
            format!(
                "{} Helm test hook(s) (helm.sh/hook: test) not judged: they run only under `helm test` and are never deployed.",
                s.test_hooks
            ),
            format!(
                "{} hook(s) de test Helm (helm.sh/hook: test) non jugé(s) : ils ne s'exécutent que sous `helm test` et ne sont jamais déployés.",
                s.test_hooks
            ),
        );
        writeln!(out, "{}", hooks.get(w.lang))?;
    }
    gate_lines(report, w, out)
}

/// What else decides the exit code: the baseline, and the inputs that were not judged.
fn gate_lines(report: &Report, w: &Words, out: &mut dyn Write) -> std::io::Result<()> {
    if let Some(absent) = &report.baseline_absent {
        let known = report
            .findings
            .iter()
            .filter(|f| f.baseline == Some(BaselineState::Unchanged) && f.suppression.is_none())
            .count();
        let text = Text::new(
            format!(
                "Baseline: {known} known finding(s) hidden; {} of its findings no longer found (fixed: run `cct baseline create` to record it).",
                absent.len()
            ),
            format!(
                "Référence : {known} constat(s) connu(s) masqué(s) ; {} de ses constats ne se retrouvent plus (corrigés : lancer `cct baseline create` pour l'enregistrer).",
                absent.len()
            ),
        );
        writeln!(out, "{}", text.get(w.lang))?;
    }
    let unjudged: Vec<_> = report.unjudged().collect();
    if !unjudged.is_empty() {
        writeln!(
            out,
            "{}",
            Text::new(
                format!("{} input(s) could not be judged (the run fails unless allowed with --allow-unjudged):", unjudged.len()),
                format!("{} entrée(s) n'ont pas pu être jugées (l'exécution échoue sauf si --allow-unjudged l'autorise) :", unjudged.len()),
            )
            .get(w.lang)
        )?;
        for d in unjudged {
            let at = d
                .location
                .as_ref()
                .map(|l| format!("{}:{}:{}: ", l.path, l.start.line, l.start.column))
                .unwrap_or_default();
            writeln!(out, "  {at}[{}] {}", d.code, d.message.get(w.lang))?;
        }
    }
    Ok(())
}
