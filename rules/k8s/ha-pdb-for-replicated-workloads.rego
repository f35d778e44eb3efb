# CCT-HA-001: a replicated workload needs a PodDisruptionBudget that selects its pods, and that
# PodDisruptionBudget must allow at least one eviction.
#
# input: the pod-spec view of a Deployment, StatefulSet, Rollout or DeploymentConfig.
# data.inventory: the resources of its deployment unit (PodDisruptionBudgets, HPAs).
package cct.ha_pdb_for_replicated_workloads

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

workload_namespace := namespace_of(input)

workload_name := object.get(object.get(input, "metadata", {}), "name", "")

pod_labels := object.get(object.get(input, "podMetadata", {}), "labels", {})

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

# An HPA that scales this workload owns its replica count: its minReplicas (default 1).
hpa_min contains object.get(hpa.spec, "minReplicas", 1) if {
	some hpa in coll(data.inventory.by_kind, "HorizontalPodAutoscaler")
	namespace_of(hpa) == workload_namespace
	hpa.spec.scaleTargetRef.kind == input.kind
	hpa.spec.scaleTargetRef.name == workload_name
}

replicas := min(hpa_min) if count(hpa_min) > 0

replicas := object.get(input, "replicas", 1) if count(hpa_min) == 0

# Written inline (no function call per PodDisruptionBudget): this loop runs for every workload
# over every PodDisruptionBudget of the unit.
pdbs contains pdb if {
	some pdb in object.get(data.inventory.by_kind, "PodDisruptionBudget", [])
	object.get(object.get(pdb, "metadata", {}), "namespace", data.inventory.namespace) == workload_namespace
	selector := pdb.spec.selector
	is_object(selector)
	every k, v in object.get(selector, "matchLabels", {}) {
		pod_labels[k] == v
	}
	every e in object.get(selector, "matchExpressions", []) {
		expression_holds(e, pod_labels)
	}
}

# (a) replicated, and no PodDisruptionBudget selects the pods.
deny contains {"msg": {
	"en": sprintf("%s %s runs %v replicas but no PodDisruptionBudget selects its pods: node drains may stop all of them at once", [input.kind, workload_name, replicas]),
	"fr": sprintf("%s %s a %v répliques mais aucun PodDisruptionBudget ne sélectionne ses pods : un drainage de nœuds peut les arrêter tous à la fois", [input.kind, workload_name, replicas]),
}} if {
	is_number(replicas)
	replicas >= data.params.min_replicas
	count(pdbs) == 0
}

# (b) a PodDisruptionBudget that forbids every eviction blocks node drains.
deny contains {
	"msg": {
		"en": sprintf("PodDisruptionBudget %s allows no eviction of the %v pods of %s %s (%s: %v): it blocks node drains during platform maintenance", [pdb.metadata.name, replicas, input.kind, workload_name, field, pdb.spec[field]]),
		"fr": sprintf("le PodDisruptionBudget %s n'autorise aucune éviction des %v pods de %s %s (%s : %v) : il bloque les drainages de nœuds pendant la maintenance de la plateforme", [pdb.metadata.name, replicas, input.kind, workload_name, field, pdb.spec[field]]),
	},
	"resource": {"kind": "PodDisruptionBudget", "namespace": pdb.__meta.namespace, "name": pdb.metadata.name},
	"path": ["spec", field],
} if {
	is_number(replicas)
	replicas >= data.params.min_replicas
	some pdb in pdbs
	some field in ["minAvailable", "maxUnavailable"]
	forbids_eviction(field, pdb.spec[field])
}

forbids_eviction("minAvailable", v) if {
	is_number(v)
	v >= replicas
}

forbids_eviction("minAvailable", "100%") := true

forbids_eviction("maxUnavailable", 0) := true

forbids_eviction("maxUnavailable", "0%") := true
