# CCT-CI-007: the images of the project are built by the pipeline, from Dockerfiles in the
# repository.
#
# input: the GitLab CI model, with `repository` facts (absent when a file is checked alone:
# nothing is judged then). `repository.dockerfiles` lists the Dockerfiles of the repository
# (dependency, build-output, test-data and hidden folders aside), each located at its `FROM`.
package cct.ci_images_built_by_chain

import rego.v1

arr(x) := x if is_array(x)

arr(x) := [] if not is_array(x)

obj(x) := x if is_object(x)

obj(x) := {} if not is_object(x)

list(x) := x if is_array(x)

list(x) := [x] if not is_array(x)

# A variable's value: a string, or {value: string}.
value(v) := v if is_string(v)

value(v) := v.value if is_string(v.value)

var_or(job, name, _) := value(obj(job.variables)[name])

var_or(job, name, fallback) := fallback if not value(obj(job.variables)[name])

# The [WORKING_DIR, DOCKERFILE] pairs of a job: one per entry of its `parallel: matrix` (a
# list of values gives one pair each), else the job's own variables.
pairs(job) := [[wd, df] |
	some m in arr(obj(job.parallel).matrix)
	some wd in entry_values(job, m, "WORKING_DIR", ".")
	some df in entry_values(job, m, "DOCKERFILE", "Dockerfile")
] if {
	count(arr(obj(job.parallel).matrix)) > 0
} else := [[var_or(job, "WORKING_DIR", "."), var_or(job, "DOCKERFILE", "Dockerfile")]]

entry_values(job, m, name, fallback) := [v | some v in list(obj(m)[name]); is_string(v)] if {
	obj(m)[name]
} else := [var_or(job, name, fallback)]

# `$CI_PROJECT_DIR` and the job's variables expanded (two levels), `.` and empty components
# dropped; a path that still holds a `$` is not known: "*".
path(job, p) := "*" if contains(expand(job, expand(job, p)), "$")

path(job, p) := concat("/", [x | some x in split(expand(job, expand(job, p)), "/"); not x in {"", "."}]) if {
	not contains(expand(job, expand(job, p)), "$")
}

expand(job, p) := strings.replace_n(
	object.union(
		{"${CI_PROJECT_DIR}": "", "$CI_PROJECT_DIR": ""},
		object.union(
			{sprintf("${%s}", [k]): value(v) | some k, v in obj(job.variables); value(v)},
			{sprintf("$%s", [k]): value(v) | some k, v in obj(job.variables); value(v)},
		),
	),
	p,
)

# A job of the CPiN catalogue that builds an image.
catalog_build(job) if {
	some e in arr(job.extendsAll)
	regex.match(`^\.(kaniko|buildkit)[:-]`, e)
}

# What it builds: `.kaniko:build-push` reads `$DOCKERFILE` from the project's root (its
# context is `$WORKING_DIR`); `.buildkit:build-push` reads `$DOCKERFILE_NAME` in
# `$DOCKERFILE_DIR` (by default `$WORKING_DIR`); the others (`.kaniko:simple-build-push`) read
# `$DOCKERFILE` in `$WORKING_DIR`.
catalog_variant(job) := "project" if {
	some e in arr(job.extendsAll)
	e == ".kaniko:build-push"
} else := "buildkit" if {
	some e in arr(job.extendsAll)
	regex.match(`^\.buildkit[:-]`, e)
	not value(obj(job.variables).DOCKERFILE)
} else := "joined"

catalog_path(job, _, df) := path(job, df) if catalog_variant(job) == "project"

catalog_path(job, _, _) := path(job, concat("/", [
	var_or(job, "DOCKERFILE_DIR", var_or(job, "WORKING_DIR", ".")),
	var_or(job, "DOCKERFILE_NAME", "Dockerfile"),
])) if catalog_variant(job) == "buildkit"

catalog_path(job, wd, df) := path(job, concat("/", [wd, df])) if catalog_variant(job) == "joined"

# The values of an option: `--file x`, `--file=x`.
option(args, names) := {v |
	some i, a in args
	names[a]
	v := args[i + 1]
} | {v |
	some a in args
	some n in names
	startswith(a, concat("", [n, "="]))
	v := substring(a, count(n) + 1, -1)
}

positionals(args) := [a | some i, a in args; not startswith(a, "-"); not valued_option(args, i)]

valued_option(args, i) if {
	i > 0
	args[i - 1] in {"-f", "--file", "-t", "--tag", "--build-arg", "--target", "--platform", "--secret", "--label", "--network", "--cache-from", "--cache-to", "--output", "-o"}
}

# The Dockerfile a build command names, as written: [dockerfile or "", context].
build_command(cmd) := [d, ctx] if {
	cmd.program in {"executor", "kaniko"}
	args := arr(cmd.args)
	ds := option(args, {"--dockerfile", "-f"})
	cs := option(args, {"--context", "-c"})
	d := first(ds, "")
	ctx := first(cs, ".")
}

build_command(cmd) := [d, ctx] if {
	cmd.program in {"docker", "podman", "buildah", "nerdctl"}
	args := arr(cmd.args)
	p := positionals(args)
	count(p) > 0
	p[0] in {"build", "buildx", "bud", "image"}
	rest := [w | some w in p; not w in {"build", "buildx", "bud", "image"}]
	d := first(option(args, {"-f", "--file"}), "")
	ctx := last(rest, ".")
}

build_command(cmd) := [d, ctx] if {
	cmd.program in {"buildctl", "buildctl-daemonless.sh"}
	args := arr(cmd.args)
	dirs := {substring(v, count("dockerfile="), -1) | some v in option(args, {"--local"}); startswith(v, "dockerfile=")}
	names := {substring(v, count("filename="), -1) | some v in option(args, {"--opt"}); startswith(v, "filename=")}
	ctx := first(dirs, ".")
	d := first(names, "")
}

# The first of a set of values (sorted, to be stable), or a fallback.
first(s, _) := sort(s)[0] if count(s) > 0

first(s, fallback) := fallback if count(s) == 0

last(a, _) := a[count(a) - 1] if count(a) > 0

last(a, fallback) := fallback if count(a) == 0

# The Dockerfiles a job builds, as repository paths ("*": not known).
builds(job) := catalog_builds(job) | script_builds(job)

catalog_builds(job) := {p |
	catalog_build(job)
	some [wd, df] in pairs(job)
	p := catalog_path(job, wd, df)
}

# The build commands of a catalogue job are its template's: what it builds is known above.
script_builds(job) := {p |
	not catalog_build(job)
	some line in arr(job.scriptLines)
	some cmd in arr(line.commands)
	[d, ctx] := build_command(cmd)
	some p in candidates(job, d, ctx)
}

# A job that changes folder builds from a place cct does not follow.
candidates(job, _, _) := {"*"} if moves(job)

candidates(job, d, ctx) := {path(job, concat("/", [ctx, "Dockerfile"]))} if {
	not moves(job)
	d == ""
}

# `--dockerfile` is read from the working folder, or from the context.
candidates(job, d, ctx) := {path(job, d), path(job, concat("/", [ctx, d]))} if {
	not moves(job)
	d != ""
}

moves(job) if {
	some line in arr(job.scriptLines)
	some cmd in arr(line.commands)
	cmd.program in {"cd", "pushd"}
}

built contains p if {
	some job in obj(input.jobs)
	job.hidden == false
	some p in builds(job)
}

# A Dockerfile no job builds.
deny contains result if {
	is_object(input.repository)
	not built["*"]
	some i, d in arr(input.repository.dockerfiles)
	not built[d]
	result := {
		"path": ["repository", "dockerfiles", i],
		"msg": {
			"en": sprintf("no CI job builds `%s`: Cloud π Native rebuilds the project's images from source, with a build job of the pipeline (`.kaniko:simple-build-push` with `DOCKERFILE: %s`)", [d, d]),
			"fr": sprintf("aucun job CI ne construit `%s` : Cloud π Native reconstruit les images du projet depuis les sources, par un job de construction du pipeline (`.kaniko:simple-build-push` avec `DOCKERFILE: %s`)", [d, d]),
		},
	}
}

# A catalogue build job whose Dockerfile is not in the repository.
deny contains result if {
	is_object(input.repository)
	some name, job in obj(input.jobs)
	job.hidden == false
	catalog_build(job)
	some p in builds(job)
	p != "*"
	dockerfile_name(p)
	not p in arr(input.repository.dockerfiles)
	result := {
		"path": located(name, job),
		"msg": {
			"en": sprintf("the CI job `%s` builds `%s`, which is not in the repository: Cloud π Native rebuilds the project's images from source, the Dockerfile must be in the repository", [name, p]),
			"fr": sprintf("le job CI `%s` construit `%s`, qui n'est pas dans le dépôt : Cloud π Native reconstruit les images du projet depuis les sources, le Dockerfile doit être dans le dépôt", [name, p]),
		},
	}
}

# A path cct lists (its name is a Dockerfile's, and it is outside the folders not looked into).
dockerfile_name(p) if {
	parts := split(p, "/")
	regex.match(`(?i)^((dockerfile|containerfile)(\..+)?|.+\.(dockerfile|containerfile))$`, parts[count(parts) - 1])
	not skipped(parts)
}

skipped(parts) if {
	some x in array.slice(parts, 0, count(parts) - 1)
	startswith(x, ".")
}

skipped(parts) if {
	some x in array.slice(parts, 0, count(parts) - 1)
	x in {"node_modules", "testdata", "fixtures", "examples", "vendor", "target", "dist", "venv", "__pycache__"}
}

# Where the Dockerfile is named: its variable, else the job's `extends`.
located(name, job) := ["jobs", name, "variables", "DOCKERFILE"] if value(obj(job.variables).DOCKERFILE)

located(name, job) := ["jobs", name, "extends"] if not value(obj(job.variables).DOCKERFILE)
