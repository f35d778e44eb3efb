# CCT-SEC-003: no secret written in clear in a values file or in an Argo CD Application's
# inline values.
#
# input: a values view (`values`, the values as written; `chart`, `file`, `environment`).
package cct.sec_no_secret_in_values

import rego.v1

deny contains {
	"path": array.concat(["values"], path),
	"msg": {
		"en": sprintf("%s holds a secret written in clear in %s: keep it in Vault and give the chart the name of the Secret a VaultStaticSecret produces (existingSecret)", [dotted(path), input.file]),
		"fr": sprintf("%s contient un secret écrit en clair dans %s : le garder dans Vault et donner au chart le nom du Secret que produit un VaultStaticSecret (existingSecret)", [dotted(path), input.file]),
	},
} if {
	some path, value
	walk(input.values, [path, value])
	is_string(value)
	trim_space(value) != ""
	not contains(value, "{{")
	count(path) > 0
	key := path[count(path) - 1]
	is_string(key)
	regex.match(data.params.name_regex, key)
	not reference(key)
}

# A name that refers to the value or describes it, unless it names a value all the same.
reference(key) if {
	regex.match(data.params.reference_regex, key)
	not regex.match(data.params.secret_value_regex, key)
}

reference(key) if {
	regex.match(data.params.secret_object_regex, key)
	not regex.match(data.params.secret_value_regex, key)
}

dotted(path) := concat(".", [sprintf("%v", [p]) | some p in path])
