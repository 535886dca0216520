import { useState } from 'react';
import { acceptUpdate, useUpdateState } from './lib/pwa.ts';

/**
 * Offers a new version once it is installed and waiting. Nothing changes until the user
 * accepts; while a review, a signing or a check is in progress the offer says so and waits.
 */
export function UpdatePrompt() {
  const { updateReady, busy } = useUpdateState();
  const [later, setLater] = useState(false);
  if (!updateReady || later) return null;
  return (
    <div className="update-prompt no-print" role="status" data-testid="update-prompt">
      <span>
        <strong>A new version of Countersign is ready.</strong>{' '}
        {busy.length
          ? `It will be offered again when you finish: ${busy.join('; ')}.`
          : 'This page keeps working as it is, offline too, until you choose to update.'}
      </span>
      <span className="update-actions">
        <button type="button" className="primary" disabled={busy.length > 0} onClick={() => void acceptUpdate()}>
          Update now
        </button>
        <button type="button" onClick={() => setLater(true)}>
          Later
        </button>
      </span>
    </div>
  );
}
