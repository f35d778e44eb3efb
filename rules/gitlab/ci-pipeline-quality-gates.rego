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

deny contains result if {
	input.repository.application == true
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
