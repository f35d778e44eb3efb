# CCT-BKP-002: backups go to an S3-type object store that is independent from production.
# * A CloudNativePG Cluster's barmanObjectStore, or a barman-cloud ObjectStore, writes to a
#   destinationPath whose scheme is not allowed (default s3://): error.
# * Its endpointURL is an in-cluster Service (the production cluster): warning.
# * A ScheduledBackup takes volume snapshots of a Cluster that has no object-store backup:
#   error (the snapshots stay in the production storage).
# * A backup CronJob writes to a PersistentVolumeClaim and runs no S3 client: warning.
#
# input: a Cluster, ObjectStore, ScheduledBackup or CronJob.
# data.inventory: the resources of its deployment unit (Services, Clusters).
package cct.bkp_target_is_independent_s3

import rego.v1

# An array of an object, or an empty one when absent or null (rendered charts write `volumes:`).
arr(obj, key) := v if {
	v := object.get(obj, key, [])
	is_array(v)
}

arr(obj, key) := [] if not is_array(object.get(obj, key, []))

namespace_of(r) := object.get(object.get(r, "metadata", {}), "namespace", data.inventory.namespace)

input_name := object.get(object.get(input, "metadata", {}), "name", "")

input_namespace := namespace_of(input)

spec := object.get(input, "spec", {})

# --- Where the backups are written --------------------------------------------------------------

# [the object-store configuration, its path in the input]
store := [spec.backup.barmanObjectStore, ["spec", "backup", "barmanObjectStore"]] if {
	input.kind == "Cluster"
	startswith(input.apiVersion, "postgresql.cnpg.io/")
	is_object(spec.backup.barmanObjectStore)
}

store := [spec.configuration, ["spec", "configuration"]] if {
	input.kind == "ObjectStore"
	startswith(input.apiVersion, "barmancloud.cnpg.io/")
	is_object(spec.configuration)
}

deny contains {
	"msg": {
		"en": sprintf("%s %s writes its backups to \"%s\", not to an S3 bucket (%s): backups must live in an independent S3-type store", [input.kind, input_name, path, concat(", ", data.params.allowed_schemes)]),
		"fr": sprintf("%s %s écrit ses sauvegardes vers « %s » et non vers un bucket S3 (%s) : les sauvegardes doivent résider dans un stockage de type S3 indépendant", [input.kind, input_name, path, concat(", ", data.params.allowed_schemes)]),
	},
	"path": array.concat(store[1], ["destinationPath"]),
} if {
	path := store[0].destinationPath
	is_string(path)
	not allowed_scheme(path)
}

allowed_scheme(path) if {
	some scheme in data.params.allowed_schemes
	startswith(lower(path), lower(scheme))
}

# The host of a URL (or of a bare host[:port]).
url_host(v) := lower(m[1]) if {
	is_string(v)
	some m in regex.find_all_string_submatch_n(`^(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?(?:[^/@]*@)?([^/:?#]+)`, v, 1)
}

in_cluster(host) if endswith(host, ".svc")

in_cluster(host) if endswith(host, ".cluster.local")

# A bare Service name of the namespace, or `<service>.<its namespace>`.
in_cluster(host) if {
	not contains(host, ".")
	some s in object.get(data.inventory.by_kind, "Service", [])
	lower(s.metadata.name) == host
	namespace_of(s) == input_namespace
}

in_cluster(host) if {
	parts := split(host, ".")
	count(parts) == 2
	some s in object.get(data.inventory.by_kind, "Service", [])
	lower(s.metadata.name) == parts[0]
	namespace_of(s) == parts[1]
}

deny contains {
	"msg": {
		"en": sprintf("%s %s sends its backups to %s, a service of the cluster: they are not independent from production", [input.kind, input_name, url]),
		"fr": sprintf("%s %s envoie ses sauvegardes vers %s, un service du cluster : elles ne sont pas indépendantes de la production", [input.kind, input_name, url]),
	},
	"path": array.concat(store[1], ["endpointURL"]),
	"severity": "warning",
} if {
	url := store[0].endpointURL
	in_cluster(url_host(url))
}

# --- Volume snapshots only ----------------------------------------------------------------------

deny contains {
	"msg": {
		"en": sprintf("ScheduledBackup %s takes volume snapshots of cluster %s, which has no object-store backup: the snapshots stay in the production storage", [input_name, spec.cluster.name]),
		"fr": sprintf("le ScheduledBackup %s prend des instantanés de volumes du cluster %s, qui n'a pas de sauvegarde vers un stockage objet : les instantanés restent dans le stockage de production", [input_name, spec.cluster.name]),
	},
	"path": ["spec", "method"],
} if {
	input.kind == "ScheduledBackup"
	startswith(input.apiVersion, "postgresql.cnpg.io/")
	spec.method == "volumeSnapshot"
	some c in object.get(data.inventory.by_kind, "Cluster", [])
	startswith(c.apiVersion, "postgresql.cnpg.io/")
	c.metadata.name == spec.cluster.name
	namespace_of(c) == input_namespace
	not has_object_store(c)
}

has_object_store(c) if is_object(c.spec.backup.barmanObjectStore)

has_object_store(c) if {
	some p in arr(c.spec, "plugins")
	p.name == "barman-cloud.cloudnative-pg.io"
	object.get(p, "enabled", true) != false
}

# --- Backup CronJobs that keep their dumps in the cluster -----------------------------------------

job_pod := object.get(object.get(object.get(object.get(spec, "jobTemplate", {}), "spec", {}), "template", {}), "spec", {}) if input.kind == "CronJob"

# The words of its containers in order (a set would sort them: `aws s3 cp` must stay in order).
job_words := [w |
	some list in ["containers", "initContainers"]
	some c in arr(job_pod, list)
	some w in container_words(c)
]

container_words(c) := array.concat(array.concat(images, strings_of(c, "command")), strings_of(c, "args")) if {
	images := [i | i := object.get(c, "image", ""); is_string(i)]
}

strings_of(c, key) := [s | some s in arr(c, key); is_string(s)]

job_text := concat(" ", job_words)

backup_job if {
	some pattern in data.params.backup_patterns
	regex.match(pattern, job_text)
}

s3_client if {
	some pattern in data.params.s3_client_patterns
	regex.match(pattern, job_text)
}

deny contains {
	"msg": {
		"en": sprintf("backup CronJob %s writes to PersistentVolumeClaim %s and runs no S3 client: its backups stay in the production cluster", [input_name, object.get(v.persistentVolumeClaim, "claimName", "")]),
		"fr": sprintf("le CronJob de sauvegarde %s écrit dans le PersistentVolumeClaim %s et n'exécute aucun client S3 : ses sauvegardes restent dans le cluster de production", [input_name, object.get(v.persistentVolumeClaim, "claimName", "")]),
	},
	"path": ["spec", "jobTemplate", "spec", "template", "spec", "volumes", i, "persistentVolumeClaim"],
	"severity": "warning",
} if {
	input.kind == "CronJob"
	backup_job
	not s3_client
	some i, v in arr(job_pod, "volumes")
	is_object(v.persistentVolumeClaim)
}
