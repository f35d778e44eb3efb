{{- define "shared" }}first{{ end -}}
{{ template "shared" }} {{ block "blk" . }}default block{{ end }}
-- file --
{{- define "shared" }}second{{ end -}}
{{- define "blk" }}overridden block{{ end -}}
{{ template "shared" }} {{ include "blk" . }}
-- file --
{{- define "shared" }}{{ end -}}
{{ template "shared" }}
