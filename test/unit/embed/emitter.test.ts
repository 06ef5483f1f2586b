/**
 * The host's listeners (`on`/`off`, the element's and the session's events):
 * a listener that throws is reported and stops neither the others nor the
 * caller; one removed while an event is delivered still hears that event.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../../src/client/emitter.js';
import { ListenerSet } from '../../../src/shared/listeners.js';

type Events = { message: string; status: number };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Emitter', () => {
  it('calls each listener of an event with its payload; off and the returned function remove one', () => {
    const emitter = new Emitter<Events>();
    const heard: string[] = [];
    const first = (text: string) => heard.push(`first ${text}`);
    const stop = emitter.on('message', (text) => heard.push(`second ${text}`));
    emitter.on('message', first);
    emitter.on('status', (code) => heard.push(`status ${code}`));
    emitter.emit('message', 'a');
    emitter.off('message', first);
    stop();
    emitter.emit('message', 'b');
    emitter.emit('status', 2);
    emitter.clear();
    emitter.emit('status', 3);
    expect(heard).toEqual(['second a', 'first a', 'status 2']);
  });

  it('reports a throwing listener to the page and still calls the rest', () => {
    const reported: unknown[] = [];
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
    const emitter = new Emitter<Events>();
    const heard: string[] = [];
    const boom = new Error('host bug');
    emitter.on('message', () => {
      throw boom;
    });
    emitter.on('message', (text) => heard.push(text));
    expect(() => emitter.emit('message', 'hi')).not.toThrow();
    expect(heard).toEqual(['hi']);
    expect(reported).toEqual([boom]);
  });

  it('delivers an event to the listeners present when it started', () => {
    const emitter = new Emitter<Events>();
    const heard: string[] = [];
    const late = () => heard.push('late');
    const second = () => heard.push('second');
    emitter.on('message', () => {
      emitter.off('message', second);
      emitter.on('message', late);
      heard.push('first');
    });
    emitter.on('message', second);
    emitter.emit('message', 'x');
    expect(heard).toEqual(['first', 'second']);
  });
});

describe('ListenerSet', () => {
  it('has the same policy: a throw is reported, the others still run', () => {
    const reported: unknown[] = [];
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
    const set = new ListenerSet<number>();
    const heard: number[] = [];
    set.add(() => {
      throw new Error('bad');
    });
    const remove = set.add((n) => heard.push(n));
    set.emit(1);
    remove();
    set.emit(2);
    expect(heard).toEqual([1]);
    expect(reported).toHaveLength(2);
  });
});
