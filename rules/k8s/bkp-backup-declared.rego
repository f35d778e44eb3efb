# CCT-BKP-001: the application team declares its backups.
# * A CloudNativePG Cluster has an object-store backup configuration (barmanObjectStore or the
#   barman-cloud plugin) and a ScheduledBackup of its namespace names it: error otherwise.
# * Another stateful workload (a StatefulSet with volumeClaimTemplates, a workload that mounts a
#   PersistentVolumeClaim) has a backup CronJob or a Velero Schedule in its deployment unit:
#   warning otherwise (a note when the platform's Velero backups count).
#
# input: a Cluster, StatefulSet, Deployment, DeploymentConfig or Rollout.
# data.inventory: the resources of its deployment unit.
package cct.bkp_backup_declared

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

cnpg_cluster if {
	input.kind == "Cluster"
	startswith(input.apiVersion, "postgresql.cnpg.io/")
}

# --- CloudNativePG ----------------------------------------------------------------------------

object_store if is_object(object.get(object.get(spec, "backup", {}), "barmanObjectStore", null))

object_store if {
	some p in arr(spec, "plugins")
	p.name == "barman-cloud.cloudnative-pg.io"
	object.get(p, "enabled", true) != false
}

scheduled if {
	some b in object.get(data.inventory.by_kind, "ScheduledBackup", [])
	startswith(b.apiVersion, "postgresql.cnpg.io/")
	b.spec.cluster.name == input_name
	namespace_of(b) == input_namespace
	object.get(b.spec, "suspend", false) != true
}

# One finding per cluster (a place is reported once): what is missing, both when both are.
store_missing := {
	"en": "no object-store backup (configure spec.backup.barmanObjectStore or the barman-cloud plugin, barman-cloud.cloudnative-pg.io)",
	"fr": "aucune sauvegarde vers un stockage objet (configurer spec.backup.barmanObjectStore ou le plugin barman-cloud, barman-cloud.cloudnative-pg.io)",
}

schedule_missing := {
	"en": "no ScheduledBackup (none of its namespace names it in spec.cluster.name, or it is suspended): nothing takes its backups",
	"fr": "aucun ScheduledBackup (aucun de son espace de noms ne le désigne dans spec.cluster.name, ou il est suspendu) : rien ne déclenche ses sauvegardes",
}

missing := [store_missing] if {
	not object_store
	scheduled
}

missing := [schedule_missing] if {
	object_store
	not scheduled
}

missing := [store_missing, schedule_missing] if {
	not object_store
	not scheduled
}

deny contains {"msg": {
	"en": sprintf("PostgreSQL cluster %s has %s", [input_name, concat("; and ", [m.en | some m in missing])]),
	"fr": sprintf("le cluster PostgreSQL %s n'a %s", [input_name, concat(" ; et ", [m.fr | some m in missing])]),
}} if {
	cnpg_cluster
	count(missing) > 0
}

# --- Other stateful workloads -----------------------------------------------------------------

pod_spec := object.get(object.get(spec, "template", {}), "spec", {})

stateful if {
	input.kind == "StatefulSet"
	count(arr(spec, "volumeClaimTemplates")) > 0
}

stateful if {
	input.kind in {"StatefulSet", "Deployment", "DeploymentConfig", "Rollout"}
	some v in arr(pod_spec, "volumes")
	is_object(v.persistentVolumeClaim)
	object.get(v.persistentVolumeClaim, "readOnly", false) != true
}

# The text of a CronJob's containers: images, commands and arguments.
cronjob_text(cj) := concat(" ", [t |
	some list in ["containers", "initContainers"]
	some c in arr(object.get(object.get(object.get(object.get(cj.spec, "jobTemplate", {}), "spec", {}), "template", {}), "spec", {}), list)
	some t in container_words(c)
])

container_words(c) := array.concat(array.concat(images, strings_of(c, "command")), strings_of(c, "args")) if {
	images := [i | i := object.get(c, "image", ""); is_string(i)]
}

strings_of(c, key) := [s | some s in arr(c, key); is_string(s)]

# A backup CronJob that names the workload (its name, a Service that selects its pods, a claim
# it mounts, its app label) in its images, commands, arguments, environment or claims: a backup
# CronJob of another database does not cover it, whatever its name.
backup_cronjob if {
	some cj in object.get(data.inventory.by_kind, "CronJob", [])
	object.get(cj.spec, "suspend", false) != true
	text := cronjob_text(cj)
	some pattern in data.params.backup_patterns
	regex.match(pattern, text)
	some word in regex.split(`[^A-Za-z0-9_-]+`, concat(" ", array.concat([text], cronjob_refs(cj))))
	names_workload(word)
}

names_workload(word) if word in workload_names

names_workload(word) if {
	some prefix in claim_prefixes
	startswith(word, prefix)
}

cronjob_pod(cj) := object.get(object.get(object.get(object.get(cj.spec, "jobTemplate", {}), "spec", {}), "template", {}), "spec", {})

# The environment values and the claims of a CronJob.
cronjob_refs(cj) := array.concat(
	[v |
		some list in ["containers", "initContainers"]
		some c in arr(cronjob_pod(cj), list)
		some e in arr(c, "env")
		v := e.value
		is_string(v)
	],
	[n |
		some v in arr(cronjob_pod(cj), "volumes")
		n := v.persistentVolumeClaim.claimName
		is_string(n)
	],
)

pod_labels := object.get(object.get(object.get(spec, "template", {}), "metadata", {}), "labels", {})

workload_names contains input_name if input_name != ""

workload_names contains v.persistentVolumeClaim.claimName if {
	some v in arr(pod_spec, "volumes")
	is_string(v.persistentVolumeClaim.claimName)
}

# A StatefulSet's claims are named <template>-<statefulset>-<ordinal>.
claim_prefixes contains sprintf("%s-%s-", [t.metadata.name, input_name]) if {
	some t in arr(spec, "volumeClaimTemplates")
	is_string(t.metadata.name)
}

workload_names contains pod_labels[k] if {
	some k in ["app", "app.kubernetes.io/name", "app.kubernetes.io/instance"]
	is_string(pod_labels[k])
}

workload_names contains name if {
	some svc in object.get(data.inventory.by_kind, "Service", [])
	namespace_of(svc) == input_namespace
	selector := object.get(object.get(svc, "spec", {}), "selector", {})
	count(selector) > 0
	every k, v in selector {
		pod_labels[k] == v
	}
	name := svc.metadata.name
}

# A Velero Schedule that backs up the workload's namespace and its volumes.
velero_schedule if {
	some s in object.get(data.inventory.by_kind, "Schedule", [])
	startswith(s.apiVersion, "velero.io/")
	object.get(s.spec, "paused", false) != true
	template := object.get(s.spec, "template", {})
	velero_includes(arr(template, "includedNamespaces"))
	not input_namespace in arr(template, "excludedNamespaces")
	not skips_volumes(template)
}

velero_includes(included) if count(included) == 0

velero_includes(included) if "*" in included

velero_includes(included) if input_namespace in included

velero_includes(_) if input_namespace == ""

skips_volumes(template) if {
	template.snapshotVolumes == false
	object.get(template, "defaultVolumesToFsBackup", false) != true
}

heuristic_severity := "note" if data.params.platform_velero_counts

heuristic_severity := "warning" if not data.params.platform_velero_counts

what := "volumeClaimTemplates" if count(arr(spec, "volumeClaimTemplates")) > 0

what := "a PersistentVolumeClaim volume" if count(arr(spec, "volumeClaimTemplates")) == 0

quoi := "des volumeClaimTemplates" if count(arr(spec, "volumeClaimTemplates")) > 0

quoi := "un volume PersistentVolumeClaim" if count(arr(spec, "volumeClaimTemplates")) == 0

# The fix that fits the workload: the dump tool of the database its image runs, else a backup
# of its volumes.
dump_tools := {
	"postgres": "pg_dump",
	"mariadb": "mariadb-dump",
	"mysql": "mysqldump",
	"mongo": "mongodump",
	"redis": "redis-cli --rdb",
	"valkey": "valkey-cli --rdb",
	"cassandra": "nodetool snapshot",
	"elasticsearch": "",
	"opensearch": "",
}

# Search engines back up through snapshots, not a dump.
snapshot_engines := {"elasticsearch", "opensearch"}

# The repository of each container's image, without registry path, tag or digest.
image_names contains name if {
	some c in arr(pod_spec, "containers")
	is_string(c.image)
	last := regex.split(`/`, lower(c.image))
	name := regex.replace(last[count(last) - 1], `[:@].*$`, "")
}

engines contains key if {
	some name in image_names
	some key, _ in dump_tools
	contains(name, key)
}

# The first engine in name order (mariadb before mysql for a "mariadb-mysql" image).
engine := sort([e | some e in engines])[0]

fix := {
	"en": sprintf("add a CronJob that runs %s and pushes the dump to the backup S3, or run PostgreSQL as a CloudNativePG cluster with its backups", [dump_tools[engine]]),
	"fr": sprintf("ajouter un CronJob qui lance %s et pousse la sauvegarde vers le S3 de sauvegarde, ou faire de PostgreSQL un cluster CloudNativePG avec ses sauvegardes", [dump_tools[engine]]),
} if engine == "postgres"

fix := {
	"en": sprintf("add a CronJob that runs %s and pushes the dump to the backup S3", [dump_tools[engine]]),
	"fr": sprintf("ajouter un CronJob qui lance %s et pousse la sauvegarde vers le S3 de sauvegarde", [dump_tools[engine]]),
} if {
	engine != "postgres"
	not engine in snapshot_engines
}

fix := {
	"en": "register a snapshot repository on the backup S3 and schedule its snapshots (snapshot lifecycle management)",
	"fr": "enregistrer un dépôt de snapshots sur le S3 de sauvegarde et planifier ses snapshots (gestion du cycle de vie des snapshots)",
} if engine in snapshot_engines

fix := {
	"en": "add a Velero Schedule of its namespace that backs up its volumes, or a CronJob (restic, rclone) that copies them to the backup S3",
	"fr": "ajouter un Schedule Velero de son espace de noms qui sauvegarde ses volumes, ou un CronJob (restic, rclone) qui les copie vers le S3 de sauvegarde",
} if count(engines) == 0

deny contains {
	"msg": {
		"en": sprintf("%s %s keeps data (%s) but its deployment unit declares no backup (no backup CronJob that names it, no Velero Schedule that covers its namespace and volumes): %s", [input.kind, input_name, what, fix.en]),
		"fr": sprintf("%s %s conserve des données (%s) mais son unité de déploiement ne déclare aucune sauvegarde (aucun CronJob de sauvegarde qui le désigne, aucun Schedule Velero qui couvre son espace de noms et ses volumes) : %s", [input.kind, input_name, quoi, fix.fr]),
	},
	"severity": heuristic_severity,
} if {
	not cnpg_cluster
	stateful
	not backup_cronjob
	not velero_schedule
}
