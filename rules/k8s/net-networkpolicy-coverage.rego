# CCT-NET-002: every workload's pods are selected by a NetworkPolicy of their namespace, and
# every NetworkPolicy selects the pods of some workload.
#
# input: a workload (any kind with a pod template) or a NetworkPolicy.
# data.inventory: the resources of its deployment unit.
# data.profile: the profile; under `cpin` the platform adds default policies to each namespace
# (deny-all plus allow same-namespace, router and logging).
package cct.net_networkpolicy_coverage

import rego.v1

# A collection of an object, or an empty one when absent or null (rendered charts write `env:`).
coll(obj, key) := v if {
	v := object.get(obj, key, [])
	is_collection(v)
}

coll(obj, key) := [] if not is_collection(object.get(obj, key, []))

is_collection(v) if is_array(v)

is_collection(v) if is_object(v)

is_collection(v) if is_set(v)

namespace_of(r) := object.get(object.get(r, "metadata", {}), "namespace", data.inventory.namespace)

name_of(r) := object.get(object.get(r, "metadata", {}), "name", "")

# Where the pod template's metadata is, by kind.
pod_metadata(r) := object.get(r, "metadata", {}) if r.kind == "Pod"

pod_metadata(r) := object.get(object.get(object.get(object.get(r.spec, "jobTemplate", {}), "spec", {}), "template", {}), "metadata", {}) if r.kind == "CronJob"

pod_metadata(r) := object.get(object.get(r.spec, "template", {}), "metadata", {}) if not r.kind in {"Pod", "CronJob"}

pod_spec(r) := object.get(r, "spec", {}) if r.kind == "Pod"

pod_spec(r) := object.get(object.get(object.get(object.get(r.spec, "jobTemplate", {}), "spec", {}), "template", {}), "spec", {}) if r.kind == "CronJob"

pod_spec(r) := object.get(object.get(r.spec, "template", {}), "spec", {}) if not r.kind in {"Pod", "CronJob"}

pod_labels(r) := object.get(pod_metadata(r), "labels", {})

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Pod", "DeploymentConfig", "Rollout"}

# Kubernetes label-selector semantics (written inline where a selector is tested): every
# matchLabels pair and every matchExpressions entry must hold; an empty selector selects every
# pod of the namespace; a missing or null selector selects nothing.
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

# The NetworkPolicies that select the input's pods (a default-deny policy with `podSelector:
# {}` selects them all: they are isolated, and their flows must be opened explicitly).
input_namespace := namespace_of(input)

input_labels := pod_labels(input)

# Written inline (no function call per NetworkPolicy): this loop runs for every workload over
# every NetworkPolicy of the unit.
covering contains p if {
	some p in object.get(data.inventory.by_kind, "NetworkPolicy", [])
	object.get(object.get(p, "metadata", {}), "namespace", data.inventory.namespace) == input_namespace
	selector := object.get(object.get(p, "spec", {}), "podSelector", null)
	is_object(selector)
	every k, v in object.get(selector, "matchLabels", {}) {
		input_labels[k] == v
	}
	every e in object.get(selector, "matchExpressions", []) {
		expression_holds(e, input_labels)
	}
}

# Values the pods read: env values, and the data of the ConfigMaps of the unit they load (whole,
# or one key).
read_values contains v if {
	some list in ["containers", "initContainers"]
	some c in coll(pod_spec(input), list)
	some e in coll(c, "env")
	v := e.value
}

read_values contains v if {
	some list in ["containers", "initContainers"]
	some c in coll(pod_spec(input), list)
	some source in coll(c, "envFrom")
	some cm in coll(data.inventory.by_kind, "ConfigMap")
	cm.metadata.name == source.configMapRef.name
	namespace_of(cm) == namespace_of(input)
	some v in coll(cm, "data")
}

# One key of a ConfigMap of the unit, read through `valueFrom.configMapKeyRef`.
read_values contains v if {
	some list in ["containers", "initContainers"]
	some c in coll(pod_spec(input), list)
	some e in coll(c, "env")
	ref := e.valueFrom.configMapKeyRef
	some cm in coll(data.inventory.by_kind, "ConfigMap")
	cm.metadata.name == ref.name
	namespace_of(cm) == namespace_of(input)
	v := coll(cm, "data")[ref.key]
}

# A URL whose host is outside the namespace: not a bare Service name, nor
# `<service>.<this namespace>[.svc[.cluster.local]]`.
url_host(v) := lower(m[1]) if {
	is_string(v)
	some m in regex.find_all_string_submatch_n(`^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^/@]*@)?([^/:?#]+)`, v, 1)
}

inside_namespace(host) if not contains(host, ".")

inside_namespace(host) if {
	parts := split(host, ".")
	count(parts) >= 2
	parts[1] == namespace_of(input)
	rest := concat(".", array.slice(parts, 2, count(parts)))
	rest in {"", "svc", "svc.cluster.local"}
}

egress_beyond_namespace if {
	some v in read_values
	host := url_host(v)
	not inside_namespace(host)
}

platform_defaults if {
	data.params.platform_default_netpols
	data.profile == "cpin"
}

# The platform's default policies cover pods that talk only within their namespace.
uncovered_severity := "note" if {
	platform_defaults
	not egress_beyond_namespace
}

uncovered_severity := "warning" if not platform_defaults

uncovered_severity := "warning" if egress_beyond_namespace

deny contains {
	"msg": {
		"en": sprintf("the pods of %s %s are selected by no NetworkPolicy: their flows are not written down and not filtered", [input.kind, name_of(input)]),
		"fr": sprintf("les pods de %s %s ne sont sélectionnés par aucune NetworkPolicy : leurs flux ne sont ni décrits ni filtrés", [input.kind, name_of(input)]),
	},
	"severity": uncovered_severity,
} if {
	input.kind in workload_kinds
	count(covering) == 0
}

# A NetworkPolicy that selects the pods of no workload of its unit.
deny contains {
	"msg": {
		"en": sprintf("NetworkPolicy %s selects the pods of no workload of this deployment unit", [name_of(input)]),
		"fr": sprintf("la NetworkPolicy %s ne sélectionne les pods d'aucune charge de cette unité de déploiement", [name_of(input)]),
	},
	"path": ["spec", "podSelector"],
	"severity": "note",
} if {
	input.kind == "NetworkPolicy"
	input.spec.podSelector != {}
	not selects_a_workload
}

np_selector := input.spec.podSelector if input.kind == "NetworkPolicy"

# The pod labels of every workload of the input's namespace (one pass over the unit).
workload_labels contains pod_labels(w) if {
	some kind in workload_kinds
	some w in object.get(data.inventory.by_kind, kind, [])
	object.get(object.get(w, "metadata", {}), "namespace", data.inventory.namespace) == input_namespace
}

selects_a_workload if {
	is_object(np_selector)
	some labels in workload_labels
	every k, v in object.get(np_selector, "matchLabels", {}) {
		labels[k] == v
	}
	every e in object.get(np_selector, "matchExpressions", []) {
		expression_holds(e, labels)
	}
}
