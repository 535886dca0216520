// Files opened with or shared to the installed app go to the screen for them (src/app/lib/incoming.ts).
import { describe, expect, it } from 'vitest';
import { targetOf } from '../../src/app/lib/incoming.ts';

const file = (name: string, text: string) => new File([text], name);

describe('targetOf', () => {
  it('sends bundles to the verifier by name, whatever they hold', async () => {
    expect(await targetOf(file('audit.jsonl', '{"countersign":"bundle/v1","log":"x"}\n'))).toBe('verify');
    expect(await targetOf(file('audit.jsonl.gz', '\x1f\x8b'))).toBe('verify');
    expect(await targetOf(file('audit.gz', ''))).toBe('verify');
  });
  it('sends key backups to the wallet by name', async () => {
    expect(await targetOf(file('carol.key', '{}'))).toBe('wallet');
  });
  it('reads the first bytes of a .json: wallet exchange files to the wallet, anything else to the verifier', async () => {
    expect(await targetOf(file('request.json', '{"countersign":"request-packet/v1","log":"x"}'))).toBe('wallet');
    expect(await targetOf(file('p.json', '{ "countersign" : "log-profile/v1" }'))).toBe('wallet');
    expect(await targetOf(file('export.json', '{"manifest":{"format":"aapr/v1"},"events":[]}'))).toBe('verify');
    expect(await targetOf(file('renamed.json', '{"countersign":"bundle/v1","log":"x"}\n{"entry":{}}'))).toBe('verify');
    // A tag that only looks like a wallet kind further in is not peeked past the first 4 KiB.
    expect(await targetOf(file('big.json', ' '.repeat(5000) + '{"countersign":"key/v1"}'))).toBe('verify');
    expect(await targetOf(new Blob(['not json']))).toBe('verify');
  });
});
