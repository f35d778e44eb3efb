# CCT-CI-005: a front end has end-to-end tests, run by the pipeline.
#
# input: the GitLab CI model, with `repository` facts (absent when a file is checked alone:
# nothing is judged then). A front end is a framework among the dependencies of the root
# `package.json` (`repository.frontend`); its tests are a Cypress, Playwright, WebdriverIO or
# Nightwatch configuration at the root (`repository.e2eConfigs`) and a job that runs them.
package cct.ci_frontend_e2e

import rego.v1

arr(x) := x if is_array(x)

arr(x) := [] if not is_array(x)

obj(x) := x if is_object(x)

obj(x) := {} if not is_object(x)

str(x) := x if is_string(x)

str(x) := "" if not is_string(x)

# The positional words of a command, a package's version (`cypress@13.6.0`) dropped.
positionals(cmd) := [tool(a) | some a in arr(cmd.args); not startswith(a, "-")]

tool(a) := split(a, "@")[0] if not startswith(a, "@")

tool(a) := concat("@", ["", split(a, "@")[1]]) if startswith(a, "@")

# An end-to-end run, given the tool and the words that follow it.
e2e_run("cypress", rest) if "run" in rest

e2e_run("playwright", rest) if "test" in rest

e2e_run(t, _) if t in {"wdio", "nightwatch", "testcafe"}

e2e_run("ng", rest) if "e2e" in rest

e2e_run("nx", rest) if {
	some w in rest
	regex.match(`(^|:)e2e$`, w)
}

e2e_run("vue-cli-service", rest) if "test:e2e" in rest

# A package.json script that runs end-to-end tests: by its name, or by its command.
e2e_script(name) if regex.match(`(?i)(^|[:_-])(e2e|cypress|playwright|wdio|nightwatch|cy:run)([:_-]|$)`, name)

e2e_script(name) if regex.match(
	`(cypress\s+run|playwright\s+test|\bwdio\b|\bnightwatch\b|\btestcafe\b|\bng\s+e2e\b|\bnx\s+(run\s+\S+:)?e2e\b|test:e2e)`,
	str(obj(input.repository.packageScripts)[name]),
)

runs_e2e(cmd) if {
	p := positionals(cmd)
	e2e_run(cmd.program, p)
}

# npx cypress run, pnpm exec playwright test, yarn dlx wdio…
runs_e2e(cmd) if {
	cmd.program in {"npx", "bunx", "pnpx", "yarn", "pnpm", "bun"}
	p := [w | some w in positionals(cmd); not w in {"exec", "dlx", "x"}]
	count(p) > 0
	e2e_run(p[0], array.slice(p, 1, count(p)))
}

# npm run test:e2e, yarn e2e, pnpm run cy:run.
runs_e2e(cmd) if {
	cmd.program in {"npm", "yarn", "pnpm", "bun"}
	p := positionals(cmd)
	count(p) > 0
	name := script_name(cmd.program, p)
	e2e_script(name)
}

script_name(_, p) := p[1] if {
	p[0] in {"run", "run-script"}
	count(p) > 1
}

script_name(program, p) := p[0] if {
	program in {"yarn", "pnpm", "bun"}
	not p[0] in {"run", "run-script", "exec", "dlx", "install", "add", "ci", "test"}
}

e2e_job contains name if {
	some name, job in obj(input.jobs)
	job.hidden == false
	some line in arr(job.scriptLines)
	some cmd in arr(line.commands)
	runs_e2e(cmd)
}

frameworks := concat(", ", arr(input.repository.frontend))

deny contains result if {
	count(arr(input.repository.frontend)) > 0
	count(arr(input.repository.e2eConfigs)) == 0
	count(e2e_job) == 0
	result := {
		"path": ["stages"],
		"msg": {
			"en": sprintf("the front end (%s) has no end-to-end tests: no Cypress, Playwright, WebdriverIO or Nightwatch configuration, and no CI job that runs them", [frameworks]),
			"fr": sprintf("le front-end (%s) n'a pas de tests de bout en bout : aucune configuration Cypress, Playwright, WebdriverIO ou Nightwatch, et aucun job CI qui les lance", [frameworks]),
		},
	}
}

deny contains result if {
	count(arr(input.repository.frontend)) > 0
	configs := arr(input.repository.e2eConfigs)
	count(configs) > 0
	count(e2e_job) == 0
	result := {
		"path": ["stages"],
		"msg": {
			"en": sprintf("the end-to-end tests of the front end (%s) are not run by any CI job: add a job that runs them (`npx playwright test`, `npx cypress run`)", [concat(", ", configs)]),
			"fr": sprintf("les tests de bout en bout du front-end (%s) ne sont lancés par aucun job CI : ajouter un job qui les lance (`npx playwright test`, `npx cypress run`)", [concat(", ", configs)]),
		},
	}
}
