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
 * Model → fields holding a non-pointer struct → that struct's model. Every `metadata` of type
 * ObjectMeta is one too (metav1.ObjectMeta is never a pointer), so it is not listed.
 */
const VALUE_STRUCT_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CoreV1Event: { involvedObject: 'V1ObjectReference', source: 'V1EventSource' },
  EventsV1Event: { regarding: 'V1ObjectReference', deprecatedSource: 'V1EventSource' },
  V1Binding: { target: 'V1ObjectReference' },
  V1CSIDriver: { spec: 'V1CSIDriverSpec' },
  V1CSINode: { spec: 'V1CSINodeSpec' },
  V1CertificateSigningRequest: { spec: 'V1CertificateSigningRequestSpec', status: 'V1CertificateSigningRequestStatus' },
  V1ClusterRoleBinding: { roleRef: 'V1RoleRef' },
  V1CronJob: { spec: 'V1CronJobSpec', status: 'V1CronJobStatus' },
  V1CronJobSpec: { jobTemplate: 'V1JobTemplateSpec' },
  V1CustomResourceDefinition: { spec: 'V1CustomResourceDefinitionSpec', status: 'V1CustomResourceDefinitionStatus' },
  V1CustomResourceDefinitionSpec: { names: 'V1CustomResourceDefinitionNames' },
  V1CustomResourceDefinitionStatus: { acceptedNames: 'V1CustomResourceDefinitionNames' },
  V1DaemonSet: { spec: 'V1DaemonSetSpec', status: 'V1DaemonSetStatus' },
  V1DaemonSetSpec: { template: 'V1PodTemplateSpec', updateStrategy: 'V1DaemonSetUpdateStrategy' },
  V1Deployment: { spec: 'V1DeploymentSpec', status: 'V1DeploymentStatus' },
  V1DeploymentSpec: { template: 'V1PodTemplateSpec', strategy: 'V1DeploymentStrategy' },
  V1HorizontalPodAutoscaler: { spec: 'V1HorizontalPodAutoscalerSpec', status: 'V1HorizontalPodAutoscalerStatus' },
  V1HorizontalPodAutoscalerSpec: { scaleTargetRef: 'V1CrossVersionObjectReference' },
  V1IPAddress: { spec: 'V1IPAddressSpec' },
  V1Ingress: { spec: 'V1IngressSpec', status: 'V1IngressStatus' },
  V1IngressClass: { spec: 'V1IngressClassSpec' },
  V1IngressStatus: { loadBalancer: 'V1IngressLoadBalancerStatus' },
  V1Job: { spec: 'V1JobSpec', status: 'V1JobStatus' },
  V1JobSpec: { template: 'V1PodTemplateSpec' },
  V1JobTemplateSpec: { spec: 'V1JobSpec' },
  V1Lease: { spec: 'V1LeaseSpec' },
  V1LimitRange: { spec: 'V1LimitRangeSpec' },
  V1MutatingAdmissionPolicy: { spec: 'V1MutatingAdmissionPolicySpec' },
  V1MutatingAdmissionPolicyBinding: { spec: 'V1MutatingAdmissionPolicyBindingSpec' },
  V1Namespace: { spec: 'V1NamespaceSpec', status: 'V1NamespaceStatus' },
  V1NetworkPolicy: { spec: 'V1NetworkPolicySpec' },
  V1NetworkPolicySpec: { podSelector: 'V1LabelSelector' },
  V1Node: { spec: 'V1NodeSpec', status: 'V1NodeStatus' },
  V1NodeDaemonEndpoints: { kubeletEndpoint: 'V1DaemonEndpoint' },
  V1NodeStatus: { daemonEndpoints: 'V1NodeDaemonEndpoints', nodeInfo: 'V1NodeSystemInfo' },
  V1PersistentVolume: { spec: 'V1PersistentVolumeSpec', status: 'V1PersistentVolumeStatus' },
  V1PersistentVolumeClaim: { spec: 'V1PersistentVolumeClaimSpec', status: 'V1PersistentVolumeClaimStatus' },
  V1PersistentVolumeClaimSpec: { resources: 'V1VolumeResourceRequirements' },
  V1PersistentVolumeClaimTemplate: { spec: 'V1PersistentVolumeClaimSpec' },
  V1Pod: { spec: 'V1PodSpec', status: 'V1PodStatus' },
  V1PodDisruptionBudget: { spec: 'V1PodDisruptionBudgetSpec', status: 'V1PodDisruptionBudgetStatus' },
  V1PodTemplate: { template: 'V1PodTemplateSpec' },
  V1PodTemplateSpec: { spec: 'V1PodSpec' },
  V1ReplicaSet: { spec: 'V1ReplicaSetSpec', status: 'V1ReplicaSetStatus' },
  V1ReplicaSetSpec: { template: 'V1PodTemplateSpec' },
  V1ReplicationController: { spec: 'V1ReplicationControllerSpec', status: 'V1ReplicationControllerStatus' },
  V1ResourceQuota: { spec: 'V1ResourceQuotaSpec', status: 'V1ResourceQuotaStatus' },
  V1RoleBinding: { roleRef: 'V1RoleRef' },
  V1Scale: { spec: 'V1ScaleSpec', status: 'V1ScaleStatus' },
  V1Service: { spec: 'V1ServiceSpec', status: 'V1ServiceStatus' },
  V1ServiceCIDR: { spec: 'V1ServiceCIDRSpec', status: 'V1ServiceCIDRStatus' },
  V1ServiceStatus: { loadBalancer: 'V1LoadBalancerStatus' },
  V1StatefulSet: { spec: 'V1StatefulSetSpec', status: 'V1StatefulSetStatus' },
  V1StatefulSetSpec: { template: 'V1PodTemplateSpec', updateStrategy: 'V1StatefulSetUpdateStrategy' },
  V1ValidatingAdmissionPolicy: { spec: 'V1ValidatingAdmissionPolicySpec', status: 'V1ValidatingAdmissionPolicyStatus' },
  V1ValidatingAdmissionPolicyBinding: { spec: 'V1ValidatingAdmissionPolicyBindingSpec' },
  V1VolumeAttachment: { spec: 'V1VolumeAttachmentSpec', status: 'V1VolumeAttachmentStatus' },
  V1VolumeAttachmentSpec: { source: 'V1VolumeAttachmentSource' },
  V2HorizontalPodAutoscaler: { spec: 'V1HorizontalPodAutoscalerSpec', status: 'V1HorizontalPodAutoscalerStatus' },
};

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
  for (const { baseName, type } of attributesOf(model) ?? []) if (type === 'V1ObjectMeta') out[baseName] = zeroObject(type);
  for (const [field, inner] of Object.entries(VALUE_STRUCT_FIELDS[model] ?? {})) out[field] = zeroObject(inner);
  return out;
}
