# CCT-BKP-004: a deployment unit that holds stateful components takes a backup just before each
# deployment: an Argo CD PreSync hook (a backup Job, or a CloudNativePG or Velero Backup), or a
# Helm pre-upgrade hook doing the same.
#
# input: a Cluster, StatefulSet, Deployment, DeploymentConfig or Rollout.
# data.inventory: the resources of its deployment unit (Jobs, Backups).
package cct.bkp_pre_deploy_backup

import rego.v1

# An array of an object, or an empty one when absent or null (rendered charts write `volumes:`).
arr(obj, key) := v if {
	v := object.get(obj, key, [])
	is_array(v)
}

arr(obj, key) := [] if not is_array(object.get(obj, key, []))

input_name := object.get(object.get(input, "metadata", {}), "name", "")

spec := object.get(input, "spec", {})

# --- The stateful components (CCT-BKP-001's scope) ------------------------------------------------

stateful if {
	input.kind == "Cluster"
	startswith(input.apiVersion, "postgresql.cnpg.io/")
}

stateful if {
	input.kind == "StatefulSet"
	count(arr(spec, "volumeClaimTemplates")) > 0
}

stateful if {
	input.kind in {"StatefulSet", "Deployment", "DeploymentConfig", "Rollout"}
	some v in arr(object.get(object.get(spec, "template", {}), "spec", {}), "volumes")
	is_object(v.persistentVolumeClaim)
	object.get(v.persistentVolumeClaim, "readOnly", false) != true
}

# --- The hooks ------------------------------------------------------------------------------------

# The phases a hook annotation names (comma-separated lists).
phases(r, annotation) := {trim_space(p) |
	value := object.get(object.get(object.get(r, "metadata", {}), "annotations", {}), annotation, "")
	is_string(value)
	some p in split(value, ",")
}

pre_deploy(r) if "PreSync" in phases(r, "argocd.argoproj.io/hook")

pre_deploy(r) if "pre-upgrade" in phases(r, "helm.sh/hook")

# A backup object run as a hook: CloudNativePG or Velero.
pre_deploy_backup if {
	some r in object.get(data.inventory.by_kind, "Backup", [])
	regex.match(`^(postgresql\.cnpg\.io|velero\.io)/`, r.apiVersion)
	pre_deploy(r)
}

# A Job run as a hook whose name, images, commands or arguments say it backs up.
pre_deploy_backup if {
	some job in object.get(data.inventory.by_kind, "Job", [])
	pre_deploy(job)
	text := concat(" ", job_words(job) | {object.get(job.metadata, "name", "")})
	some pattern in data.params.backup_patterns
	regex.match(pattern, text)
}

job_words(job) := {w |
	some list in ["containers", "initContainers"]
	some c in arr(object.get(object.get(object.get(job, "spec", {}), "template", {}), "spec", {}), list)
	some w in array.concat(array.concat(images(c), strings_of(c, "command")), strings_of(c, "args"))
}

images(c) := [i | i := object.get(c, "image", ""); is_string(i)]

strings_of(c, key) := [s | some s in arr(c, key); is_string(s)]

deny contains {"msg": {
	"en": sprintf("%s %s keeps data, but no backup is taken just before a deployment: no Argo CD PreSync or Helm pre-upgrade hook runs a backup (a backup Job, a CloudNativePG or Velero Backup) in its deployment unit", [input.kind, input_name]),
	"fr": sprintf("%s %s conserve des données, mais aucune sauvegarde n'est prise juste avant un déploiement : aucun hook Argo CD PreSync ou Helm pre-upgrade n'exécute de sauvegarde (Job de sauvegarde, Backup CloudNativePG ou Velero) dans son unité de déploiement", [input.kind, input_name]),
}} if {
	stateful
	not pre_deploy_backup
}
