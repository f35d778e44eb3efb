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
}

impl SubjectKind {
    /// Every subject kind, in the order they are documented.
    pub const ALL: [SubjectKind; 10] = [
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
                "command of a `RUN` instruction (shell analysed)",
                "commande d'une instruction `RUN` (shell analysé)",
            ),
            SubjectKind::GitlabCi => (
                "GitLab CI configuration (includes resolved)",
                "configuration GitLab CI (inclusions résolues)",
            ),
            SubjectKind::GitlabJob => (
                "job of a GitLab CI configuration (`extends` resolved)",
                "job d'une configuration GitLab CI (`extends` résolus)",
            ),
            SubjectKind::OpenApi => (
                "OpenAPI 3 or Swagger 2.0 document",
                "document OpenAPI 3 ou Swagger 2.0",
            ),
        };
        Text::new(en, fr)
    }

    /// What the view a check receives holds, for the documentation.
    pub fn view(self) -> Text {
        let (en, fr) = match self {
            SubjectKind::Resource => ("the object as written", "l'objet tel qu'écrit"),
            SubjectKind::PodSpec => ("`kind`, `apiVersion`, `metadata` of the workload, `podMetadata`, `spec`, `replicas`, `longRunning`", "`kind`, `apiVersion`, `metadata` de la charge, `podMetadata`, `spec`, `replicas`, `longRunning`"),
            SubjectKind::Container => ("`container` as written, `containerType`, `longRunning`, the parsed `image`, the effective `securityContext`, the pod's `volumes`", "`container` tel qu'écrit, `containerType`, `longRunning`, l'`image` analysée, le `securityContext` effectif, les `volumes` du pod"),
            SubjectKind::Dockerfile => ("the model: `stages`, `instructions`, `args`, `final`", "le modèle : `stages`, `instructions`, `args`, `final`"),
            SubjectKind::DockerfileStage => ("the stage: `from`, `final`, `inFinalImage`, effective `user` and `healthcheck`, its instructions", "l'étape : `from`, `final`, `inFinalImage`, `user` et `healthcheck` effectifs, ses instructions"),
            SubjectKind::DockerfileInstruction => ("the instruction: `keyword`, `flags`, `arguments`, its stage", "l'instruction : `keyword`, `flags`, `arguments`, son étape"),
            SubjectKind::DockerfileCommand => ("the command: `words`, `program`, `packages`, its instruction and stage", "la commande : `words`, `program`, `packages`, son instruction et son étape"),
            SubjectKind::GitlabCi => ("the model: `jobs`, `includes`, `variables`, `repository` facts", "le modèle : `jobs`, `includes`, `variables`, faits du `repository`"),
            SubjectKind::GitlabJob => ("the job with `extends` resolved, its script lines split into commands", "le job avec ses `extends` résolus, ses lignes de script découpées en commandes"),
            SubjectKind::OpenApi => ("the document, with `operations`, `unresolvedRefs` and `examples` facts", "le document, avec les faits `operations`, `unresolvedRefs` et `examples`"),
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
