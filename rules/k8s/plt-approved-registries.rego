# CCT-PLT-001: images come from the registries the platform admits; project images from the
# project's Harbor.
#
# input: a container view (`container`, the raw container; `image`, its parsed reference).
package cct.plt_approved_registries

import rego.v1

# The reference normalised: `registry/repository` (`docker.io/library/nginx` for `nginx`).
normalised := sprintf("%s/%s", [input.image.registry, input.image.repository])

project_registry := r if {
	r := data.params.project_registry
	is_string(r)
	r != ""
}

allowed contains trim_suffix(r, "/") if some r in data.params.allowed_registries

allowed contains trim_suffix(project_registry, "/")

# Whether a prefix (`quay.io`, `docker.io/bitnami`) covers the reference, on a path boundary.
covers(prefix) if normalised == prefix

covers(prefix) if startswith(normalised, concat("", [prefix, "/"]))

deny contains {
	"msg": {
		"en": sprintf("the image %s of container %s comes from %s, a registry the platform does not admit (allowed: %s): pull it from the project's Harbor or an allowed registry", [input.image.reference, input.container.name, input.image.registry, concat(", ", sort(allowed))]),
		"fr": sprintf("l'image %s du conteneur %s vient de %s, un registre que la plateforme n'admet pas (admis : %s) : la tirer du Harbor du projet ou d'un registre admis", [input.image.reference, input.container.name, input.image.registry, concat(", ", sort(allowed))]),
	},
	"path": ["container", "image"],
} if {
	is_string(input.image.registry)
	not any_covers
	not built_by_ci
}

any_covers if {
	some prefix in allowed
	covers(prefix)
}

# A project image pulled from elsewhere than the project's Harbor.
deny contains {
	"msg": {
		"en": sprintf("the image %s of container %s is a project image: pull it from the project's Harbor %s", [input.image.reference, input.container.name, project_registry]),
		"fr": sprintf("l'image %s du conteneur %s est une image du projet : la tirer du Harbor du projet %s", [input.image.reference, input.container.name, project_registry]),
	},
	"path": ["container", "image"],
	"severity": "warning",
} if {
	any_covers
	not covers(trim_suffix(project_registry, "/"))
	some repo in data.params.project_repos
	project_repo(repo)
}

# An image the repository's CI builds and pushes, from another registry than the project's
# Harbor: approved (the project builds it), but the project's images live in its Harbor.
deny contains {
	"msg": {
		"en": sprintf("the image %s of container %s is built by the repository's CI: push it to and pull it from the project's Harbor %s", [input.image.reference, input.container.name, project_registry]),
		"fr": sprintf("l'image %s du conteneur %s est construite par la CI du dépôt : la pousser dans le Harbor du projet %s et l'en tirer", [input.image.reference, input.container.name, project_registry]),
	},
	"path": ["container", "image"],
	"severity": "warning",
} if {
	built_by_ci
	not covers(trim_suffix(project_registry, "/"))
	not listed_project_image
}

listed_project_image if {
	some repo in data.params.project_repos
	project_repo(repo)
}

# The images the repository's GitLab CI jobs push (names without tag; variables the jobs do
# not define kept as `$NAME`): a name with no variable is compared in full; one with variables
# (`$CI_REGISTRY_IMAGE/api`, `$REGISTRY_URL/front`) matches any prefix for them, and must end
# with a literal path component (`$CI_REGISTRY_IMAGE` alone names nothing the files tell).
built_by_ci if {
	some pushed in data.inventory.repository.pushedImages
	pushed_matches(pushed)
}

pushed_matches(pushed) if {
	not contains(pushed, "$")
	pushed_normalised(pushed) == normalised
}

pushed_matches(pushed) if {
	contains(pushed, "$")
	parts := split(pushed, "/")
	last := parts[count(parts) - 1]
	not contains(last, "$")
	marked := regex.replace(pushed, `\$(\{[A-Za-z0-9_]*\}|[A-Za-z0-9_]+)`, "VARIABLE")
	escaped := regex.replace(marked, `[.+?^()\[\]{}|*\\]`, "\\$0")
	pattern := concat("", ["^", replace(escaped, "VARIABLE", ".+"), "$"])
	regex.match(pattern, normalised)
}

# A pushed name as the image's: `docker.io/library/x` for `x`, `docker.io/team/x` for `team/x`.
pushed_normalised(name) := name if {
	first := split(name, "/")[0]
	contains(name, "/")
	regex.match(`[.:]|^localhost$`, first)
} else := concat("/", ["docker.io", name]) if {
	contains(name, "/")
} else := concat("/", ["docker.io/library", name])

project_repo(repo) if input.image.repository == repo

project_repo(repo) if endswith(input.image.repository, concat("", ["/", repo]))

# An unqualified reference: admission policies match the written string.
deny contains {
	"msg": {
		"en": sprintf("the image %s of container %s names no registry: write it in full (%s), admission policies match the reference as written", [input.image.reference, input.container.name, normalised]),
		"fr": sprintf("l'image %s du conteneur %s ne nomme pas de registre : l'écrire en entier (%s), les politiques d'admission comparent la référence telle qu'écrite", [input.image.reference, input.container.name, normalised]),
	},
	"path": ["container", "image"],
	"severity": "note",
} if {
	input.image.qualified == false
	any_covers
}
