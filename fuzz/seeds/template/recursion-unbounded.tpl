{{- define "loop" }}{{ include "loop" . }}{{ end -}}
{{- define "ping" }}p{{ template "pong" . }}{{ end -}}
{{- define "pong" }}q{{ template "ping" . }}{{ end -}}
{{ template "ping" . }}
{{ include "loop" . }}
