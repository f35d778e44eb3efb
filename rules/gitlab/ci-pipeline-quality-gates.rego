# CCT-CI-002: the pipeline of an application repository builds, tests and checks quality, and
# the quality gate can block.
#
# input: the GitLab CI model, with `repository` facts (absent when a file is checked alone: the
# categories are not judged then; the Sonar gate is).
package cct.ci_pipeline_quality_gates

import rego.v1

arr(x) := x if is_array(x)

arr(x) := [] if not is_array(x)

obj(x) := x if is_object(x)

obj(x) := {} if not is_object(x)

str(x) := x if is_string(x)

str(x) := "" if not is_string(x)

jobs contains [name, job] if {
	some name, job in obj(input.jobs)
	job.hidden == false
}

commands(job) := [cmd |
	some line in arr(job.scriptLines)
	some cmd in arr(line.commands)
]

has_arg(cmd, words) if {
	some a in arr(cmd.args)
	words[a]
}

# What a job says about itself: its name, stage and the templates it extends.
labels(name, job) := array.concat([lower(name), lower(str(job.stage))], [lower(e) | some e in arr(job.extendsAll)])

labelled(name, job, pattern) if {
	some l in labels(name, job)
	regex.match(pattern, l)
}

category contains "build" if {
	some [name, job] in jobs
	labelled(name, job, `(^|[^a-z])(build|package|compile|kaniko|buildkit|buildah|docker|image)([^a-z]|$)`)
}

category contains "build" if {
	some [_, job] in jobs
	some cmd in commands(job)
	build_command(cmd)
}

build_command(cmd) if cmd.program in {"executor", "/kaniko/executor", "buildah", "buildctl", "buildctl-daemonless.sh", "kaniko"}

build_command(cmd) if {
	cmd.program in {"docker", "podman"}
	has_arg(cmd, {"build", "buildx"})
}

build_command(cmd) if {
	cmd.program in {"mvn", "./mvnw", "mvnw", "gradle", "./gradlew", "gradlew"}
	has_arg(cmd, {"package", "install", "verify", "build", "assemble", "deploy", "jib:build"})
}

build_command(cmd) if {
	cmd.program in {"go", "cargo", "dotnet"}
	has_arg(cmd, {"build"})
}

build_command(cmd) if {
	cmd.program in {"npm", "yarn", "pnpm"}
	has_arg(cmd, {"build"})
}

category contains "test" if {
	some [name, job] in jobs
	labelled(name, job, `(^|[^a-z])(test|tests|unit|e2e|integration)([^a-z]|$)`)
}

category contains "test" if {
	some [_, job] in jobs
	some cmd in commands(job)
	test_command(cmd)
}

test_command(cmd) if cmd.program in {"pytest", "tox", "nox", "jest", "vitest", "phpunit", "cypress", "playwright"}

test_command(cmd) if {
	cmd.program in {"mvn", "./mvnw", "mvnw", "gradle", "./gradlew", "gradlew"}
	has_arg(cmd, {"test", "verify", "check"})
}

test_command(cmd) if {
	cmd.program in {"go", "cargo", "dotnet", "npm", "yarn", "pnpm"}
	has_arg(cmd, {"test"})
}

test_command(cmd) if {
	cmd.program in {"npm", "yarn", "pnpm"}
	some a in arr(cmd.args)
	startswith(a, "test:")
}

test_command(cmd) if {
	cmd.program in {"python", "python3"}
	has_arg(cmd, {"pytest", "unittest"})
}

category contains "quality" if {
	some [name, job] in jobs
	labelled(name, job, `(sonar|quality|code_quality|sast|trivy|grype)`)
}

category contains "quality" if {
	some [_, job] in jobs
	some cmd in commands(job)
	quality_command(cmd)
}

quality_command(cmd) if cmd.program in {"sonar-scanner", "trivy", "grype", "semgrep", "sonar-scanner-cli"}

quality_command(cmd) if {
	cmd.program in {"mvn", "./mvnw", "mvnw", "gradle", "./gradlew", "gradlew"}
	some a in arr(cmd.args)
	contains(a, "sonar")
}

names := {
	"build": {"en": "build", "fr": "construction"},
	"test": {"en": "test", "fr": "test"},
	"quality": {"en": "quality analysis (Sonar)", "fr": "analyse de qualité (Sonar)"},
}

application_pipeline if {
	role == "auto"
	input.repository.application == true
}

application_pipeline if {
	role == "application"
	is_object(input.repository)
}

deny contains result if {
	application_pipeline
	some c, n in names
	not category[c]
	result := {
		"path": ["stages"],
		"msg": {
			"en": sprintf("the pipeline of this application repository has no %s job: build, test and quality analysis are required before deployment", [n.en]),
			"fr": sprintf("le pipeline de ce dépôt applicatif n'a pas de job de %s : construction, tests et analyse de qualité sont requis avant le déploiement", [n.fr]),
		},
	}
}

# A Sonar analysis that does not wait for its quality gate cannot block the pipeline.
deny contains result if {
	some name, job in obj(input.jobs)
	some l, line in arr(job.scriptLines)
	line.inherited == false
	some c, cmd in arr(line.commands)
	some i, a in arr(cmd.args)
	regex.match(`^(-D)?sonar\.qualitygate\.wait=(false|0|no)$`, a)
	result := {
		"path": ["jobs", name, "scriptLines", l, "commands", c, "args", i],
		"msg": {
			"en": sprintf("`%s` in the CI job `%s` lets the pipeline pass whatever the Sonar quality gate says", [a, name]),
			"fr": sprintf("`%s` dans le job CI `%s` laisse passer le pipeline quel que soit le verdict de la porte qualité Sonar", [a, name]),
		},
	}
}

deny contains result if {
	some name, job in obj(input.jobs)
	v := obj(job.variables).SONAR_WAIT_QUALITY_GATE
	regex.match(`^(?i)(false|0|no)$`, sprintf("%v", [object.get(obj(v), "value", v)]))
	result := {
		"path": ["jobs", name, "variables", "SONAR_WAIT_QUALITY_GATE"],
		"msg": {
			"en": sprintf("SONAR_WAIT_QUALITY_GATE is false in the CI job `%s`: the pipeline passes whatever the Sonar quality gate says", [name]),
			"fr": sprintf("SONAR_WAIT_QUALITY_GATE vaut false dans le job CI `%s` : le pipeline passe quel que soit le verdict de la porte qualité Sonar", [name]),
		},
	}
}

# The repository subject (a folder given to the scan, as the list of its files): an application
# repository, by the build files at its root, with no GitLab CI file anywhere. Error, at the
# build file (the Dockerfile first).
app_markers := [
	"Dockerfile", "Containerfile", "package.json", "pom.xml", "build.gradle", "build.gradle.kts",
	"go.mod", "Cargo.toml", "pyproject.toml", "setup.py", "requirements.txt", "composer.json", "Gemfile",
]

root_marker contains [rank, i, f] if {
	is_array(input.files)
	some i, f in input.files
	some rank, m in app_markers
	f == m
}

ci_file(path) if {
	parts := split(path, "/")
	regex.match(`^(\.gitlab-ci([-.][^/]*)?|[^/]*\.gitlab-ci)\.ya?ml$`, parts[count(parts) - 1])
}

role := object.get(data.params, "repository_role", "auto")

no_ci_at contains [i, f] if {
	role == "auto"
	markers := sort(root_marker)
	count(markers) > 0
	not any_ci_file
	first := markers[0]
	i := first[1]
	f := first[2]
}

any_ci_file if {
	some f in input.files
	ci_file(f)
}

deny contains result if {
	some [i, f] in no_ci_at
	result := {
		"path": ["files", i],
		"severity": "error",
		"msg": {
			"en": sprintf("this application repository (%s at its root) has no GitLab CI file: build, test and analyse it in a pipeline (.gitlab-ci.yml)", [f]),
			"fr": sprintf("ce dépôt applicatif (%s à sa racine) n'a aucun fichier GitLab CI : le construire, le tester et l'analyser dans un pipeline (.gitlab-ci.yml)", [f]),
		},
	}
}
