# CCT-K8S-017: modules reach each other by Service DNS names, not by IP addresses.
#
# input: any resource.
package cct.k8s_use_service_dns

import rego.v1

# A private or shared-address-space IPv4 literal, alone or inside a URL or a host:port.
private_ip := `(^|[^0-9.])(10(\.[0-9]{1,3}){3}|172\.(1[6-9]|2[0-9]|3[01])(\.[0-9]{1,3}){2}|192\.168(\.[0-9]{1,3}){2}|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])(\.[0-9]{1,3}){2})($|[^0-9.])`

# hostAliases of a pod template or a pod.
deny contains {
	"msg": {
		"en": sprintf("%s %s writes fixed addresses into /etc/hosts with hostAliases: name the other modules by their Service DNS names", [input.kind, input.metadata.name]),
		"fr": sprintf("%s %s écrit des adresses fixes dans /etc/hosts avec hostAliases : désigner les autres modules par le nom DNS de leur Service", [input.kind, input.metadata.name]),
	},
	"path": array.concat(p, ["hostAliases"]),
} if {
	some p in pod_spec_paths
	object.get(object.get(input, p, {}), "hostAliases", null) != null
}

# A literal clusterIP.
deny contains {
	"msg": {
		"en": sprintf("Service %s sets clusterIP %s: let the platform allocate it and use the Service's DNS name", [input.metadata.name, ip]),
		"fr": sprintf("le Service %s fixe clusterIP %s : laisser la plateforme l'attribuer et utiliser le nom DNS du Service", [input.metadata.name, ip]),
	},
	"path": ["spec", "clusterIP"],
} if {
	input.kind == "Service"
	ip := input.spec.clusterIP
	is_string(ip)
	not ip in {"", "None"}
}

# A private IPv4 address in a container's env value.
deny contains {
	"msg": {
		"en": sprintf("the environment variable %s holds the IP address %s: use the Service DNS name", [env.name, env.value]),
		"fr": sprintf("la variable d'environnement %s contient l'adresse IP %s : utiliser le nom DNS du Service", [env.name, env.value]),
	},
	"path": array.concat(p, [group, i, "env", j, "value"]),
} if {
	some p in pod_spec_paths
	spec := object.get(input, p, {})
	some group in ["initContainers", "containers"]
	some i, c in list(object.get(spec, group, []))
	some j, env in list(object.get(c, "env", []))
	is_string(env.value)
	regex.match(private_ip, env.value)
}

# A private IPv4 address in a ConfigMap's data.
deny contains {
	"msg": {
		"en": sprintf("ConfigMap %s holds an IP address in %s: use the Service DNS name", [input.metadata.name, key]),
		"fr": sprintf("la ConfigMap %s contient une adresse IP dans %s : utiliser le nom DNS du Service", [input.metadata.name, key]),
	},
	"path": ["data", key],
} if {
	input.kind == "ConfigMap"
	is_object(input.data)
	some key, value in input.data
	is_string(value)
	regex.match(private_ip, value)
}

# The paths of the pod specs of the resource: a Pod's spec, a workload's template, a CronJob's.
pod_spec_paths contains ["spec"] if input.kind == "Pod"

pod_spec_paths contains ["spec", "template", "spec"] if is_object(input.spec.template.spec)

pod_spec_paths contains ["spec", "jobTemplate", "spec", "template", "spec"] if {
	is_object(input.spec.jobTemplate.spec.template.spec)
}

# A list, or an empty one when absent, null or not a list (rendered charts write `env:`).
list(v) := v if is_array(v)

list(v) := [] if not is_array(v)
