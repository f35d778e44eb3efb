# CCT-CI-001: deployment goes through GitOps only; a CI job must not change the cluster itself.
#
# input: a GitLab CI job (hidden jobs and `default:` included) with its `scriptLines`, each
# tokenised into shell commands. Only the lines written in this job are judged (`inherited` is
# false): a line inherited through `extends`, `default:` or `!reference` is judged where it is
# written, once.
package cct.ci_no_imperative_deploy

import rego.v1

arr(x) := x if is_array(x)

arr(x) := [] if not is_array(x)

# Options of kubectl/oc/helm that take a value as the next word.
valued := {
	"-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server",
	"--token", "--as", "--as-group", "--kube-context", "--kube-apiserver", "--kube-token",
	"--kube-as-user", "--kube-as-group", "--kube-ca-file", "--certificate-authority",
	"--client-certificate", "--client-key", "--request-timeout", "-v", "--v", "--config",
	"--server-side-apply", "--auth-token", "--grpc-web-root-path", "--port-forward-namespace",
	"--repository-config", "--repository-cache", "--registry-config", "--burst-limit", "--qps",
}

# The positional words of a command: [index in args, value].
positionals(args) := [[i, a] |
	some i, a in args
	not startswith(a, "-")
	not value_of_option(args, i)
]

value_of_option(args, i) if {
	i > 0
	prev := args[i - 1]
	valued[prev]
}

kube_verbs := {
	"apply", "create", "replace", "patch", "edit", "delete", "scale", "set", "run", "expose",
	"label", "annotate", "autoscale",
}

helm_verbs := {"install", "upgrade", "rollback", "uninstall", "delete", "del", "un"}

argocd_verbs := {"create", "set", "patch", "delete", "unset"}

dry_run(args) if {
	some a in args
	startswith(a, "--dry-run")
	a != "--dry-run=none"
}

# [position in args, verb] of an imperative deployment, if the command is one.
offending(cmd) := [i, v] if {
	cmd.program in {"kubectl", "oc"}
	p := positionals(arr(cmd.args))
	[i, v] := p[0]
	kube_verbs[v]
	not dry_run(arr(cmd.args))
}

offending(cmd) := [i, v] if {
	cmd.program in {"kubectl", "oc"}
	p := positionals(arr(cmd.args))
	p[0][1] == "rollout"
	[i, w] := p[1]
	w in {"restart", "undo", "resume"}
	not dry_run(arr(cmd.args))
	v := concat(" ", ["rollout", w])
}

offending(cmd) := [i, v] if {
	cmd.program in {"helm", "helm3"}
	p := positionals(arr(cmd.args))
	[i, v] := p[0]
	helm_verbs[v]
	not dry_run(arr(cmd.args))
}

offending(cmd) := [i, v] if {
	cmd.program == "argocd"
	p := positionals(arr(cmd.args))
	p[0][1] in {"app", "application", "apps"}
	[i, w] := p[1]
	argocd_verbs[w]
	v := concat(" ", ["app", w])
}

offending(cmd) := [i, v] if {
	cmd.program == "kapp"
	p := positionals(arr(cmd.args))
	[i, v] := p[0]
	v in {"deploy", "delete"}
}

offending(cmd) := [i, v] if {
	cmd.program == "skaffold"
	p := positionals(arr(cmd.args))
	[i, v] := p[0]
	v in {"run", "deploy", "dev", "delete"}
}

deny contains result if {
	some l, line in arr(input.scriptLines)
	line.inherited == false
	some c, cmd in arr(line.commands)
	[i, verb] := offending(cmd)
	result := {
		"path": ["scriptLines", l, "commands", c, "args", i],
		"msg": {
			"en": sprintf("`%s %s` changes the cluster from the CI job `%s`: deployments go through GitOps only (commit the change to the repository Argo CD synchronises)", [cmd.program, verb, input.name]),
			"fr": sprintf("`%s %s` modifie le cluster depuis le job CI `%s` : le déploiement passe exclusivement par GitOps (committer le changement dans le dépôt synchronisé par Argo CD)", [cmd.program, verb, input.name]),
		},
	}
}
