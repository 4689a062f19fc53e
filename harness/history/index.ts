export * from './ops.ts';
export { History, type Lever, type KillMode } from './history.ts';
export { createRecorder, type Recorder } from './recorder.ts';
export { parseHistory, readHistory } from './reader.ts';
