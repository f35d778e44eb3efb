# CCT-REPO-002: every environment deploys the same image; only its version is promoted.
#
# input: a values view (`values`, the values as written; `environment`, null for values.yaml;
# `otherFiles`: the chart's other values files, each `file`, `environment`, `values`).
package cct.repo_same_artifact_across_envs

import rego.v1

# An image block: a mapping under a key ending in `image` with a string `repository`.
image_block(path, value) if {
	is_object(value)
	is_string(value.repository)
	count(path) > 0
	key := path[count(path) - 1]
	is_string(key)
	endswith(lower(key), "image")
}

literal(s) if not contains(s, "{{")

# The image blocks of this file (`is_object` first: a function call per node costs more than
# the test).
mine contains [path, value] if {
	some path, value
	walk(input.values, [path, value])
	is_object(value)
	image_block(path, value)
}

# The image blocks of the chart's other values files, with the file.
theirs contains [other.file, path, value] if {
	some other in object.get(input, "otherFiles", [])
	some path, value
	walk(other.values, [path, value])
	is_object(value)
	image_block(path, value)
}

dotted(path) := concat(".", [sprintf("%v", [p]) | some p in path])

# The other files that set another repository at the same place.
differing(path, repository) := sort([file |
	some [file, p, block] in theirs
	p == path
	literal(block.repository)
	trim_space(block.repository) != repository
])

deny contains {
	"msg": {
		"en": sprintf("%s.repository is %s here but differs in %s: build one image and promote it from one environment to the next", [dotted(path), repository, concat(", ", files)]),
		"fr": sprintf("%s.repository vaut %s ici mais diffère dans %s : construire une seule image et la promouvoir d'un environnement au suivant", [dotted(path), repository, concat(", ", files)]),
	},
	"path": array.concat(["values"], array.concat(path, ["repository"])),
} if {
	input.environment != null
	some [path, block] in mine
	literal(block.repository)
	repository := trim_space(block.repository)
	files := differing(path, repository)
	count(files) > 0
}

deny contains {
	"msg": {
		"en": sprintf("%s.tag %s names an environment (%s): tag the image with its version and promote the same image everywhere", [dotted(path), block.tag, suffix]),
		"fr": sprintf("%s.tag %s nomme un environnement (%s) : étiqueter l'image de sa version et promouvoir la même image partout", [dotted(path), block.tag, suffix]),
	},
	"path": array.concat(["values"], array.concat(path, ["tag"])),
} if {
	some [path, block] in mine
	is_string(block.tag)
	literal(block.tag)
	suffixes := {s |
		some s in data.params.environment_suffixes
		regex.match(sprintf(`(?i)[-_.]%s$`, [s]), block.tag)
	}
	count(suffixes) > 0
	suffix := min(suffixes)
}
