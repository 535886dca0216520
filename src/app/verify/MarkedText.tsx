// Text from a bundle (ids, names, reasons, comments), with every hidden or look-alike
// character marked as the wallet marks it (core/wallet/text-safety.ts): direction
// controls never reach the DOM, so a signed request id cannot reorder what is shown.
import { useMemo } from 'react';
import { scanText, segmentText } from '../../core/wallet/text-safety.ts';

export function MarkedText({ text }: { text: string }) {
  const segs = useMemo(() => segmentText(text, scanText(text)), [text]);
  if (segs.length === 1 && !segs[0]!.issue) return <>{text}</>;
  return (
    <bdi className="marked" dir="ltr">
      {segs.map((s, i) => {
        if (!s.issue) return <span key={i}>{s.text}</span>;
        const code = 'U+' + s.issue.codePoint.toString(16).toUpperCase().padStart(4, '0');
        const title = `${s.issue.label}: ${s.issue.explanation}`;
        if (s.issue.kind === 'confusable')
          return (
            <mark key={i} className="marked-lookalike" title={title} data-testid="marked-char">
              {/\s/.test(s.text) ? '␣' : s.text}
              <span className="sr-only"> (lookalike character {code})</span>
            </mark>
          );
        return (
          <mark key={i} className="marked-hidden" title={title} data-testid="marked-char">
            ⟦{code}⟧
          </mark>
        );
      })}
    </bdi>
  );
}
