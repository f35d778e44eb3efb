{{- define "countdown" -}}
{{ . }}{{ if gt . 0 }},{{ include "countdown" (sub . 1) }}{{ end }}
{{- end -}}
{{ include "countdown" 10 }}
{{- define "tree" -}}
{{- range $k, $v := . }}[{{ $k }}{{ if kindIs "map" $v }}:{{ include "tree" $v }}{{ end }}]{{ end -}}
{{- end }}
{{ include "tree" .Values }}
-- values --
a: {b: {c: {d: {e: 1}}}, f: 2}
g: [1, {h: 3}]
