// fake-indexeddb for the store tests (a dev dependency, `make node-deps`); when it is not
// installed, `skip` says why and the tests that need it are skipped.
export let IDBFactory = null;
try {
  ({ IDBFactory } = await import('fake-indexeddb'));
} catch {
  IDBFactory = null;
}
export const skip = IDBFactory ? false : 'fake-indexeddb not installed (make node-deps)';
