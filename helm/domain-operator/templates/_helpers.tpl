{{/* Names: <release>-domain-operator unless the release is already called that, capped at 63 characters. */}}
{{- define "domain-operator.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "domain-operator.agent.name" -}}
{{- printf "%s-agent" (include "domain-operator.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "domain-operator.controller.name" -}}
{{- printf "%s-controller" (include "domain-operator.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "domain-operator.knobs.name" -}}
{{- printf "%s-knobs" (include "domain-operator.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "domain-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: domain-operator
{{- end -}}

{{/* Selector labels of one component (agent or controller); never change them, selectors are immutable. */}}
{{- define "domain-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "domain-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/* The admission webhook's Service, serving-certificate Secret and ValidatingWebhookConfiguration. */}}
{{- define "domain-operator.webhook.service" -}}
{{- printf "%s-webhook" (include "domain-operator.controller.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "domain-operator.webhook.secret" -}}
{{- printf "%s-webhook-tls" (include "domain-operator.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "domain-operator.webhook.configuration" -}}
{{- printf "%s-domainconfigs" (include "domain-operator.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
