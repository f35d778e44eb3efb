# CCT-OBS-003: applications write their logs to stdout and stderr, which the platform collects:
# no log-shipper sidecar, no log file named in args or env, no emptyDir shared under /var/log,
# no web-server configuration that logs to a file.
#
# input: any resource.
package cct.obs_logs_to_stdout

import rego.v1

list(v) := v if is_array(v)

list(v) := [] if not is_array(v)

# The paths of the pod specs of the resource: a Pod's spec, a workload's template, a CronJob's.
pod_spec_paths contains ["spec"] if input.kind == "Pod"

pod_spec_paths contains ["spec", "template", "spec"] if is_object(input.spec.template.spec)

pod_spec_paths contains ["spec", "jobTemplate", "spec", "template", "spec"] if {
	is_object(input.spec.jobTemplate.spec.template.spec)
}

# The containers of a pod spec that run beside the application: its containers and its native
# sidecars (init containers that restart always), with their paths.
running(p) := array.concat(
	[[array.concat(p, ["containers", i]), c] | some i, c in list(object.get(object.get(input, p, {}), "containers", []))],
	[[array.concat(p, ["initContainers", i]), c] |
		some i, c in list(object.get(object.get(input, p, {}), "initContainers", []))
		c.restartPolicy == "Always"
	],
)

# The last segment of an image's repository, without tag or digest.
image_name(ref) := name if {
	parts := split(split(ref, "@")[0], "/")
	name := lower(split(parts[count(parts) - 1], ":")[0])
}

shipper := `^(fluent-bit|fluentbit|fluentd|filebeat|promtail|vector|logstash)([-_.].*)?$`

# A log-shipper sidecar: a container of a pod that runs other containers too.
deny contains {
	"msg": {
		"en": sprintf("%s %s runs the log shipper %s beside the application: write logs to stdout and stderr, which the platform collects", [input.kind, input.metadata.name, c.image]),
		"fr": sprintf("%s %s exécute l'expéditeur de journaux %s à côté de l'application : écrire les journaux sur stdout et stderr, que la plateforme collecte", [input.kind, input.metadata.name, c.image]),
	},
	"path": array.concat(cp, ["image"]),
} if {
	some p in pod_spec_paths
	cs := running(p)
	count(cs) > 1
	some [cp, c] in cs
	is_string(c.image)
	regex.match(shipper, image_name(c.image))
}

# Where logs may go without being a file.
console(v) if lower(v) in {"", "-", "stdout", "stderr", "/dev/stdout", "/dev/stderr", "/proc/self/fd/1", "/proc/self/fd/2", "/dev/null", "off", "console", "false", "none"}

# An env variable that names a log file.
log_file_env(name) if upper(name) in {"LOG_FILE", "LOGFILE", "LOG_PATH", "LOGGING_FILE", "LOGGING_FILE_NAME", "LOGGING_FILE_PATH", "LOG_FILE_PATH"}

log_file_env(name) if regex.match(`^[A-Z0-9_]*_LOG_(PATH|FILE)$`, upper(name))

deny contains {
	"msg": {
		"en": sprintf("the container %s writes its logs to the file %s (%s): write them to stdout and stderr", [c.name, env.value, env.name]),
		"fr": sprintf("le conteneur %s écrit ses journaux dans le fichier %s (%s) : les écrire sur stdout et stderr", [c.name, env.value, env.name]),
	},
	"path": array.concat(cp, ["env", j, "value"]),
} if {
	some p in pod_spec_paths
	some [cp, c] in running(p)
	some j, env in list(c.env)
	is_string(env.value)
	not console(env.value)
	log_file(env)
}

log_file(env) if log_file_env(env.name)

log_file(env) if regex.match(`^/\S*\.log$`, env.value)

# An argument that names a log file: `--log-file=/var/log/x.log`, `--log-file /var/log/x.log`,
# or a path ending in `.log`.
deny contains {
	"msg": {
		"en": sprintf("the container %s writes its logs to a file (%s): write them to stdout and stderr", [c.name, arg]),
		"fr": sprintf("le conteneur %s écrit ses journaux dans un fichier (%s) : les écrire sur stdout et stderr", [c.name, arg]),
	},
	"path": array.concat(cp, [key, k]),
} if {
	some p in pod_spec_paths
	some [cp, c] in running(p)
	some key in ["command", "args"]
	words := list(object.get(c, key, []))
	some k, arg in words
	is_string(arg)
	log_arg(arg, words, k)
}

log_arg(arg, _, _) if {
	some m in regex.find_all_string_submatch_n(`^--?log[-_]?file(=(.*))?$`, arg, 1)
	m[2] != ""
	not console(m[2])
}

log_arg(arg, words, k) if {
	regex.match(`^--?log[-_]?file$`, arg)
	next := words[k + 1]
	is_string(next)
	not console(next)
}

log_arg(arg, words, k) if {
	not regex.match(`^--?log[-_]?file`, arg)
	not after_log_flag(words, k)
	regex.match(`(^|[\s=])/[^\s=]*[^/\s=]\.log(\s|$)`, arg)
}

after_log_flag(words, k) if {
	k > 0
	is_string(words[k - 1])
	regex.match(`^--?log[-_]?file$`, words[k - 1])
}

# An emptyDir mounted under /var/log by two containers of the pod (one writes, one ships).
deny contains {
	"msg": {
		"en": sprintf("%s %s shares the emptyDir %s under /var/log between its containers: write logs to stdout and stderr instead of files a sidecar reads", [input.kind, input.metadata.name, v.name]),
		"fr": sprintf("%s %s partage l'emptyDir %s sous /var/log entre ses conteneurs : écrire les journaux sur stdout et stderr plutôt que dans des fichiers lus par un sidecar", [input.kind, input.metadata.name, v.name]),
	},
	"path": array.concat(p, ["volumes", i]),
} if {
	some p in pod_spec_paths
	spec := object.get(input, p, {})
	some i, v in list(object.get(spec, "volumes", []))
	_ = v.emptyDir
	mounts := [c |
		some [_, c] in running(p)
		some m in list(c.volumeMounts)
		m.name == v.name
		is_string(m.mountPath)
		regex.match(`^/var/log(/|$)`, m.mountPath)
	]
	count(mounts) > 1
}

# A web server's configuration in a ConfigMap that logs to a file.
deny contains {
	"msg": {
		"en": sprintf("ConfigMap %s sends %s to the file %s: log to /dev/stdout or /dev/stderr", [input.metadata.name, m[1], m[2]]),
		"fr": sprintf("la ConfigMap %s envoie %s dans le fichier %s : journaliser sur /dev/stdout ou /dev/stderr", [input.metadata.name, m[1], m[2]]),
	},
	"path": ["data", key],
} if {
	input.kind == "ConfigMap"
	is_object(input.data)
	some key, text in input.data
	is_string(text)
	some m in regex.find_all_string_submatch_n(`(?m)^\s*(access_log|error_log|CustomLog|ErrorLog|TransferLog)\s+"?([^\s;"]+)`, text, -1)
	target := m[2]
	not console(target)
	not startswith(target, "syslog:")
	not startswith(target, "|")
	not startswith(target, "$")
	not startswith(target, "memory:")
	not startswith(target, "/proc/self/fd/")
}
