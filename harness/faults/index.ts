export * from './types.ts';
export { listComponents, controlComponent, componentsOf } from './control-api.ts';
export { faultByKind, knownFaultKinds } from './catalog.ts';
export { checkFaultsAgainstPreset, type ComponentPlanner } from './static-check.ts';
export { needsKilldrillProxy, externalProxyRefusals } from './external-proxy.ts';
