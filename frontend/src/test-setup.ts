import '@testing-library/jest-dom/vitest';

// jsdom has no layout: bind:clientHeight needs a ResizeObserver to exist.
if (!('ResizeObserver' in globalThis)) {
  class ResizeObserverStub {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  (globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver = ResizeObserverStub;
}
