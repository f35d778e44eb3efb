# CCT-K8S-016: a replicated workload spreads its pods across zones (pod anti-affinity or a
# topology spread constraint on the zone key, whose selector selects the workload's own pods).
#
# input: the pod-spec view of a Deployment, StatefulSet, Rollout or DeploymentConfig.
# data.inventory: the resources of its deployment unit (HorizontalPodAutoscalers).
package cct.k8s_zone_spread

import rego.v1

zone_keys := {"topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"}

host_keys := {"kubernetes.io/hostname"}

# An array of an object, or an empty one when absent or null (rendered charts write `key:`).
arr(obj, key) := v if {
	v := object.get(obj, key, [])
	is_array(v)
}

arr(obj, key) := [] if not is_array(object.get(obj, key, []))

workload_namespace := object.get(object.get(input, "metadata", {}), "namespace", data.inventory.namespace)

workload_name := object.get(object.get(input, "metadata", {}), "name", "")

pod_labels := object.get(object.get(input, "podMetadata", {}), "labels", {})

# Kubernetes label-selector semantics: every matchLabels pair and every expression holds; a
# missing selector selects nothing.
selects(selector) if {
	is_object(selector)
	every k, v in object.get(selector, "matchLabels", {}) {
		pod_labels[k] == v
	}
	every e in object.get(selector, "matchExpressions", []) {
		expression_holds(e)
	}
}

expression_holds(e) if {
	e.operator == "In"
	pod_labels[e.key] in e.values
}

expression_holds(e) if {
	e.operator == "NotIn"
	not pod_labels[e.key] in e.values
}

expression_holds(e) if {
	e.operator == "Exists"
	_ = pod_labels[e.key]
}

expression_holds(e) if {
	e.operator == "DoesNotExist"
	not has_label(e.key)
}

has_label(key) if _ = pod_labels[key]

# An HPA that scales this workload owns its replica count: its minReplicas (default 1).
hpa_min contains object.get(hpa.spec, "minReplicas", 1) if {
	some hpa in object.get(data.inventory.by_kind, "HorizontalPodAutoscaler", [])
	hpa.spec.scaleTargetRef.kind == input.kind
	hpa.spec.scaleTargetRef.name == workload_name
	object.get(object.get(hpa, "metadata", {}), "namespace", data.inventory.namespace) == workload_namespace
}

replicas := min(hpa_min) if count(hpa_min) > 0

replicas := object.get(input, "replicas", 1) if count(hpa_min) == 0

anti_affinity := object.get(object.get(object.get(input, "spec", {}), "affinity", {}), "podAntiAffinity", {})

# The topology keys the pods are spread on, with a selector that selects the pods themselves.
spread_keys contains term.topologyKey if {
	is_object(anti_affinity)
	some term in arr(anti_affinity, "requiredDuringSchedulingIgnoredDuringExecution")
	selects(object.get(term, "labelSelector", null))
}

spread_keys contains term.topologyKey if {
	is_object(anti_affinity)
	some weighted in arr(anti_affinity, "preferredDuringSchedulingIgnoredDuringExecution")
	term := weighted.podAffinityTerm
	selects(object.get(term, "labelSelector", null))
}

spread_keys contains c.topologyKey if {
	some c in arr(object.get(input, "spec", {}), "topologySpreadConstraints")
	selects(object.get(c, "labelSelector", null))
}

replicated if {
	is_number(replicas)
	replicas >= data.params.min_replicas
}

zone_spread if {
	some k in spread_keys
	k in zone_keys
}

host_spread if {
	some k in spread_keys
	k in host_keys
}

deny contains {
	"msg": {
		"en": sprintf("%s %s runs %v replicas but does not spread them across zones (no pod anti-affinity or topology spread constraint on topology.kubernetes.io/zone that selects its pods): one zone down stops all of them", [input.kind, workload_name, replicas]),
		"fr": sprintf("%s %s a %v répliques mais ne les répartit pas entre zones (ni anti-affinité de pods ni contrainte de répartition sur topology.kubernetes.io/zone qui sélectionne ses pods) : la perte d'une zone les arrête toutes", [input.kind, workload_name, replicas]),
	},
	"severity": severity,
} if {
	replicated
	not zone_spread
	not host_spread
}

severity := "error" if data.params.zones_available

severity := "warning" if not data.params.zones_available

deny contains {
	"msg": {
		"en": sprintf("%s %s spreads its %v replicas across nodes only (kubernetes.io/hostname): spread them across zones too (topology.kubernetes.io/zone) when the cluster has several", [input.kind, workload_name, replicas]),
		"fr": sprintf("%s %s ne répartit ses %v répliques qu'entre nœuds (kubernetes.io/hostname) : les répartir aussi entre zones (topology.kubernetes.io/zone) quand le cluster en compte plusieurs", [input.kind, workload_name, replicas]),
	},
	"severity": "note",
} if {
	replicated
	not zone_spread
	host_spread
}
