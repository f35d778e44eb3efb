# CCT-OBS-004: a long-running workload shows no sign of telemetry: no monitor scrapes it, no
# OpenTelemetry variable, no OpenTelemetry operator injection (a note: evidence of
# transaction-level telemetry is asked for anyway).
#
# input: the pod-spec view of the workload.
# data.inventory: the resources of its deployment unit (Services, ServiceMonitors, PodMonitors).
package cct.obs_telemetry_hint

import rego.v1

arr(obj, key) := v if {
	v := object.get(obj, key, [])
	is_array(v)
}

arr(obj, key) := [] if not is_array(object.get(obj, key, []))

obj(x) := x if is_object(x)

obj(x) := {} if not is_object(x)

by_kind(kind) := v if {
	v := object.get(data.inventory.by_kind, kind, [])
	is_array(v)
}

by_kind(kind) := [] if not is_array(object.get(data.inventory.by_kind, kind, []))

namespace_of(r) := object.get(obj(object.get(r, "metadata", {})), "namespace", data.inventory.namespace)

workload_name := object.get(obj(object.get(input, "metadata", {})), "name", "")

pod_metadata := obj(object.get(input, "podMetadata", {}))

pod_labels := obj(object.get(pod_metadata, "labels", {}))

pod_annotations := obj(object.get(pod_metadata, "annotations", {}))

# Kubernetes label-selector semantics: every matchLabels pair and matchExpressions entry holds.
selects(selector, labels) if {
	is_object(selector)
	every k, v in obj(object.get(selector, "matchLabels", {})) {
		labels[k] == v
	}
	every e in arr(selector, "matchExpressions") {
		expression_holds(e, labels)
	}
}

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

# A monitor reaches the workload's namespace: any, listed, or its own when none is listed.
in_reach(m) if object.get(obj(object.get(obj(m.spec), "namespaceSelector", {})), "any", false) == true

in_reach(m) if namespace_of(input) in arr(obj(object.get(obj(m.spec), "namespaceSelector", {})), "matchNames")

in_reach(m) if {
	count(arr(obj(object.get(obj(m.spec), "namespaceSelector", {})), "matchNames")) == 0
	namespace_of(m) == namespace_of(input)
}

# The Services of the namespace that select the pods.
services contains s if {
	some s in by_kind("Service")
	namespace_of(s) == namespace_of(input)
	selector := obj(object.get(obj(object.get(s, "spec", {})), "selector", {}))
	count(selector) > 0
	every k, v in selector {
		pod_labels[k] == v
	}
}

monitored if {
	some m in by_kind("PodMonitor")
	in_reach(m)
	selects(m.spec.selector, pod_labels)
}

monitored if {
	some m in by_kind("ServiceMonitor")
	in_reach(m)
	some s in services
	selects(m.spec.selector, obj(object.get(obj(object.get(s, "metadata", {})), "labels", {})))
}

monitored if pod_annotations["prometheus.io/scrape"] == "true"

# OpenTelemetry configured in a container (or a native sidecar).
instrumented if {
	some group in ["containers", "initContainers"]
	some c in arr(input.spec, group)
	some env in arr(c, "env")
	is_string(env.name)
	startswith(env.name, "OTEL_")
}

instrumented if {
	some group in ["containers", "initContainers"]
	some c in arr(input.spec, group)
	some ref in arr(c, "envFrom")
	is_string(ref.prefix)
	startswith(ref.prefix, "OTEL_")
}

# The OpenTelemetry operator's injection, on the pod or on the workload.
instrumented if {
	some annotations in [pod_annotations, obj(object.get(obj(object.get(input, "metadata", {})), "annotations", {}))]
	some key, _ in annotations
	startswith(key, "instrumentation.opentelemetry.io/inject-")
}

instrumented if {
	some annotations in [pod_annotations, obj(object.get(obj(object.get(input, "metadata", {})), "annotations", {}))]
	some key, _ in annotations
	startswith(key, "sidecar.opentelemetry.io/inject")
}

deny contains {
	"msg": {
		"en": sprintf("%s %s shows no telemetry: no ServiceMonitor or PodMonitor scrapes it, no OTEL_* variable, no OpenTelemetry operator injection", [input.kind, workload_name]),
		"fr": sprintf("%s %s ne montre aucune télémétrie : aucun ServiceMonitor ni PodMonitor ne la collecte, aucune variable OTEL_*, aucune injection de l'opérateur OpenTelemetry", [input.kind, workload_name]),
	},
} if {
	input.longRunning == true
	not monitored
	not instrumented
}
