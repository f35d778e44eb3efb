# CCT-OBS-002: an HTTP probe asks a health endpoint that says what it is (`/health`, `/healthz`,
# `/livez`, `/readyz`, `/actuator/health`, `/q/health`), not the application's home page.
#
# input: the container view.
package cct.obs_health_path_convention

import rego.v1

probes := ["livenessProbe", "readinessProbe", "startupProbe"]

deny contains {
	"msg": {
		"en": sprintf("the %s of container %s asks %s: expose a self-describing health endpoint such as /health/live or /health/ready", [probe, name, shown]),
		"fr": sprintf("la %s du conteneur %s interroge %s : exposer un point de santé explicite tel que /health/live ou /health/ready", [probe, name, shown]),
	},
	"path": path,
} if {
	input.containerType != "ephemeralContainers"
	some probe in probes
	get := input.container[probe].httpGet
	is_object(get)
	path_value := object.get(get, "path", "/")
	is_string(path_value)
	not health(path_value)
	shown := shown_path(path_value)
	path := probe_path(probe, get)
	name := object.get(input.container, "name", "")
}

# A path whose part before the query names a health endpoint, after an optional context path
# (`/api/health` is the application's /health behind its context path).
health(p) if {
	bare := split(p, "?")[0]
	some pattern in object.get(data.params, "health_paths", [])
	regex.match(pattern, bare)
}

shown_path(p) := p if p != ""

shown_path(p) := "/" if p == ""

probe_path(probe, get) := ["container", probe, "httpGet", "path"] if object.get(get, "path", null) != null

probe_path(probe, get) := ["container", probe, "httpGet"] if object.get(get, "path", null) == null
