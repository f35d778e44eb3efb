//! Diagnostic codes: every kind of tool problem cct reports, with what it means.
//!
//! The list is the single place a code is defined: reports print [`DiagnosticCode::as_str`], the
//! documentation's table comes from [`DiagnosticCode::ALL`] and [`DiagnosticCode::description`],
//! and a test checks that names are unique kebab-case and every code is described in both
//! languages.

use serde::{Serialize, Serializer};

use super::Text;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $en:literal, $fr:literal; )*) => {
        /// A kind of tool problem (not a finding): an input that could not be read or judged, a
        /// bad rule or configuration.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum DiagnosticCode {
            $( $(#[$doc])* $variant, )*
        }

        impl DiagnosticCode {
            /// Every code, in the order they are documented.
            pub const ALL: &'static [DiagnosticCode] = &[$(DiagnosticCode::$variant),*];

            /// The kebab-case name shown in reports.
            pub fn as_str(self) -> &'static str {
                match self { $(DiagnosticCode::$variant => $name,)* }
            }

            /// What the code means, in English and French.
            pub fn description(self) -> Text {
                match self { $(DiagnosticCode::$variant => Text::new($en, $fr),)* }
            }
        }
    };
}

codes! {
    /// A path given on the command line, or a folder of it, cannot be walked.
    PathUnreadable = "path-unreadable",
        "A path given to cct, or a folder below it, cannot be read; nothing in it was checked.",
        "Un chemin donné à cct, ou un dossier en dessous, est illisible ; rien n'y a été vérifié.";
    /// A file cannot be read.
    FileUnreadable = "file-unreadable",
        "A file cannot be read (permissions, I/O error); it was not checked.",
        "Un fichier ne peut pas être lu (droits, erreur d'entrée-sortie) ; il n'a pas été vérifié.";
    /// A file is larger than the limit.
    FileTooLarge = "file-too-large",
        "A file is larger than the size limit; it was not checked.",
        "Un fichier dépasse la taille maximale ; il n'a pas été vérifié.";
    /// A file is not UTF-8 text.
    FileNotUtf8 = "file-not-utf8",
        "A file is not UTF-8 text (binary data, another encoding); it was not checked.",
        "Un fichier n'est pas du texte UTF-8 (données binaires, autre encodage) ; il n'a pas été vérifié.";
    /// A YAML file holds `{{ … }}` placeholders of another tool.
    TemplatePlaceholder = "template-placeholder",
        "A YAML file holds `{{ … }}` placeholders: it is a template for another tool, not a manifest, and was not checked.",
        "Un fichier YAML contient des espaces réservés `{{ … }}` : c'est un gabarit pour un autre outil, pas un manifeste, et il n'a pas été vérifié.";
    /// YAML syntax error.
    YamlSyntax = "yaml-syntax",
        "A YAML document is not valid YAML; the documents after it in the file are still read.",
        "Un document YAML n'est pas du YAML valide ; les documents suivants du fichier sont tout de même lus.";
    /// An alias names no anchor.
    YamlAlias = "yaml-alias",
        "A YAML alias (`*name`) refers to no anchor.",
        "Un alias YAML (`*nom`) ne désigne aucune ancre.";
    /// Expanding aliases would exceed the node budget (an alias bomb).
    YamlAliasBudget = "yaml-alias-budget",
        "Expanding the YAML aliases of a document would create too many nodes (an alias bomb); the document was not checked.",
        "L'expansion des alias YAML d'un document créerait trop de nœuds (bombe d'alias) ; le document n'a pas été vérifié.";
    /// A mapping key that is not a scalar.
    YamlComplexKey = "yaml-complex-key",
        "A mapping key is not a scalar (a list or mapping used as a key), which Kubernetes cannot read.",
        "Une clé de mapping n'est pas un scalaire (liste ou mapping utilisé comme clé), ce que Kubernetes ne sait pas lire.";
    /// A key written twice in one mapping.
    YamlDuplicateKey = "yaml-duplicate-key",
        "A key is written twice in one mapping: the last one wins here, and kubectl refuses the file.",
        "Une clé est écrite deux fois dans un même mapping : la dernière l'emporte ici, et kubectl refuse le fichier.";
    /// A merge key (`<<`) whose value is not a mapping or a list of mappings.
    YamlMerge = "yaml-merge",
        "A merge key (`<<`) does not merge a mapping or a list of mappings; it is ignored.",
        "Une clé de fusion (`<<`) ne fusionne ni un mapping ni une liste de mappings ; elle est ignorée.";
    /// Nesting deeper than the limit.
    YamlTooDeep = "yaml-too-deep",
        "A YAML document nests deeper than the limit; it was not checked.",
        "Un document YAML est imbriqué plus profondément que la limite ; il n'a pas été vérifié.";
    /// A Dockerfile syntax error.
    DockerfileSyntax = "dockerfile-syntax",
        "An instruction of a Dockerfile cannot be parsed; the other instructions are still checked.",
        "Une instruction d'un Dockerfile ne peut pas être analysée ; les autres instructions sont tout de même vérifiées.";
    /// A GitLab CI file that is not a configuration.
    GitlabCiInvalid = "gitlab-ci-invalid",
        "A GitLab CI file is not a YAML mapping of jobs and keywords; it was not checked.",
        "Un fichier GitLab CI n'est pas un mapping YAML de jobs et de mots-clés ; il n'a pas été vérifié.";
    /// An `include:` entry that cannot be understood.
    GitlabIncludeInvalid = "gitlab-include-invalid",
        "An `include:` entry of a GitLab CI file has a form GitLab does not accept; it is ignored.",
        "Une entrée `include:` d'un fichier GitLab CI a une forme que GitLab n'accepte pas ; elle est ignorée.";
    /// An include of another project, a remote URL, a template or a component.
    GitlabIncludeExternal = "gitlab-include-external",
        "An `include:` names another project, a remote URL, a template or a component: cct does not fetch it, so its jobs are not checked.",
        "Un `include:` désigne un autre projet, une URL distante, un gabarit ou un composant : cct ne le récupère pas, ses jobs ne sont donc pas vérifiés.";
    /// A local include that is not followed (wildcards, variables, limits).
    GitlabIncludeNotFollowed = "gitlab-include-not-followed",
        "A local `include:` is not followed (a wildcard or variable in its path, or a limit reached).",
        "Un `include:` local n'est pas suivi (joker ou variable dans son chemin, ou limite atteinte).";
    /// A local include names a missing file.
    GitlabIncludeMissing = "gitlab-include-missing",
        "A local `include:` names a file that does not exist in the repository.",
        "Un `include:` local désigne un fichier absent du dépôt.";
    /// A local include cannot be read.
    GitlabIncludeUnreadable = "gitlab-include-unreadable",
        "A file included by a GitLab CI file cannot be read or parsed.",
        "Un fichier inclus par un fichier GitLab CI ne peut pas être lu ou analysé.";
    /// Files that include each other.
    GitlabIncludeLoop = "gitlab-include-loop",
        "GitLab CI files include each other; the loop is cut.",
        "Des fichiers GitLab CI s'incluent mutuellement ; la boucle est coupée.";
    /// `!reference` chains deeper than GitLab allows.
    GitlabReferenceTooDeep = "gitlab-reference-too-deep",
        "`!reference` tags are nested deeper than GitLab allows.",
        "Des balises `!reference` sont imbriquées plus profondément que GitLab ne le permet.";
    /// A `!reference` that names nothing cct can see.
    GitlabReferenceUnresolved = "gitlab-reference-unresolved",
        "A `!reference` names a job or key that cct cannot see (an external include, a typo).",
        "Un `!reference` désigne un job ou une clé que cct ne voit pas (inclusion externe, coquille).";
    /// `extends` that loop.
    GitlabExtendsLoop = "gitlab-extends-loop",
        "Jobs extend each other in a loop, or deeper than GitLab allows.",
        "Des jobs s'étendent mutuellement en boucle, ou plus profondément que GitLab ne le permet.";
    /// `extends` of a job cct cannot see.
    GitlabExtendsUnknown = "gitlab-extends-unknown",
        "A job extends a job cct cannot see (an external include, a typo); what it inherits is not checked.",
        "Un job étend un job que cct ne voit pas (inclusion externe, coquille) ; ce qu'il hérite n'est pas vérifié.";
    /// A chart that cannot be loaded.
    HelmLoad = "helm-load",
        "A Helm chart cannot be loaded (Chart.yaml, values.yaml, a subchart); it was not checked.",
        "Un chart Helm ne peut pas être chargé (Chart.yaml, values.yaml, un sous-chart) ; il n'a pas été vérifié.";
    /// A dependency found nowhere.
    HelmMissingDependency = "helm-missing-dependency",
        "A dependency of a chart was found nowhere; the chart is checked without it.",
        "Une dépendance d'un chart est introuvable ; le chart est vérifié sans elle.";
    /// The values of an environment cannot be read.
    HelmValues = "helm-values",
        "The values files of a chart's environment cannot be read; that environment was not checked.",
        "Les fichiers de valeurs d'un environnement d'un chart ne peuvent pas être lus ; cet environnement n'a pas été vérifié.";
    /// A chart that does not render.
    HelmRender = "helm-render",
        "A Helm chart does not render (`required`, `fail`, a nil pointer, a parse error, a schema violation); Helm's message is given with the template's line.",
        "Un chart Helm ne se rend pas (`required`, `fail`, pointeur nil, erreur d'analyse, violation du schéma) ; le message de Helm est donné avec la ligne du template.";
    /// A kustomization that cannot be built.
    KustomizeBuild = "kustomize-build",
        "A kustomization cannot be built (a file or folder it names is missing or unreadable, a patch matches nothing, a field is malformed); that build was not checked.",
        "Une kustomization ne peut pas être construite (un fichier ou dossier qu'elle nomme manque ou est illisible, un patch ne s'applique à rien, un champ est mal formé) ; cette construction n'a pas été vérifiée.";
    /// A kustomization names a remote resource, never fetched.
    KustomizeRemote = "kustomize-remote",
        "A kustomization names a remote resource (a URL, a Git repository): cct never fetches it, and the build is checked without it.",
        "Une kustomization nomme une ressource distante (une URL, un dépôt Git) : cct ne la télécharge jamais, et la construction est vérifiée sans elle.";
    /// A kustomization field cct does not build.
    KustomizeUnsupported = "kustomize-unsupported",
        "A kustomization uses a field cct does not build yet; the build is checked without it.",
        "Une kustomization utilise un champ que cct ne construit pas encore ; la construction est vérifiée sans lui.";
    /// A kustomization's `helmCharts` entry whose chart is found nowhere, or does not render.
    KustomizeHelmChart = "kustomize-helm-chart",
        "A kustomization's `helmCharts` entry names a chart found nowhere on disk (its chart home, the scanned charts, the --charts-dir folders, Helm's cache; repositories are never fetched), or the chart does not render: the build is checked without its resources.",
        "Une entrée `helmCharts` d'une kustomization nomme un chart introuvable sur le disque (son dossier de charts, les charts analysés, les dossiers --charts-dir, le cache de Helm ; aucun dépôt n'est téléchargé), ou le chart ne se rend pas : la construction est vérifiée sans ses ressources.";
    /// A file given alone that looks like a Kustomize patch, which no kustomization uses.
    KustomizeFragment = "kustomize-fragment",
        "A file given alone looks like a Kustomize patch (a partial object: containers without an image, patch directives, JSON 6902 operations), and no kustomization around it uses it: it is not judged as a whole resource. Check the overlay that uses it.",
        "Un fichier donné seul ressemble à un patch Kustomize (un objet partiel : conteneurs sans image, directives de patch, opérations JSON 6902), et aucune kustomization autour de lui ne l'utilise : il n'est pas jugé comme une ressource entière. Vérifiez l'overlay qui l'utilise.";
    /// A rule file that cannot be read.
    RuleUnreadable = "rule-unreadable",
        "A rule file of a `--rules` folder cannot be read; the other rules still run.",
        "Un fichier de règle d'un dossier `--rules` est illisible ; les autres règles s'exécutent.";
    /// A rule file that does not match the rule schema.
    RuleInvalid = "rule-invalid",
        "A rule file does not follow the rule format (schemas/rule.schema.json); it is not run.",
        "Un fichier de règle ne suit pas le format des règles (schemas/rule.schema.json) ; il n'est pas exécuté.";
    /// A rule file with zero or several documents.
    RuleNotOneDocument = "rule-not-one-document",
        "A rule file must hold exactly one YAML document.",
        "Un fichier de règle doit contenir exactement un document YAML.";
    /// Two rules with one id or name.
    RuleDuplicateId = "rule-duplicate-id",
        "Two rules share an id or a name; the second is ignored.",
        "Deux règles partagent un identifiant ou un nom ; la seconde est ignorée.";
    /// A rule names a requirement the catalogue does not know.
    RuleUnknownRequirement = "rule-unknown-requirement",
        "A rule names a requirement that is not in the CCT's list.",
        "Une règle désigne une exigence absente de la liste du CCT.";
    /// A rule's Rego file cannot be read.
    RulePolicyUnreadable = "rule-policy-unreadable",
        "The Rego policy a rule names cannot be read (missing, or outside the rule's folder); the rule is not run.",
        "La politique Rego d'une règle ne peut pas être lue (absente, ou hors du dossier de la règle) ; la règle n'est pas exécutée.";
    /// A rule's schema does not compile.
    RuleInvalidSchema = "rule-invalid-schema",
        "A rule's JSON Schema does not compile; the rule is not run.",
        "Le schéma JSON d'une règle ne compile pas ; la règle n'est pas exécutée.";
    /// A rule's policy does not compile.
    RuleInvalidPolicy = "rule-invalid-policy",
        "A rule's Rego policy does not compile; the rule is not run.",
        "La politique Rego d'une règle ne compile pas ; la règle n'est pas exécutée.";
    /// A rule of cct's own catalogue does not compile: a defect of cct.
    RuleInternalError = "rule-internal-error",
        "A rule of cct's own catalogue cannot be compiled: this is a defect of cct, please report it; the rule is not run.",
        "Une règle du catalogue de cct ne compile pas : c'est un défaut de cct, merci de le signaler ; la règle n'est pas exécutée.";
    /// cct failed while reading or judging one input: a defect of cct.
    InternalError = "internal-error",
        "cct failed while reading or judging this input (an internal error, a defect of cct): the input is not judged, the rest of the scan is. Please report it with the message and, if you can, the input.",
        "cct a échoué en lisant ou en jugeant cette entrée (une erreur interne, un défaut de cct) : l'entrée n'est pas jugée, le reste de l'analyse l'est. Merci de le signaler avec le message et, si possible, l'entrée.";
    /// A configuration file that is not valid.
    ConfigInvalid = "config-invalid",
        "The configuration file (`.cct.yaml`) does not follow its schema (schemas/config.schema.json); cct stops (exit code 2).",
        "Le fichier de configuration (`.cct.yaml`) ne suit pas son schéma (schemas/config.schema.json) ; cct s'arrête (code de sortie 2).";
    /// A configuration names a rule or requirement that does not exist.
    ConfigUnknownRule = "config-unknown-rule",
        "The configuration names a rule or requirement that does not exist (a typo, or a rule of a newer version); cct stops (exit code 2).",
        "La configuration désigne une règle ou une exigence inexistante (coquille, ou règle d'une version plus récente) ; cct s'arrête (code de sortie 2).";
    /// A configuration sets a parameter no rule has.
    ConfigUnknownParameter = "config-unknown-parameter",
        "The configuration sets a parameter that the rule does not have; cct stops (exit code 2).",
        "La configuration fixe un paramètre que la règle n'a pas ; cct s'arrête (code de sortie 2).";
    /// A derogation names something that is neither a rule nor a requirement.
    DerogationUnknownRule = "derogation-unknown-rule",
        "A derogation names something that is neither a rule nor a requirement; that name covers nothing.",
        "Une dérogation désigne quelque chose qui n'est ni une règle ni une exigence ; ce nom ne couvre rien.";
    /// A derogation that covers no finding.
    DerogationUnused = "derogation-unused",
        "A derogation covers no finding (fixed, or written for another place): remove it so that it does not hide a future one.",
        "Une dérogation ne couvre aucun constat (corrigé, ou écrite pour un autre endroit) : la supprimer pour qu'elle ne masque pas un constat futur.";
    /// A policy failed or returned something that is not a result.
    RegoEvaluationFailed = "rego-evaluation-failed",
        "A Rego policy failed on a subject, or returned something that is not a result; those results are ignored.",
        "Une politique Rego a échoué sur un sujet, ou a rendu autre chose qu'un résultat ; ces résultats sont ignorés.";
}

impl std::fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for DiagnosticCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Codes sort by name, as reports list them.
impl Ord for DiagnosticCode {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for DiagnosticCode {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq<&str> for DiagnosticCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique_kebab_case_and_described() {
        let mut names = BTreeSet::new();
        for code in DiagnosticCode::ALL {
            let name = code.as_str();
            assert!(names.insert(name), "duplicate code {name}");
            assert!(
                name.split('-').all(|w| !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{name} is not kebab-case"
            );
            let d = code.description();
            assert!(
                d.en.len() > 20 && d.fr.len() > 20,
                "{name} lacks a description"
            );
            assert_ne!(d.en, d.fr, "{name}: the French description is a copy");
        }
    }
}
