# CCT-HELM-004: Bitnami charts keep their OpenShift adaptation of security contexts.
#
# input: a values view (`values`, the values as written; `chart.bitnamiDependencies`: the
# chart depends on a Bitnami chart, or the Application deploys one).
package cct.helm_bitnami_openshift_adaptation

import rego.v1

adaptation_path := ["global", "compatibility", "openshift", "adaptSecurityContext"]

disabled if {
	input.chart.bitnamiDependencies == true
	lower(input.values.global.compatibility.openshift.adaptSecurityContext) == "disabled"
}

deny contains {
	"msg": {
		"en": "the OpenShift adaptation of the Bitnami charts is disabled: the platform then receives their fixed runAsUser, runAsGroup and fsGroup, which it refuses or which go against EXI-ARCH-26; leave it at auto",
		"fr": "l'adaptation OpenShift des charts Bitnami est désactivée : la plateforme reçoit alors leurs runAsUser, runAsGroup et fsGroup fixes, qu'elle refuse ou qui vont contre EXI-ARCH-26 ; la laisser à auto",
	},
	"path": array.concat(["values"], adaptation_path),
} if disabled

deny contains {
	"msg": {
		"en": sprintf("%s is set while the OpenShift adaptation is disabled: the platform assigns it, leave it out", [dotted(path)]),
		"fr": sprintf("%s est fixé alors que l'adaptation OpenShift est désactivée : la plateforme l'attribue, l'omettre", [dotted(path)]),
	},
	"path": array.concat(["values"], path),
} if {
	disabled
	some path, value
	walk(input.values, [path, value])
	value != null
	count(path) >= 2
	field := path[count(path) - 1]
	context := path[count(path) - 2]
	[context, field] in fixed_fields
}

fixed_fields := {
	["podSecurityContext", "fsGroup"],
	["containerSecurityContext", "runAsUser"],
	["containerSecurityContext", "runAsGroup"],
}

dotted(path) := concat(".", [sprintf("%v", [p]) | some p in path])
