# CCT-HELM-001: a chart's dependencies are pinned and come from known repositories.
#
# input: Chart.yaml as written, with the facts `lock` (name → version that Chart.lock pins;
# null without a lock file), `valuesFile`, `valuesSchema`.
package cct.helm_chart_dependencies_pinned

import rego.v1

deps := input.dependencies if is_array(input.dependencies)

deps := [] if not is_array(input.dependencies)

deny contains {
	"msg": {
		"en": sprintf("chart %s is written with apiVersion v1: write apiVersion v2 (Helm 3), dependencies in Chart.yaml", [input.name]),
		"fr": sprintf("le chart %s est écrit en apiVersion v1 : écrire apiVersion v2 (Helm 3), les dépendances dans Chart.yaml", [input.name]),
	},
	"path": ["apiVersion"],
	"severity": "note",
} if {
	input.apiVersion == "v1"
}

deny contains {
	"msg": {
		"en": sprintf("chart %s has no appVersion: give the version of the application it deploys (the image tag defaults to it)", [input.name]),
		"fr": sprintf("le chart %s n'a pas d'appVersion : donner la version de l'application qu'il déploie (l'étiquette d'image la prend par défaut)", [input.name]),
	},
	"path": ["appVersion"],
	"severity": "note",
} if {
	not has_app_version
}

has_app_version if {
	is_string(input.appVersion)
	input.appVersion != ""
}

has_app_version if is_number(input.appVersion)

# A version that is not one exact SemVer version (a range, a wildcard, a constraint).
deny contains {
	"msg": {
		"en": sprintf("dependency %s asks for the version range %s: pin one exact version (a range resolves to whatever is newest when the chart is built)", [d.name, d.version]),
		"fr": sprintf("la dépendance %s demande l'intervalle de versions %s : fixer une version exacte (un intervalle se résout en la plus récente au moment de construire le chart)", [d.name, d.version]),
	},
	"path": ["dependencies", i, "version"],
} if {
	some i, d in deps
	is_string(d.version)
	not regex.match(`^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`, trim_space(d.version))
}

deny contains {
	"msg": {
		"en": sprintf("dependency %s gives no version: pin one exact version", [d.name]),
		"fr": sprintf("la dépendance %s ne donne pas de version : fixer une version exacte", [d.name]),
	},
	"path": ["dependencies", i],
} if {
	some i, d in deps
	not is_string(d.version)
}

deny contains {
	"msg": {
		"en": sprintf("dependency %s comes from %s, a chart repository outside the known ones (%s): use a maintained repository (Bitnami, InseeFrLab, the platform's) or vendor the chart", [d.name, d.repository, concat(", ", data.params.allowed_repositories)]),
		"fr": sprintf("la dépendance %s vient de %s, un dépôt de charts hors de ceux connus (%s) : utiliser un dépôt maintenu (Bitnami, InseeFrLab, celui de la plateforme) ou embarquer le chart", [d.name, d.repository, concat(", ", data.params.allowed_repositories)]),
	},
	"path": ["dependencies", i, "repository"],
	"severity": "note",
} if {
	some i, d in deps
	is_string(d.repository)
	d.repository != ""
	not startswith(d.repository, "file://")
	not known_repository(d.repository)
}

known_repository(r) if {
	some allowed in data.params.allowed_repositories
	trim_suffix(r, "/") == trim_suffix(allowed, "/")
}

deny contains {
	"msg": {
		"en": sprintf("chart %s declares dependencies but commits no Chart.lock: run `helm dependency update` and commit Chart.lock, so that every build resolves the same versions", [input.name]),
		"fr": sprintf("le chart %s déclare des dépendances sans versionner de Chart.lock : lancer `helm dependency update` et versionner Chart.lock, pour que chaque construction résolve les mêmes versions", [input.name]),
	},
	"path": ["dependencies"],
	"severity": "note",
} if {
	count(deps) > 0
	input.lock == null
	some d in deps
	not startswith(object.get(d, "repository", ""), "file://")
}
