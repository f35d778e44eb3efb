//! The areas of `rules/` and, for each, the example a new rule starts from: a small working check
//! of the area's usual subject, a failing fixture with its inline expectation, a passing one.

use cct_engine::vocab::Profile;

/// A folder of `rules/`.
#[derive(Debug)]
pub(crate) struct Area {
    /// The folder under `rules/`.
    pub(crate) folder: &'static str,
    /// The prefix of its ids, before the number (`CCT-K8S-`).
    pub(crate) id_prefix: &'static str,
    /// The first word of its rule names (`k8s` in `k8s-image-tag-explicit`).
    pub(crate) domain: &'static str,
    /// A name that follows the convention, for messages.
    pub(crate) good_name: &'static str,
    /// The profiles its rules run in.
    pub(crate) profiles: &'static [Profile],
    /// The example a new rule starts from.
    pub(crate) example: Example,
}

/// What a new rule of an area holds until its author replaces it.
#[derive(Debug)]
pub(crate) struct Example {
    /// `select:` (a YAML flow mapping).
    pub(crate) select: &'static str,
    /// The rule's title, message, rationale and remediation: (English, French).
    pub(crate) title: (&'static str, &'static str),
    pub(crate) message: (&'static str, &'static str),
    /// The JSON Schema, as YAML indented for `check.schema`.
    pub(crate) schema: &'static str,
    /// The failing case, then the passing one.
    pub(crate) fail: Case,
    pub(crate) pass: Case,
}

/// A fixture: a file, or a folder of files (a Helm chart). `{id}` in a text is the rule's id.
#[derive(Debug)]
pub(crate) struct Case {
    /// The path under `fail/` or `pass/`.
    pub(crate) name: &'static str,
    /// For a folder: each file's path in it and its text; for a file: one entry with an empty
    /// path.
    pub(crate) files: &'static [(&'static str, &'static str)],
}

/// The profiles of the CCT rules.
const CCT: &[Profile] = &[Profile::Cpin, Profile::Kubernetes];

/// Every area, in the order of the folders.
pub(crate) const AREAS: [Area; 7] = [
    Area {
        folder: "argocd",
        id_prefix: "CCT-GIT-",
        domain: "git",
        good_name: "git-argocd-automated-sync",
        profiles: CCT,
        example: Example {
            select: "{subject: resource, kinds: [Application]}",
            title: (
                "TODO: Argo CD Applications must not use the default project",
                "TODO : les Applications Argo CD ne doivent pas utiliser le projet default",
            ),
            message: (
                "TODO: {kind} {name} belongs to the project {value}",
                "TODO : {kind} {name} appartient au projet {value}",
            ),
            schema: "    properties:
      spec:
        properties:
          # TODO: the check. This example refuses Applications of the `default` project.
          project: {not: {const: default}}
",
            fail: Case {
                name: "application.yaml",
                files: &[(
                    "",
                    "\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: demo
  namespace: argocd
spec:
  project: default # expect: 12 [{id}]
  source:
    repoURL: https://gitlab.example/demo/infra.git
    path: charts/demo
    targetRevision: main
  destination:
    name: in-cluster
    namespace: demo
  syncPolicy:
    automated: {prune: true, selfHeal: true}
",
                )],
            },
            pass: Case {
                name: "application.yaml",
                files: &[(
                    "",
                    "\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: demo
  namespace: argocd
spec:
  project: demo
  source:
    repoURL: https://gitlab.example/demo/infra.git
    path: charts/demo
    targetRevision: main
  destination:
    name: in-cluster
    namespace: demo
  syncPolicy:
    automated: {prune: true, selfHeal: true}
",
                )],
            },
        },
    },
    Area {
        folder: "docker",
        id_prefix: "CCT-DKR-",
        domain: "dockerfile",
        good_name: "dockerfile-no-ssh-server",
        profiles: CCT,
        example: Example {
            select: "{subject: dockerfile-stage}",
            title: (
                "TODO: Dockerfile stages must not build FROM a latest tag",
                "TODO : les étapes d'un Dockerfile ne doivent pas partir d'une étiquette latest",
            ),
            message: (
                "TODO: this stage is built FROM the tag {value}",
                "TODO : cette étape part de l'étiquette {value}",
            ),
            schema: "    properties:
      from:
        properties:
          # TODO: the check. This example refuses a stage built FROM a `latest` tag.
          tag: {not: {const: latest}}
",
            fail: Case {
                name: "latest.Dockerfile",
                files: &[(
                    "",
                    "\
# expect: 6 [{id}]
FROM alpine:latest
USER 10001
CMD [\"sleep\", \"infinity\"]
",
                )],
            },
            pass: Case {
                name: "pinned.Dockerfile",
                files: &[(
                    "",
                    "\
FROM alpine:3.20
USER 10001
CMD [\"sleep\", \"infinity\"]
",
                )],
            },
        },
    },
    Area {
        folder: "gitlab",
        id_prefix: "CCT-CI-",
        domain: "ci",
        good_name: "ci-tls-verification-not-disabled",
        profiles: CCT,
        example: Example {
            select: "{subject: gitlab-job}",
            title: (
                "TODO: CI jobs must not be allowed to fail",
                "TODO : les jobs CI ne doivent pas être autorisés à échouer",
            ),
            message: (
                "TODO: the job {name} is allowed to fail",
                "TODO : le job {name} est autorisé à échouer",
            ),
            schema: "    properties:
      # TODO: the check. This example refuses jobs allowed to fail.
      allow_failure: {not: {const: true}}
",
            fail: Case {
                name: "allow-failure.gitlab-ci.yml",
                files: &[(
                    "",
                    "\
stages: [test]

unit-tests:
  stage: test
  image: registry.example/tools/node:20
  script:
    - npm test
  allow_failure: true # expect: 18 [{id}]
",
                )],
            },
            pass: Case {
                name: "strict.gitlab-ci.yml",
                files: &[(
                    "",
                    "\
stages: [test]

unit-tests:
  stage: test
  image: registry.example/tools/node:20
  script:
    - npm test
",
                )],
            },
        },
    },
    Area {
        folder: "helm",
        id_prefix: "CCT-HELM-",
        domain: "helm",
        good_name: "helm-values-schema-present",
        profiles: CCT,
        example: Example {
            select: "{subject: resource, kinds: [Deployment]}",
            title: (
                "TODO: charts must deploy at least two replicas",
                "TODO : les charts doivent déployer au moins deux réplicas",
            ),
            message: (
                "TODO: {kind} {name} has {value} replica",
                "TODO : {kind} {name} a {value} réplica",
            ),
            schema: "    properties:
      spec:
        properties:
          # TODO: the check. This example asks for two replicas at least.
          replicas: {minimum: 2}
",
            fail: Case {
                name: "chart",
                files: &[
                    ("Chart.yaml", CHART_YAML),
                    (
                        "values.yaml",
                        "\
replicaCount: 1 # expect: 15 [{id}]
image: registry.example/demo/api:1.0.0
",
                    ),
                    ("templates/deployment.yaml", CHART_DEPLOYMENT),
                ],
            },
            pass: Case {
                name: "chart",
                files: &[
                    ("Chart.yaml", CHART_YAML),
                    (
                        "values.yaml",
                        "\
replicaCount: 2
image: registry.example/demo/api:1.0.0
",
                    ),
                    ("templates/deployment.yaml", CHART_DEPLOYMENT),
                ],
            },
        },
    },
    Area {
        folder: "k8s",
        id_prefix: "CCT-K8S-",
        domain: "k8s",
        good_name: "k8s-image-tag-explicit",
        profiles: CCT,
        example: Example {
            select: "{subject: container}",
            title: (
                "TODO: containers must not allocate a TTY",
                "TODO : les conteneurs ne doivent pas allouer de TTY",
            ),
            message: (
                "TODO: the container {container} of {kind} {name} allocates a TTY",
                "TODO : le conteneur {container} de {kind} {name} alloue un TTY",
            ),
            schema: "    properties:
      container:
        properties:
          # TODO: the check. This example refuses a container that allocates a TTY.
          tty: {not: {const: true}}
",
            fail: Case {
                name: "deployment.yaml",
                files: &[(
                    "",
                    "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
spec:
  replicas: 2
  selector:
    matchLabels: {app: demo}
  template:
    metadata:
      labels: {app: demo}
    spec:
      containers:
        - name: api
          image: registry.example/demo/api:1.0.0
          tty: true # expect: 16 [{id}]
",
                )],
            },
            pass: Case {
                name: "deployment.yaml",
                files: &[(
                    "",
                    "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
spec:
  replicas: 2
  selector:
    matchLabels: {app: demo}
  template:
    metadata:
      labels: {app: demo}
    spec:
      containers:
        - name: api
          image: registry.example/demo/api:1.0.0
",
                )],
            },
        },
    },
    Area {
        folder: "pss",
        id_prefix: "CCT-PSS-",
        domain: "pss",
        good_name: "pss-privileged-forbidden",
        profiles: &[Profile::PssBaseline, Profile::PssRestricted],
        example: Example {
            select: "{subject: pod-spec}",
            title: (
                "TODO: pods must not share their process namespace",
                "TODO : les pods ne doivent pas partager leur espace de noms de processus",
            ),
            message: (
                "TODO: {kind} {name} shares its process namespace: {property} is {value}",
                "TODO : {kind} {name} partage son espace de noms de processus : {property} vaut {value}",
            ),
            schema: "    properties:
      spec:
        properties:
          # TODO: the check (what Pod Security Admission refuses, exactly). This example refuses
          # `shareProcessNamespace: true`.
          shareProcessNamespace: {not: {const: true}}
",
            fail: Case {
                name: "pod.yaml",
                files: &[(
                    "",
                    "\
# profile: pss-baseline
apiVersion: v1
kind: Pod
metadata:
  name: demo
spec:
  shareProcessNamespace: true # expect: 26 [{id}]
  containers:
    - name: api
      image: registry.example/demo/api:1.0.0
",
                )],
            },
            pass: Case {
                name: "pod.yaml",
                files: &[(
                    "",
                    "\
# profile: pss-baseline
apiVersion: v1
kind: Pod
metadata:
  name: demo
spec:
  containers:
    - name: api
      image: registry.example/demo/api:1.0.0
",
                )],
            },
        },
    },
    Area {
        folder: "repo",
        id_prefix: "CCT-REPO-",
        domain: "repo",
        good_name: "repo-openapi-present",
        profiles: CCT,
        example: Example {
            select: "{subject: openapi}",
            title: (
                "TODO: API descriptions must describe the API",
                "TODO : les descriptions d'API doivent décrire l'API",
            ),
            message: (
                "TODO: the API description has no {property}",
                "TODO : la description d'API n'a pas de {property}",
            ),
            schema: "    properties:
      info:
        # TODO: the check. This example asks for `info.description`.
        required: [description]
",
            fail: Case {
                name: "openapi.yaml",
                files: &[(
                    "",
                    "\
openapi: 3.0.3
info: # expect: 1 [{id}]
  title: Demo API
  version: 1.0.0
paths: {}
",
                )],
            },
            pass: Case {
                name: "openapi.yaml",
                files: &[(
                    "",
                    "\
openapi: 3.0.3
info:
  title: Demo API
  description: Orders of the demo shop.
  version: 1.0.0
paths: {}
",
                )],
            },
        },
    },
];

const CHART_YAML: &str = "\
apiVersion: v2
name: demo
version: 0.1.0
appVersion: \"1.0.0\"
";

const CHART_DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels: {app: demo}
  template:
    metadata:
      labels: {app: demo}
    spec:
      containers:
        - name: api
          image: {{ .Values.image }}
";

/// The area of a folder name.
pub(crate) fn area(folder: &str) -> Option<&'static Area> {
    AREAS.iter().find(|a| a.folder == folder)
}
