// The operator's public surface (it runs as its own process: main.ts <fleet.json>).
export { KillSwitchReconciler, keyOf } from './killswitch-reconciler.ts';
export { BotMirror, BOT_NAMESPACE } from './bot-mirror.ts';
