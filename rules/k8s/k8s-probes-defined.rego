# CCT-K8S-010, across a container's fields: a probe that names a port (`httpGet.port`,
# `tcpSocket.port`) the container does not declare in its `ports` never succeeds.
#
# input: the container view (`container` as written).
package cct.k8s_probes_defined

import rego.v1

# Workloads whose pod template is the whole pod. An operator's resource (a Prometheus, an
# Alertmanager) lists containers that patch the ones it generates, which declare the ports.
whole_pods := {
	"Pod", "PodTemplate", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
	"ReplicationController", "Job", "CronJob", "DeploymentConfig", "Rollout",
}

declared contains p.name if {
	ports := object.get(input.container, "ports", [])
	is_array(ports)
	some p in ports
	is_string(p.name)
}

warn contains {
	"msg": {
		"en": sprintf("The %s (%s) of container %s targets the port named %s, which the container does not declare: the probe never succeeds; name a port of its ports list", [probe, handler, input.container.name, port]),
		"fr": sprintf("La sonde %s (%s) du conteneur %s vise le port nommé %s, que le conteneur ne déclare pas : la sonde n'aboutit jamais ; nommer un port de sa liste ports", [probe, handler, input.container.name, port]),
	},
	"path": ["container", probe, handler, "port"],
} if {
	input.kind in whole_pods
	some probe in ["readinessProbe", "livenessProbe", "startupProbe"]
	some handler in ["httpGet", "tcpSocket"]
	port := input.container[probe][handler].port
	is_string(port)
	not declared[port]
}
