# CCT-K8S-012: a container does not install packages or change its own files when it starts.
#
# input: the container view (container as written, containerType).
package cct.k8s_no_startup_self_modification

import rego.v1

# A list, or an empty one when absent, null or not a list.
list(v) := v if is_array(v)

list(v) := [] if not is_array(v)

# What a command line does at start-up that belongs in the image build: (pattern, what).
actions := [
	[`(^|[\s;&|(/])(apt-get|apt|aptitude|yum|dnf|microdnf|zypper|apk|tdnf)\s+(-[^\s]+\s+)*(install|add|update|upgrade|dist-upgrade)\b`, "a package manager"],
	[`(^|[\s;&|(/])(pip3?|gem|npm|yarn|pnpm|conda)\s+(-[^\s]+\s+)*(install|add)\b`, "a package manager"],
	[`(^|[\s;&|(/])chmod\s`, "chmod"],
	[`(^|[\s;&|(/])chown\s`, "chown"],
	[`(^|[\s;&|(/])(useradd|adduser|groupadd|addgroup|usermod)\s`, "a user change"],
	[`(^|[\s;&|(/])update-ca-certificates\b`, "update-ca-certificates"],
	[`(^|[\s;&|(/])sed\s+(-[^\s]*\s+)*-[a-zA-Z]*i[^\s]*\s+.*\s/(etc|usr)/`, "sed -i under /etc or /usr"],
]

# The command lines a container runs when it starts: its command and args joined, its postStart
# hook; each with the path it is reported at.
lines contains [concat(" ", [w | some w in words; is_string(w)]), path] if {
	words := array.concat(command, list(object.get(input.container, "args", [])))
	count(words) > 0
	path := first_path
}

lines contains [concat(" ", [w | some w in hook; is_string(w)]), ["container", "lifecycle", "postStart", "exec", "command"]] if {
	hook := list(input.container.lifecycle.postStart.exec.command)
	count(hook) > 0
}

# The command when written, else the args.
command := list(object.get(input.container, "command", []))

first_path := ["container", "command"] if count(command) > 0

first_path := ["container", "args"] if count(command) == 0

deny contains {
	"msg": {
		"en": sprintf("container %s runs %s when it starts: bake it into the image instead", [name, what]),
		"fr": sprintf("le conteneur %s exécute %s à son démarrage : l'intégrer à l'image à la place", [name, what]),
	},
	"path": path,
} if {
	some [line, path] in lines
	found := {w | some [pattern, w] in actions; regex.match(pattern, line)}
	count(found) > 0
	what := concat(", ", sort(found))
	name := object.get(input.container, "name", "")
}
