a: [{{- /* c */ -}}] [ {{- "x" -}} ] [{{- "y" }} ] [ {{ "z" -}} ]
{{- $x := 0 }}
b: {{ range list 1 2 3 }}{{ $x = . }}{{ end }}{{ $x }} {{ range $i, $v := list "a" "b" }}{{ range list 1 2 }}{{ if eq . 2 }}{{ break }}{{ end }}{{ $v }}{{ . }}{{ end }}{{ end }}
c: {{ with .Values.nope }}x{{ else with .Values.str }}{{ . }}{{ else }}none{{ end }} {{ and false (fail "x") }} {{ or "" 0 "y" }} {{ or "" 0 }} {{ not .Values.nope }}
d: {{ index (list (list 1 (dict "k" "v"))) 0 1 "k" }} {{ index (dict "a" (list 5 6)) "a" 1 }} {{ (list 1 2) | len }}
e: {{ template "t1" }} {{ template "t1" "arg" }} {{ template "t2" (dict "x" 1) }}
{{- define "t1" }}[{{ . }}|{{ $ }}]{{ end }}
{{- define "t2" }}<{{ $.x }}>{{ end }}
f: {{ 1_000 }} {{ 0b101 }} {{ 0o17 }} {{ 017 }} {{ .5 }} {{ -1.5e3 }} {{ 'x' }} {{ '\n' }} {{ 1e100 }} {{ "\u00e9\x41\101\t|" }} {{ `raw\n` }}
g: {{ $y := "outer" }}{{ if true }}{{ $y := "inner" }}{{ $y }}{{ end }} {{ $y }} {{ range $k := list 1 }}{{ $k }}{{ end }}
h: {{ printf "%s" (include "t2" (dict "x" "inc")) }} {{ include "t2" (dict "x" 2) | upper | quote }}
i: {{ .Values.nested.a | printf "%v" }} {{ print .Values.nested }} {{ .Values.nested }} {{ list .Values.nested }}
j: {{ eq "a" "a" "b" }} {{ eq 1 2 }} {{ ne 1 2 }} {{ eq true true }} {{ eq nil nil }} {{ lt "a" "b" }} {{ gt 2.5 1.5 }} {{ le 2 2 }} {{ eq .Values.nope nil }}
k: {{ "a" | printf "%s-%s" "b" }} {{ 3 | add 1 | mul 2 }}
l: {{ range $i, $e := dict "x" (dict "n" 1) }}{{ $i }}={{ $e.n }}{{ end }} {{ range .Values.nested }}{{ . }}{{ end }}
m: {{ $list := list }}{{ range until 3 }}{{ $list = append $list . }}{{ end }}{{ $list }} {{ $m := dict }}{{ range $k, $v := dict "a" 1 "b" 2 }}{{ $_ := set $m $k (add $v 10) }}{{ end }}{{ $m }}
n: {{ range $i := until 2 }}{{ range $j := until 2 }}{{ if eq $j 1 }}{{ continue }}{{ end }}{{ $i }}{{ $j }}{{ end }}{{ end }}
o: {{ block "blk" "dflt" }}{{ . | upper }}{{ end }}
