# CCT-HA-003: an HPA and a static replica count fight each other under GitOps self-heal, and an
# HPA must scale something that exists.
#
# input: a HorizontalPodAutoscaler. data.inventory: the resources of its deployment unit.
package cct.ha_hpa_vs_static_replicas

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

target := input.spec.scaleTargetRef

hpa_name := object.get(object.get(input, "metadata", {}), "name", "")

targets contains w if {
	some w in coll(data.inventory.by_kind, target.kind)
	w.metadata.name == target.name
	namespace_of(w) == namespace_of(input)
}

# An Argo CD Application of the unit that ignores /spec/replicas for this kind.
replicas_ignored if {
	some app in coll(data.inventory.by_kind, "Application")
	some d in coll(object.get(app, "spec", {}), "ignoreDifferences")
	d.kind == target.kind
	object.get(d, "name", target.name) == target.name
	ignores_replicas(d)
}

ignores_replicas(d) if "/spec/replicas" in coll(d, "jsonPointers")

ignores_replicas(d) if ".spec.replicas" in coll(d, "jqPathExpressions")

# The target sets a static replica count.
deny contains {
	"msg": {
		"en": sprintf("%s %s sets replicas: %v but HorizontalPodAutoscaler %s scales it: each GitOps sync resets the count the HPA chose; remove spec.replicas", [target.kind, target.name, w.spec.replicas, hpa_name]),
		"fr": sprintf("%s %s fixe replicas: %v alors que le HorizontalPodAutoscaler %s le met à l'échelle : chaque synchronisation GitOps annule le nombre choisi par le HPA ; supprimer spec.replicas", [target.kind, target.name, w.spec.replicas, hpa_name]),
	},
	"resource": {"kind": target.kind, "namespace": w.__meta.namespace, "name": target.name},
	"path": ["spec", "replicas"],
} if {
	some w in targets
	_ = w.spec.replicas
	not replicas_ignored
}

# The target is not in the deployment unit.
deny contains {
	"msg": {
		"en": sprintf("HorizontalPodAutoscaler %s scales %s %s, which is not in this deployment unit", [hpa_name, target.kind, target.name]),
		"fr": sprintf("le HorizontalPodAutoscaler %s met à l'échelle %s %s, absent de cette unité de déploiement", [hpa_name, target.kind, target.name]),
	},
	"path": ["spec", "scaleTargetRef", "name"],
} if {
	is_string(target.kind)
	is_string(target.name)
	count(targets) == 0
}
