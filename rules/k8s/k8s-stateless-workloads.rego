# CCT-K8S-015: the pod tier is stateless. A Deployment, DeploymentConfig, Rollout or ReplicaSet
# that mounts a PersistentVolumeClaim keeps state in its pods (warning); a StatefulSet that runs
# no known data store may be application code kept in a StatefulSet (note).
#
# input: the pod-spec view of the workload.
# data.inventory: the resources of its deployment unit (PersistentVolumeClaims).
package cct.k8s_stateless_workloads

import rego.v1

list(v) := v if is_array(v)

list(v) := [] if not is_array(v)

namespace_of(r) := object.get(object.get(r, "metadata", {}), "namespace", data.inventory.namespace)

workload_name := object.get(object.get(input, "metadata", {}), "name", "")

replicas := object.get(input, "replicas", 1)

# The PersistentVolumeClaim of the unit with this name, in the workload's namespace.
claim(name) := pvc if {
	pvcs := object.get(data.inventory.by_kind, "PersistentVolumeClaim", [])
	is_array(pvcs)
	some pvc in pvcs
	namespace_of(pvc) == namespace_of(input)
	pvc.metadata.name == name
}

# A claim that only one node can mount read-write, with several replicas: the others cannot start.
blocks_replicas(name) if {
	is_number(replicas)
	replicas > 1
	modes := list(claim(name).spec.accessModes)
	count(modes) > 0
	every m in modes {
		m in {"ReadWriteOnce", "ReadWriteOncePod"}
	}
}

deny contains {
	"msg": {
		"en": sprintf("%s %s mounts the PersistentVolumeClaim %s: state kept in the pod tier; use a central data store (a database run by an operator, the object storage service)", [input.kind, workload_name, claim_name]),
		"fr": sprintf("%s %s monte le PersistentVolumeClaim %s : un état conservé dans la couche des pods ; utiliser un stockage central (une base gérée par un opérateur, le service de stockage objet)", [input.kind, workload_name, claim_name]),
	},
	"path": ["spec", "volumes", i, "persistentVolumeClaim"],
} if {
	input.kind in {"Deployment", "DeploymentConfig", "Rollout", "ReplicaSet"}
	some i, v in list(input.spec.volumes)
	is_object(v.persistentVolumeClaim)
	claim_name := object.get(v.persistentVolumeClaim, "claimName", "")
	not blocks_replicas(claim_name)
}

deny contains {
	"msg": {
		"en": sprintf("%s %s mounts the PersistentVolumeClaim %s, which only one node can mount read-write, with %d replicas: the pods cannot all start, and state is kept in the pod tier; use a central data store", [input.kind, workload_name, claim_name, replicas]),
		"fr": sprintf("%s %s monte le PersistentVolumeClaim %s, qu'un seul nœud peut monter en écriture, avec %d répliques : les pods ne peuvent pas tous démarrer, et un état est conservé dans la couche des pods ; utiliser un stockage central", [input.kind, workload_name, claim_name, replicas]),
	},
	"path": ["spec", "volumes", i, "persistentVolumeClaim"],
} if {
	input.kind in {"Deployment", "DeploymentConfig", "Rollout", "ReplicaSet"}
	some i, v in list(input.spec.volumes)
	is_object(v.persistentVolumeClaim)
	claim_name := object.get(v.persistentVolumeClaim, "claimName", "")
	blocks_replicas(claim_name)
}

# The last segment of an image's repository, without tag or digest (`bitnami/postgresql:16` →
# `postgresql`).
image_name(ref) := name if {
	no_digest := split(ref, "@")[0]
	parts := split(no_digest, "/")
	last := parts[count(parts) - 1]
	name := lower(split(last, ":")[0])
}

datastore(ref) if {
	name := image_name(ref)
	some allowed in object.get(data.params, "allowed_images", [])
	startswith(name, lower(allowed))
}

deny contains {
	"msg": {
		"en": sprintf("StatefulSet %s runs no known data store (%s): application code in a StatefulSet? Keep application pods stateless and their data in a central store", [workload_name, concat(", ", images)]),
		"fr": sprintf("le StatefulSet %s n'exécute aucun stockage de données connu (%s) : du code applicatif dans un StatefulSet ? Garder les pods applicatifs sans état et leurs données dans un stockage central", [workload_name, concat(", ", images)]),
	},
	"severity": "note",
} if {
	input.kind == "StatefulSet"
	images := [c.image | some c in list(input.spec.containers); is_string(c.image)]
	count(images) > 0
	not any_datastore(images)
}

any_datastore(images) if {
	some ref in images
	datastore(ref)
}
