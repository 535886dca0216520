import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Report } from '../../core/report/report.ts';
import { bytes, int } from '../lib/format.ts';
import type { TimelineIndex } from '../../shared/verify-api.ts';
import { EntryDetailView } from './EntryDetailView.tsx';

interface Props {
  report: Report;
  index: TimelineIndex;
  selected: number | null;
  onSelect: (row: number) => void;
}

const ROW_HEIGHT = 28;

/** Every row of the bundle; only the visible ones exist in the page, so a million scroll like ten. */
export default function TimelineView({ report, index, selected, onSelect }: Props) {
  const id = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const [onlyFindings, setOnlyFindings] = useState(false);

  // Row → worst severity and the codes raised there (findings are capped per code, so this stays small).
  const marks = useMemo(() => {
    const m = new Map<number, { severity: 'error' | 'warning'; codes: string[] }>();
    report.findings.forEach((f, i) => {
      const row = index.findingRows[i] ?? -1;
      if (row < 0) return;
      const cur = m.get(row);
      if (!cur) m.set(row, { severity: f.severity, codes: [f.code] });
      else {
        if (f.severity === 'error') cur.severity = 'error';
        if (!cur.codes.includes(f.code)) cur.codes.push(f.code);
      }
    });
    return m;
  }, [report, index]);
  const capped = Object.values(report.dropped).some((n) => n > 0);
  const flagged = useMemo(() => [...marks.keys()].sort((a, b) => a - b), [marks]);
  const count = onlyFindings ? flagged.length : index.count;
  const rowAt = (i: number) => (onlyFindings ? flagged[i]! : i);
  const positionOf = (row: number) => (onlyFindings ? flagged.indexOf(row) : row);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  useEffect(() => {
    if (selected === null) return;
    const p = positionOf(selected);
    if (p >= 0) virtualizer.scrollToIndex(p, { align: 'auto' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- scroll when the selection or the filter changes, not on every render of the virtualizer
  }, [selected, onlyFindings]);

  const move = (delta: number | 'home' | 'end') => {
    if (!count) return;
    const cur = selected === null ? -1 : positionOf(selected);
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    let p = delta === 'home' ? 0 : delta === 'end' ? count - 1 : cur + (Math.abs(delta) === 2 ? Math.sign(delta) * page : delta);
    p = Math.max(0, Math.min(count - 1, p));
    onSelect(rowAt(p));
  };
  const onKey = (e: KeyboardEvent) => {
    const k = { ArrowDown: 1, ArrowUp: -1, PageDown: 2, PageUp: -2, Home: 'home', End: 'end' } as const;
    const d = k[e.key as keyof typeof k];
    if (d === undefined) return;
    e.preventDefault();
    move(d);
  };

  const typeName = (row: number) => index.types[index.type[row]!] ?? '';
  const mc = index.kind === 'makerchecker';
  const active = selected !== null && positionOf(selected) >= 0 ? `${id}-r${selected}` : undefined;

  return (
    <div className="timeline-layout">
      <section className="panel timeline" aria-labelledby={`${id}-h`}>
        <div className="timeline-head">
          <h3 id={`${id}-h`}>
            {mc ? 'Events' : 'Lines'} <span className="muted">({int(index.count)})</span>
          </h3>
          <label className="check small">
            <input type="checkbox" checked={onlyFindings} onChange={(e) => setOnlyFindings(e.target.checked)} /> Only rows with findings ({int(flagged.length)})
          </label>
        </div>
        {index.truncated && <p className="small warn-text">The timeline index stopped early; the verdict covers the whole file.</p>}
        {capped && (
          <p className="small muted timeline-note">
            Only listed findings are placed on rows (the report lists the first of each code and counts the rest), so an unmarked row may still have one.
          </p>
        )}
        <div className="timeline-cols" aria-hidden="true">
          <span>{mc ? 'Event' : 'Line'}</span>
          <span>Seq</span>
          <span>Type</span>
          <span className="num">Size</span>
          <span>Checks</span>
        </div>
        <div
          ref={scroller}
          className="timeline-scroll"
          role="listbox"
          tabIndex={0}
          aria-label={`Timeline: ${int(count)} rows. Use the arrow keys to move, Page Up and Page Down to jump.`}
          aria-activedescendant={active}
          onKeyDown={onKey}
          data-testid="timeline"
          style={{ height: `min(60vh, 36rem, ${Math.max(count, 3) * ROW_HEIGHT + 2}px)` }}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const row = rowAt(v.index);
              const mark = marks.get(row);
              const seq = index.seq[row]!;
              return (
                <div
                  key={v.key}
                  id={`${id}-r${row}`}
                  role="option"
                  aria-selected={row === selected}
                  className={`trow${row === selected ? ' trow--selected' : ''}${mark ? ` trow--${mark.severity}` : ''}`}
                  style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                  onClick={() => onSelect(row)}
                  data-row={row}
                >
                  <span className="mono">{int(row + 1)}</span>
                  <span className="mono">{seq >= 0 ? seq : ''}</span>
                  <span className="ttype">{typeName(row)}</span>
                  <span className="num muted">{bytes(index.length[row]!)}</span>
                  <span className="tchecks">
                    {mark ? (
                      <>
                        <span aria-hidden="true">{mark.severity === 'error' ? '✕' : '!'}</span> {mark.codes.join(', ')}
                      </>
                    ) : capped ? null : (
                      <span className="muted">no finding</span>
                    )}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </section>
      <EntryDetailView report={report} index={index} row={selected} marks={marks.get(selected ?? -1)?.codes ?? []} />
    </div>
  );
}
