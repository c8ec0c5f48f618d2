{{/* Chart name, overridable. */}}
{{- define "virtfleet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every resource name: <release>-<chart>, or the release name alone when it already holds the chart name. */}}
{{- define "virtfleet.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels shared by every resource. */}}
{{- define "virtfleet.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: virtfleet
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component; call with (dict "root" $ "component" "operator"). */}}
{{- define "virtfleet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "virtfleet.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Full labels of one component; call like virtfleet.selectorLabels. */}}
{{- define "virtfleet.componentLabels" -}}
{{ include "virtfleet.labels" .root }}
{{ include "virtfleet.selectorLabels" . }}
{{- end }}

{{/* The agent pods' selector as a label-selector string: the operator discovers agents with it. */}}
{{- define "virtfleet.agentSelector" -}}
{{- $labels := include "virtfleet.selectorLabels" (dict "root" . "component" "agent") | fromYaml }}
{{- $pairs := list }}
{{- range $key := keys $labels | sortAlpha }}
{{- $pairs = append $pairs (printf "%s=%s" $key (get $labels $key)) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{- define "virtfleet.operator.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (printf "%s-operator" (include "virtfleet.fullname" .)) .Values.operator.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "virtfleet.agent.serviceAccountName" -}}
{{- if .Values.agent.serviceAccount.create }}
{{- default (printf "%s-agent" (include "virtfleet.fullname" .)) .Values.agent.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.agent.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Secrets of the operator <-> agent mutual TLS (tls.crt, tls.key, ca.crt each). */}}
{{- define "virtfleet.agentTlsSecret" -}}
{{- printf "%s-agent-tls" (include "virtfleet.fullname" .) }}
{{- end }}
{{- define "virtfleet.operatorTlsSecret" -}}
{{- printf "%s-operator-tls" (include "virtfleet.fullname" .) }}
{{- end }}

{{/* image reference; call with (dict "root" $ "image" .Values.operator.image). */}}
{{- define "virtfleet.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end }}

{{/* staticAgents as the operator's VIRTFLEET_AGENTS value: node=url,node=url. */}}
{{- define "virtfleet.staticAgents" -}}
{{- $pairs := list }}
{{- range . }}
{{- $pairs = append $pairs (printf "%s=%s" .node .url) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{/* Log level and format of operator and agents (both read them in their logback.xml). */}}
{{- define "virtfleet.loggingEnv" -}}
- name: VIRTFLEET_LOG_LEVEL
  value: {{ .Values.logging.level | quote }}
- name: VIRTFLEET_LOG_FORMAT
  value: {{ .Values.logging.format | quote }}
{{- end }}
