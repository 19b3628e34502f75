// How the built-in kinds' lists, maps and structs merge: the list types, map keys and strategic-merge
// markers their Go types declare, keyed by client-node model name and JSON field name.
//
// These are facts read from the `+listType`, `+listMapKey`, `+mapType`, `+structType` markers and the
// `patchStrategy`/`patchMergeKey` tags of kubernetes/api@10b39a3 (core, apps, batch, autoscaling,
// coordination, networking, policy, rbac, discovery, storage, scheduling, events, certificates, node,
// admissionregistration), kubernetes/apimachinery@eed236c (meta/v1) and
// kubernetes/apiextensions-apiserver@1aa2717 (apiextensions/v1). Inline (embedded) structs are folded
// into the model that embeds them, as client-node's models are. A field that is absent here has no
// marker: lists are then atomic for server-side apply (see `listSemantics`), maps and structs granular.
// The names of the properties are those of the OpenAPI extensions the real server publishes
// (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`,
// `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`).

/** The merge markers of one field. */
export interface FieldSemantics {
  /** `+listType`: how server-side apply merges a list. */
  readonly listType?: 'atomic' | 'set' | 'map';
  /** `+listMapKey`s of a `map` list, in declaration order. */
  readonly listMapKeys?: readonly string[];
  /** `+mapType` of a map field (`atomic`: owned and replaced as one value). */
  readonly mapType?: 'atomic' | 'granular';
  /** `+structType` on the field, overriding its type's. */
  readonly structType?: 'atomic' | 'granular';
  /** Strategic merge patch: `merge`, `retainKeys` or `merge,retainKeys`. */
  readonly patchStrategy?: string;
  /** Strategic merge patch: the field identifying list items under `merge`. */
  readonly patchMergeKey?: string;
}

function smpFields(patchStrategy?: string, patchMergeKey?: string): Pick<FieldSemantics, 'patchStrategy' | 'patchMergeKey'> {
  return {
    ...(patchStrategy === undefined ? {} : { patchStrategy }),
    ...(patchMergeKey === undefined ? {} : { patchMergeKey }),
  };
}

function map(listMapKeys: readonly string[], patchStrategy?: string, patchMergeKey?: string): FieldSemantics {
  return { listType: 'map', listMapKeys, ...smpFields(patchStrategy, patchMergeKey) };
}

function atomic(patchStrategy?: string, patchMergeKey?: string): FieldSemantics {
  return { listType: 'atomic', ...smpFields(patchStrategy, patchMergeKey) };
}

function set(patchStrategy?: string): FieldSemantics {
  return { listType: 'set', ...smpFields(patchStrategy) };
}

function smp(patchStrategy: string, patchMergeKey?: string): FieldSemantics {
  return smpFields(patchStrategy, patchMergeKey);
}

/** A list keyed by `type` (`+listType=map`, `+listMapKey=type`, `patchMergeKey:"type"`): conditions, node addresses. */
const BY_TYPE = map(['type'], 'merge', 'type');

/** The lists of a container; an ephemeral container has the same fields (its Go type copies them). */
const CONTAINER: Readonly<Record<string, FieldSemantics>> = {
  command: atomic(),
  args: atomic(),
  ports: map(['containerPort', 'protocol'], 'merge', 'containerPort'),
  envFrom: atomic(),
  env: map(['name'], 'merge', 'name'),
  resizePolicy: atomic(),
  restartPolicyRules: atomic(),
  volumeMounts: map(['mountPath'], 'merge', 'mountPath'),
  volumeDevices: map(['devicePath'], 'merge', 'devicePath'),
};

/** Model name → JSON field name → the field's merge markers. */
export const FIELD_SEMANTICS: Readonly<Record<string, Readonly<Record<string, FieldSemantics>>>> = {
  // meta
  V1LabelSelector: { matchExpressions: atomic() },
  V1LabelSelectorRequirement: { values: atomic() },
  V1ObjectMeta: { ownerReferences: map(['uid'], 'merge', 'uid'), finalizers: set('merge'), managedFields: atomic() },
  // core
  V1Capabilities: { add: atomic(), drop: atomic() },
  V1CephFSPersistentVolumeSource: { monitors: atomic() },
  V1CephFSVolumeSource: { monitors: atomic() },
  V1ComponentStatus: { conditions: BY_TYPE },
  V1ConfigMapProjection: { items: atomic() },
  V1ConfigMapVolumeSource: { items: atomic() },
  V1Container: CONTAINER,
  V1ContainerImage: { names: atomic() },
  V1ContainerRestartRuleOnExitCodes: { values: set() },
  V1ContainerStatus: { volumeMounts: map(['mountPath'], 'merge', 'mountPath'), allocatedResourcesStatus: map(['name'], 'merge', 'name') },
  V1DownwardAPIProjection: { items: atomic() },
  V1DownwardAPIVolumeSource: { items: atomic() },
  V1EndpointSubset: { addresses: atomic(), notReadyAddresses: atomic(), ports: atomic() },
  V1Endpoints: { subsets: atomic() },
  V1EphemeralContainer: CONTAINER,
  V1ExecAction: { command: atomic() },
  V1FCVolumeSource: { targetWWNs: atomic(), wwids: atomic() },
  V1HTTPGetAction: { httpHeaders: atomic() },
  V1HostAlias: { hostnames: atomic() },
  V1ISCSIPersistentVolumeSource: { portals: atomic() },
  V1ISCSIVolumeSource: { portals: atomic() },
  V1LimitRangeSpec: { limits: atomic() },
  V1LinuxContainerUser: { supplementalGroups: atomic() },
  V1LoadBalancerIngress: { ports: atomic() },
  V1LoadBalancerStatus: { ingress: atomic() },
  V1NamespaceSpec: { finalizers: atomic() },
  V1NamespaceStatus: { conditions: BY_TYPE },
  V1NodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: atomic() },
  V1NodeAllocatableResourceClaimStatus: { containers: set(), mapping: map(['name'], 'merge', 'name'), overhead: map(['name'], 'merge', 'name') },
  V1NodeSelector: { nodeSelectorTerms: atomic() },
  V1NodeSelectorRequirement: { values: atomic() },
  V1NodeSelectorTerm: { matchExpressions: atomic(), matchFields: atomic() },
  V1NodeSpec: { podCIDRs: set('merge'), taints: atomic() },
  V1NodeStatus: {
    conditions: BY_TYPE,
    addresses: BY_TYPE,
    images: atomic(),
    volumesInUse: atomic(),
    volumesAttached: atomic(),
    runtimeHandlers: atomic(),
    declaredFeatures: atomic(),
  },
  V1PersistentVolumeClaimSpec: { accessModes: atomic() },
  V1PersistentVolumeClaimStatus: {
    accessModes: atomic(),
    conditions: BY_TYPE,
    allocatedResourceStatuses: { mapType: 'granular' },
  },
  V1PersistentVolumeSpec: { accessModes: atomic(), claimRef: { structType: 'granular' }, mountOptions: atomic() },
  V1PodAffinity: { requiredDuringSchedulingIgnoredDuringExecution: atomic(), preferredDuringSchedulingIgnoredDuringExecution: atomic() },
  V1PodAffinityTerm: { namespaces: atomic(), matchLabelKeys: atomic(), mismatchLabelKeys: atomic() },
  V1PodAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: atomic(), preferredDuringSchedulingIgnoredDuringExecution: atomic() },
  V1PodDNSConfig: { nameservers: atomic(), searches: atomic(), options: atomic() },
  V1PodExtendedResourceClaimStatus: { requestMappings: atomic() },
  V1PodSecurityContext: { supplementalGroups: atomic(), sysctls: atomic() },
  V1PodSpec: {
    volumes: map(['name'], 'merge,retainKeys', 'name'),
    initContainers: map(['name'], 'merge', 'name'),
    containers: map(['name'], 'merge', 'name'),
    ephemeralContainers: map(['name'], 'merge', 'name'),
    nodeSelector: { mapType: 'atomic' },
    imagePullSecrets: map(['name'], 'merge', 'name'),
    tolerations: atomic(),
    hostAliases: map(['ip'], 'merge', 'ip'),
    readinessGates: atomic(),
    topologySpreadConstraints: map(['topologyKey', 'whenUnsatisfiable'], 'merge', 'topologyKey'),
    schedulingGates: map(['name'], 'merge', 'name'),
    resourceClaims: map(['name'], 'merge,retainKeys', 'name'),
    evictionResponders: map(['name'], 'merge', 'name'),
  },
  V1PodStatus: {
    conditions: BY_TYPE,
    hostIPs: atomic('merge', 'ip'),
    podIPs: map(['ip'], 'merge', 'ip'),
    initContainerStatuses: atomic(),
    containerStatuses: atomic(),
    ephemeralContainerStatuses: atomic(),
    resourceClaimStatuses: map(['name'], 'merge,retainKeys', 'name'),
    nodeAllocatableResourceClaimStatuses: map(['resourceClaimName'], 'merge', 'resourceClaimName'),
    volumeHealth: map(['name']),
  },
  V1ProjectedVolumeSource: { sources: atomic() },
  V1RBDPersistentVolumeSource: { monitors: atomic() },
  V1RBDVolumeSource: { monitors: atomic() },
  V1ReplicationControllerSpec: { selector: { mapType: 'atomic' } },
  V1ReplicationControllerStatus: { conditions: BY_TYPE },
  V1ResourceQuotaSpec: { scopes: atomic() },
  V1ResourceRequirements: { claims: map(['name']) },
  V1ResourceStatus: { resources: map(['resourceID']) },
  V1ScopeSelector: { matchExpressions: atomic() },
  V1ScopedResourceSelectorRequirement: { values: atomic() },
  V1SecretProjection: { items: atomic() },
  V1SecretVolumeSource: { items: atomic() },
  V1ServiceAccount: { secrets: map(['name'], 'merge', 'name'), imagePullSecrets: atomic() },
  V1ServiceSpec: {
    ports: map(['port', 'protocol'], 'merge', 'port'),
    selector: { mapType: 'atomic' },
    clusterIPs: atomic(),
    externalIPs: atomic(),
    loadBalancerSourceRanges: atomic(),
    ipFamilies: atomic(),
  },
  V1ServiceStatus: { conditions: BY_TYPE },
  V1TopologySelectorLabelRequirement: { values: atomic() },
  V1TopologySelectorTerm: { matchLabelExpressions: atomic() },
  V1TopologySpreadConstraint: { matchLabelKeys: atomic() },
  V1VolumeMount: { bindMountOptions: set() },
  // apps
  V1DaemonSetStatus: { conditions: BY_TYPE },
  V1DeploymentSpec: { strategy: smp('retainKeys') },
  V1DeploymentStatus: { conditions: BY_TYPE },
  V1ReplicaSetStatus: { conditions: BY_TYPE },
  V1StatefulSetSpec: { volumeClaimTemplates: atomic() },
  V1StatefulSetStatus: { conditions: BY_TYPE },
  // batch
  V1CronJobStatus: { active: atomic() },
  V1JobStatus: { conditions: atomic('merge', 'type') },
  V1PodFailurePolicy: { rules: atomic() },
  V1PodFailurePolicyOnExitCodesRequirement: { values: set() },
  V1PodFailurePolicyRule: { onPodConditions: atomic() },
  V1SuccessPolicy: { rules: atomic() },
  V1UncountedTerminatedPods: { succeeded: set(), failed: set() },
  // autoscaling
  V2HPAScalingRules: { policies: atomic() },
  V2HorizontalPodAutoscalerSpec: { metrics: atomic() },
  V2HorizontalPodAutoscalerStatus: { currentMetrics: atomic(), conditions: BY_TYPE },
  // networking
  V1HTTPIngressRuleValue: { paths: atomic() },
  V1IPBlock: { except: atomic() },
  V1IngressLoadBalancerIngress: { ports: atomic() },
  V1IngressLoadBalancerStatus: { ingress: atomic() },
  V1IngressSpec: { tls: atomic(), rules: atomic() },
  V1IngressTLS: { hosts: atomic() },
  V1NetworkPolicyEgressRule: { ports: atomic(), to: atomic() },
  V1NetworkPolicyIngressRule: { ports: atomic(), from: atomic() },
  V1NetworkPolicySpec: { ingress: atomic(), egress: atomic(), policyTypes: atomic() },
  V1ServiceCIDRSpec: { cidrs: atomic() },
  V1ServiceCIDRStatus: { conditions: BY_TYPE },
  // policy
  V1PodDisruptionBudgetSpec: { selector: smp('replace') },
  V1PodDisruptionBudgetStatus: { conditions: BY_TYPE },
  // rbac
  V1AggregationRule: { clusterRoleSelectors: atomic() },
  V1ClusterRole: { rules: atomic() },
  V1ClusterRoleBinding: { subjects: atomic() },
  V1PolicyRule: { verbs: atomic(), apiGroups: atomic(), resources: atomic(), resourceNames: atomic(), nonResourceURLs: atomic() },
  V1Role: { rules: atomic() },
  V1RoleBinding: { subjects: atomic() },
  // discovery
  V1Endpoint: { addresses: set() },
  V1EndpointHints: { forZones: atomic(), forNodes: atomic() },
  V1EndpointSlice: { endpoints: atomic(), ports: atomic() },
  // storage
  V1CSIDriverSpec: { volumeLifecycleModes: set(), tokenRequests: atomic() },
  V1CSINodeDriver: { topologyKeys: atomic() },
  V1CSINodeSpec: { drivers: map(['name'], 'merge', 'name') },
  V1StorageClass: { mountOptions: atomic(), allowedTopologies: atomic() },
  // certificates
  V1CertificateSigningRequestSpec: { usages: atomic(), groups: atomic() },
  V1CertificateSigningRequestStatus: { conditions: map(['type']) },
  // node
  V1Scheduling: { nodeSelector: { mapType: 'atomic' }, tolerations: atomic() },
  // admissionregistration
  V1MatchResources: { resourceRules: atomic(), excludeResourceRules: atomic() },
  V1MutatingAdmissionPolicySpec: { variables: atomic(), mutations: atomic(), matchConditions: map(['name'], 'merge', 'name') },
  V1MutatingWebhook: { rules: atomic(), admissionReviewVersions: atomic(), matchConditions: map(['name'], 'merge', 'name') },
  V1MutatingWebhookConfiguration: { webhooks: map(['name'], 'merge', 'name') },
  V1NamedRuleWithOperations: { resourceNames: atomic(), operations: atomic(), apiGroups: atomic(), apiVersions: atomic(), resources: atomic() },
  V1RuleWithOperations: { operations: atomic(), apiGroups: atomic(), apiVersions: atomic(), resources: atomic() },
  V1TypeChecking: { expressionWarnings: atomic() },
  V1ValidatingAdmissionPolicyBindingSpec: { validationActions: set() },
  V1ValidatingAdmissionPolicySpec: {
    validations: atomic(),
    auditAnnotations: atomic(),
    matchConditions: map(['name'], 'merge', 'name'),
    variables: map(['name'], 'merge', 'name'),
  },
  V1ValidatingAdmissionPolicyStatus: { conditions: map(['type']) },
  V1ValidatingWebhook: { rules: atomic(), admissionReviewVersions: atomic(), matchConditions: map(['name'], 'merge', 'name') },
  V1ValidatingWebhookConfiguration: { webhooks: map(['name'], 'merge', 'name') },
  // apiextensions
  V1CustomResourceDefinitionNames: { shortNames: atomic(), categories: atomic() },
  V1CustomResourceDefinitionSpec: { versions: atomic() },
  V1CustomResourceDefinitionStatus: { conditions: map(['type']), storedVersions: atomic() },
  V1CustomResourceDefinitionVersion: { additionalPrinterColumns: atomic(), selectableFields: atomic() },
  V1JSONSchemaProps: {
    enum: atomic(),
    required: atomic(),
    allOf: atomic(),
    oneOf: atomic(),
    anyOf: atomic(),
    'x-kubernetes-list-map-keys': atomic(),
    'x-kubernetes-validations': map(['rule'], 'merge', 'rule'),
  },
  V1WebhookConversion: { conversionReviewVersions: atomic() },
};

/** Models whose Go type is `+structType=atomic`: owned and replaced as one value. */
export const ATOMIC_STRUCTS: ReadonlySet<string> = new Set([
  'V1SecretReference', 'V1FileKeySelector', 'V1ObjectFieldSelector', 'V1ResourceFieldSelector',
  'V1ConfigMapKeySelector', 'V1SecretKeySelector', 'V1NodeSelector', 'V1NodeSelectorTerm',
  'V1TopologySelectorTerm', 'V1EndpointAddress', 'CoreV1EndpointPort', 'V1ObjectReference',
  'V1LocalObjectReference', 'V1TypedLocalObjectReference', 'V1ScopeSelector', 'V1ServiceBackendPort',
  'RbacV1Subject', 'V1RoleRef', 'V1CrossVersionObjectReference', 'DiscoveryV1EndpointPort', 'V1ParamKind',
  'V1Variable', 'V1ParamRef', 'V1MatchResources', 'V1NamedRuleWithOperations', 'V1OwnerReference',
  'V1LabelSelector',
]);

/**
 * `+default` values of list-map key fields: an item that omits such a key is identified with the
 * default (a container port without `protocol` is keyed `{"containerPort":80,"protocol":"TCP"}`).
 */
export const LIST_MAP_KEY_DEFAULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  V1ContainerPort: { protocol: 'TCP' },
  V1LocalObjectReference: { name: '' },
  V1ServicePort: { protocol: 'TCP' },
};

/**
 * Fields of type `resource.Quantity` (or maps of them, `ResourceList`): client-node types them as
 * strings, the real schema accepts a string or a number (`cpu: 1`).
 */
export const QUANTITY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  V1PersistentVolumeSpec: ['capacity'],
  V1PersistentVolumeClaimStatus: ['capacity', 'allocatedResources'],
  V1EmptyDirVolumeSource: ['sizeLimit'],
  V1ResourceFieldSelector: ['divisor'],
  V1ResourceRequirements: ['limits', 'requests'],
  V1VolumeResourceRequirements: ['limits', 'requests'],
  V1ContainerStatus: ['allocatedResources'],
  V1PodSpec: ['overhead'],
  V1PodStatus: ['allocatedResources'],
  V1NodeStatus: ['capacity', 'allocatable'],
  V1LimitRangeItem: ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'],
  V1ResourceQuotaSpec: ['hard'],
  V1ResourceQuotaStatus: ['hard', 'used'],
  V2HPAScalingRules: ['tolerance'],
  V2MetricTarget: ['value', 'averageValue'],
  V2MetricValueStatus: ['value', 'averageValue'],
  V1CSIStorageCapacity: ['capacity', 'maximumVolumeSize'],
};
