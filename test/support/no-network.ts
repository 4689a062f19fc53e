// Preload (`node --import`) for tests of commands that must send nothing: any TCP connection the
// process attempts (http, fetch, Redis, Kubernetes clients all go through net.Socket#connect) throws.
import net from 'node:net';

net.Socket.prototype.connect = function connect(): never {
  throw new Error('killdrill test guard: this process tried to open a network connection');
};
