// How the built-in kinds' Go types encode empty values, which the server's JSON shows: non-pointer
// structs are always present (`{}`), fields without `omitempty` and metav1.Time fields are `null` when
// unset (an empty list or map without `omitempty` stays), empty lists and maps with `omitempty` vanish. The empty object of a kind (what a create is
// compared against when managedFields are recorded) follows from it: a new map or pointer struct is
// "added" (owned with `.`) while `spec`, `template` or a container list are not.
//
// Facts read from the Go types of kubernetes/api@10b39a3, kubernetes/apimachinery@eed236c and
// kubernetes/apiextensions-apiserver@1aa2717, by client-node model name and JSON field name.

import type { JsonObject } from '../json.ts';
import { attributesOf } from './models.ts';

/**
 * Model → fields holding a non-pointer struct → that struct's model, beyond the rule every kind follows
 * (metav1.ObjectMeta and a kind's or template's `spec` and `status` are never pointers): a model with
 * an ObjectMeta `metadata` has its `metadata`, `spec` and `status` always present.
 */
const VALUE_STRUCT_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CoreV1Event: { involvedObject: 'V1ObjectReference', source: 'V1EventSource' },
  EventsV1Event: { regarding: 'V1ObjectReference', deprecatedSource: 'V1EventSource' },
  V1Binding: { target: 'V1ObjectReference' },
  V1ClusterRoleBinding: { roleRef: 'V1RoleRef' },
  V1CronJobSpec: { jobTemplate: 'V1JobTemplateSpec' },
  V1CustomResourceDefinitionSpec: { names: 'V1CustomResourceDefinitionNames' },
  V1CustomResourceDefinitionStatus: { acceptedNames: 'V1CustomResourceDefinitionNames' },
  V1DaemonSetSpec: { template: 'V1PodTemplateSpec', updateStrategy: 'V1DaemonSetUpdateStrategy' },
  V1DeploymentSpec: { template: 'V1PodTemplateSpec', strategy: 'V1DeploymentStrategy' },
  V1HorizontalPodAutoscalerSpec: { scaleTargetRef: 'V1CrossVersionObjectReference' },
  V1IngressStatus: { loadBalancer: 'V1IngressLoadBalancerStatus' },
  V1JobSpec: { template: 'V1PodTemplateSpec' },
  V1NetworkPolicySpec: { podSelector: 'V1LabelSelector' },
  V1NodeDaemonEndpoints: { kubeletEndpoint: 'V1DaemonEndpoint' },
  V1NodeStatus: { daemonEndpoints: 'V1NodeDaemonEndpoints', nodeInfo: 'V1NodeSystemInfo' },
  V1PersistentVolumeClaimSpec: { resources: 'V1VolumeResourceRequirements' },
  V1PodTemplate: { template: 'V1PodTemplateSpec' },
  V1ReplicaSetSpec: { template: 'V1PodTemplateSpec' },
  V1RoleBinding: { roleRef: 'V1RoleRef' },
  V1ServiceStatus: { loadBalancer: 'V1LoadBalancerStatus' },
  V1StatefulSetSpec: { template: 'V1PodTemplateSpec', updateStrategy: 'V1StatefulSetUpdateStrategy' },
  V1VolumeAttachmentSpec: { source: 'V1VolumeAttachmentSource' },
};

const OBJECT_PARTS: ReadonlySet<string> = new Set(['metadata', 'spec', 'status']);

/** Model → fields encoded when zero (no `omitempty`, or a metav1.Time): nil as `null`, an empty list or map as such. */
const NULL_WHEN_ZERO: Readonly<Record<string, readonly string[]>> = {
  CoreV1Event: ['firstTimestamp', 'lastTimestamp', 'eventTime'],
  CoreV1EventSeries: ['lastObservedTime'],
  EventsV1Event: ['eventTime', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp'],
  EventsV1EventSeries: ['lastObservedTime'],
  V1APIGroup: ['versions'],
  V1APIResource: ['verbs'],
  V1APIVersions: ['versions', 'serverAddressByClientCIDRs'],
  V1AzureFilePersistentVolumeSource: ['secretNamespace'],
  V1CSINodeDriver: ['topologyKeys'],
  V1CSINodeSpec: ['drivers'],
  V1CephFSPersistentVolumeSource: ['monitors'],
  V1CephFSVolumeSource: ['monitors'],
  V1CertificateSigningRequestCondition: ['lastUpdateTime', 'lastTransitionTime'],
  V1CertificateSigningRequestSpec: ['request'],
  V1ClusterRole: ['rules'],
  V1Condition: ['lastTransitionTime'],
  V1ContainerImage: ['names'],
  V1ContainerStateRunning: ['startedAt'],
  V1ContainerStateTerminated: ['startedAt', 'finishedAt'],
  V1CustomResourceDefinitionCondition: ['lastTransitionTime'],
  V1CustomResourceDefinitionSpec: ['versions'],
  V1CustomResourceDefinitionStatus: ['conditions', 'storedVersions'],
  V1DaemonSetCondition: ['lastTransitionTime'],
  V1DaemonSetSpec: ['selector'],
  V1DeploymentCondition: ['lastUpdateTime', 'lastTransitionTime'],
  V1DeploymentSpec: ['selector'],
  V1Endpoint: ['addresses'],
  V1EndpointSlice: ['endpoints', 'ports'],
  V1GRPCAction: ['service'],
  V1HTTPIngressPath: ['pathType'],
  V1HTTPIngressRuleValue: ['paths'],
  V1IngressClassParametersReference: ['scope'],
  V1JobCondition: ['lastProbeTime', 'lastTransitionTime'],
  V1LimitRangeSpec: ['limits'],
  V1MutatingWebhook: ['sideEffects', 'admissionReviewVersions'],
  V1NamespaceCondition: ['lastTransitionTime'],
  V1NodeCondition: ['lastHeartbeatTime', 'lastTransitionTime'],
  V1NodeSelector: ['nodeSelectorTerms'],
  V1ObjectMeta: ['creationTimestamp'],
  V1PersistentVolumeClaimCondition: ['lastProbeTime', 'lastTransitionTime'],
  V1PodCondition: ['lastProbeTime', 'lastTransitionTime'],
  V1PodExtendedResourceClaimStatus: ['requestMappings'],
  V1PodFailurePolicy: ['rules'],
  V1PodFailurePolicyOnExitCodesRequirement: ['values'],
  V1PodSpec: ['containers'],
  V1PolicyRule: ['verbs'],
  V1ProjectedVolumeSource: ['sources'],
  V1RBDPersistentVolumeSource: ['monitors'],
  V1RBDVolumeSource: ['monitors'],
  V1ReplicaSetCondition: ['lastTransitionTime'],
  V1ReplicaSetSpec: ['selector'],
  V1ReplicationControllerCondition: ['lastTransitionTime'],
  V1Role: ['rules'],
  V1ScaleIOPersistentVolumeSource: ['secretRef'],
  V1ScaleIOVolumeSource: ['secretRef'],
  V1StatefulSetCondition: ['lastTransitionTime'],
  V1StatefulSetSpec: ['selector'],
  V1SuccessPolicy: ['rules'],
  V1TopologySelectorLabelRequirement: ['values'],
  V1TypedLocalObjectReference: ['apiGroup'],
  V1TypedObjectReference: ['apiGroup'],
  V1ValidatingWebhook: ['sideEffects', 'admissionReviewVersions'],
  V1VolumeError: ['time'],
  V1WebhookConversion: ['conversionReviewVersions'],
  V2HorizontalPodAutoscalerCondition: ['lastTransitionTime'],
  V2HorizontalPodAutoscalerStatus: ['currentMetrics'],
};

/** True when the field is encoded even when zero: a null stays `null`, an empty list or map stays empty. */
export function keepsZero(model: string, field: string): boolean {
  return NULL_WHEN_ZERO[model]?.includes(field) === true;
}

/** The zero value of a model's struct as JSON (undefined model fields are simply absent). */
export function zeroObject(model: string): JsonObject {
  const out: JsonObject = {};
  for (const field of NULL_WHEN_ZERO[model] ?? []) out[field] = null;
  const attributes = attributesOf(model) ?? [];
  if (attributes.some((a) => a.baseName === 'metadata' && a.type === 'V1ObjectMeta')) {
    for (const { baseName, type } of attributes) if (OBJECT_PARTS.has(baseName) && attributesOf(type) !== undefined) out[baseName] = zeroObject(type);
  }
  for (const [field, inner] of Object.entries(VALUE_STRUCT_FIELDS[model] ?? {})) out[field] = zeroObject(inner);
  return out;
}
