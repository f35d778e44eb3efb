{{- define "fuzz.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "fuzz.labels" -}}
app.kubernetes.io/name: {{ include "fuzz.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
metadata:
  name: {{ include "fuzz.name" . }}
  labels:
    {{- include "fuzz.labels" . | nindent 4 }}
  annotations: {{ template "fuzz.name" . }}
-- values --
nameOverride: my-very-long-name-that-goes-on-and-on-and-on-past-sixty-three-chars-
