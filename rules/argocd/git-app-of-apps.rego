# CCT-GIT-003: at least two Argo CD Applications in the repository, none deployed by another.
# data.inventory.repository.applications lists every Application and ApplicationSet of the
# scan ({file, kind, name, namespace, paths}), sorted by file and name.
package cct.git_app_of_apps

import rego.v1

apps := data.inventory.repository.applications

# A folder an Application deploys, as a path prefix ("apps" -> "apps/").
folder(p) := concat("", [trim_suffix(trim_prefix(p, "./"), "/"), "/"])

under(file, p) if {
	f := folder(p)
	f != "/"
	startswith(file, f)
}

under(file, p) if {
	f := folder(p)
	f != "/"
	contains(file, concat("", ["/", f]))
}

has_parent(app) if {
	some other in apps
	other.file != app.file
	some p in other.paths
	under(app.file, p)
}

any_parent if {
	some app in apps
	has_parent(app)
}

first := apps[0]

deny contains {"msg": {"en": en, "fr": fr}} if {
	count(apps) >= 2
	not any_parent
	input.kind == first.kind
	input.metadata.name == first.name
	object.get(input.metadata, "namespace", "") == first.namespace
	en := sprintf("The repository holds %d Argo CD Applications and none of them is deployed by another: group them under a parent Application whose source.path holds them", [count(apps)])
	fr := sprintf("Le dépôt contient %d Applications Argo CD et aucune n'est déployée par une autre : les regrouper sous une Application parente dont le source.path les contient", [count(apps)])
}
