# CCT-CI-006: the unit-test coverage of the back end is measured, with a 100% target.
#
# input: the GitLab CI model, with `repository` facts (absent when a file is checked alone:
# only the thresholds written in the CI are judged then). Coverage is collected when the build
# configuration sets it up (`repository.coverage`: jest, Vitest, nyc, JaCoCo, coverage.py,
# pytest-cov settings at the root) or when a job does (its `coverage:` regex, a
# `coverage_report`, a coverage option or tool in its scripts).
package cct.ci_coverage_threshold

import rego.v1

arr(x) := x if is_array(x)

arr(x) := [] if not is_array(x)

obj(x) := x if is_object(x)

obj(x) := {} if not is_object(x)

str(x) := x if is_string(x)

str(x) := "" if not is_string(x)

# The manifests of a back end (a Dockerfile alone, or a front-end package.json, is not one).
backend_markers := {
	"pom.xml", "build.gradle", "build.gradle.kts", "go.mod", "Cargo.toml", "pyproject.toml",
	"setup.py", "requirements.txt", "composer.json", "Gemfile",
}

backend if {
	some m in arr(input.repository.markers)
	backend_markers[m]
}

# A package.json without a front-end framework: a Node.js back end.
backend if {
	"package.json" in arr(input.repository.markers)
	count(arr(input.repository.frontend)) == 0
}

# Options that set a coverage threshold, and the tool they belong to.
threshold_options := {
	"--cov-fail-under": "pytest-cov",
	"--fail-under-lines": "cargo-llvm-cov",
	"--fail-under-regions": "cargo-llvm-cov",
	"--fail-under-functions": "cargo-llvm-cov",
	"--fail-under": "coverage",
	"--lines": "nyc/c8",
	"--branches": "nyc/c8",
	"--functions": "nyc/c8",
	"--statements": "nyc/c8",
}

# [index of the word holding the value, option, value, as written] of a threshold option.
threshold(args) := [i, o, v, a] if {
	some i, a in args
	[o, v] := split(a, "=")
	threshold_options[o]
}

threshold(args) := [i + 1, a, args[i + 1], concat(" ", [a, args[i + 1]])] if {
	some i, a in args
	threshold_options[a]
	count(args) > i + 1
}

coverage_command(cmd) if {
	some a in arr(cmd.args)
	regex.match(`^(--cov(=.*)?|--coverage(=.*|\.enabled.*)?|-cover|-coverprofile(=.*)?|--collect(=|:).*[Cc]overage.*|/p:CollectCoverage=true|--check-coverage)$`, a)
}

coverage_command(cmd) if cmd.program in {"nyc", "c8", "gcovr", "cargo-llvm-cov", "istanbul"}

coverage_command(cmd) if {
	cmd.program == "cargo"
	some a in arr(cmd.args)
	a in {"llvm-cov", "tarpaulin"}
}

coverage_command(cmd) if {
	cmd.program in {"mvn", "mvnw", "./mvnw", "gradle", "gradlew", "./gradlew"}
	some a in arr(cmd.args)
	regex.match(`(?i)(jacoco|kover)`, a)
}

coverage_command(cmd) if {
	cmd.program == "go"
	"tool" in arr(cmd.args)
	"cover" in arr(cmd.args)
}

coverage_command(cmd) if {
	some a in arr(cmd.args)
	split(a, "=")[0] in {"--cov-fail-under", "--fail-under-lines", "--fail-under-regions", "--fail-under-functions"}
}

coverage_command(cmd) if coverage_tool(cmd)

# The tools whose `--fail-under` is a coverage threshold (pylint's is a score).
coverage_tool(cmd) if cmd.program in {"coverage", "cargo-tarpaulin"}

coverage_tool(cmd) if {
	cmd.program == "cargo"
	"tarpaulin" in arr(cmd.args)
}

coverage_tool(cmd) if {
	cmd.program in {"python", "python3"}
	"coverage" in arr(cmd.args)
}

collected if count(arr(input.repository.coverage)) > 0

collected if {
	some job in obj(input.jobs)
	is_string(job.coverage)
}

collected if {
	some job in obj(input.jobs)
	obj(obj(job.artifacts).reports).coverage_report
}

collected if {
	some job in obj(input.jobs)
	some line in arr(job.scriptLines)
	some cmd in arr(line.commands)
	coverage_command(cmd)
}

deny contains {"path": ["stages"]} if {
	input.repository.application == true
	backend
	not collected
}

# A threshold below 100% in the build configuration.
deny contains result if {
	some i, c in arr(input.repository.coverage)
	is_number(c.minimum)
	c.minimum < 100
	result := {
		"path": ["repository", "coverage", i],
		"severity": "note",
		"msg": {
			"en": sprintf("the %s coverage threshold is %v%%: EXI-ORG-10 aims at 100%% of the back-end code", [c.tool, c.minimum]),
			"fr": sprintf("le seuil de couverture %s est de %v %% : EXI-ORG-10 vise 100 %% du code du back-end", [c.tool, c.minimum]),
		},
	}
}

# A threshold below 100% on a command line of the CI, reported where it is written.
deny contains result if {
	some name, job in obj(input.jobs)
	some l, line in arr(job.scriptLines)
	line.inherited == false
	some c, cmd in arr(line.commands)
	args := arr(cmd.args)
	[i, o, v, written] := threshold(args)
	tool := threshold_options[o]
	not tool_mismatch(cmd, tool)
	min := to_number(trim_suffix(v, "%"))
	min < 100
	result := {
		"path": ["jobs", name, "scriptLines", l, "commands", c, "args", i],
		"severity": "note",
		"msg": {
			"en": sprintf("`%s` sets the coverage threshold to %v%% in the CI job `%s`: EXI-ORG-10 aims at 100%% of the back-end code", [written, min, name]),
			"fr": sprintf("`%s` fixe le seuil de couverture à %v %% dans le job CI `%s` : EXI-ORG-10 vise 100 %% du code du back-end", [written, min, name]),
		},
	}
}

# `--lines 80` is a threshold only for nyc and c8 (with --check-coverage).
tool_mismatch(cmd, "nyc/c8") if not nyc(cmd)

tool_mismatch(cmd, "nyc/c8") if not "--check-coverage" in arr(cmd.args)

nyc(cmd) if cmd.program in {"nyc", "c8"}

nyc(cmd) if {
	cmd.program in {"npx", "pnpm", "yarn", "bunx"}
	some a in arr(cmd.args)
	a in {"nyc", "c8"}
}

# `--fail-under` is coverage.py's (`coverage report`) or tarpaulin's.
tool_mismatch(cmd, "coverage") if not coverage_tool(cmd)
