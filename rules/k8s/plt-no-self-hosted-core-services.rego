# CCT-PLT-002: the workloads do not run their own copy of a service the platform provides.
#
# input: a container view (`container`, the raw container; `image`, its parsed reference).
package cct.plt_no_self_hosted_core_services

import rego.v1

# `registry/repository` (`docker.io/library/sonarqube` for `sonarqube`).
normalised := sprintf("%s/%s", [input.image.registry, input.image.repository])

deny contains {
	"msg": {
		"en": sprintf("container %s runs %s, its own %s: the platform provides this service (EXI-ARCH-10, EXI-ARCH-13); use the platform's, or justify this one in a derogation (an identity broker may be legitimate, EXI-ARCH-11)", [input.container.name, input.image.reference, service]),
		"fr": sprintf("le conteneur %s exécute %s, son propre %s : la plateforme fournit ce service (EXI-ARCH-10, EXI-ARCH-13) ; utiliser celui de la plateforme, ou justifier celui-ci par une dérogation (un courtier d'identité peut être légitime, EXI-ARCH-11)", [input.container.name, input.image.reference, service]),
	},
	"path": ["container", "image"],
} if {
	input.containerType == "containers"
	is_string(input.image.repository)
	some service, patterns in data.params.core_service_images
	some pattern in patterns
	matches(pattern)
}

# A pattern with a registry (`quay.io/keycloak/keycloak`) matches the whole reference; one
# without matches the repository on any registry (`sonarqube` is `library/sonarqube`).
matches(pattern) if {
	registry_pattern(pattern)
	glob_matches(pattern, normalised)
}

matches(pattern) if {
	not registry_pattern(pattern)
	glob_matches(repository_pattern(pattern), input.image.repository)
}

# `glob.match` with `/` as separator, cheaper: a pattern without a special character is the
# text itself, and one with is only tried on a text that starts with its literal prefix
# (`glob.match` compiles the pattern at each call, and most patterns fail on the prefix).
glob_matches(pattern, text) if {
	not has_glob_special(pattern)
	pattern == text
}

glob_matches(pattern, text) if {
	has_glob_special(pattern)
	startswith(text, literal_prefix(pattern))
	glob.match(pattern, ["/"], text)
}

glob_specials := ["*", "?", "[", "{", "\\"]

has_glob_special(pattern) if {
	some c in glob_specials
	contains(pattern, c)
}

literal_prefix(pattern) := substring(pattern, 0, min([i |
	some c in glob_specials
	i := indexof(pattern, c)
	i >= 0
]))

registry_pattern(pattern) if contains(split(pattern, "/")[0], ".")

repository_pattern(pattern) := concat("/", ["library", pattern]) if not contains(pattern, "/")

repository_pattern(pattern) := pattern if contains(pattern, "/")
