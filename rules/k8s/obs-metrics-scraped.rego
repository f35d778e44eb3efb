# CCT-OBS-001: a long-running workload that exposes a TCP container port is scraped by
# Prometheus: a ServiceMonitor selects a Service that selects its pods (and names one of its
# ports), or a PodMonitor selects its pods (and names one of their ports).
#
# input: the pod-spec view of a long-running workload.
# data.inventory: the resources of its deployment unit (Services, ServiceMonitors, PodMonitors).
# data.profile: under `cpin`, the `prometheus.io/scrape` annotation only gives a note (OpenShift
# user-workload monitoring reads ServiceMonitors and PodMonitors only).
package cct.obs_metrics_scraped

import rego.v1

# An array of an object, or an empty one when absent or null (rendered charts write `ports:`).
arr(obj, key) := v if {
	v := object.get(obj, key, [])
	is_array(v)
}

arr(obj, key) := [] if not is_array(object.get(obj, key, []))

workload_namespace := object.get(object.get(input, "metadata", {}), "namespace", data.inventory.namespace)

workload_name := object.get(object.get(input, "metadata", {}), "name", "")

pod_labels := object.get(object.get(input, "podMetadata", {}), "labels", {})

pod_annotations := object.get(object.get(input, "podMetadata", {}), "annotations", {})

# The containers that serve: the regular ones and the native sidecars.
serving_containers contains c if {
	some c in arr(input.spec, "containers")
	is_object(c)
}

serving_containers contains c if {
	some c in arr(input.spec, "initContainers")
	is_object(c)
	c.restartPolicy == "Always"
}

tcp_ports contains p if {
	some c in serving_containers
	some p in arr(c, "ports")
	is_object(p)
	upper(object.get(p, "protocol", "TCP")) == "TCP"
}

port_names contains p.name if {
	some p in tcp_ports
	is_string(p.name)
}

port_numbers contains p.containerPort if {
	some p in tcp_ports
}

# Kubernetes label-selector semantics (written inline where a selector is tested): every
# matchLabels pair and every matchExpressions entry must hold; an empty selector selects
# everything; a missing or null selector selects nothing.
expression_holds(e, labels) if {
	e.operator == "In"
	labels[e.key] in e.values
}

expression_holds(e, labels) if {
	e.operator == "NotIn"
	not labels[e.key] in e.values
}

expression_holds(e, labels) if {
	e.operator == "Exists"
	_ = labels[e.key]
}

expression_holds(e, labels) if {
	e.operator == "DoesNotExist"
	not has_label(labels, e.key)
}

has_label(labels, key) if _ = labels[key]

# The Services of the workload's namespace whose selector (a plain map: every pair must hold;
# an empty or missing one selects no pod) selects its pods. Written inline: this loop runs for
# every workload over every Service of the unit.
services contains s if {
	some s in object.get(data.inventory.by_kind, "Service", [])
	object.get(object.get(s, "metadata", {}), "namespace", data.inventory.namespace) == workload_namespace
	selector := object.get(object.get(s, "spec", {}), "selector", null)
	is_object(selector)
	count(selector) > 0
	every k, v in selector {
		pod_labels[k] == v
	}
}

# A monitor's namespaceSelector includes the workload's namespace: `any: true`; a `matchNames`
# list that holds it (a namespace left to the deployment may be any of them); or neither, and
# the monitor is in that namespace. Computed once per kind, before the loops over Services.
monitors(kind) := {m |
	some m in object.get(data.inventory.by_kind, kind, [])
	is_object(m.spec)
	is_object(object.get(m.spec, "selector", null))
	namespaces_ok(m)
}

namespaces_ok(m) if object.get(object.get(m.spec, "namespaceSelector", {}), "any", false) == true

namespaces_ok(m) if {
	names := object.get(object.get(m.spec, "namespaceSelector", {}), "matchNames", [])
	is_array(names)
	count(names) > 0
	workload_namespace in names
}

namespaces_ok(m) if {
	names := object.get(object.get(m.spec, "namespaceSelector", {}), "matchNames", [])
	is_array(names)
	count(names) > 0
	workload_namespace == ""
}

namespaces_ok(m) if {
	not names_given(m)
	object.get(object.get(m, "metadata", {}), "namespace", data.inventory.namespace) == workload_namespace
}

names_given(m) if {
	names := object.get(object.get(m.spec, "namespaceSelector", {}), "matchNames", [])
	is_array(names)
	count(names) > 0
}

service_monitors_in_reach := monitors("ServiceMonitor")

pod_monitors_in_reach := monitors("PodMonitor")

# (ServiceMonitor, Service) pairs where the monitor's selector selects the Service's labels.
# Written inline: this loop runs for every workload.
service_monitors contains [m, s] if {
	some m in service_monitors_in_reach
	some s in services
	labels := object.get(object.get(s, "metadata", {}), "labels", {})
	every k, v in object.get(m.spec.selector, "matchLabels", {}) {
		labels[k] == v
	}
	every e in object.get(m.spec.selector, "matchExpressions", []) {
		expression_holds(e, labels)
	}
}

# An endpoint of the ServiceMonitor reaches the workload's pods: its `port` names a port of the
# Service whose `targetPort`, when it is a name, is a container port name of the pods; or its
# (deprecated) `targetPort` is a container port of the pods, by name or number; or it names no
# port, and scrapes every port of the Service.
scraped_by_service_monitor if {
	some [m, s] in service_monitors
	some ep in arr(m.spec, "endpoints")
	is_string(ep.port)
	some sp in arr(s.spec, "ports")
	ep.port == sp.name
	service_port_reaches_pods(sp)
}

scraped_by_service_monitor if {
	some [m, _] in service_monitors
	some ep in arr(m.spec, "endpoints")
	not ep.port
	ep.targetPort in (port_names | port_numbers)
}

scraped_by_service_monitor if {
	some [m, _] in service_monitors
	some ep in arr(m.spec, "endpoints")
	is_object(ep)
	not ep.port
	not ep.targetPort
}

service_port_reaches_pods(sp) if is_number(object.get(sp, "targetPort", sp.port))

service_port_reaches_pods(sp) if sp.targetPort in port_names

scraped_by_pod_monitor if {
	some m in pod_monitors_in_reach
	every k, v in object.get(m.spec.selector, "matchLabels", {}) {
		pod_labels[k] == v
	}
	every e in object.get(m.spec.selector, "matchExpressions", []) {
		expression_holds(e, pod_labels)
	}
	some ep in arr(m.spec, "podMetricsEndpoints")
	pod_endpoint_reaches(ep)
}

pod_endpoint_reaches(ep) if ep.port in port_names

pod_endpoint_reaches(ep) if ep.portNumber in port_numbers

pod_endpoint_reaches(ep) if ep.targetPort in port_names

pod_endpoint_reaches(ep) if ep.targetPort in port_numbers

# An endpoint that names no port scrapes every container port.
pod_endpoint_reaches(ep) if {
	is_object(ep)
	not ep.port
	not ep.portNumber
	not ep.targetPort
}

scraped if scraped_by_service_monitor

scraped if scraped_by_pod_monitor

annotated if object.get(pod_annotations, "prometheus.io/scrape", "") in {"true", true}

target if {
	input.longRunning
	count(tcp_ports) > 0
}

# Why the closest candidate does not scrape the pods, for the message.
near_misses := sort([[m.metadata.name, s.metadata.name] | some [m, s] in service_monitors])

service_names := concat(", ", sort([n | some s in services; n := s.metadata.name]))

reason := {
	"en": sprintf("ServiceMonitor %s selects Service %s, but none of its endpoints names a port of that Service that reaches the pods", near_misses[0]),
	"fr": sprintf("le ServiceMonitor %s sélectionne le Service %s, mais aucun de ses endpoints ne désigne un port de ce Service qui atteint les pods", near_misses[0]),
} if count(near_misses) > 0

reason := {
	"en": sprintf("no ServiceMonitor whose namespaceSelector includes the workload's namespace selects the labels of Service %s, which selects its pods, and no PodMonitor selects the pods", [service_names]),
	"fr": sprintf("aucun ServiceMonitor dont le namespaceSelector inclut l'espace de noms de la charge ne sélectionne les labels du Service %s, qui sélectionne ses pods, et aucun PodMonitor ne sélectionne les pods", [service_names]),
} if {
	count(near_misses) == 0
	count(services) == 1
}

reason := {
	"en": sprintf("no ServiceMonitor whose namespaceSelector includes the workload's namespace selects the labels of Services %s, which select its pods, and no PodMonitor selects the pods", [service_names]),
	"fr": sprintf("aucun ServiceMonitor dont le namespaceSelector inclut l'espace de noms de la charge ne sélectionne les labels des Services %s, qui sélectionnent ses pods, et aucun PodMonitor ne sélectionne les pods", [service_names]),
} if {
	count(near_misses) == 0
	count(services) > 1
}

reason := {
	"en": "no Service selects its pods for a ServiceMonitor to follow, and no PodMonitor selects them",
	"fr": "aucun Service ne sélectionne ses pods pour qu'un ServiceMonitor les atteigne, et aucun PodMonitor ne les sélectionne",
} if count(services) == 0

deny contains {
	"msg": {
		"en": sprintf("the metrics of %s %s are not scraped: %s", [input.kind, workload_name, reason.en]),
		"fr": sprintf("les métriques de %s %s ne sont pas collectées : %s", [input.kind, workload_name, reason.fr]),
	},
	"severity": "warning",
} if {
	target
	not scraped
	not annotated
}

# The prometheus.io annotations: enough on Kubernetes, not read by OpenShift monitoring.
deny contains {
	"msg": {
		"en": sprintf("the pods of %s %s ask to be scraped through the prometheus.io/scrape annotation, which OpenShift user-workload monitoring does not read: declare a ServiceMonitor or a PodMonitor", [input.kind, workload_name]),
		"fr": sprintf("les pods de %s %s demandent leur collecte par l'annotation prometheus.io/scrape, que la supervision des charges utilisateur d'OpenShift ne lit pas : déclarer un ServiceMonitor ou un PodMonitor", [input.kind, workload_name]),
	},
	"severity": "note",
} if {
	target
	not scraped
	annotated
	data.profile == "cpin"
}
