#!/usr/bin/env bash
# Sends a signed TriggerSchedulerTaskInstance (signature V1, HMAC-SHA1) to the local gateway,
# with the AccessKey taken from the environment as the cloud SDKs do:
#   ALIBABA_CLOUD_ACCESS_KEY_ID=… ALIBABA_CLOUD_ACCESS_KEY_SECRET=… demo/trigger.sh TASK_ID TRIGGER_TIME_MS [Prod|Dev] [ENDPOINT]
# Needs curl and openssl. This is the demo's minimal helper; the full command-line client (V1 and V3,
# signed by the official SDK, exit codes) is demo/trigger (module trigger-cli).
set -euo pipefail
task_id=${1:?usage: demo/trigger.sh TASK_ID TRIGGER_TIME_MS [Prod|Dev] [ENDPOINT]}
trigger_time=${2:?usage: demo/trigger.sh TASK_ID TRIGGER_TIME_MS [Prod|Dev] [ENDPOINT]}
env_type=${3:-Prod}
endpoint=${4:-http://127.0.0.1:8080}
: "${ALIBABA_CLOUD_ACCESS_KEY_ID:?set ALIBABA_CLOUD_ACCESS_KEY_ID}" "${ALIBABA_CLOUD_ACCESS_KEY_SECRET:?set ALIBABA_CLOUD_ACCESS_KEY_SECRET}"

# The SDK's percent-encoding: only A-Z a-z 0-9 - _ . ~ stay literal (parameters here are ASCII).
enc() {
  local s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

declare -A p=(
  [Action]=TriggerSchedulerTaskInstance [Version]=2024-05-18 [Format]=JSON
  [SignatureMethod]=HMAC-SHA1 [SignatureVersion]=1.0 [SignatureNonce]=$(cat /proc/sys/kernel/random/uuid)
  [Timestamp]=$(date -u +%Y-%m-%dT%H:%M:%SZ) [AccessKeyId]=$ALIBABA_CLOUD_ACCESS_KEY_ID
  [TaskId]=$task_id [EnvType]=$env_type [TriggerTime]=$trigger_time
)
canonical=$(for k in "${!p[@]}"; do printf '%s=%s\n' "$(enc "$k")" "$(enc "${p[$k]}")"; done | LC_ALL=C sort | paste -sd '&')
signature=$(printf '%s' "GET&%2F&$(enc "$canonical")" | openssl dgst -sha1 -hmac "${ALIBABA_CLOUD_ACCESS_KEY_SECRET}&" -binary | base64)
curl -sS "$endpoint/?$canonical&Signature=$(enc "$signature")"
echo
