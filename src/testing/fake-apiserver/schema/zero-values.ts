// How the built-in kinds' Go types encode empty values, which the server's JSON shows: non-pointer
// structs are always present (`{}`), fields without `omitempty` and metav1.Time fields are `null` when
// unset, empty lists and maps with `omitempty` vanish. The empty object of a kind (what a create is
// compared against when managedFields are recorded) follows from it: a new map or pointer struct is
// "added" (owned with `.`) while `spec`, `template` or a container list are not.
//
// Facts read from the Go types of kubernetes/api@10b39a3, kubernetes/apimachinery@eed236c and
// kubernetes/apiextensions-apiserver@1aa2717, by client-node model name and JSON field name.

import type { JsonObject } from '../json.ts';

/** Model → fields holding a non-pointer struct → that struct's model. */
const VALUE_STRUCT_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CoreV1Event: { metadata: 'V1ObjectMeta', involvedObject: 'V1ObjectReference', source: 'V1EventSource' },
  EventsV1Event: { metadata: 'V1ObjectMeta', regarding: 'V1ObjectReference', deprecatedSource: 'V1EventSource' },
  V1Binding: { metadata: 'V1ObjectMeta', target: 'V1ObjectReference' },
  V1CSIDriver: { metadata: 'V1ObjectMeta', spec: 'V1CSIDriverSpec' },
  V1CSINode: { metadata: 'V1ObjectMeta', spec: 'V1CSINodeSpec' },
  V1CSIStorageCapacity: { metadata: 'V1ObjectMeta' },
  V1CertificateSigningRequest: { metadata: 'V1ObjectMeta', spec: 'V1CertificateSigningRequestSpec', status: 'V1CertificateSigningRequestStatus' },
  V1ClusterRole: { metadata: 'V1ObjectMeta' },
  V1ClusterRoleBinding: { metadata: 'V1ObjectMeta', roleRef: 'V1RoleRef' },
  V1ComponentStatus: { metadata: 'V1ObjectMeta' },
  V1ConfigMap: { metadata: 'V1ObjectMeta' },
  V1ControllerRevision: { metadata: 'V1ObjectMeta' },
  V1CronJob: { metadata: 'V1ObjectMeta', spec: 'V1CronJobSpec', status: 'V1CronJobStatus' },
  V1CronJobSpec: { jobTemplate: 'V1JobTemplateSpec' },
  V1CustomResourceDefinition: { metadata: 'V1ObjectMeta', spec: 'V1CustomResourceDefinitionSpec', status: 'V1CustomResourceDefinitionStatus' },
  V1CustomResourceDefinitionSpec: { names: 'V1CustomResourceDefinitionNames' },
  V1CustomResourceDefinitionStatus: { acceptedNames: 'V1CustomResourceDefinitionNames' },
  V1DaemonSet: { metadata: 'V1ObjectMeta', spec: 'V1DaemonSetSpec', status: 'V1DaemonSetStatus' },
  V1DaemonSetSpec: { template: 'V1PodTemplateSpec', updateStrategy: 'V1DaemonSetUpdateStrategy' },
  V1Deployment: { metadata: 'V1ObjectMeta', spec: 'V1DeploymentSpec', status: 'V1DeploymentStatus' },
  V1DeploymentSpec: { template: 'V1PodTemplateSpec', strategy: 'V1DeploymentStrategy' },
  V1EndpointSlice: { metadata: 'V1ObjectMeta' },
  V1Endpoints: { metadata: 'V1ObjectMeta' },
  V1Eviction: { metadata: 'V1ObjectMeta' },
  V1HorizontalPodAutoscaler: { metadata: 'V1ObjectMeta', spec: 'V1HorizontalPodAutoscalerSpec', status: 'V1HorizontalPodAutoscalerStatus' },
  V1HorizontalPodAutoscalerSpec: { scaleTargetRef: 'V1CrossVersionObjectReference' },
  V1IPAddress: { metadata: 'V1ObjectMeta', spec: 'V1IPAddressSpec' },
  V1Ingress: { metadata: 'V1ObjectMeta', spec: 'V1IngressSpec', status: 'V1IngressStatus' },
  V1IngressClass: { metadata: 'V1ObjectMeta', spec: 'V1IngressClassSpec' },
  V1IngressStatus: { loadBalancer: 'V1IngressLoadBalancerStatus' },
  V1Job: { metadata: 'V1ObjectMeta', spec: 'V1JobSpec', status: 'V1JobStatus' },
  V1JobSpec: { template: 'V1PodTemplateSpec' },
  V1JobTemplateSpec: { metadata: 'V1ObjectMeta', spec: 'V1JobSpec' },
  V1Lease: { metadata: 'V1ObjectMeta', spec: 'V1LeaseSpec' },
  V1LimitRange: { metadata: 'V1ObjectMeta', spec: 'V1LimitRangeSpec' },
  V1MutatingAdmissionPolicy: { metadata: 'V1ObjectMeta', spec: 'V1MutatingAdmissionPolicySpec' },
  V1MutatingAdmissionPolicyBinding: { metadata: 'V1ObjectMeta', spec: 'V1MutatingAdmissionPolicyBindingSpec' },
  V1MutatingWebhookConfiguration: { metadata: 'V1ObjectMeta' },
  V1Namespace: { metadata: 'V1ObjectMeta', spec: 'V1NamespaceSpec', status: 'V1NamespaceStatus' },
  V1NetworkPolicy: { metadata: 'V1ObjectMeta', spec: 'V1NetworkPolicySpec' },
  V1NetworkPolicySpec: { podSelector: 'V1LabelSelector' },
  V1Node: { metadata: 'V1ObjectMeta', spec: 'V1NodeSpec', status: 'V1NodeStatus' },
  V1NodeDaemonEndpoints: { kubeletEndpoint: 'V1DaemonEndpoint' },
  V1NodeStatus: { daemonEndpoints: 'V1NodeDaemonEndpoints', nodeInfo: 'V1NodeSystemInfo' },
  V1PersistentVolume: { metadata: 'V1ObjectMeta', spec: 'V1PersistentVolumeSpec', status: 'V1PersistentVolumeStatus' },
  V1PersistentVolumeClaim: { metadata: 'V1ObjectMeta', spec: 'V1PersistentVolumeClaimSpec', status: 'V1PersistentVolumeClaimStatus' },
  V1PersistentVolumeClaimSpec: { resources: 'V1VolumeResourceRequirements' },
  V1PersistentVolumeClaimTemplate: { metadata: 'V1ObjectMeta', spec: 'V1PersistentVolumeClaimSpec' },
  V1Pod: { metadata: 'V1ObjectMeta', spec: 'V1PodSpec', status: 'V1PodStatus' },
  V1PodDisruptionBudget: { metadata: 'V1ObjectMeta', spec: 'V1PodDisruptionBudgetSpec', status: 'V1PodDisruptionBudgetStatus' },
  V1PodTemplate: { metadata: 'V1ObjectMeta', template: 'V1PodTemplateSpec' },
  V1PodTemplateSpec: { metadata: 'V1ObjectMeta', spec: 'V1PodSpec' },
  V1PriorityClass: { metadata: 'V1ObjectMeta' },
  V1ReplicaSet: { metadata: 'V1ObjectMeta', spec: 'V1ReplicaSetSpec', status: 'V1ReplicaSetStatus' },
  V1ReplicaSetSpec: { template: 'V1PodTemplateSpec' },
  V1ReplicationController: { metadata: 'V1ObjectMeta', spec: 'V1ReplicationControllerSpec', status: 'V1ReplicationControllerStatus' },
  V1ResourceQuota: { metadata: 'V1ObjectMeta', spec: 'V1ResourceQuotaSpec', status: 'V1ResourceQuotaStatus' },
  V1Role: { metadata: 'V1ObjectMeta' },
  V1RoleBinding: { metadata: 'V1ObjectMeta', roleRef: 'V1RoleRef' },
  V1RuntimeClass: { metadata: 'V1ObjectMeta' },
  V1Scale: { metadata: 'V1ObjectMeta', spec: 'V1ScaleSpec', status: 'V1ScaleStatus' },
  V1Secret: { metadata: 'V1ObjectMeta' },
  V1Service: { metadata: 'V1ObjectMeta', spec: 'V1ServiceSpec', status: 'V1ServiceStatus' },
  V1ServiceAccount: { metadata: 'V1ObjectMeta' },
  V1ServiceCIDR: { metadata: 'V1ObjectMeta', spec: 'V1ServiceCIDRSpec', status: 'V1ServiceCIDRStatus' },
  V1ServiceStatus: { loadBalancer: 'V1LoadBalancerStatus' },
  V1StatefulSet: { metadata: 'V1ObjectMeta', spec: 'V1StatefulSetSpec', status: 'V1StatefulSetStatus' },
  V1StatefulSetSpec: { template: 'V1PodTemplateSpec', updateStrategy: 'V1StatefulSetUpdateStrategy' },
  V1StorageClass: { metadata: 'V1ObjectMeta' },
  V1ValidatingAdmissionPolicy: { metadata: 'V1ObjectMeta', spec: 'V1ValidatingAdmissionPolicySpec', status: 'V1ValidatingAdmissionPolicyStatus' },
  V1ValidatingAdmissionPolicyBinding: { metadata: 'V1ObjectMeta', spec: 'V1ValidatingAdmissionPolicyBindingSpec' },
  V1ValidatingWebhookConfiguration: { metadata: 'V1ObjectMeta' },
  V1VolumeAttachment: { metadata: 'V1ObjectMeta', spec: 'V1VolumeAttachmentSpec', status: 'V1VolumeAttachmentStatus' },
  V1VolumeAttachmentSpec: { source: 'V1VolumeAttachmentSource' },
  V1VolumeAttributesClass: { metadata: 'V1ObjectMeta' },
  V2HorizontalPodAutoscaler: { metadata: 'V1ObjectMeta', spec: 'V1HorizontalPodAutoscalerSpec', status: 'V1HorizontalPodAutoscalerStatus' },
};

/** Model → fields encoded as `null` when zero (no `omitempty`, or a metav1.Time). */
const NULL_WHEN_ZERO: Readonly<Record<string, readonly string[]>> = {
  CoreV1Event: ['firstTimestamp', 'lastTimestamp', 'eventTime'],
  EventsV1Event: ['eventTime', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp'],
  V1CSINodeSpec: ['drivers'],
  V1CertificateSigningRequestSpec: ['request'],
  V1ClusterRole: ['rules'],
  V1CustomResourceDefinitionSpec: ['versions'],
  V1CustomResourceDefinitionStatus: ['conditions', 'storedVersions'],
  V1DaemonSetSpec: ['selector'],
  V1DeploymentSpec: ['selector'],
  V1EndpointSlice: ['endpoints', 'ports'],
  V1LimitRangeSpec: ['limits'],
  V1ObjectMeta: ['creationTimestamp'],
  V1PodSpec: ['containers'],
  V1ReplicaSetSpec: ['selector'],
  V1Role: ['rules'],
  V1StatefulSetSpec: ['selector'],
};

/** Model → list and map fields without `omitempty`: an empty one is kept (`"containers": []`), others are dropped. */
export const KEEP_EMPTY: Readonly<Record<string, readonly string[]>> = {
  V1CSINodeDriver: ['topologyKeys'],
  V1CSINodeSpec: ['drivers'],
  V1CephFSPersistentVolumeSource: ['monitors'],
  V1CephFSVolumeSource: ['monitors'],
  V1CertificateSigningRequestSpec: ['request'],
  V1ClusterRole: ['rules'],
  V1ContainerImage: ['names'],
  V1CustomResourceDefinitionSpec: ['versions'],
  V1CustomResourceDefinitionStatus: ['conditions', 'storedVersions'],
  V1Endpoint: ['addresses'],
  V1EndpointSlice: ['endpoints', 'ports'],
  V1HTTPIngressRuleValue: ['paths'],
  V1LimitRangeSpec: ['limits'],
  V1MutatingWebhook: ['admissionReviewVersions'],
  V1NodeSelector: ['nodeSelectorTerms'],
  V1PodExtendedResourceClaimStatus: ['requestMappings'],
  V1PodFailurePolicy: ['rules'],
  V1PodFailurePolicyOnExitCodesRequirement: ['values'],
  V1PodSpec: ['containers'],
  V1PolicyRule: ['verbs'],
  V1ProjectedVolumeSource: ['sources'],
  V1RBDPersistentVolumeSource: ['monitors'],
  V1RBDVolumeSource: ['monitors'],
  V1Role: ['rules'],
  V1SuccessPolicy: ['rules'],
  V1TopologySelectorLabelRequirement: ['values'],
  V1ValidatingWebhook: ['admissionReviewVersions'],
  V1WebhookConversion: ['conversionReviewVersions'],
  V2HorizontalPodAutoscalerStatus: ['currentMetrics'],
};

/** True when a null in this field is encoded (the field has no `omitempty` or is a metav1.Time). */
export function keepsNull(model: string, field: string): boolean {
  return NULL_WHEN_ZERO[model]?.includes(field) === true;
}

/** The zero value of a model's struct as JSON (undefined model fields are simply absent). */
export function zeroObject(model: string): JsonObject {
  const out: JsonObject = {};
  for (const field of NULL_WHEN_ZERO[model] ?? []) out[field] = null;
  for (const [field, inner] of Object.entries(VALUE_STRUCT_FIELDS[model] ?? {})) out[field] = zeroObject(inner);
  return out;
}
