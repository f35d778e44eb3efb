# CCT-HELM-003: the images a values file sets are pinned and pulled IfNotPresent.
#
# input: a values view (`values`, the values as written; `chart`: `name`, `appVersion` (null
# when the chart is not known, for an Argo CD Application's inline values); `file`).
package cct.helm_values_image_pinned

import rego.v1

# The nodes under a key ending in `image` (`image`, `initImage`), found in one walk of the
# values (the key is tested first: most nodes are not images).
image_nodes contains [path, value] if {
	some path, value
	walk(input.values, [path, value])
	count(path) > 0
	key := path[count(path) - 1]
	is_string(key)
	endswith(lower(key), "image")
}

# Image blocks: a mapping under such a key with a key of the Bitnami layout (an
# environment's file may override the tag or the pull policy only).
blocks contains [path, value] if {
	some [path, value] in image_nodes
	is_object(value)
	some k in ["registry", "repository", "tag", "digest", "pullPolicy"]
	is_string(value[k])
}

str(block, key) := trim_space(block[key]) if is_string(block[key])

str(block, key) := "" if not is_string(block[key])

deny contains {
	"msg": {
		"en": sprintf("%s uses the tag latest: pin an explicit version (latest changes under the same name, and Kubernetes then pulls it Always)", [dotted(path)]),
		"fr": sprintf("%s utilise l'étiquette latest : fixer une version explicite (latest change sous le même nom, et Kubernetes la tire alors Always)", [dotted(path)]),
	},
	"path": array.concat(["values"], array.concat(path, ["tag"])),
} if {
	some [path, block] in blocks
	lower(str(block, "tag")) == "latest"
}

deny contains {
	"msg": {
		"en": sprintf("%s sets neither tag nor digest, and chart %s has no appVersion to fall back on: pin an explicit version", [dotted(path), input.chart.name]),
		"fr": sprintf("%s ne fixe ni étiquette ni empreinte, et le chart %s n'a pas d'appVersion sur laquelle se rabattre : fixer une version explicite", [dotted(path), input.chart.name]),
	},
	"path": array.concat(["values"], path),
} if {
	some [path, block] in blocks
	is_string(block.repository)
	str(block, "tag") == ""
	str(block, "digest") == ""
	not has_number_tag(block)
	input.chart.appVersion == ""
}

has_number_tag(block) if is_number(block.tag)

deny contains {
	"msg": {
		"en": sprintf("%s pulls with pullPolicy %s: leave it out or write IfNotPresent, so that pods start without the registry", [dotted(path), block.pullPolicy]),
		"fr": sprintf("%s tire avec pullPolicy %s : l'omettre ou écrire IfNotPresent, pour que les pods démarrent sans le registre", [dotted(path), block.pullPolicy]),
	},
	"path": array.concat(["values"], array.concat(path, ["pullPolicy"])),
} if {
	some [path, block] in blocks
	str(block, "pullPolicy") != ""
	not contains(block.pullPolicy, "{{")
	block.pullPolicy != "IfNotPresent"
}

deny contains {
	"msg": {
		"en": sprintf("%s uses the floating tag %s: pin an explicit version", [dotted(path), block.tag]),
		"fr": sprintf("%s utilise l'étiquette flottante %s : fixer une version explicite", [dotted(path), block.tag]),
	},
	"path": array.concat(["values"], array.concat(path, ["tag"])),
	"severity": "warning",
} if {
	some [path, block] in blocks
	floating(str(block, "tag"))
}

# `image: "<ref>"` strings.
refs contains [path, value] if {
	some [path, value] in image_nodes
	is_string(value)
	regex.match(`^[a-z0-9][a-z0-9._-]*(:[0-9]+)?(/[a-z0-9][a-z0-9._-]*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?(@sha256:[a-f0-9]{64})?$`, value)
}

# The tag of a reference: after the last `:` of its last path component.
ref_tag(ref) := t if {
	name := split(split(ref, "@")[0], "/")
	last := name[count(name) - 1]
	parts := split(last, ":")
	count(parts) == 2
	t := parts[1]
} else := ""

deny contains {
	"msg": {
		"en": sprintf("%s is %s, which is the tag latest: pin an explicit version", [dotted(path), ref]),
		"fr": sprintf("%s vaut %s, soit l'étiquette latest : fixer une version explicite", [dotted(path), ref]),
	},
	"path": array.concat(["values"], path),
} if {
	some [path, ref] in refs
	contains(ref, "/")
	not contains(ref, "@")
	ref_tag(ref) in {"", "latest"}
}

deny contains {
	"msg": {
		"en": sprintf("%s is %s, a floating tag: pin an explicit version", [dotted(path), ref]),
		"fr": sprintf("%s vaut %s, une étiquette flottante : fixer une version explicite", [dotted(path), ref]),
	},
	"path": array.concat(["values"], path),
	"severity": "warning",
} if {
	some [path, ref] in refs
	floating(ref_tag(ref))
}

floating(tag) if {
	some f in data.params.floating_tags
	lower(tag) == f
}

dotted(path) := concat(".", [sprintf("%v", [p]) | some p in path])
