# CCT-HA-002: a Deployment, Rollout or DeploymentConfig runs fewer than `min_replicas` replicas
# (a note: no redundancy inside the cluster).
#
# input: the pod-spec view of the workload.
# data.inventory: the resources of its deployment unit (HorizontalPodAutoscalers).
package cct.ha_single_replica

import rego.v1

namespace_of(r) := object.get(object.get(r, "metadata", {}), "namespace", data.inventory.namespace)

workload_name := object.get(object.get(input, "metadata", {}), "name", "")

# An HPA that scales this workload owns its replica count: its minReplicas (default 1).
hpa_min contains m if {
	hpas := object.get(data.inventory.by_kind, "HorizontalPodAutoscaler", [])
	is_array(hpas)
	some hpa in hpas
	namespace_of(hpa) == namespace_of(input)
	hpa.spec.scaleTargetRef.kind == input.kind
	hpa.spec.scaleTargetRef.name == workload_name
	m := object.get(hpa.spec, "minReplicas", 1)
}

replicas := min(hpa_min) if count(hpa_min) > 0

replicas := object.get(input, "replicas", 1) if count(hpa_min) == 0

deny contains {
	"msg": {
		"en": sprintf("%s %s runs with %d replica(s), fewer than %d: no redundancy inside the cluster (set replicas to %d, or minReplicas of its HorizontalPodAutoscaler)", [input.kind, workload_name, replicas, min_replicas, min_replicas]),
		"fr": sprintf("%s %s tourne avec %d réplique(s), moins de %d : aucune redondance dans le cluster (fixer replicas à %d, ou le minReplicas de son HorizontalPodAutoscaler)", [input.kind, workload_name, replicas, min_replicas, min_replicas]),
	},
	"path": path,
} if {
	is_number(replicas)
	replicas > 0
	replicas < min_replicas
	path := replicas_path
}

min_replicas := object.get(data.params, "min_replicas", 2)

# The replica count when written in the workload; else its name.
replicas_path := ["replicas"] if {
	count(hpa_min) == 0
	object.get(input, "replicas", null) != null
}

replicas_path := ["metadata", "name"] if {
	not object.get(input, "replicas", null) != null
}

replicas_path := ["metadata", "name"] if count(hpa_min) > 0
