//! What a rule looks at: the kinds of subject, and who a finding is about.

use serde::{Deserialize, Serialize};

use super::Text;
use crate::source::DocFormat;

/// The kinds of subject a rule can select (`select.subject` in a rule file). The rule schema's
/// list, the subject table of the documentation and the selection code all come from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectKind {
    /// A Kubernetes object, as written.
    Resource,
    /// A pod template of a workload, with the workload's metadata.
    PodSpec,
    /// A container of a pod template, with its effective security context and parsed image.
    Container,
    /// A whole Dockerfile.
    Dockerfile,
    /// A stage of a Dockerfile.
    DockerfileStage,
    /// An instruction of a Dockerfile.
    DockerfileInstruction,
    /// A command of a `RUN` instruction.
    DockerfileCommand,
    /// A GitLab CI configuration, with the repository's facts.
    GitlabCi,
    /// A job of a GitLab CI configuration.
    GitlabJob,
    /// An OpenAPI or Swagger document.
    #[serde(rename = "openapi")]
    OpenApi,
    /// A derogation (configuration, `# cct-ignore:` comment, annotation).
    Derogation,
    /// A Helm chart: its `Chart.yaml`, with facts about its other files.
    HelmChart,
    /// A values file of a Helm chart, or the inline values of an Argo CD Application.
    HelmValues,
    /// A folder given to the scan: the repository, as the list of its files.
    Repository,
}

impl SubjectKind {
    /// Every subject kind, in the order they are documented.
    pub const ALL: [SubjectKind; 14] = [
        SubjectKind::Resource,
        SubjectKind::PodSpec,
        SubjectKind::Container,
        SubjectKind::Dockerfile,
        SubjectKind::DockerfileStage,
        SubjectKind::DockerfileInstruction,
        SubjectKind::DockerfileCommand,
        SubjectKind::GitlabCi,
        SubjectKind::GitlabJob,
        SubjectKind::OpenApi,
        SubjectKind::Derogation,
        SubjectKind::HelmChart,
        SubjectKind::HelmValues,
        SubjectKind::Repository,
    ];

    /// The name written in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Resource => "resource",
            SubjectKind::PodSpec => "pod-spec",
            SubjectKind::Container => "container",
            SubjectKind::Dockerfile => "dockerfile",
            SubjectKind::DockerfileStage => "dockerfile-stage",
            SubjectKind::DockerfileInstruction => "dockerfile-instruction",
            SubjectKind::DockerfileCommand => "dockerfile-command",
            SubjectKind::GitlabCi => "gitlab-ci",
            SubjectKind::GitlabJob => "gitlab-job",
            SubjectKind::OpenApi => "openapi",
            SubjectKind::Derogation => "derogation",
            SubjectKind::HelmChart => "helm-chart",
            SubjectKind::HelmValues => "helm-values",
            SubjectKind::Repository => "repository",
        }
    }

    /// The kind of a name written in a rule file.
    pub fn parse(name: &str) -> Option<SubjectKind> {
        SubjectKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The documents that offer subjects of this kind.
    pub fn format(self) -> DocFormat {
        match self {
            SubjectKind::Resource | SubjectKind::PodSpec | SubjectKind::Container => {
                DocFormat::Yaml
            }
            SubjectKind::Dockerfile
            | SubjectKind::DockerfileStage
            | SubjectKind::DockerfileInstruction
            | SubjectKind::DockerfileCommand => DocFormat::Dockerfile,
            SubjectKind::GitlabCi | SubjectKind::GitlabJob => DocFormat::GitlabCi,
            SubjectKind::OpenApi => DocFormat::OpenApi,
            SubjectKind::Derogation => DocFormat::Derogations,
            SubjectKind::HelmChart => DocFormat::HelmChart,
            SubjectKind::HelmValues => DocFormat::HelmValues,
            SubjectKind::Repository => DocFormat::Repository,
        }
    }

    /// How many subjects of this kind a document offers, for the documentation.
    pub fn one_per(self) -> Text {
        let (en, fr) = match self {
            SubjectKind::Resource => (
                "Kubernetes object (items of a `List` too)",
                "objet Kubernetes (éléments d'une `List` aussi)",
            ),
            SubjectKind::PodSpec => (
                "pod template of a workload",
                "gabarit de pod d'une charge de travail",
            ),
            SubjectKind::Container => (
                "container, init container or ephemeral container",
                "conteneur, conteneur d'initialisation ou éphémère",
            ),
            SubjectKind::Dockerfile => ("Dockerfile", "Dockerfile"),
            SubjectKind::DockerfileStage => (
                "stage (`FROM`) of a Dockerfile",
                "étape (`FROM`) d'un Dockerfile",
            ),
            SubjectKind::DockerfileInstruction => {
                ("instruction of a Dockerfile", "instruction d'un Dockerfile")
            }
            SubjectKind::DockerfileCommand => (
                "command of a `RUN`, `CMD`, `ENTRYPOINT` or `HEALTHCHECK` instruction (shell analysed)",
                "commande d'une instruction `RUN`, `CMD`, `ENTRYPOINT` ou `HEALTHCHECK` (shell analysé)",
            ),
            SubjectKind::GitlabCi => (
                "GitLab CI configuration (includes resolved)",
                "configuration GitLab CI (inclusions résolues)",
            ),
            SubjectKind::GitlabJob => (
                "job of a GitLab CI configuration (hidden jobs and `default:` too)",
                "job d'une configuration GitLab CI (jobs cachés et `default:` compris)",
            ),
            SubjectKind::OpenApi => (
                "OpenAPI 3 or Swagger 2.0 document",
                "document OpenAPI 3 ou Swagger 2.0",
            ),
            SubjectKind::Derogation => (
                "derogation: an entry of `.cct.yaml`, a `# cct-ignore:` comment, an ignore annotation",
                "dérogation : une entrée de `.cct.yaml`, un commentaire `# cct-ignore:`, une annotation d'exclusion",
            ),
            SubjectKind::HelmChart => (
                "Helm chart (its `Chart.yaml`; library charts and subcharts aside)",
                "chart Helm (son `Chart.yaml` ; charts de bibliothèque et sous-charts exceptés)",
            ),
            SubjectKind::HelmValues => (
                "values file of a chart (`values*.yaml`, `values/<env>/values.yaml`), or inline values of an Argo CD Application",
                "fichier de valeurs d'un chart (`values*.yaml`, `values/<env>/values.yaml`), ou valeurs en ligne d'une Application Argo CD",
            ),
            SubjectKind::Repository => (
                "folder given to the scan (the repository)",
                "dossier donné à l'analyse (le dépôt)",
            ),
        };
        Text::new(en, fr)
    }

    /// What the view a check receives holds, for the documentation (as built in
    /// `check::subject`).
    pub fn view(self) -> Text {
        let (en, fr) = match self {
            SubjectKind::Resource => ("the object as written", "l'objet tel qu'écrit"),
            SubjectKind::PodSpec => (
                "`kind`, `apiVersion`, `metadata` of the workload, `podMetadata`, `spec`, `replicas` (when written), `longRunning`",
                "`kind`, `apiVersion`, `metadata` de la charge, `podMetadata`, `spec`, `replicas` (s'il est écrit), `longRunning`",
            ),
            SubjectKind::Container => (
                "`kind` of the workload, `containerType`, `longRunning`, `container` as written, the parsed `image`, the effective `securityContext`, the `pod` spec",
                "`kind` de la charge, `containerType`, `longRunning`, `container` tel qu'écrit, l'`image` analysée, le `securityContext` effectif, la spec du `pod`",
            ),
            SubjectKind::Dockerfile => (
                "the model: `directives`, global `args`, `stages`, `finalStage`, `comments`",
                "le modèle : `directives`, `args` globaux, `stages`, `finalStage`, `comments`",
            ),
            SubjectKind::DockerfileStage => (
                "the stage: `index`, `name`, `from`, `final`, `inFinalImage`, `rootImage`, effective `user` and `healthcheck`, its `instructions`",
                "l'étape : `index`, `name`, `from`, `final`, `inFinalImage`, `rootImage`, `user` et `healthcheck` effectifs, ses `instructions`",
            ),
            SubjectKind::DockerfileInstruction => (
                "the instruction: `keyword`, `line`, `flags`, `args` and the fields of its kind, with `final` and the index of its `stage` added",
                "l'instruction : `keyword`, `line`, `flags`, `args` et les champs de son type, avec `final` et l'indice de son étape `stage` ajoutés",
            ),
            SubjectKind::DockerfileCommand => (
                "the command: `program`, `path`, `args`, `words`, `assignments`, `wrappers`, `sudo`, `packageManager`, `packages`, `redirects`, with `final` and the instruction's `keyword` added",
                "la commande : `program`, `path`, `args`, `words`, `assignments`, `wrappers`, `sudo`, `packageManager`, `packages`, `redirects`, avec `final` et le `keyword` de l'instruction ajoutés",
            ),
            SubjectKind::GitlabCi => (
                "the model: `stages`, `variables`, `default`, `includes`, `jobs`, and the `repository` facts",
                "le modèle : `stages`, `variables`, `default`, `includes`, `jobs`, et les faits du `repository`",
            ),
            SubjectKind::GitlabJob => (
                "the job with `extends`, `default:` and global `variables` resolved, with `name`, `hidden`, `extendsAll`, `extendedBy` and `scriptLines` (each line split into commands) added",
                "le job avec `extends`, `default:` et les `variables` globales résolus, avec `name`, `hidden`, `extendsAll`, `extendedBy` et `scriptLines` (chaque ligne découpée en commandes) ajoutés",
            ),
            SubjectKind::OpenApi => (
                "the document as written, with the facts `version`, `operations`, `operationCount`, `exampleCount`, `unresolvedRefs`, `accessDescribed`, `document` (the document itself) added",
                "le document tel qu'écrit, avec les faits `version`, `operations`, `operationCount`, `exampleCount`, `unresolvedRefs`, `accessDescribed`, `document` (le document lui-même) ajoutés",
            ),
            SubjectKind::Derogation => (
                "`origin` (config, inline, annotation), `rules` as written, `reason`, `expires`, `expiredOn` (the date once past, else null), `today`, `reference`",
                "`origin` (config, inline, annotation), `rules` tels qu'écrits, `reason`, `expires`, `expiredOn` (la date une fois passée, sinon null), `today`, `reference`",
            ),
            SubjectKind::HelmChart => (
                "`Chart.yaml` as written, with the facts `lock` (the versions `Chart.lock` pins, null without one), `valuesFile`, `valuesSchema`, `templates` (file names) added",
                "`Chart.yaml` tel qu'écrit, avec les faits `lock` (les versions que fixe `Chart.lock`, null sans lui), `valuesFile`, `valuesSchema`, `templates` (noms des fichiers) ajoutés",
            ),
            SubjectKind::HelmValues => (
                "the values as written, with the facts `chart` (`name`, `appVersion`, `bitnamiDependencies`; for an Application: its `application` name), `file`, `environment` and `otherFiles` (the chart's other values files: `file`, `environment`, `values`) added",
                "les valeurs telles qu'écrites, avec les faits `chart` (`name`, `appVersion`, `bitnamiDependencies` ; pour une Application : son nom `application`), `file`, `environment` et `otherFiles` (les autres fichiers de valeurs du chart : `file`, `environment`, `values`) ajoutés",
            ),
            SubjectKind::Repository => (
                "`root` (its path), `files` (the paths of its files relative to it, sorted, out of folders of dependencies and build outputs; each located at the file), `truncated`",
                "`root` (son chemin), `files` (les chemins de ses fichiers relatifs à lui, triés, hors dossiers de dépendances et de produits de construction ; chacun situé au fichier), `truncated`",
            ),
        };
        Text::new(en, fr)
    }
}

impl std::fmt::Display for SubjectKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a finding is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SubjectIdentity {
    /// `apiVersion` of the resource.
    pub api_version: String,
    /// Kind of the resource.
    pub kind: String,
    /// Namespace, if written.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Container name, for container subjects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde() {
        for k in SubjectKind::ALL {
            assert_eq!(SubjectKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::json!(k.as_str()))
            );
        }
    }
}
