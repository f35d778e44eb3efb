# CCT-K8S-006, across resources: a Service's named targetPort is the port of that name of the
# containers its selector picks among the pods of its deployment unit; below the threshold, it
# is a low listening port (as a numeric targetPort is, which the schema judges).
#
# input: a resource (only Services are judged here; the rule's schema judges the rest).
# data.inventory: the resources of its deployment unit.
package cct.k8s_container_port_above_1024

import rego.v1

namespace_of(r) := object.get(object.get(r, "metadata", {}), "namespace", data.inventory.namespace)

# The pod templates of the unit: [object, pointer of the pod (its metadata and spec) in it].
pods contains [r, []] if {
	some r in data.inventory.resources
	is_array(r.spec.containers)
}

pods contains [r, ["spec", "template"]] if {
	some r in data.inventory.resources
	is_array(r.spec.template.spec.containers)
}

pods contains [r, ["spec", "jobTemplate", "spec", "template"]] if {
	some r in data.inventory.resources
	is_array(r.spec.jobTemplate.spec.template.spec.containers)
}

# Each container port the Service's port i names: [port, container, workload kind, name,
# namespace, path of the containerPort in the workload].
named[i] contains [cp.containerPort, c.name, r.kind, r.metadata.name, r.__meta.namespace, path] if {
	input.kind == "Service"
	selector := input.spec.selector
	is_object(selector)
	count(selector) > 0
	some i, p in input.spec.ports
	is_string(p.targetPort)
	some [r, at] in pods
	namespace_of(r) == namespace_of(input)
	pod := object.get(r, at, {})
	labels := object.get(object.get(pod, "metadata", {}), "labels", {})
	every k, v in selector {
		labels[k] == v
	}
	some group in ["containers", "initContainers"]
	containers := object.get(pod.spec, group, [])
	is_array(containers)
	some ci, c in containers
	ports := object.get(c, "ports", [])
	is_array(ports)
	some pi, cp in ports
	cp.name == p.targetPort
	is_number(cp.containerPort)
	path := array.concat(at, ["spec", group, ci, "ports", pi, "containerPort"])
}

warn contains {
	"msg": {
		"en": sprintf("Service %s sends traffic to port %s of its pods, port %v of container %s of %s %s, below %v: make the application listen on a higher port (e.g. 8080) and target it", [input.metadata.name, p.targetPort, low[0], low[1], low[2], low[3], data.params.min_port]),
		"fr": sprintf("le Service %s envoie le trafic vers le port %s de ses pods, le port %v du conteneur %s de %s %s, inférieur à %v : faire écouter l'application sur un port plus élevé (par exemple 8080) et le viser", [input.metadata.name, p.targetPort, low[0], low[1], low[2], low[3], data.params.min_port]),
	},
	"path": ["spec", "ports", i, "targetPort"],
	"related": [{
		"resource": {"kind": low[2], "namespace": low[4], "name": low[3]},
		"path": low[5],
		"msg": {"en": "the container port this name resolves to", "fr": "le port du conteneur que désigne ce nom"},
	}],
} if {
	some i, found in named
	p := input.spec.ports[i]
	# The lowest port the name resolves to (one finding per targetPort).
	low := min({x | some x in found; x[0] < data.params.min_port})
}
