import { ensureRunMarker } from './run-marker.mjs';

/** Jest's global setup: the run's marker, inherited by every worker and test process. */
export default function globalSetup() {
  ensureRunMarker();
}
