# CCT-API-003: an application repository that exposes an HTTP Service has an OpenAPI document
# (the first clause of CCT-API-001 in REQUIREMENTS.md, judged on the repository as a whole).
#
# input: the repository subject (`files`: the paths of its files).
# data.inventory.repository: `services` (every Service of the scan, its ports as written) and
# `openapiDocuments` (the files read as OpenAPI documents, by name or by content).
package cct.api_openapi_present

import rego.v1

# An application repository: a build file at its root (the first one is where the finding goes).
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

# A port that serves HTTP: its `appProtocol`, its name, or a web port number; a metrics port
# (scraped by the platform, described by no contract) is not an API.
http_port(p) if {
	is_string(p.appProtocol)
	lower(p.appProtocol) in data.params.http_app_protocols
}

http_port(p) if {
	is_string(p.name)
	not contains(lower(p.name), "metrics")
	regex.match(data.params.http_port_name_regex, lower(p.name))
}

http_port(p) if {
	not is_string(p.name)
	p.port in data.params.http_port_numbers
}

http_services contains name if {
	some svc in data.inventory.repository.services
	some p in object.get(svc, "ports", [])
	is_object(p)
	http_port(p)
	name := sprintf("%s (%s)", [svc.name, svc.file])
}

# An OpenAPI document of this folder, by the names of REQUIREMENTS.md §3.2 or by content.
openapi_name(path) if {
	parts := split(path, "/")
	regex.match(`^(openapi[^/]*|swagger[^/]*|[^/]*\.oas)\.(ya?ml|json)$`, lower(parts[count(parts) - 1]))
}

has_openapi if {
	some f in input.files
	openapi_name(f)
}

has_openapi if count(data.inventory.repository.openapiDocuments) > 0

deny contains {
	"path": ["files", i],
	"msg": {
		"en": sprintf("this application repository (%s at its root) exposes HTTP through %s but has no OpenAPI document: describe its API in an openapi.yaml (OpenAPI 3)", [f, concat(", ", sort(http_services))]),
		"fr": sprintf("ce dépôt applicatif (%s à sa racine) expose du HTTP par %s mais n'a aucun document OpenAPI : décrire son API dans un openapi.yaml (OpenAPI 3)", [f, concat(", ", sort(http_services))]),
	},
} if {
	markers := sort(root_marker)
	count(markers) > 0
	count(http_services) > 0
	not has_openapi
	i := markers[0][1]
	f := markers[0][2]
}
