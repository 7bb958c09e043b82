{{/* Name of the release's objects: <release>-iamra-vault, or the release name when it already says iamra-vault. */}}
{{- define "iamra-vault.fullname" -}}
{{- if contains "iamra-vault" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-iamra-vault" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "iamra-vault.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "iamra-vault.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Labels that select the webhook pods. */}}
{{- define "iamra-vault.selectorLabels" -}}
app.kubernetes.io/name: iamra-vault-webhook
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The image, by digest when one is given. */}}
{{- define "iamra-vault.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "iamra-vault.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "iamra-vault.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "iamra-vault.tlsSecretName" -}}
{{- printf "%s-tls" (include "iamra-vault.fullname" .) -}}
{{- end -}}

{{- define "iamra-vault.settingsName" -}}
{{- printf "%s-settings" (include "iamra-vault.fullname" .) -}}
{{- end -}}

{{/* DNS name of the webhook Service, as the API server calls it. */}}
{{- define "iamra-vault.serviceHost" -}}
{{- printf "%s.%s.svc" (include "iamra-vault.fullname" .) .Release.Namespace -}}
{{- end -}}
