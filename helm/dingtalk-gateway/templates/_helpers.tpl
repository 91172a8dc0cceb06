{{/* The chart's name. */}}
{{- define "dingtalk-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name. */}}
{{- define "dingtalk-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "dingtalk-gateway.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "dingtalk-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the pods. */}}
{{- define "dingtalk-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dingtalk-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The service account's name. */}}
{{- define "dingtalk-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "dingtalk-gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
A duration of the application's settings (e.g. config.directory.staleAfter, "7h") in seconds, for an alert
that compares a gauge with it. Helm has no duration parser, so only a whole number of days, hours, minutes
or seconds is taken; anything else stops the render rather than give an alert a wrong bound.
*/}}
{{- define "dingtalk-gateway.seconds" -}}
{{- $d := toString . }}
{{- if regexMatch "^[0-9]+d$" $d }}{{ mul (trimSuffix "d" $d | atoi) 86400 }}
{{- else if regexMatch "^[0-9]+h$" $d }}{{ mul (trimSuffix "h" $d | atoi) 3600 }}
{{- else if regexMatch "^[0-9]+m$" $d }}{{ mul (trimSuffix "m" $d | atoi) 60 }}
{{- else if regexMatch "^[0-9]+s$" $d }}{{ trimSuffix "s" $d | atoi }}
{{- else }}{{ fail (printf "%q is not a whole number of days, hours, minutes or seconds (e.g. 7h)" $d) }}
{{- end }}
{{- end }}
