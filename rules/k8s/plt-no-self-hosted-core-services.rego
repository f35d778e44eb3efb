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
	some service in matched
}

# The services whose images the container runs (a string repository). A pattern with a registry
# (`quay.io/keycloak/keycloak`) matches the whole reference; one without matches the repository
# on any registry (`sonarqube` is `library/sonarqube`). Three bodies rather than helper
# functions: a function call costs more than the glob itself, for each of ~30 patterns.
matched contains service if {
	some service, patterns in data.params.core_service_images
	some pattern in patterns
	contains(split(pattern, "/")[0], ".")
	glob.match(pattern, ["/"], normalised)
}

matched contains service if {
	some service, patterns in data.params.core_service_images
	some pattern in patterns
	contains(pattern, "/")
	not contains(split(pattern, "/")[0], ".")
	glob.match(pattern, ["/"], input.image.repository)
}

matched contains service if {
	some service, patterns in data.params.core_service_images
	some pattern in patterns
	not contains(pattern, "/")
	not contains(pattern, ".")
	glob.match(concat("/", ["library", pattern]), ["/"], input.image.repository)
}
