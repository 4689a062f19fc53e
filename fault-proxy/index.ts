// Public surface of the fault proxy: a Toxiproxy-2.12-compatible HTTP API and TCP proxy
// bound to 127.0.0.1, plus the killdrill extension toxic `redis_channel_drop`.
export { proxyMain, PROXY_MODULE_PATH, DEFAULT_PROXY_PORT } from './main.ts';
export { startProxyServer, TOXIPROXY_VERSION, MAX_BODY_BYTES } from './api-server.ts';
export type { ProxyServerHandle, ProxyServerOptions } from './api-server.ts';
export { TOXIC_TYPES } from './toxic-spec.ts';
export type { ToxicConfig, Stream } from './toxic-spec.ts';
export { createChannelDropFilter } from './redis-channel-drop.ts';
