import { describe, expect, it } from 'vitest';
import { AppShell } from './app-shell';

/** A waiting worker as the page sees it: a state and `statechange` events. */
class FakeWorker extends EventTarget {
  state: ServiceWorkerState = 'installed';
  readonly messages: unknown[] = [];
  postMessage(message: unknown) {
    this.messages.push(message);
  }
  become(state: ServiceWorkerState) {
    this.state = state;
    this.dispatchEvent(new Event('statechange'));
  }
}

/** The browser's container with one registration whose new build waits. */
function browserWithWaitingBuild() {
  const waiting = new FakeWorker();
  const registration = Object.assign(new EventTarget(), { waiting, installing: null, active: {} });
  const container = Object.assign(new EventTarget(), {
    controller: {},
    register: async () => registration,
  });
  return { waiting, container };
}

async function shellOver(container: EventTarget) {
  let reloads = 0;
  const shell = new AppShell(container as unknown as ServiceWorkerContainer, {
    enabled: true,
    base: '/',
    reload: () => reloads++,
  });
  await shell.register();
  return { shell, reloads: () => reloads };
}

describe('AppShell.applyUpdate', () => {
  it('asks the waiting build to take over and reloads once, on whichever signal comes first', async () => {
    for (const order of [
      ['controllerchange', 'activated'],
      ['activated', 'controllerchange'],
      // A page that never hears controllerchange must still land on the new build.
      ['activated'],
    ]) {
      const { waiting, container } = browserWithWaitingBuild();
      const { shell, reloads } = await shellOver(container);
      expect(shell.getSnapshot().updateReady).toBe(true);
      shell.applyUpdate();
      expect(waiting.messages).toEqual([{ type: 'skip-waiting' }]);
      expect(reloads()).toBe(0);
      for (const signal of order) {
        if (signal === 'activated') {
          waiting.become('activating');
          waiting.become('activated');
        } else container.dispatchEvent(new Event('controllerchange'));
      }
      expect(reloads(), order.join(' then ')).toBe(1);
    }
  });

  it('does not reload when another tab let the new build in: only when this page asked', async () => {
    const { waiting, container } = browserWithWaitingBuild();
    const { reloads } = await shellOver(container);
    waiting.become('activated');
    container.dispatchEvent(new Event('controllerchange'));
    expect(reloads()).toBe(0);
  });
});
