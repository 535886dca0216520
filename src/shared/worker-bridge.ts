// The one typed comlink bridge between the page and its workers.
//
// AbortSignal cannot cross postMessage, so the page hands the worker a
// MessagePort that says "abort"; the worker turns it back into a signal.
// Worker APIs never throw across the bridge: they return {ok:false, code, message}.
import * as Comlink from 'comlink';

export type BridgeResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Page side: a port the worker can listen on, transferred with the call. */
export function abortPort(signal?: AbortSignal): MessagePort | undefined {
  if (!signal) return undefined;
  const { port1, port2 } = new MessageChannel();
  const fire = () => {
    port1.postMessage('abort');
    port1.close();
  };
  if (signal.aborted) fire();
  else signal.addEventListener('abort', fire, { once: true });
  return Comlink.transfer(port2, [port2]);
}

/** Worker side: the signal the port stands for. */
export function signalFromPort(port?: MessagePort): AbortSignal {
  const controller = new AbortController();
  if (port) {
    port.onmessage = () => {
      controller.abort(new DOMException('cancelled', 'AbortError'));
      port.close();
    };
  }
  return controller.signal;
}

/** Page side: a typed remote for a module worker. */
export function connectWorker<T>(worker: Worker): Comlink.Remote<T> {
  return Comlink.wrap<T>(worker);
}

export { Comlink };
