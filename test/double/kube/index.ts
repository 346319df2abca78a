// The Kubernetes API double: see README.md.
export {
  type ClientCa,
  type ClientCert,
  type ClientCertOptions,
  clientCaFromPem,
  createClientCa,
  KUBE_CLUSTER_OID,
  TELEPORT_CLUSTER_OID,
} from './client-ca';
export {
  execCredential,
  type KubeCredentials,
  type TbotKubeconfigOptions,
  tbotKubeconfig,
} from './kubeconfig';
export { type KubectlOptions, type KubectlResult, kubectl } from './kubectl';
export { type ClusterSpec, DEFAULT_NAMESPACES, type PodSpec } from './objects';
export {
  DEFAULT_SERVER_VERSION,
  DEFAULT_TELEPORT_CLUSTER,
  encodePathComponent,
  type KubeApi,
  type KubeApiOptions,
  type KubeRequest,
  startKubeApi,
} from './server';
