// The Kubernetes resources of the wire contract (docs/crd.md): the KillSwitch and Bot custom
// resources, their API group and version and the namespace they live in. The simulated
// apiserver serves them, the operator reconciles them, the harness's CRD path creates them:
// all three spell the names from here.

export const KUBE_GROUP = 'quantbot.io';
export const KUBE_VERSION = 'v1';
/** `quantbot.io/v1`: a resource's `apiVersion`. */
export const KUBE_GROUP_VERSION = `${KUBE_GROUP}/${KUBE_VERSION}`;
/** The namespace of seed 000's KillSwitches and of the Bots. */
export const KUBE_NAMESPACE = 'alphaswarm-bots';

export const KILLSWITCH_KIND = 'KillSwitch';
export const KILLSWITCH_PLURAL = 'killswitches';
export const BOT_KIND = 'Bot';
export const BOT_PLURAL = 'bots';
